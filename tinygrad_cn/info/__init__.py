"""Information theory, the notes' first chapter (交叉熵与KL散度), on distributions along ``axis=-1``.

- ``self_information(p)``  I(x) = −log P(x)
- ``entropy(p)``           H(p) = −Σ p log p        (0·log 0 = 0)
- ``cross_entropy(p, q)``  H(p, q) = −Σ p log q
- ``kl_divergence(p, q)``  KL(p‖q) = Σ p log(p/q) = H(p, q) − H(p)

``base=None`` gives nats (natural log), ``base=2`` bits. Every function is differentiable in every
argument; the primitives ``xlogx`` and ``xlogy`` carry the 0·log 0 = 0 convention.

>>> from tinygrad_cn import info
>>> info.entropy([0.5, 0.5], base=2).item()     # the notes' Q: one bit
1.0
"""

from .measures import cross_entropy, entropy, kl_divergence, self_information
from .primitives import XLogX, XLogY, xlogx, xlogy
from .validate import check_distribution

__all__ = [
    "XLogX", "XLogY", "check_distribution", "cross_entropy", "entropy", "kl_divergence",
    "self_information", "xlogx", "xlogy",
]
