"""08 · Dead ReLU：学习率太高会让单元“死掉”，以及三种补救 / dead ReLUs after a too-high rate, and fixes.

ReLU 单元 relu(w·x + b) 如果对所有训练输入都有 w·x + b ≤ 0，它的输出和导数处处为 0，权重的
梯度为 0，再也不会更新：它“死”了。笔记给出两个原因和对策：(1) 不幸的初始化 → Xavier 初始化；
(2) 学习率太高，一步把 w、b 甩到没有输入能到达的地方 → 调小学习率，或用 Adagrad 等按每个权重
自动调节步长的算法。这里在螺旋数据上按每种设置训练一个 64 个 ReLU 隐藏单元的网络，测量死单元比例。

A ReLU unit relu(w·x + b) is dead when w·x + b ≤ 0 for every training input: its output and its
derivative are 0 everywhere, so its weights get a zero gradient and never change again. The notes
give two causes and their fixes: (1) an unlucky initialisation → Xavier initialisation; (2) a
learning rate so high that one update throws w, b where no input reaches → a smaller rate, or an
algorithm that adapts the step per weight, such as Adagrad. Here a network with one hidden layer of
64 ReLUs is trained on the spirals under each setting, and the fraction of dead units is measured
(averaged over a few random initialisations).

    python examples/08_dead_relu.py [--lang en] [--quick] [--out DIR]
"""

import numpy as np
from _common import Example, pad
from tqdm import tqdm

import tinygrad_cn as tg
import tinygrad_cn.functional as F
from tinygrad_cn import data, nn, optim

ex = Example(__doc__)
seeds, epochs, hidden = ((0,), 15, 64) if ex.quick else ((0, 1, 2), 30, 64)

X, y = data.make_spirals(600, n_classes=3, noise=0.2, seed=0)
X = X.astype(np.float32)

# (name zh, name en, initialisation, optimizer, learning rate)
SETTINGS = {
    "too_high": ("学习率太高：SGD lr=5", "too high: SGD lr=5", "default", optim.SGD, 5.0),
    "xavier_too_high": ("Xavier 初始化 + SGD lr=5", "Xavier init + SGD lr=5", "xavier", optim.SGD, 5.0),
    "smaller": ("小一点的学习率：SGD lr=1", "smaller rate: SGD lr=1", "default", optim.SGD, 1.0),
    "xavier_smaller": ("Xavier 初始化 + SGD lr=1", "Xavier init + SGD lr=1", "xavier", optim.SGD, 1.0),
    "adagrad": ("Adagrad lr=5（同样高的学习率）", "Adagrad lr=5 (the same high rate)", "default", optim.Adagrad, 5.0),
}


def make_net(init: str, seed: int) -> nn.Sequential:
    rng = np.random.default_rng(seed)
    net = nn.Sequential(nn.Linear(2, hidden, generator=rng), nn.ReLU(), nn.Linear(hidden, 3, generator=rng))
    if init == "xavier":  # U(±√(6/(fan_in + fan_out))), zero bias: every unit's line passes through the origin
        for layer in (net[0], net[2]):
            nn.init.xavier_uniform_(layer.weight, generator=rng)
            nn.init.zeros_(layer.bias)
    return net  # "default": nn.Linear's own init, W and b ~ U(±1/√fan_in)


def dead_units(net: nn.Sequential) -> np.ndarray:
    """True for each hidden unit whose pre-activation w·x + b ≤ 0 on every training input."""
    with tg.no_grad():
        return (net[0](X).data <= 0).all(axis=0)


def train(net: nn.Sequential, opt_class: type[optim.Optimizer], lr: float, seed: int, desc: str) -> float:
    opt = opt_class(net.parameters(), lr=lr)
    rng = np.random.default_rng(seed)
    for _ in tqdm(range(epochs), desc=desc, leave=False, disable=None):
        for xb, yb in data.minibatches(X, y, batch_size=32, seed=rng):
            loss = F.cross_entropy(net(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
    with tg.no_grad():
        return float(np.mean(net(X).data.argmax(axis=1) == y))


results, nets = {}, {}
for key, (_, _, init, opt_class, lr) in SETTINGS.items():
    before, after, accs = [], [], []
    for seed in seeds:
        net = make_net(init, seed)
        before.append(dead_units(net).mean())
        accs.append(train(net, opt_class, lr, seed, f"{key} (seed {seed})"))
        after.append(dead_units(net).mean())
    nets[key] = net  # the last seed's network, for the figure
    results[key] = (np.mean(before), np.mean(after), np.mean(accs))

if len(seeds) == 1:
    runs = ex.text("一个随机初始化", "one random initialisation")
else:
    runs = ex.text("{s} 个随机初始化取平均", "mean over {s} random initialisations", s=len(seeds))
ex.say("{n} 个隐藏 ReLU 单元，{runs}，训练 {e} 轮：", "{n} hidden ReLU units, {runs}, {e} epochs of training:",
       n=hidden, runs=runs, e=epochs)
header = [ex.text("设置", "setting"), ex.text("初始时死", "dead@init"), ex.text("训练后死", "dead@end"),
          ex.text("准确率", "accuracy")]
ex.say(pad(header[0], 36) + "".join(pad(h, 11, right=True) for h in header[1:]))
for key, (before, after, acc) in results.items():
    cells = [f"{v:.1%}" for v in (before, after, acc)]
    ex.say(pad(ex.text(*SETTINGS[key][:2]), 36) + "".join(pad(c, 11, right=True) for c in cells))

# a dead unit's weights get exactly zero gradient, so it stays dead
net = nets["too_high"]
dead = dead_units(net)
loss = F.cross_entropy(net(X), y)
net.zero_grad()
loss.backward()
if dead.any():
    ex.say("\n死单元的权重梯度：max |∂L/∂w| = {g:.1f}，max |∂L/∂b| = {h:.1f}：它们再也不会更新",
           "\ngradient of the dead units' weights: max |∂L/∂w| = {g:.1f}, max |∂L/∂b| = {h:.1f}: they never update again",
           g=np.abs(net[0].weight.grad[dead]).max(), h=np.abs(net[0].bias.grad[dead]).max())

high, small = results["too_high"][1], results["smaller"][1]
ex.say("学习率 5 → 1：死单元从 {a:.0%} 降到 {b:.0%}", "learning rate 5 → 1: dead units fall from {a:.0%} to {b:.0%}",
       a=high, b=small)
ex.say("同样 lr=5，Adagrad：{c:.0%} 死单元，准确率 {d:.0%}（SGD：{e:.0%}）：它的每步更新不超过 lr，而不是 lr·|g|",
       "at the same lr=5, Adagrad: {c:.0%} dead, accuracy {d:.0%} (SGD: {e:.0%}): each of its steps is at most lr, not lr·|g|",
       c=results["adagrad"][1], d=results["adagrad"][2], e=results["too_high"][2])
ex.say("默认初始化一开始就有 {a:.0%} 的单元是死的（偏置让直线落在数据之外）；Xavier（偏置为 0）：{b:.0%}。"
       "但学习率太高时 Xavier 也救不了：{c:.0%}",
       "the default init starts with {a:.0%} dead units (the bias puts the line outside the data); Xavier (zero bias): {b:.0%}. "
       "But Xavier cannot undo a too-high rate: {c:.0%}",
       a=results["too_high"][0], b=results["xavier_smaller"][0], c=results["xavier_too_high"][1])

# figure: dead fractions per setting, and the hidden units of the too-high-rate network as lines w·x + b = 0
fig, (ax1, ax2) = ex.figure(1, 2, figsize=(13, 5), gridspec_kw={"width_ratios": [1.3, 1]})
keys = list(SETTINGS)
before = np.array([results[k][0] for k in keys])
after = np.array([results[k][1] for k in keys])
rows = np.arange(len(keys))
ax1.barh(rows, before, color="tab:gray", label=ex.label("初始化时已死", "dead at initialisation"))
ax1.barh(rows, after - before, left=before, color="tab:red", label=ex.label("训练中死掉", "killed during training"))
for r, k in zip(rows, keys):
    ax1.text(after[r] + 0.01, r, f"{after[r]:.0%}  (acc {results[k][2]:.0%})", va="center", fontsize=8)
ax1.set_yticks(rows, [ex.label(*SETTINGS[k][:2]) for k in keys])
ax1.invert_yaxis()
ax1.set_xlim(0, 1.25)
ax1.set_xlabel(ex.label("死单元比例", "fraction of dead units"))
ax1.legend(loc="lower right", fontsize=8)
ax2.scatter(X[:, 0], X[:, 1], c=y, s=6, cmap="tab10", vmax=9)
W, b = net[0].weight.data, net[0].bias.data
xs = np.linspace(-1.5, 1.5, 2)
for w_row, b_j, is_dead in zip(W, b, dead):  # w₀x₀ + w₁x₁ + b = 0
    if abs(w_row[1]) > 1e-12:
        ax2.plot(xs, -(b_j + w_row[0] * xs) / w_row[1], color="tab:red" if is_dead else "0.6", linewidth=0.7)
ax2.set_xlim(-1.5, 1.5)
ax2.set_ylim(-1.5, 1.5)
ax2.set_aspect("equal")
ax2.set_title(ex.label("lr=5 之后的隐藏单元：红 = 死（数据全在 w·x+b ≤ 0 一侧）",
                       "hidden units after lr=5: red = dead (all data where w·x+b ≤ 0)"), fontsize=9)
ex.save(fig, "08_dead_relu.png")
ex.done()
