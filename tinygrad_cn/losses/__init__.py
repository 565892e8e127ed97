"""Training losses with PyTorch semantics (``reduction='mean'|'sum'|'none'``).

- ``classification``: cross_entropy (one fused op: backward softmax − target), nll_loss
- ``binary``: binary_cross_entropy, binary_cross_entropy_with_logits
- ``divergence``: kl_div (torch's conventions; teach with ``info.kl_divergence``)
- ``regression``: mse_loss
- ``margin``: multi_margin_loss, hinge_loss, perceptron_loss
"""

from .binary import binary_cross_entropy, binary_cross_entropy_with_logits
from .classification import cross_entropy, nll_loss
from .divergence import kl_div
from .margin import hinge_loss, multi_margin_loss, perceptron_loss
from .regression import mse_loss

__all__ = [
    "binary_cross_entropy", "binary_cross_entropy_with_logits", "cross_entropy", "hinge_loss", "kl_div",
    "mse_loss", "multi_margin_loss", "nll_loss", "perceptron_loss",
]
