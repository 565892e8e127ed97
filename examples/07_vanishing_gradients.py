"""07 · 梯度消失：深层 sigmoid 网络与 ReLU 网络逐层的梯度 / vanishing gradients: deep sigmoid vs ReLU.

笔记：sigmoid 的导数 σ'(z) = σ(z)(1 − σ(z)) 最大为 0.25（在 z = 0）。反向传播逐层乘以 Wᵀ 和激活
函数的导数，经过 sigmoid 层梯度每层都被压小，很多层之后靠近输入的层梯度接近 0，几乎学不动。
ReLU 在激活的单元上导数为 1，配合合适的初始化梯度大小保持不变。这里三种激活用同一组权重，
逐层测量 ‖∂L/∂W_l‖。

The notes: sigmoid's derivative σ'(z) = σ(z)(1 − σ(z)) is at most 0.25 (at z = 0). Backpropagation
multiplies, layer by layer, by Wᵀ and by the activation's derivative, so through a sigmoid layer the
gradient is scaled by a factor of at most 0.25 per unit times the weights; after many layers it is
close to 0 in the first layers, which then barely learn. ReLU's derivative is 1 wherever the unit is
active, so with a suitable initialisation the gradient keeps its size. Here the same weights are used
for each activation (Kaiming's uniform init for ReLU), and the gradient norm ‖∂L/∂W_l‖ is measured in
every layer.

    python examples/07_vanishing_gradients.py [--lang en] [--quick] [--out DIR]
"""

import numpy as np
from _common import Example, pad

import tinygrad_cn as tg
import tinygrad_cn.functional as F
from tinygrad_cn import nn

ex = Example(__doc__)
depth, width, batch = (10, 32, 128) if ex.quick else (20, 64, 256)

# 1. σ'(z) ≤ 0.25, measured with autograd on a grid
z = tg.Value(np.linspace(-8, 8, 1601))
F.sigmoid(z).sum().backward()  # each output depends on its own z only, so z.grad = σ'(z)
ex.say("用自动求导在 [−8, 8] 上求 σ'(z)：最大值 {m:.4f}，在 z = {at:.2f} 处取得",
       "σ'(z) by autograd on [−8, 8]: maximum {m:.4f} at z = {at:.2f}", m=z.grad.max(), at=z.data[z.grad.argmax()])


# 2. deep stacks with identical weights, only the activation differs
def deep_stack(activation: type[nn.Module]) -> nn.Sequential:
    rng = np.random.default_rng(0)
    layers: list[nn.Module] = []
    for _ in range(depth):
        lin = nn.Linear(width, width, generator=rng)
        nn.init.kaiming_uniform_(lin.weight, nonlinearity="relu", generator=rng)  # variance 2/fan_in
        nn.init.zeros_(lin.bias)
        layers += [lin, activation()]
    layers.append(nn.Linear(width, 10, generator=rng))
    return nn.Sequential(*layers)


rng = np.random.default_rng(1)
X = rng.normal(size=(batch, width)).astype(np.float32)
y = rng.integers(0, 10, size=batch)
activations = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU}
norms, mean_slope, rms_slope = {}, [], []
for name, act in activations.items():
    net = deep_stack(act)
    loss = F.cross_entropy(net(X), y)
    loss.backward()
    norms[name] = np.array([np.linalg.norm(m.weight.grad) for m in net if isinstance(m, nn.Linear)][:depth])
    if name == "sigmoid":  # the σ'(z) every sigmoid layer actually applied, averaged over units and samples
        h = X
        with tg.no_grad():
            for m in net[: 2 * depth]:
                h = m(h)
                if isinstance(m, nn.Sigmoid):
                    slope = h.data * (1 - h.data)  # σ'(z) = σ(z)(1 − σ(z))
                    mean_slope.append(float(slope.mean()))
                    rms_slope.append(float(np.sqrt((slope**2).mean())))

ex.say("\n{d} 层，每层 {w} 个单元，相同的权重；‖∂L/∂W‖ 逐层（第 1 层离输入最近）：",
       "\n{d} layers of {w} units, identical weights; ‖∂L/∂W‖ per layer (layer 1 is nearest the input):", d=depth, w=width)
ex.say(pad(ex.text("层", "layer"), 5, right=True) + "     sigmoid        tanh        relu    mean σ'(z)")
for i in range(depth):
    ex.say("{l:>5}  {s:>10.2e}  {t:>10.2e}  {r:>10.2e}  {m:>12.4f}", l=i + 1, s=norms["sigmoid"][i], t=norms["tanh"][i],
           r=norms["relu"][i], m=mean_slope[i])
for name in activations:
    ratio = norms[name][0] / norms[name][-1]
    ex.say("{n}：第 1 层 / 第 {d} 层梯度之比 {r:.1e}，平均每层乘以 {f:.2f}",
           "{n}: gradient ratio layer 1 / layer {d} = {r:.1e}, on average ×{f:.2f} per layer",
           n=name, d=depth, r=ratio, f=ratio ** (1 / (depth - 1)))
ex.say("sigmoid 各层实际的 σ'(z) 平均值在 {lo:.3f} 到 {hi:.3f} 之间，都不超过 0.25：梯度每经过一层都被压小",
       "the σ'(z) the sigmoid layers actually applied averages {lo:.3f} to {hi:.3f}, never above 0.25: each layer shrinks "
       "the gradient", lo=min(mean_slope), hi=max(mean_slope))
# backward through one layer: δ ← Wᵀ(σ'(z) ⊙ δ); weights of variance 2/fan_in scale a norm by about √2·rms(σ'(z))
ex.say("估算：每层乘以 √2（权重的增益）× σ'(z) 的均方根 ≈ {p:.2f}，与实测的 {m:.2f} 相近；"
       "ReLU 的导数在一半单元上为 1：√2 × √0.5 = 1",
       "estimate: each layer multiplies by √2 (the weights' gain) × rms of σ'(z) ≈ {p:.2f}, close to the measured {m:.2f}; "
       "ReLU's derivative is 1 on half the units: √2 × √0.5 = 1",
       p=np.sqrt(2) * np.exp(np.mean(np.log(rms_slope[:-1]))),
       m=(norms["sigmoid"][0] / norms["sigmoid"][-1]) ** (1 / (depth - 1)))

# 2b. tanh held its size above: tanh'(0) = 1 (four times σ'(0)), and the weights' √2 gain makes up for
# the average tanh' < 1. It still vanishes where it saturates: tanh'(3) ≈ 0.0099. Ten layers hᵢ = tanh(3·hᵢ₋₁):
for x0 in (0.0, 1.0):
    x = tg.Value(x0)
    h = x
    for _ in range(10):
        h = F.tanh(3 * h)
    h.backward()
    ex.say("tanh 链 hᵢ = tanh(3·hᵢ₋₁)，10 层，从 x = {x0:.0f} 出发：∂h/∂x = {g:.1e}",
           "tanh chain hᵢ = tanh(3·hᵢ₋₁), 10 layers, starting at x = {x0:.0f}: ∂h/∂x = {g:.1e}", x0=x0, g=float(x.grad))
ex.say("从 0 出发每层 tanh'(0) = 1，每层乘以 3：3¹⁰ ≈ 5.9e4（权重大于 1 时梯度爆炸）；从 1 出发每层都饱和，"
       "每层只乘以 3·tanh'(≈3) ≈ 0.03。上面的深层网络里 tanh 没有消失：tanh'(0) = 1 是 σ'(0) 的四倍，权重的增益 √2 "
       "抵消了 tanh' < 1；但 tanh 一旦饱和（|z| 大），梯度同样消失，这正是笔记说 tanh 仍有梯度消失问题的原因",
       "from 0 every layer has tanh'(0) = 1 and multiplies by 3: 3¹⁰ ≈ 5.9e4 (weights above 1: the gradient explodes); "
       "from 1 every layer saturates and multiplies by only 3·tanh'(≈3) ≈ 0.03. In the deep network above tanh did not "
       "vanish: tanh'(0) = 1 is four times σ'(0) and the weights' √2 gain offsets tanh' < 1; but once tanh saturates "
       "(|z| large) its gradient vanishes too, which is why the notes say tanh still has the vanishing-gradient problem")

# 3. figure: gradient norm per layer (log scale), and σ' next to ReLU'
fig, (ax1, ax2) = ex.figure(1, 2, figsize=(12, 4.5))
for name in activations:
    ax1.semilogy(np.arange(1, depth + 1), norms[name], "o-", label=name, markersize=4)
ax1.set_xlabel(ex.label("层（1 = 最靠近输入）", "layer (1 = nearest the input)"))
ax1.set_ylabel("‖∂L/∂W‖")
ax1.set_xticks(np.arange(1, depth + 1, 1 if depth <= 10 else 2))
ax1.set_title(ex.label("{d} 层网络中每层的梯度范数", "gradient norm per layer, {d}-layer network", d=depth))
ax1.legend()
ax1.grid(alpha=0.3, which="both")
zs = tg.Value(np.linspace(-6, 6, 601))
F.relu(zs).sum().backward()
ax2.plot(z.data, z.grad, label="σ'(z)")
ax2.plot(zs.data, zs.grad, label="ReLU'(z)")
ax2.axhline(0.25, color="gray", linestyle="--", linewidth=0.8)
ax2.text(-6, 0.28, "0.25", color="gray")
ax2.set_xlim(-6, 6)
ax2.set_xlabel("z")
ax2.set_title(ex.label("激活函数的导数（自动求导）", "activation derivatives (by autograd)"))
ax2.legend()
ax2.grid(alpha=0.3)
ex.save(fig, "07_vanishing_gradients.png")
ex.done()
