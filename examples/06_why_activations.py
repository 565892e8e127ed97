"""06 · 为什么需要激活函数：叠起来的线性层只是一个矩阵 / why activations: stacked Linear layers are one matrix.

笔记：不用激活函数（f(x) = x）时，每层都是上一层的线性函数，无论多少层，整个网络仍是输入的
线性函数，与没有隐藏层相当。三个 Linear 层叠起来就等于一个矩阵 W = W3·W2·W1 和一个偏置。
第 1 部分用数值验证这一点；第 2 部分在异或数据上训练线性堆叠和加了 ReLU 的同一堆叠。

The notes: without an activation (f(x) = x) every layer is a linear function of the previous one, so
however many layers there are, the network is a linear function of its input, no better than no
hidden layer. Concretely, for three Linear layers (y = x·Wᵀ + b, as nn.Linear)
    y = ((x·W1ᵀ + b1)·W2ᵀ + b2)·W3ᵀ + b3 = x·(W3·W2·W1)ᵀ + ((b1·W2ᵀ + b2)·W3ᵀ + b3),
one matrix W = W3·W2·W1 and one bias. Part 1 checks this numerically; part 2 trains the linear stack and
the same stack with ReLU between the layers on XOR-like data, which no straight line separates.

    python examples/06_why_activations.py [--lang en] [--quick] [--out DIR]
"""

import numpy as np
from _common import Example, plot_decision_regions
from tqdm import tqdm

import tinygrad_cn as tg
import tinygrad_cn.functional as F
from tinygrad_cn import data, nn, optim

ex = Example(__doc__)
n_samples, epochs = (200, 40) if ex.quick else (400, 80)


def collapse(stack: nn.Sequential) -> tuple[np.ndarray, np.ndarray]:
    """The single (W, b) of a stack of Linear layers (activations, if any, are ignored)."""
    W, b = None, None
    for layer in stack:
        if isinstance(layer, nn.Linear):
            Wl, bl = layer.weight.data, layer.bias.data
            W, b = (Wl, bl) if W is None else (Wl @ W, b @ Wl.T + bl)
    return W, b


def stack_of(width: int, activation: type[nn.Module] | None, seed: int) -> nn.Sequential:
    rng = np.random.default_rng(seed)
    layers = [nn.Linear(2, width, generator=rng), nn.Linear(width, width, generator=rng), nn.Linear(width, 2, generator=rng)]
    if activation is None:
        return nn.Sequential(*layers)
    return nn.Sequential(layers[0], activation(), layers[1], activation(), layers[2])


# 1. three Linear layers, no activation: the same map as one 2×2 matrix plus a bias
linear_stack = stack_of(16, None, seed=0)
W, b = collapse(linear_stack)
x = np.random.default_rng(1).normal(size=(1000, 2)).astype(np.float32)
with tg.no_grad():
    through_stack = linear_stack(x).data
one_matrix = x @ W.T + b
n_params = sum(p.size for p in linear_stack.parameters())
ex.say("线性堆叠 Linear(2,16) → Linear(16,16) → Linear(16,2)：{n} 个参数", "linear stack Linear(2,16) → Linear(16,16) → "
       "Linear(16,2): {n} parameters", n=n_params)
ex.say("乘积矩阵 W = W3·W2·W1 = {W}，偏置 b = {b}：整个堆叠只有 {k} 个有效的数",
       "product matrix W = W3·W2·W1 = {W}, bias b = {b}: the whole stack amounts to {k} numbers",
       W=np.round(W.astype(float), 4).tolist(), b=np.round(b.astype(float), 4).tolist(), k=W.size + b.size)
ex.say("1000 个随机输入上，堆叠的输出与 x·Wᵀ + b 的最大差：{d:.1e}（float32 舍入误差）",
       "on 1000 random inputs, stack output vs x·Wᵀ + b, max difference: {d:.1e} (float32 rounding)",
       d=np.abs(through_stack - one_matrix).max())
relu_stack = stack_of(16, nn.ReLU, seed=0)  # the same weights, with ReLU between the layers
with tg.no_grad():
    through_relu = relu_stack(x).data
ex.say("同样的权重加上 ReLU 后，与 x·Wᵀ + b 的最大差：{d:.2f}：不再是一个矩阵",
       "the same weights with ReLU in between vs x·Wᵀ + b, max difference: {d:.2f}: no longer one matrix",
       d=np.abs(through_relu - one_matrix).max())

# 2. XOR-like data: class 0 in two opposite corners, class 1 in the other two
X, corner = data.make_blobs(n_samples, centers=[[-1, -1], [1, 1], [-1, 1], [1, -1]], std=0.35, seed=0)
X, y = X.astype(np.float32), corner // 2
X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=0.25, seed=0, stratify=True)
ex.say("\n异或数据：{a} 个训练点，{b} 个测试点", "\nXOR-like data: {a} training and {b} test points",
       a=len(X_train), b=len(X_test))


def train(net: nn.Sequential, name: str) -> float:
    opt = optim.Adam(net.parameters(), lr=0.01)
    rng = np.random.default_rng(0)
    for _ in (bar := tqdm(range(epochs), desc=name, disable=None)):
        for xb, yb in data.minibatches(X_train, y_train, batch_size=32, seed=rng):
            loss = F.cross_entropy(net(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
        bar.set_postfix(loss=f"{loss.item():.4f}")
    return accuracy(net, X_test, y_test)


def accuracy(net: nn.Sequential, X: np.ndarray, y: np.ndarray) -> float:
    with tg.no_grad():
        return float(np.mean(net(X).data.argmax(axis=1) == y))


nets = {"linear": stack_of(16, None, seed=0), "relu": stack_of(16, nn.ReLU, seed=0)}
acc = {key: train(net, key) for key, net in nets.items()}
ex.say("三层线性堆叠（无激活）：测试集准确率：{a:.1%}", "three-layer linear stack (no activation): test accuracy: {a:.1%}",
       a=acc["linear"])
ex.say("同样三层加 ReLU：测试集准确率：{a:.1%}", "the same three layers with ReLU: test accuracy: {a:.1%}", a=acc["relu"])
W, b = collapse(nets["linear"])
with tg.no_grad():
    d = np.abs(nets["linear"](X_test).data - (X_test @ W.T + b)).max()
ex.say("训练后的线性堆叠仍等于一个矩阵（最大差 {d:.1e}）：它的边界只能是一条直线",
       "after training, the linear stack is still one matrix (max difference {d:.1e}): its boundary can only be a line", d=d)


def predictor(net: nn.Sequential):
    def predict(points: np.ndarray) -> np.ndarray:
        with tg.no_grad():
            return net(points).data.argmax(axis=1)

    return predict


fig, axes = ex.figure(1, 2, figsize=(10.5, 4.8))
plot_decision_regions(axes[0], predictor(nets["linear"]), X, y,
                      ex.label("3 个 Linear，无激活：{a:.1%}", "3 Linear layers, no activation: {a:.1%}", a=acc["linear"]))
plot_decision_regions(axes[1], predictor(nets["relu"]), X, y,
                      ex.label("3 个 Linear + ReLU：{a:.1%}", "3 Linear layers + ReLU: {a:.1%}", a=acc["relu"]))
ex.save(fig, "06_why_activations.png")
ex.done()
