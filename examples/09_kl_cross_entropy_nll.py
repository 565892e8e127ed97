"""09 · 最小化 KL 散度，就是最小化交叉熵，也就是最小化负对数似然 / KL, cross-entropy and NLL: one optimum.

用梯度下降检验笔记的结论。从六面“灌铅骰子”的分布 p 抽 N 个样本，p̂ 是经验分布（次数 / N）。
用 q = softmax(z) 分别最小化 KL(p̂‖q)、交叉熵 H(p̂, q) 和负对数似然 NLL = −(1/N) Σᵢ log q(xᵢ)。
KL = H(p̂, q) − H(p̂)，而 H(p̂) 与 q 无关；NLL 恰好等于 H(p̂, q)。所以三者对 q 的梯度都是 −p̂/q，
下降路径相同，最优点都是 q = p̂（最大似然估计）。

The notes' claim, checked by gradient descent. Draw samples x₁..x_N from a distribution p over six
outcomes (a loaded die); p̂ is their empirical distribution (counts / N). Fit a model q = softmax(z)
three times, each time minimising a different objective:
    KL(p̂‖q) = Σ p̂ log(p̂/q)        cross-entropy H(p̂, q) = −Σ p̂ log q        NLL = −(1/N) Σᵢ log q(xᵢ).
KL = H(p̂, q) − H(p̂), and H(p̂) does not depend on q; NLL = H(p̂, q) exactly, because the sum over
samples counts each outcome k exactly N·p̂_k times. So all three have the same gradient with respect to
q, −p̂/q, the same descent path and the same minimum q = p̂ (the maximum-likelihood estimate).

    python examples/09_kl_cross_entropy_nll.py [--lang en] [--quick] [--out DIR]
"""

import numpy as np
from _common import Example
from tqdm import tqdm

import tinygrad_cn as tg
import tinygrad_cn.functional as F
from tinygrad_cn import info, optim

ex = Example(__doc__)
n_samples, steps = (200, 150) if ex.quick else (2000, 400)

p_true = np.array([0.30, 0.20, 0.15, 0.15, 0.10, 0.10])
rng = np.random.default_rng(0)
samples = rng.choice(len(p_true), size=n_samples, p=p_true)  # x₁..x_N, outcomes 0..5
p_hat = np.bincount(samples, minlength=len(p_true)) / n_samples
ex.say("真实分布 p = {p}；抽 {n} 个样本，经验分布 p̂ = {ph}", "true p = {p}; {n} samples, empirical p̂ = {ph}",
       p=p_true.tolist(), n=n_samples, ph=np.round(p_hat, 4).tolist())

OBJECTIVES = {
    "KL": lambda q: info.kl_divergence(p_hat, q),
    "CE": lambda q: info.cross_entropy(p_hat, q),
    "NLL": lambda q: -q.log()[samples].mean(),  # −(1/N) Σᵢ log q(xᵢ): one term per sample
}

# 1. the gradient with respect to q, at the same (arbitrary) q₀, under each objective
q0 = tg.Value(rng.dirichlet(np.ones(len(p_true))), label="q")
grads = {name: tg.grad(f(q0), [q0])[0].data for name, f in OBJECTIVES.items()}
ex.say("在同一个 q₀ 处对 q 求梯度：", "gradient with respect to q at the same q₀:")
for name, g in grads.items():
    ex.say("  ∂{n}/∂q = {g}", n=name, g=np.round(g, 4).tolist())
ex.say("  公式 −p̂/q₀ = {g}", "  formula −p̂/q₀ = {g}", g=np.round(-p_hat / q0.data, 4).tolist())
spread = max(np.abs(g - (-p_hat / q0.data)).max() for g in grads.values())
ex.say("三个梯度与 −p̂/q₀ 的最大差：{d:.1e}", "max difference of the three gradients from −p̂/q₀: {d:.1e}", d=spread)
values = {name: f(q0).item() for name, f in OBJECTIVES.items()}
ex.say("取值：KL = {kl:.4f}，CE = {ce:.4f}，NLL = {nll:.4f}；CE − KL = {d:.4f} = H(p̂) = {h:.4f}",
       "values: KL = {kl:.4f}, CE = {ce:.4f}, NLL = {nll:.4f}; CE − KL = {d:.4f} = H(p̂) = {h:.4f}",
       kl=values["KL"], ce=values["CE"], nll=values["NLL"], d=values["CE"] - values["KL"], h=info.entropy(p_hat).item())

# 2. gradient descent on z (q = softmax(z), so q stays a distribution), once per objective
fits, curves, paths = {}, {}, {}
for name, objective in OBJECTIVES.items():
    z = tg.Value(np.zeros(len(p_true)), label="z")  # start from the uniform q
    opt = optim.SGD([z], lr=1.0)
    curves[name], paths[name] = [], []
    for _ in tqdm(range(steps), desc=name, leave=False, disable=None):
        loss = objective(F.softmax(z))
        opt.zero_grad()
        loss.backward()
        opt.step()
        curves[name].append(loss.item())
        paths[name].append(F.softmax(z).data.copy())
    fits[name] = paths[name][-1]

ex.say("\n梯度下降 {s} 步（SGD，lr = 1，q = softmax(z)，从均匀分布出发）之后：",
       "\nafter {s} steps of gradient descent (SGD, lr = 1, q = softmax(z), starting from uniform):", s=steps)
for name, q in fits.items():
    ex.say("  最小化 {n:<3} → q = {q}", "  minimising {n:<3} → q = {q}", n=name, q=np.round(q, 4).tolist())
same_path = max(np.abs(np.array(paths[a]) - np.array(paths[b])).max() for a, b in (("KL", "CE"), ("CE", "NLL")))
ex.say("三次下降每一步的 q 的最大差：{d:.1e}（同一条路径）",
       "max difference of q between the three runs, over every step: {d:.1e} (the same path)", d=same_path)
ex.say("最优点与 p̂ 的最大差：{d:.1e}：三者都收敛到 q = p̂", "max difference of the optimum from p̂: {d:.1e}: all three "
       "converge to q = p̂", d=max(np.abs(q - p_hat).max() for q in fits.values()))
ex.say("结束时 KL = {kl:.2e}（最小值 0），CE = NLL = {ce:.4f} = H(p̂)",
       "at the end KL = {kl:.2e} (its minimum is 0), CE = NLL = {ce:.4f} = H(p̂)", kl=curves["KL"][-1], ce=curves["CE"][-1])
ex.say("p̂ 是样本给出的最大似然估计；与真实 p 的最大差 {d:.3f}，样本越多越小",
       "p̂ is the maximum-likelihood estimate from the samples; it differs from the true p by at most {d:.3f}, less with "
       "more samples", d=np.abs(p_hat - p_true).max())

# 3. figure: the three loss curves (CE and NLL coincide, KL is CE shifted by H(p̂)), and the fitted q's
fig, (ax1, ax2) = ex.figure(1, 2, figsize=(12, 4.5))
for name, style in (("KL", "-"), ("CE", "-"), ("NLL", "--")):
    ax1.plot(np.arange(1, steps + 1), curves[name], style, label=name)
ax1.axhline(info.entropy(p_hat).item(), color="gray", linewidth=0.8, linestyle=":")
ax1.text(steps * 0.6, info.entropy(p_hat).item() + 0.03, "H(p̂)", color="gray")
ax1.set_xscale("log")
ax1.set_xlabel(ex.label("梯度下降步数", "gradient-descent step"))
ax1.set_ylabel(ex.label("目标函数值", "objective"))
ax1.set_title(ex.label("CE 与 NLL 重合；KL = CE − H(p̂)", "CE and NLL coincide; KL = CE − H(p̂)"))
ax1.legend()
ax1.grid(alpha=0.3)
outcomes = np.arange(len(p_true))
width = 0.16
bars = (("p", p_true), ("p̂", p_hat), ("q (KL)", fits["KL"]), ("q (CE)", fits["CE"]), ("q (NLL)", fits["NLL"]))
for i, (label, dist) in enumerate(bars):
    ax2.bar(outcomes + (i - 2) * width, dist, width, label=label)
ax2.set_xticks(outcomes, [str(k + 1) for k in outcomes])
ax2.set_xlabel(ex.label("骰子点数", "face of the die"))
ax2.set_ylabel(ex.label("概率", "probability"))
ax2.set_title(ex.label("三种目标得到同一个 q = p̂", "all three objectives give the same q = p̂"))
ax2.legend(fontsize=8)
ex.save(fig, "09_kl_cross_entropy_nll.png")
ex.done()
