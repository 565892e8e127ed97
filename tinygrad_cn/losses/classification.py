"""Multi-class losses on logits / log-probabilities: the fused ``cross_entropy`` and ``nll_loss``.

Both are written with a *target matrix* W of the input's shape: the loss of sample n is
``−Σ_c W[n, c]·log p[n, c]`` (nll_loss: ``−Σ_c W[n, c]·input[n, c]``). W covers every case of
``torch.nn.functional.cross_entropy``:

- class indices y:          W[n, c] = w[yₙ]·[c = yₙ]                         (0 for ignore_index)
- with label smoothing ε:   W[n, c] = (1 − ε)·w[yₙ]·[c = yₙ] + ε/C·w[c]
- class probabilities t:    W[n, c] = w[c]·((1 − ε)·t[n, c] + ε/C)

'mean' divides by Σₙ w[yₙ] over non-ignored samples (class indices) or by the number of samples
(probabilities), exactly as PyTorch. The gradient is then ``g·(p·Σ_c W − W)``, which without class
weights is the textbook softmax − target.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..activations.softmax import LogSoftmax, Softmax, shift_by_max
from ..engine import xp
from ..engine.errors import ShapeError
from ..engine.op import Formula, Op
from ..engine.value import Value
from .checks import along, as_value, check_reduction, class_axis, class_targets, class_weight, one_hot


def _reduce_forward(ctx: dict, per_sample: np.ndarray) -> np.ndarray:
    if ctx["reduction"] == "none":
        return per_sample
    total = per_sample.sum()
    if ctx["reduction"] == "sum":
        return total
    if ctx["denominator"] == 0:  # every target ignored: 0/0, as torch
        return np.full((), np.nan, dtype=per_sample.dtype)
    return total / ctx["denominator"]


def _upstream(ctx: dict, g: Any) -> Any:
    """g broadcast against the input: per-sample g gets its class axis back; 'mean' scales by 1/D."""
    if ctx["reduction"] == "none":
        return xp.expand_dims(g, ctx["axis"])
    if ctx["reduction"] == "mean":
        d = ctx["denominator"]
        return g * (1.0 / d if d else 0.0)
    return g


# ---- cross_entropy -------------------------------------------------------------------------------
# Class-index targets are kept as indices (ctx["index"], expanded on the class axis) with the
# weight of each sample's true class, coef = (1 − ε)·w[yₙ] (0 if ignored): the forward gathers
# one log-probability per sample and the backward subtracts coef at the target (close to the speed
# of hand-written numpy). The dense W is built only for probability targets and create_graph.
def _gather(a: np.ndarray, ctx: dict) -> np.ndarray:
    """a at each sample's target class (kept as a length-1 class axis)."""
    if "rows" in ctx:  # (N, C): plain fancy indexing, cheaper than numpy's along-axis helpers
        return a[ctx["rows"], ctx["cols"]][:, None]
    return np.take_along_axis(a, ctx["index"], axis=ctx["axis"])


def _subtract_at_target(a: np.ndarray, ctx: dict, vals: Any) -> None:
    """a[n, yₙ] −= vals[n], in place."""
    if "rows" in ctx:
        a[ctx["rows"], ctx["cols"]] -= vals.reshape(-1) if isinstance(vals, np.ndarray) else vals
    else:
        idx = ctx["index"]
        np.put_along_axis(a, idx, np.take_along_axis(a, idx, axis=ctx["axis"]) - vals, axis=ctx["axis"])


def _target_matrix(ctx: dict, t: Any) -> Any:
    """W for probability targets: w[c]·((1 − ε)·t + ε/C) (works on arrays and Values)."""
    eps = ctx["label_smoothing"]
    W = t * (1 - eps) + eps / ctx["classes"] if eps else t
    return W if ctx["class_weight"] is None else W * ctx["class_weight"]


def _uniform_part(ctx: dict) -> np.ndarray:
    """ε/C·w[c] for every non-ignored sample: label smoothing's share of W (class-index targets)."""
    w = ctx["class_weight"] if ctx["class_weight"] is not None else 1.0
    return ctx["live"] * w * (ctx["label_smoothing"] / ctx["classes"])


def _dense_W(ctx: dict, dtype: np.dtype) -> np.ndarray:
    """The target matrix W of a class-index target, spelled out (for the create_graph path)."""
    if "W" not in ctx:
        W = np.zeros(ctx["shape"], dtype=dtype)
        np.put_along_axis(W, ctx["index"], ctx["coef"], axis=ctx["axis"])
        ctx["W"] = W + _uniform_part(ctx) if ctx["label_smoothing"] else W
    return ctx["W"]


def _ce_grad_input(ctx, g, y, x, t=None):
    ax = ctx["axis"]
    if xp.is_value(x):  # create_graph: every factor a Value, so this gradient has a gradient
        p = Softmax.apply(x, axis=(ax,))
        W = _target_matrix(ctx, t) if xp.is_value(t) else ctx["W"] if "W" in ctx else _dense_W(ctx, x.dtype)
        return _upstream(ctx, g) * (p * W.sum(axis=ax, keepdims=True) - W)
    p = ctx["e"] / ctx["s"]  # softmax, from the forward's exponentials (a fresh array, ours to change)
    if "index" in ctx:  # p·Σ_c W − W without forming W
        if ctx["mass"] is not None:
            p *= ctx["mass"]
        _subtract_at_target(p, ctx, ctx["coef"])
        if ctx["label_smoothing"]:
            p -= _uniform_part(ctx)
        grad = p
    else:
        W = ctx["W"]
        grad = p * W.sum(axis=ax, keepdims=True) - W
    up = _upstream(ctx, g)
    if getattr(up, "shape", None) == () and up.dtype == grad.dtype:  # a reduced loss: scale in place
        grad *= up
        return grad
    return up * grad


def _ce_grad_target(ctx, g, y, x, t):
    logp = LogSoftmax.apply(x, axis=(ctx["axis"],)) if xp.is_value(x) else ctx["logp"]
    dW = 1 - ctx["label_smoothing"]
    if ctx["class_weight"] is not None:
        dW = ctx["class_weight"] * dW
    return _upstream(ctx, g) * logp * -dW


class CrossEntropy(Op):
    name, symbol = "cross_entropy", "CE"
    formula = Formula(
        "L = −Σ_c target_c · log softmax(x)_c   (averaged over samples)",
        ("∂L/∂x = (softmax(x) − target) / N", "∂L/∂target = −log softmax(x) / N"),
        zh="softmax 与交叉熵合成一个算子：数值稳定，而且梯度极其简单——预测概率减去真实分布（再除以样本数）",
        en="softmax and cross-entropy fused into one op: numerically stable, and the gradient is simply "
        "predicted probabilities minus the target distribution (divided by the number of samples)",
    )

    @staticmethod
    def forward(ctx, x, t=None):
        ax = ctx["axis"]
        shifted = shift_by_max(x, ax)  # log softmax = shifted − log Σ e^shifted
        ctx["e"] = e = np.exp(shifted)
        ctx["s"] = s = e.sum(axis=ax, keepdims=True)
        log_s = np.log(s)
        if "index" in ctx:
            per = log_s - _gather(shifted, ctx)  # −log p of the target
            if isinstance(ctx["coef"], np.ndarray):  # weighted or smoothed targets (else coef = 1)
                per = ctx["coef"] * per
            if ctx["label_smoothing"]:
                per = per - (_uniform_part(ctx) * (shifted - log_s)).sum(axis=ax, keepdims=True)
            return _reduce_forward(ctx, per.squeeze(axis=ax))
        ctx["logp"] = logp = shifted - log_s
        if t is not None:
            ctx["W"] = _target_matrix(ctx, t)
        return _reduce_forward(ctx, -(ctx["W"] * logp).sum(axis=ax))

    backward = (_ce_grad_input, _ce_grad_target)


def cross_entropy(
    input: Any,
    target: Any,
    weight: Any = None,
    *,
    ignore_index: int = -100,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Value:
    """Cross-entropy between logits and a target, as ``torch.nn.functional.cross_entropy``:
    log-softmax and negative log-likelihood fused into one stable op.

    ``input``: logits of shape (C,), (N, C) or (N, C, d1, ...) (classes on axis 1). ``target``:
    class indices (integers, shape (), (N,) or (N, d1, ...); ``ignore_index`` entries are skipped)
    or class probabilities (floats, the input's shape). ``weight``: optional per-class weights (C,).
    ``label_smoothing`` ε mixes the target with the uniform distribution: (1 − ε)·target + ε/C.
    ``reduction``: 'mean' (over samples; with class-index targets, over Σ weight[yₙ]), 'sum', 'none'.

    Formula: Lₙ = −Σ_c targetₙ,c · log softmax(xₙ)_c.
    Derivative: ∂L/∂xₙ = (softmax(xₙ) − targetₙ)/N for 'mean' without class weights. The backward is
    itself differentiable (``tg.grad(..., create_graph=True)`` gives Hessians).

    >>> import numpy as np, tinygrad_cn as tg, tinygrad_cn.functional as F
    >>> logits = tg.Value([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
    >>> loss = F.cross_entropy(logits, np.array([0, 1])); loss.item()
    0.3185...
    >>> loss.backward(); logits.grad                      # (softmax − one-hot) / 2
    array([[-0.17049943,  0.12121649,  0.04928295],
           [ 0.05430187, -0.09876047,  0.04445861]])
    >>> F.cross_entropy(tg.Value([[1e4, -1e4]]), np.array([1])).item()   # stable: no inf, no nan
    20000.0
    """
    who = "cross_entropy"
    check_reduction(reduction, who)
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"{who}: label_smoothing must be in [0, 1], got {label_smoothing}")
    x = as_value(input, target if isinstance(target, Value) else None, who)
    ax = class_axis(x, who)
    C = x.shape[ax]
    cw = class_weight(weight, C, x.dtype, who)
    ctx: dict[str, Any] = {
        "axis": ax, "classes": C, "label_smoothing": float(label_smoothing), "reduction": reduction,
        "class_weight": None if cw is None else along(cw, ax, x.ndim),
    }
    tdata = target.data if isinstance(target, Value) else np.asarray(target)
    if tdata.dtype.kind == "f" and tdata.shape == x.shape:  # class probabilities
        ctx["denominator"] = x.size // C if C else 0
        if isinstance(target, Value):
            return CrossEntropy.apply(x, target, **ctx)
        ctx["W"] = _target_matrix(ctx, tdata.astype(x.dtype, copy=False))
        return CrossEntropy.apply(x, **ctx)
    idx, live = class_targets(target, x, ax, ignore_index, who)  # a private copy of the targets
    eps = float(label_smoothing)
    ctx["shape"] = x.shape
    if live is not None and live.all():
        live = None  # live is None: no target is ignored (the usual case)
    if x.ndim == 2:  # the usual (N, C): index rows and target columns directly
        ctx["rows"], ctx["cols"] = np.arange(x.shape[0]), idx if live is None else np.where(live, idx, 0)
    if cw is None and not eps and live is None:  # the common case: plain one-hot targets
        ctx["index"] = idx.reshape((*idx.shape[:ax], 1, *idx.shape[ax:]))
        ctx["coef"], ctx["mass"], ctx["denominator"] = 1.0, None, float(idx.size)
        return CrossEntropy.apply(x, **ctx)
    if live is None:
        live = np.ones(idx.shape, dtype=bool)
    w_y = (cw[np.where(live, idx, 0)] if cw is not None else np.ones(idx.shape, x.dtype)) * live  # w[yₙ]
    ctx["index"] = np.expand_dims(np.where(live, idx, 0), ax)
    ctx["live"] = np.expand_dims(live, ax).astype(x.dtype)
    ctx["coef"] = np.expand_dims(w_y * (1 - eps), ax).astype(x.dtype)  # W at the target class
    # Σ_c W per sample: 1 unless some samples are weighted or ignored
    mass = ctx["coef"] + (ctx["live"] * (eps / C) * (cw.sum() if cw is not None else C))
    ctx["mass"] = None if np.all(mass == 1) else mass
    ctx["denominator"] = float(w_y.sum())
    return CrossEntropy.apply(x, **ctx)


# ---- nll_loss ------------------------------------------------------------------------------------
class NLLLoss(Op):
    name, symbol = "nll_loss", "NLL"
    formula = Formula(
        "L = −(1/N) Σₙ input[n, yₙ]   (input = log-probabilities)",
        ("∂L/∂input[n, c] = −[c = yₙ] / N",),
        zh="负对数似然：取出真实类别的对数概率，取负再平均；梯度只在真实类别处为 −1/N",
        en="negative log-likelihood: pick the log-probability of the true class, negate and average; "
        "the gradient is −1/N at the true class and 0 elsewhere",
    )

    @staticmethod
    def forward(ctx, x):
        return _reduce_forward(ctx, -(ctx["W"] * x).sum(axis=ctx["axis"]))

    backward = (lambda ctx, g, y, x: _upstream(ctx, g) * ctx["minus_W"],)


def nll_loss(
    input: Any, target: Any, weight: Any = None, *, ignore_index: int = -100, reduction: str = "mean"
) -> Value:
    """Negative log-likelihood of class indices, as ``torch.nn.functional.nll_loss``.

    ``input`` holds log-probabilities (e.g. from ``F.log_softmax``) of shape (C,), (N, C) or
    (N, C, d1, ...); ``target`` class indices. Formula: Lₙ = −weight[yₙ]·input[n, yₙ]; 'mean' divides
    by Σₙ weight[yₙ] (non-ignored). Derivative: ∂L/∂input[n, c] = −weight[yₙ]·[c = yₙ] / Σ weight.
    ``nll_loss(log_softmax(x), y)`` equals ``cross_entropy(x, y)``.

    >>> import numpy as np, tinygrad_cn as tg, tinygrad_cn.functional as F
    >>> logp = tg.Value(np.log([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1]]))
    >>> loss = F.nll_loss(logp, np.array([0, 1])); loss.item()      # −(ln 0.7 + ln 0.8)/2
    0.2899...
    >>> loss.backward(); logp.grad
    array([[-0.5,  0. ,  0. ],
           [ 0. , -0.5,  0. ]])
    """
    who = "nll_loss"
    check_reduction(reduction, who)
    x = as_value(input, None, who)
    ax = class_axis(x, who)
    C = x.shape[ax]
    tdata = target.data if isinstance(target, Value) else np.asarray(target)
    if tdata.dtype.kind == "f" and tdata.shape == x.shape:
        raise ShapeError(
            f"{who}: target shape {tdata.shape} equals the input shape: nll_loss takes class indices of shape "
            f"{x.shape[:ax] + x.shape[ax + 1:]}; for class probabilities use cross_entropy"
        )
    cw = class_weight(weight, C, x.dtype, who)
    idx, live = class_targets(target, x, ax, ignore_index, who)
    safe = idx if live is None else np.where(live, idx, 0)
    w_y = cw[safe] if cw is not None else np.ones(idx.shape, x.dtype)
    if live is not None:
        w_y = w_y * live
    W = one_hot(safe, C, ax, x.dtype) * np.expand_dims(w_y, ax)
    minus_W = 0.0 - W  # not −W: no −0.0 entries in the printed gradient
    return NLLLoss.apply(x, axis=ax, W=W, minus_W=minus_W, reduction=reduction, denominator=float(w_y.sum()))
