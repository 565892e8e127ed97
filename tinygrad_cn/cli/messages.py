"""Every text the CLI shows, in Chinese (the default) and English."""

from __future__ import annotations

# the functions an expression may call (cli/expr.py implements them; kept here so that --help
# lists them without importing numpy)
FUNCTION_NAMES = (
    "sigmoid", "tanh", "relu", "leaky_relu", "prelu", "elu", "swish", "silu", "glu", "swiglu", "softplus", "gelu",
    "softmax", "log_softmax", "exp", "log", "sum", "mean",
)
_FUNCTIONS = ", ".join(FUNCTION_NAMES)

HELP = {
    "zh": {
        "prog": "tinygrad_cn：看得见的自动微分。逐步观察神经网络如何计算、如何学习。",
        "epilog": "例子：\n"
                  "  tinygrad-cn demo\n"
                  "  tinygrad-cn step \"tanh(x*w + b)\" --var x=2 --var w=-3 --var b=1\n"
                  "  tinygrad-cn graph \"tanh(x*w + b)\" --var x=2 --var w=-3 --var b=1 --out g.svg\n"
                  "  tinygrad-cn train softmax\n"
                  "每个子命令都有自己的帮助，例如 tinygrad-cn step --help；加 --lang en 显示英文。",
        "lang": "界面语言：zh（中文，默认）或 en（English）",
        "commands": "子命令",
        "demo": "完整演示：一个神经元的前向与反向传播、计算图、逐步演示网页、激活函数图、在手写数字上训练 softmax 回归",
        "demo_out": "输出目录（默认 ./tinygrad_cn_demo）",
        "demo_small": "快速模式：训练轮数更少（用于测试）",
        "graph": "把表达式的计算图画成 SVG / PNG / GV 文件（默认先做一次反向传播，图上显示梯度）",
        "expr": "表达式，例如 \"tanh(x*w + b)\"：只允许数字、--var 给出的变量、+ - * / **（也可写 × · ÷ − ^）、"
                f"括号，以及这些函数：{_FUNCTIONS}",
        "var": "变量，NAME=VALUE（可重复），例如 --var x=2；逗号分隔表示向量：--var x=1,2,3",
        "graph_out": "输出文件，按后缀决定格式：.svg .png .gv（默认 graph.svg）",
        "no_backward": "不做反向传播（图上的梯度显示为 —）",
        "rankdir": "方向：LR（从左到右，默认）或 TB（从上到下）",
        "step": "逐步打印前向传播和反向传播的表格（每一步的公式和数值）",
        "html": "同时写出逐步演示网页（.html 文件）",
        "plot": "画图",
        "plot_what": "画什么：activations（所有激活函数及其自动微分得到的导数）",
        "plot_out": "输出文件，按后缀决定格式：.png .svg .pdf（默认 activations.png）",
        "train": "在内置数据集上训练一个分类器：logistic / softmax / perceptron / svm / ffn；"
                 "train llama 训练小型 LLaMA 语言模型（tinygrad-cn train llama --help）",
    },
    "en": {
        "prog": "tinygrad_cn: autograd you can see. Step through how a neural network computes and learns.",
        "epilog": "examples:\n"
                  "  tinygrad-cn demo\n"
                  "  tinygrad-cn step \"tanh(x*w + b)\" --var x=2 --var w=-3 --var b=1\n"
                  "  tinygrad-cn graph \"tanh(x*w + b)\" --var x=2 --var w=-3 --var b=1 --out g.svg\n"
                  "  tinygrad-cn train softmax\n"
                  "Every command has its own help, e.g. tinygrad-cn step --help; --lang zh for Chinese.",
        "lang": "language: zh (Chinese, the default) or en (English)",
        "commands": "commands",
        "demo": "the full demo: a neuron forward and backward, its graph, a step-through web page, the activation "
                "functions, softmax regression trained on handwritten digits",
        "demo_out": "output folder (default ./tinygrad_cn_demo)",
        "demo_small": "quick mode: fewer training epochs (for tests)",
        "graph": "draw an expression's computation graph to an SVG / PNG / GV file (after one backward pass, so "
                 "the gradients show)",
        "expr": "expression such as \"tanh(x*w + b)\": only numbers, variables given with --var, + - * / ** "
                f"(or × · ÷ − ^), parentheses, and these functions: {_FUNCTIONS}",
        "var": "a variable, NAME=VALUE (repeatable), e.g. --var x=2; commas make a vector: --var x=1,2,3",
        "graph_out": "output file, format by suffix: .svg .png .gv (default graph.svg)",
        "no_backward": "skip the backward pass (gradients show as —)",
        "rankdir": "direction: LR (left to right, the default) or TB (top to bottom)",
        "step": "print the forward and backward passes step by step as tables (each step's formula and numbers)",
        "html": "also write the step-through web page (an .html file)",
        "plot": "plots",
        "plot_what": "what to plot: activations (every activation function and its derivative by autograd)",
        "plot_out": "output file, format by suffix: .png .svg .pdf (default activations.png)",
        "train": "train a classifier on a bundled data set: logistic / softmax / perceptron / svm / ffn; "
                 "train llama trains a tiny LLaMA language model (tinygrad-cn train llama --help)",
    },
}

MSG = {
    "zh": {
        "refused": "错误：表达式被拒绝：{msg}",
        "bad_var": "错误：{msg}",
        "cannot_compute": "错误：{msg}",
        "error": "错误：{msg}",
        "wrote": "已写入 {path}",
        "forward": "前向传播",
        "backward": "反向传播（链式法则：贡献 = 上游梯度 × 局部梯度；“+=” 表示从多条路径累加梯度）",
        "result": "结果：{name} = {value}",
        "not_scalar": "错误：输出不是标量（形状 {shape}），反向传播需要一个数：用 sum(...) 或 mean(...) 包住表达式，"
                      "例如 \"sum({expr})\"",
        "train_missing": "train 子命令不可用：{msg}",
        "no_command": "错误：请给出一个子命令：{commands}",
        "interrupted": "已中断",
        "is_dir": "{option} {path} 是一个目录，这里需要一个文件名，例如 {example}",
        "not_dir": "{option} {path} 已经存在，而且是一个文件；这里需要一个目录（不存在时会自动创建）",
        "file_in_the_way": "{option} {path}：{file} 是一个文件，不是目录，无法在它下面创建文件或目录",
        "bad_suffix": "无法从文件名 {path} 判断格式：{option} 请用 {suffixes} 结尾的文件名",
        "not_regular": "{option} {path}{target} 是{kind}，不是普通文件；拒绝覆盖它，请给一个文件名",
        "os_error": "{path}：{reason}",
        "memory": "内存不足：表达式或数组太大",
        "nonfinite": "注意：{where}。nan（不是一个数）和 inf（无穷大）会沿着计算图一路传下去，由它们算出的值和梯度都没有"
                     "意义，不要把它们当作正常结果。常见原因：除以 0、对 ≤ 0 的数取 log、exp 的输入太大而溢出、"
                     "对负数开平方（** 0.5）。在 Python 里可以用 tg.detect_anomaly() 找出第一个出问题的运算。",
        "nonfinite_forward": "前向传播第 {step} 步，节点 {name}（运算 {op}）第一个得到 {bad}",
        "nonfinite_backward": "前向传播的值都是有限数，但反向传播第 {step} 步从 {via}（运算 {op}）传给 {name} 的梯度"
                              "第一个变成 {bad}",
    },
    "en": {
        "refused": "error: expression refused: {msg}",
        "bad_var": "error: {msg}",
        "cannot_compute": "error: {msg}",
        "error": "error: {msg}",
        "wrote": "wrote {path}",
        "forward": "forward pass",
        "backward": "backward pass (chain rule: contribution = upstream × local; \"+=\" gathers gradient from "
                    "several paths)",
        "result": "result: {name} = {value}",
        "not_scalar": "error: the output is not a scalar (shape {shape}); backward needs a single number: wrap the "
                      "expression in sum(...) or mean(...), e.g. \"sum({expr})\"",
        "train_missing": "the train command is not available: {msg}",
        "no_command": "error: give a command: {commands}",
        "interrupted": "interrupted",
        "is_dir": "{option} {path} is a directory; a file name is needed here, e.g. {example}",
        "not_dir": "{option} {path} exists and is a file; a folder is needed here (it is created when missing)",
        "file_in_the_way": "{option} {path}: {file} is a file, not a folder, so nothing can be created inside it",
        "bad_suffix": "cannot tell the format from the file name {path}: {option} needs a name ending in {suffixes}",
        "not_regular": "{option} {path}{target} is {kind}, not a regular file; refusing to replace it (give a file name)",
        "os_error": "{path}: {reason}",
        "memory": "out of memory: the expression or the arrays are too large",
        "nonfinite": "note: {where}. nan (not a number) and inf (infinity) spread through the graph: every value "
                     "and gradient computed from them is meaningless, so do not read them as normal results. "
                     "Common causes: division by 0, log of a number ≤ 0, exp of a large number "
                     "(overflow), a negative number to the power 0.5. In Python, tg.detect_anomaly() stops at the "
                     "first op that goes wrong.",
        "nonfinite_forward": "the first node to become {bad} is {name} (op {op}), forward step {step}",
        "nonfinite_backward": "the forward values are all finite, but in backward step {step} the gradient flowing "
                              "from {via} (op {op}) into {name} is the first to become {bad}",
    },
}

# why an operating-system call failed, by errno
OS_REASONS = {
    "zh": {
        "EEXIST": "已经存在", "EISDIR": "是一个目录", "ENOTDIR": "路径中有一部分不是目录（是一个文件）",
        "EACCES": "没有权限", "EPERM": "没有权限", "ENOENT": "文件或目录不存在", "ENOSPC": "磁盘空间不足",
        "EROFS": "文件系统是只读的", "ENAMETOOLONG": "文件名太长", "EINVAL": "文件名无效",
    },
    "en": {
        "EEXIST": "already exists", "EISDIR": "is a directory", "ENOTDIR": "a part of the path is not a directory (it is a file)",
        "EACCES": "permission denied", "EPERM": "permission denied", "ENOENT": "no such file or directory",
        "ENOSPC": "no space left on the device", "EROFS": "read-only file system", "ENAMETOOLONG": "file name too long",
        "EINVAL": "invalid file name",
    },
}
