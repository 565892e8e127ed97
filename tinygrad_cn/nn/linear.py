"""``Linear``: y = x Wᵀ + b, with the weight stored as (out_features, in_features) as in PyTorch.

The layer is one fused primitive op (``linear``, as ``torch.nn.functional.linear``) rather than
transpose + matmul + add: the same math, one node in the graph, a third of the bookkeeping.
"""

from __future__ import annotations

import math

import numpy as np

from ..engine import xp
from ..engine.op import Formula, Op
from ..engine.value import Value
from . import init
from .module import Module


def _grad_x(ctx, g, y, x, W, b=None):
    """g·∂y/∂x = g W: (..., out) @ (out, in) -> (..., in)."""
    return g @ W


def _grad_W(ctx, g, y, x, W, b=None):
    """g·∂y/∂W = gᵀ x, summed over every sample (all leading axes): (out, in)."""
    if x.ndim == 1:
        return xp.expand_dims(g, -1) * x  # one sample: the outer product g xᵀ
    if x.ndim > 2:  # samples on several leading axes: fold them into one
        n = math.prod(x.shape[:-1])  # the number of samples; not -1, which is ambiguous for in or out = 0
        g, x = g.reshape((n, g.shape[-1])), x.reshape((n, x.shape[-1]))
    return g.T @ x  # (out, N) @ (N, in): BLAS reads gᵀ through its strides, no copy


def _grad_b(ctx, g, y, x, W, b=None):
    """g·∂y/∂b = g; the engine sums it over the samples down to b's shape (out,)."""
    return g


class LinearOp(Op):
    name, symbol = "linear", "xWᵀ+b"
    formula = Formula(
        "y = x·Wᵀ + b", ("∂L/∂x = G·W", "∂L/∂W = Gᵀ·x  (summed over samples)", "∂L/∂b = Σ_samples G"),
        zh="全连接层：输入的梯度是 G 乘 W，权重的梯度是 G 的转置乘输入（对所有样本求和），偏置的梯度是 G 按样本求和",
        en="fully connected layer: the input's gradient is G times W, the weight's is G transposed times the input "
        "(summed over samples), the bias's is G summed over samples",
    )

    @staticmethod
    def forward(ctx, x, W, b=None):
        y = x @ W.T
        if b is not None:
            y += b
        return y

    backward = (_grad_x, _grad_W, _grad_b)


def linear(x: Value | np.ndarray, weight: Value, bias: Value | None = None) -> Value:
    """y = x Wᵀ + b (``torch.nn.functional.linear``) as one op; W has shape (out, in).

    >>> import numpy as np, tinygrad_cn as tg
    >>> W = tg.Value([[1.0, 2.0], [0.0, -1.0], [3.0, 0.5]]); b = tg.Value([0.5, 0.0, -1.0])
    >>> y = linear(np.array([[1.0, 1.0]]), W, b); y.data
    array([[ 3.5, -1. ,  2.5]])
    >>> y.sum().backward(); W.grad, b.grad
    (array([[1., 1.],
           [1., 1.],
           [1., 1.]]), array([1., 1., 1.]))
    """
    return LinearOp.apply(x, weight) if bias is None else LinearOp.apply(x, weight, bias)


class Linear(Module):
    """y = x Wᵀ + b for x of shape (..., in_features); W is (out_features, in_features).

    PyTorch's default initialisation: W ~ kaiming_uniform(a=√5), i.e. U(±1/√in_features), and
    b ~ U(±1/√in_features). Parameters are float32 unless ``dtype`` says otherwise.

    >>> import numpy as np, tinygrad_cn as tg
    >>> from tinygrad_cn import nn
    >>> layer = nn.Linear(3, 2, generator=0)
    >>> layer.weight.shape, layer.bias.shape
    ((2, 3), (2,))
    >>> y = layer(np.ones((4, 3), dtype=np.float32))
    >>> y.shape, y.dtype
    ((4, 2), dtype('float32'))
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        *,
        dtype: np.dtype | type = np.float32,
        generator: np.random.Generator | int | None = None,
    ) -> None:
        for name, n in (("in_features", in_features), ("out_features", out_features)):
            if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 0:
                raise ValueError(f"Linear: {name} must be a non-negative int, got {n!r}")
        dtype = np.dtype(dtype)
        if dtype.kind != "f":
            raise TypeError(f"Linear: dtype must be a float type, got {dtype}")
        self.in_features, self.out_features = int(in_features), int(out_features)
        rng = init.get_generator(generator)
        self.weight = Value(np.empty((self.out_features, self.in_features), dtype=dtype), label="weight")
        init.kaiming_uniform_(self.weight, a=math.sqrt(5), generator=rng)
        if bias:
            bound = 1 / math.sqrt(self.in_features) if self.in_features > 0 else 0.0
            self.bias: Value | None = Value(np.empty(self.out_features, dtype=dtype), label="bias")
            init.uniform_(self.bias, -bound, bound, generator=rng)
        else:
            self.bias = None

    def forward(self, x: Value | np.ndarray) -> Value:
        if x.shape[-1:] != (self.in_features,):
            raise ValueError(
                f"Linear({self.in_features}, {self.out_features}): input of shape {tuple(x.shape)} "
                f"does not end in in_features = {self.in_features}"
            )
        return linear(x, self.weight, self.bias)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"
