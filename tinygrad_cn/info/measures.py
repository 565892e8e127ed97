"""The notes' information measures, built from the primitives ``xlogx`` and ``xlogy``.

Notation as in the notes: I(x) = −log P(x); H(p) = E[I] = −Σ p log p; H(p, q) = −Σ p log q (coding
p with q's optimal code); KL(p‖q) = H(p, q) − H(p) = Σ p log(p/q) (the information lost).
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from ..engine.value import Value, lift, normalize_axis
from .primitives import xlogx, xlogy
from .validate import check_distribution


def _value(x: Any, who: str) -> Value:
    if isinstance(x, Value):
        return x
    try:
        arr = np.asarray(x)
    except ValueError:  # numpy: "inhomogeneous shape"
        raise ValueError(f"{who}: the rows have different lengths (a ragged list), not an array of probabilities") from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{who}: expected probabilities (numbers), got dtype {arr.dtype}")
    return lift(arr if arr.dtype.kind == "f" else arr.astype(np.float64), None, who)


def _check_base(base: Any, who: str) -> float | None:
    """``base`` as a float (any real number type: 2, 2.0, np.float32(2), np.int64(2)), or None."""
    if base is None:
        return None
    if isinstance(base, (bool, np.bool_)) or not isinstance(base, numbers.Real):
        raise TypeError(f"{who}: base must be None (nats) or a number such as 2 (bits), got {type(base).__name__} {base!r}")
    b = float(base)
    if not (math.isfinite(b) and b > 0 and b != 1):
        raise ValueError(f"{who}: base must be None (nats), 2 (bits) or another finite positive number ≠ 1, got {base!r}")
    return b


def _pair(p: Any, q: Any, axis: int, who: str) -> tuple[Value, Value, int]:
    """p and q as Values, each a distribution along ``axis``, of one shape or shapes that broadcast
    (a q per row of p, say); and ``axis`` normalized."""
    p, q = _value(p, who), _value(q, who)
    try:
        np.broadcast_shapes(p.shape, q.shape)
    except ValueError:
        raise ValueError(f"{who}: p of shape {p.shape} and q of shape {q.shape} do not match (nor broadcast)") from None
    check_distribution(p, who, "p", axis)
    check_distribution(q, who, "q", axis)
    return p, q, normalize_axis(axis, max(p.ndim, q.ndim), who)


def _in_base(v: Value, base: float | None) -> Value:
    """Convert nats to another unit: log_b x = ln x / ln b (base 2: bits)."""
    return v if base is None else v * (1.0 / math.log(base))


def self_information(p: Any, base: float | None = None) -> Value:
    """I(x) = −log P(x), elementwise: the rarer the event, the more information it carries.

    Derivative: ∂I/∂p = −1/(p ln b). Additive for independent events: I(x₁, x₂) = −log P(x₁)P(x₂)
    = I(x₁) + I(x₂) — the notes' reason for the log. Every p must be in (0, 1].

    >>> from tinygrad_cn import info
    >>> info.self_information([0.5, 0.25], base=2).data            # 1 bit, 2 bits
    array([1., 2.])
    >>> float(info.self_information(0.5 * 0.25, base=2).data)       # independent: bits add
    3.0
    """
    who = "self_information"
    base = _check_base(base, who)
    p = _value(p, who)
    bad = ~((p.data > 0) & (p.data <= 1))
    if bad.any():
        idx = tuple(int(i) for i in np.argwhere(bad)[0])
        val = p.data[idx] if p.ndim else p.data
        why = " (an impossible event has infinite information)" if val == 0 else ""
        raise ValueError(f"{who}: p must be a probability in (0, 1]; got {float(val):.9g} at index {idx}{why}")
    return _in_base(-p.log(), base)


def entropy(p: Any, base: float | None = None, axis: int = -1) -> Value:
    """H(p) = −Σ p log p along ``axis`` (0·log 0 = 0): the expected self-information.

    Derivative: ∂H/∂pᵢ = −(ln pᵢ + 1)/ln b for pᵢ > 0 (0 at pᵢ = 0, never NaN). H is also the
    optimal average code length for symbols drawn from p (entropy coding).

    >>> from tinygrad_cn import info
    >>> float(info.entropy([1.0, 0.0]).data)        # the notes' P: certain, no information
    0.0
    >>> info.entropy([[0.5, 0.5], [0.25, 0.75]], base=2).data
    array([1.        , 0.81127812])
    """
    who = "entropy"
    base = _check_base(base, who)
    p = _value(p, who)
    check_distribution(p, who, "p", axis)
    ax = normalize_axis(axis, p.ndim, who)
    return _in_base(0.0 - xlogx(p).sum(axis=ax), base)  # 0 − s, not −s: H(one-hot) is 0.0, not −0.0


def cross_entropy(p: Any, q: Any, base: float | None = None, axis: int = -1) -> Value:
    """H(p, q) = −Σ p log q along ``axis``: the average code length when symbols from p are
    coded with the code that is optimal for q. H(p, q) ≥ H(p), with equality iff q = p.

    Derivatives: ∂H/∂pᵢ = −ln qᵢ / ln b; ∂H/∂qᵢ = −pᵢ/(qᵢ ln b). Terms with pᵢ = 0 contribute 0;
    qᵢ = 0 where pᵢ > 0 gives +∞. (For training on logits use ``F.cross_entropy``.)

    >>> from tinygrad_cn import info
    >>> float(info.cross_entropy([0.5, 0.5], [0.25, 0.75], base=2).data)
    1.207518749...
    """
    who = "cross_entropy"
    base = _check_base(base, who)
    p, q, ax = _pair(p, q, axis, who)
    return _in_base(0.0 - xlogy(p, q).sum(axis=ax), base)


def kl_divergence(p: Any, q: Any, base: float | None = None, axis: int = -1) -> Value:
    """KL(p‖q) = Σ p log(p/q) = H(p, q) − H(p) along ``axis``: the information lost when q is
    used to approximate p. KL ≥ 0, = 0 iff q = p; not symmetric.

    Derivatives: ∂KL/∂qᵢ = −pᵢ/(qᵢ ln b), the same as ∂H(p, q)/∂qᵢ (H(p) does not depend on q):
    minimising KL over q is minimising the cross-entropy, i.e. the negative log-likelihood.
    ∂KL/∂pᵢ = (ln(pᵢ/qᵢ) + 1)/ln b.

    >>> from tinygrad_cn import info
    >>> p, q = [0.5, 0.5], [0.25, 0.75]
    >>> float(info.kl_divergence(p, q, base=2).data)
    0.207518749...
    >>> float((info.cross_entropy(p, q, base=2) - info.entropy(p, base=2)).data)
    0.207518749...
    """
    who = "kl_divergence"
    base = _check_base(base, who)
    p, q, ax = _pair(p, q, axis, who)
    return _in_base((xlogx(p) - xlogy(p, q)).sum(axis=ax), base)
