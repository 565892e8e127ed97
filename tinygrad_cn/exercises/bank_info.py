"""Exercises on the notes' first chapter: entropy, cross-entropy, KL, and softmax + cross-entropy."""

from __future__ import annotations

import numpy as np

from .. import functional as F
from .. import info
from ..engine import Value
from .core import Grad, Spec, Val


def _entropy_kl(x: dict[str, np.ndarray]) -> dict:
    p, q = Value(x["p"]), Value(x["q"])
    kl = info.kl_divergence(p, q, base=2)
    return {
        "I_p": Val(info.self_information(p, base=2)),
        "H_p": Val(info.entropy(p, base=2)),
        "H_pq": Val(info.cross_entropy(p, q, base=2)),
        "KL_pq": Val(kl),
        "dKL_dq": Grad(kl, q),
    }


ENTROPY_KL = Spec(
    id="entropy_kl",
    chapter="info",
    title={"zh": "熵、交叉熵与 KL 散度：列一张表手算", "en": "Entropy, cross-entropy and KL: a table by hand"},
    task={
        "zh": "p 是真实分布，q 是用来近似它的分布（三个结果 a、b、c），一律以 2 为底（单位：比特）。\n"
        "列表手算：I_p = 每个结果的自信息 −log₂ p(x)（数组），H_p = 熵 H(p) = −Σ p log₂ p，\n"
        "H_pq = 交叉熵 H(p, q) = −Σ p log₂ q，KL_pq = KL(p‖q) = Σ p log₂(p/q)，验证 KL = H(p, q) − H(p)。\n"
        "最后求 dKL_dq = ∂KL(p‖q)/∂q（数组；线索：−p / (q ln 2)）。",
        "en": "p is the true distribution, q the one that approximates it (three outcomes a, b, c); logs base 2 "
        "(bits).\nFill in a table by hand: I_p = each outcome's self-information −log₂ p(x) (an array), "
        "H_p = the entropy H(p) = −Σ p log₂ p,\nH_pq = the cross-entropy H(p, q) = −Σ p log₂ q, KL_pq = "
        "KL(p‖q) = Σ p log₂(p/q); check that KL = H(p, q) − H(p).\n"
        "Finally dKL_dq = ∂KL(p‖q)/∂q (an array; clue: −p / (q ln 2)).",
    },
    inputs={"p": [0.5, 0.25, 0.25], "q": [0.25, 0.5, 0.25]},
    build=_entropy_kl,
)


def _min_kl(x: dict[str, np.ndarray]) -> dict:
    # q = softmax(θ) approximates p: CE and KL differ by H(p), which does not depend on θ
    theta_ce, theta_kl = Value(x["theta"]), Value(x["theta"])
    ce = info.cross_entropy(x["p"], F.softmax(theta_ce))
    kl = info.kl_divergence(x["p"], F.softmax(theta_kl))
    return {"q": Val(F.softmax(Value(x["theta"]))), "dCE_dtheta": Grad(ce, theta_ce), "dKL_dtheta": Grad(kl, theta_kl),
            "H_p": Val(ce.data - kl.data)}


MIN_KL = Spec(
    id="min_kl_ce",
    chapter="info",
    title={"zh": "最小化 KL 就是最小化交叉熵", "en": "Minimising KL is minimising cross-entropy"},
    task={
        "zh": "模型分布 q = softmax(θ)，真实分布 p 固定（自然对数）。\n"
        "求 q，dCE_dtheta = ∂H(p, q)/∂θ，dKL_dtheta = ∂KL(p‖q)/∂θ，以及 H_p = H(p, q) − KL(p‖q)。\n"
        "线索：KL = H(p, q) − H(p)，而 H(p) 与 θ 无关，所以两个梯度相同，都等于 q − p。",
        "en": "The model distribution q = softmax(θ), the true p fixed (natural logs).\n"
        "Find q, dCE_dtheta = ∂H(p, q)/∂θ, dKL_dtheta = ∂KL(p‖q)/∂θ, and H_p = H(p, q) − KL(p‖q).\n"
        "Clue: KL = H(p, q) − H(p) and H(p) does not depend on θ, so both gradients are the same: q − p.",
    },
    inputs={"p": [0.7, 0.2, 0.1], "theta": [0.5, -0.3, 0.1]},
    build=_min_kl,
)


def _softmax_ce(x: dict[str, np.ndarray]) -> dict:
    z = Value(x["z"])
    loss = F.cross_entropy(z.reshape(1, -1), x["y"].astype(np.int64))
    return {"p": Val(F.softmax(Value(x["z"]))), "L": Val(loss), "dz": Grad(loss, z)}


SOFTMAX_CE = Spec(
    id="softmax_ce",
    chapter="info",
    title={"zh": "softmax + 交叉熵的梯度：softmax − y", "en": "The gradient of softmax + cross-entropy: softmax − y"},
    task={
        "zh": "一个样本的 logits z（3 类），正确类别 y（下标）。p = softmax(z)，L = −log p[y]。\n"
        "求 p，L，dz = ∂L/∂z。线索：dz = p − onehot(y)，减号别写反。",
        "en": "One sample's logits z (3 classes) and its class y (an index). p = softmax(z), L = −log p[y].\n"
        "Find p, L and dz = ∂L/∂z. Clue: dz = p − onehot(y); mind the order of the subtraction.",
    },
    inputs={"z": [2.0, 1.0, 0.1], "y": [0]},
    build=_softmax_ce,
)

SPECS = (ENTROPY_KL, MIN_KL, SOFTMAX_CE)
