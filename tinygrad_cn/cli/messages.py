"""Every text the CLI shows, in Chinese (the default) and English."""

from __future__ import annotations

HELP = {
    "zh": {
        "prog": "tinygrad_cn：看得见的自动微分。逐步观察神经网络如何计算、如何学习。",
        "epilog": "例子：tinygrad-cn demo；tinygrad-cn step \"tanh(x*w + b)\" --var x=2 --var w=-3 --var b=1；"
                  "加 --lang en 显示英文。",
        "lang": "界面语言：zh（中文，默认）或 en（English）",
        "commands": "子命令",
        "demo": "完整演示：一个神经元的前向与反向传播、计算图、逐步演示网页、激活函数图、在手写数字上训练 softmax 回归",
        "demo_out": "输出目录（默认 ./tinygrad_cn_demo）",
        "demo_small": "快速模式：训练轮数更少（用于测试）",
        "graph": "把表达式的计算图画成 SVG / PNG / GV 文件（默认先做一次反向传播，图上显示梯度）",
        "expr": "表达式，例如 \"tanh(x*w + b)\"：只允许数字、--var 给出的变量、+ - * / **、括号和激活函数 / exp / log",
        "var": "变量，NAME=VALUE（可重复），例如 --var x=2；逗号分隔表示向量：--var x=1,2,3",
        "graph_out": "输出文件，按后缀决定格式：.svg .png .gv（默认 graph.svg）",
        "no_backward": "不做反向传播（图上的梯度显示为 —）",
        "rankdir": "方向：LR（从左到右，默认）或 TB（从上到下）",
        "step": "逐步打印前向传播和反向传播的表格（每一步的公式和数值）",
        "html": "同时写出逐步演示网页（.html）",
        "plot": "画图",
        "plot_what": "画什么：activations（所有激活函数及其自动微分得到的导数）",
        "plot_out": "输出文件（默认 activations.png）",
        "train": "在内置数据集上训练一个分类器：logistic / softmax / perceptron / svm / ffn",
    },
    "en": {
        "prog": "tinygrad_cn: autograd you can see. Step through how a neural network computes and learns.",
        "epilog": "examples: tinygrad-cn demo; tinygrad-cn step \"tanh(x*w + b)\" --var x=2 --var w=-3 --var b=1; "
                  "--lang zh for Chinese.",
        "lang": "language: zh (Chinese, the default) or en (English)",
        "commands": "commands",
        "demo": "the full demo: a neuron forward and backward, its graph, a step-through web page, the activation "
                "functions, softmax regression trained on handwritten digits",
        "demo_out": "output folder (default ./tinygrad_cn_demo)",
        "demo_small": "quick mode: fewer training epochs (for tests)",
        "graph": "draw an expression's computation graph to an SVG / PNG / GV file (after one backward pass, so "
                 "the gradients show)",
        "expr": "expression such as \"tanh(x*w + b)\": only numbers, variables given with --var, + - * / **, "
                "parentheses and the activation functions / exp / log",
        "var": "a variable, NAME=VALUE (repeatable), e.g. --var x=2; commas make a vector: --var x=1,2,3",
        "graph_out": "output file, format by suffix: .svg .png .gv (default graph.svg)",
        "no_backward": "skip the backward pass (gradients show as —)",
        "rankdir": "direction: LR (left to right, the default) or TB (top to bottom)",
        "step": "print the forward and backward passes step by step as tables (each step's formula and numbers)",
        "html": "also write the step-through web page (.html)",
        "plot": "plots",
        "plot_what": "what to plot: activations (every activation function and its derivative by autograd)",
        "plot_out": "output file (default activations.png)",
        "train": "train a classifier on a bundled data set: logistic / softmax / perceptron / svm / ffn",
    },
}

MSG = {
    "zh": {
        "refused": "错误：表达式被拒绝：{msg}",
        "error": "错误：{msg}",
        "wrote": "已写入 {path}",
        "forward": "前向传播",
        "backward": "反向传播（链式法则：贡献 = 上游梯度 × 局部梯度；“+=” 表示从多条路径累加梯度）",
        "result": "结果：{name} = {value}",
        "not_scalar": "输出不是标量（形状 {shape}），反向传播需要标量：用 sum(...) 或 mean(...) 包住表达式",
        "train_missing": "train 子命令不可用：{msg}",
    },
    "en": {
        "refused": "error: expression refused: {msg}",
        "error": "error: {msg}",
        "wrote": "wrote {path}",
        "forward": "forward pass",
        "backward": "backward pass (chain rule: contribution = upstream × local; \"+=\" gathers gradient from "
                    "several paths)",
        "result": "result: {name} = {value}",
        "not_scalar": "the output is not a scalar (shape {shape}); backward needs one: wrap the expression in "
                      "sum(...) or mean(...)",
        "train_missing": "the train command is not available: {msg}",
    },
}
