"""Scaled dot-product attention: softmax(QKᵀ/√E)·V, the heart of the Transformer, as one op.

It lives beside softmax because that is what it is: each query turns its scores against every key
into a probability distribution (chapter 2's softmax regression, one row per query) and returns the
average of the values under that distribution. One fused op with its own backward, so a training
step does no more work than the same step written by hand in numpy; under ``create_graph=True`` the
backward is recorded with ordinary ops, so second derivatives work too.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..engine import Formula, Op, ShapeError, Value, xp
from .softmax import softmax

__all__ = ["ScaledDotProductAttention", "scaled_dot_product_attention"]


def _scores(ctx: dict, q: Any, k: Any) -> Any:
    """S = Q Kᵀ·scale (+ float mask), with masked-out positions at −inf; arrays or Values."""
    s = (q @ xp.swapaxes(k)) * ctx["scale"]
    if ctx["bias"] is not None:
        s = s + ctx["bias"]
    return s


def _probs(ctx: dict, q: Any, k: Any) -> Any:
    """P = softmax(S) along the keys: the saved array, or recomputed as Values for create_graph."""
    if xp.is_value(q) or xp.is_value(k):
        return softmax(_scores(ctx, q, k), axis=-1)
    return ctx["p"]


def _dscores(ctx: dict, g: Any, q: Any, k: Any, v: Any) -> Any:
    """∂L/∂S = P ⊙ (G Vᵀ − Σ_keys (G Vᵀ ⊙ P)): softmax's backward, once for both Q and K."""
    cached = ctx.get("ds")
    if cached is not None and cached[0] is g:
        return cached[1]
    p = _probs(ctx, q, k)
    dp = g @ xp.swapaxes(v)
    ds = p * (dp - (dp * p).sum(axis=-1, keepdims=True))
    if not xp.is_value(ds):
        ctx["ds"] = (g, ds)  # the rule for K reuses it (same g), then drops it
    return ds


def _sdpa_grad_q(ctx, g, y, q, k, v):
    return (_dscores(ctx, g, q, k, v) @ k) * ctx["scale"]  # ∂L/∂Q = dS·K·scale


def _sdpa_grad_k(ctx, g, y, q, k, v):
    ds = _dscores(ctx, g, q, k, v)
    ctx.pop("ds", None)
    return (xp.swapaxes(ds) @ q) * ctx["scale"]  # ∂L/∂K = dSᵀ·Q·scale


def _sdpa_grad_v(ctx, g, y, q, k, v):
    return xp.swapaxes(_probs(ctx, q, k)) @ g  # ∂L/∂V = Pᵀ·G


class ScaledDotProductAttention(Op):
    name, symbol = "scaled_dot_product_attention", "softmax(QKᵀ/√E)V"
    formula = Formula(
        "S = Q·Kᵀ/√E (masked: −∞);  P = softmax(S);  Y = P·V",
        (
            "∂L/∂Q = dS·K/√E,  dS = P ⊙ (G·Vᵀ − rowsum(G·Vᵀ ⊙ P))",
            "∂L/∂K = dSᵀ·Q/√E",
            "∂L/∂V = Pᵀ·G",
        ),
        zh="注意力：每个查询 q 与所有键 k 打分（点积除以 √E），softmax 变成概率 P，再按 P 对值 V 加权平均；"
        "V 的梯度是 Pᵀ·G，Q、K 的梯度先经过 softmax 的反向 dS，再各乘另一方",
        en="attention: each query scores every key (dot product over √E), softmax turns the scores into "
        "probabilities P, and the output is the P-weighted average of the values; V's gradient is Pᵀ·G, "
        "Q's and K's go through softmax's backward dS and then multiply the other one",
    )

    @staticmethod
    def forward(ctx, q, k, v):
        s = q @ np.swapaxes(k, -1, -2)
        s *= ctx["scale"]
        bias = ctx["bias"]
        if bias is not None:
            if bias.ndim <= s.ndim and all(b in (1, n) for b, n in zip(bias.shape[::-1], s.shape[::-1])):
                s += bias  # in place: s is the fresh matmul result
            else:
                s = s + bias  # the mask has batch axes only the values have
        s -= s.max(axis=-1, keepdims=True)  # every row keeps at least one key (checked), so max is finite
        p = np.exp(s, out=s)
        p /= p.sum(axis=-1, keepdims=True)
        ctx["p"] = p
        return p @ v

    backward = (_sdpa_grad_q, _sdpa_grad_k, _sdpa_grad_v)


def _shape(x: Any) -> tuple[int, ...]:
    return x.shape if isinstance(x, Value) else np.shape(x)


def _mask_bias(attn_mask: Any, is_causal: bool, L: int, S: int, dtype: np.dtype, batch: tuple[int, ...]) -> np.ndarray | None:
    """The mask as an additive array: 0 where attention is allowed, −∞ where it is not."""
    who = "scaled_dot_product_attention"
    if is_causal:
        if attn_mask is not None:
            raise ValueError(f"{who}: give attn_mask or is_causal=True, not both (as torch)")
        keep = np.tril(np.ones((L, S), dtype=bool))  # query i sees keys 0..i
        return np.where(keep, 0.0, -np.inf).astype(dtype)
    if attn_mask is None:
        return None
    if isinstance(attn_mask, Value):
        raise TypeError(f"{who}: attn_mask must be a constant array (bool or float), not a Value")
    m = np.asarray(attn_mask)
    if m.ndim < 2 or m.ndim > len(batch) + 2:
        raise ShapeError(f"{who}: attn_mask of shape {m.shape} must have the shape (..., L, S) = (..., {L}, {S})")
    try:
        np.broadcast_shapes(m.shape, (*batch, L, S))
    except ValueError:
        raise ShapeError(
            f"{who}: attn_mask of shape {m.shape} does not broadcast to the scores' shape {(*batch, L, S)} "
            f"(batch {batch}, L = {L} queries, S = {S} keys)"
        ) from None
    if np.broadcast_shapes(m.shape, (*batch, L, S)) != (*batch, L, S):
        raise ShapeError(f"{who}: attn_mask of shape {m.shape} would enlarge the scores' shape {(*batch, L, S)}")
    if m.dtype == bool:
        rows = np.broadcast_to(m, (*m.shape[:-1], S)).any(axis=-1)
        if not rows.all():
            bad = tuple(int(i) for i in np.argwhere(~rows)[0])
            raise ValueError(
                f"{who}: attn_mask row {bad} keeps no key (all False): a query must attend to at least one key"
            )
        return np.where(m, 0.0, -np.inf).astype(dtype)
    if m.dtype.kind not in "fiu":
        raise TypeError(f"{who}: attn_mask must be bool (True = attend) or float (added to the scores), got {m.dtype}")
    if np.isnan(m).any() or np.isposinf(m).any():
        raise ValueError(f"{who}: a float attn_mask may hold finite numbers and −inf only, got nan or +inf")
    dead = np.isneginf(np.broadcast_to(m, (*m.shape[:-1], S))).all(axis=-1)
    if dead.any():
        bad = tuple(int(i) for i in np.argwhere(dead)[0])
        raise ValueError(f"{who}: attn_mask row {bad} is −inf for every key: a query must attend to at least one key")
    return m.astype(dtype)


def scaled_dot_product_attention(
    query: Value | np.ndarray,
    key: Value | np.ndarray,
    value: Value | np.ndarray,
    attn_mask: np.ndarray | None = None,
    is_causal: bool = False,
    scale: float | None = None,
) -> Value:
    """softmax(Q Kᵀ / √E + mask) · V, as ``torch.nn.functional.scaled_dot_product_attention``.

    Shapes: query (..., L, E), key (..., S, E), value (..., S, Ev) → (..., L, Ev); the leading
    (batch, head) axes broadcast. ``attn_mask``: a bool array (True = may attend, as torch) or a float
    array added to the scores, broadcastable to (..., L, S). ``is_causal=True`` lets query i see keys
    0..i only (the future is masked). ``scale`` defaults to 1/√E. A query whose mask keeps no key is
    an error (torch would return nan).

    Derivatives, with P = softmax(S): ∂L/∂V = Pᵀ G; dS = P ⊙ (G Vᵀ − rowsum(G Vᵀ ⊙ P));
    ∂L/∂Q = dS K·scale; ∂L/∂K = dSᵀ Q·scale.

    >>> import numpy as np, tinygrad_cn as tg, tinygrad_cn.functional as F
    >>> q = tg.Value([[1.0, 0.0], [0.0, 1.0]]); k = tg.Value([[1.0, 0.0], [0.0, 1.0]])
    >>> v = tg.Value([[1.0, 2.0], [3.0, 4.0]])
    >>> F.scaled_dot_product_attention(q, k, v, is_causal=True).data   # query 0 sees only key 0
    array([[1.       , 2.       ],
           [2.3395231, 3.3395231]])
    >>> y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    >>> y.sum().backward(); v.grad        # row j: Σ over queries of P[·, j], P = [[1, 0], [0.33, 0.67]]
    array([[1.33023845, 1.33023845],
           [0.66976155, 0.66976155]])
    """
    who = "scaled_dot_product_attention"
    qs, ks, vs = _shape(query), _shape(key), _shape(value)
    for name, s in (("query", qs), ("key", ks), ("value", vs)):
        if len(s) < 2:
            raise ShapeError(f"{who}: {name} must have at least 2 axes (..., seq, features), got shape {s}")
    if qs[-1] != ks[-1]:
        raise ShapeError(f"{who}: query {qs} and key {ks} must have the same last axis E ({qs[-1]} != {ks[-1]})")
    if ks[-2] != vs[-2]:
        raise ShapeError(f"{who}: key {ks} and value {vs} must have the same number of keys S ({ks[-2]} != {vs[-2]})")
    try:
        batch = np.broadcast_shapes(qs[:-2], ks[:-2], vs[:-2])
    except ValueError:
        raise ShapeError(f"{who}: the leading (batch, head) axes of query {qs}, key {ks}, value {vs} do not broadcast") from None
    if not isinstance(is_causal, (bool, np.bool_)):
        raise TypeError(f"{who}: is_causal must be True or False, got {is_causal!r}")
    L, S, E = qs[-2], ks[-2], qs[-1]
    if scale is None:
        scale = 1.0 / math.sqrt(E) if E else 1.0
    elif not (isinstance(scale, (int, float)) and math.isfinite(scale)):
        raise ValueError(f"{who}: scale must be a finite number, got {scale!r}")
    dtype = next((x.dtype for x in (query, key, value) if isinstance(x, Value)), np.dtype(np.float64))
    bias = _mask_bias(attn_mask, bool(is_causal), L, S, dtype, batch)
    return ScaledDotProductAttention.apply(query, key, value, scale=float(scale), bias=bias)
