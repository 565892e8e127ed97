"""Weight initialisers, in place on a parameter's data, with PyTorch's formulas (``torch.nn.init``).

The random numbers come from ``generator`` (a ``numpy.random.Generator`` or an int seed) or, when
it is None, from this module's default generator, which :func:`manual_seed` resets.

>>> import numpy as np
>>> from tinygrad_cn import nn
>>> w = nn.Linear(300, 100).weight                     # shape (out, in) = (100, 300)
>>> _ = nn.init.xavier_uniform_(w, generator=0)
>>> bound = np.sqrt(6 / (300 + 100))                   # a = gain·√(6 / (fan_in + fan_out))
>>> bool(np.abs(w.data).max() <= bound), w.dtype
(True, dtype('float32'))
"""

from __future__ import annotations

import math

import numpy as np

from ..engine.value import Value

__all__ = [
    "calculate_gain", "get_generator", "kaiming_uniform_", "manual_seed", "ones_", "uniform_",
    "xavier_uniform_", "zeros_",
]

_default = np.random.default_rng()


def manual_seed(seed: int) -> None:
    """Reset the default generator used by the initialisers, ``nn.Linear`` and ``nn.Dropout``."""
    global _default
    _default = np.random.default_rng(seed)


def get_generator(generator: np.random.Generator | int | None = None) -> np.random.Generator:
    """``generator`` itself, a new generator seeded with it (an int), or the default one (None)."""
    if generator is None:
        return _default
    if isinstance(generator, np.random.Generator):
        return generator
    if isinstance(generator, (int, np.integer)) and not isinstance(generator, bool):
        return np.random.default_rng(int(generator))
    raise TypeError(f"generator must be a numpy Generator, an int seed or None, got {type(generator).__name__}")


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The recommended gain for a nonlinearity (as ``torch.nn.init.calculate_gain``):
    linear/sigmoid 1, tanh 5/3, relu √2, leaky_relu √(2/(1+slope²)) (slope ``param``, default 0.01),
    selu 3/4."""
    linear_like = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d")
    if nonlinearity in (*linear_like, "sigmoid", "identity"):
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, (int, float)) and not isinstance(param, bool):
            slope = float(param)
        else:
            raise ValueError(f"calculate_gain: negative_slope {param!r} is not a number")
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"calculate_gain: unsupported nonlinearity {nonlinearity!r}")


def _fans(t: Value, who: str) -> tuple[int, int]:
    """fan_in = shape[1]·receptive field, fan_out = shape[0]·receptive field (weight (out, in, ...))."""
    if t.ndim < 2:
        raise ValueError(f"{who}: fan in and fan out need a tensor of at least 2 dimensions, got shape {t.shape}")
    receptive = math.prod(t.shape[2:])
    return t.shape[1] * receptive, t.shape[0] * receptive


def _check(t: Value, who: str) -> None:
    if not isinstance(t, Value):
        raise TypeError(f"{who}: expected a Value, got {type(t).__name__}")


def uniform_(
    tensor: Value, a: float = 0.0, b: float = 1.0, generator: np.random.Generator | int | None = None
) -> Value:
    """Fill with U(a, b) in place; keeps the dtype."""
    _check(tensor, "uniform_")
    tensor.data[...] = get_generator(generator).uniform(a, b, size=tensor.shape)
    return tensor


def zeros_(tensor: Value) -> Value:
    """Fill with 0 in place (as ``torch.nn.init.zeros_``)."""
    _check(tensor, "zeros_")
    tensor.data[...] = 0
    return tensor


def ones_(tensor: Value) -> Value:
    """Fill with 1 in place (as ``torch.nn.init.ones_``)."""
    _check(tensor, "ones_")
    tensor.data[...] = 1
    return tensor


def xavier_uniform_(
    tensor: Value, gain: float = 1.0, generator: np.random.Generator | int | None = None
) -> Value:
    """Glorot/Xavier: U(−a, a) with a = gain·√(6 / (fan_in + fan_out)), in place.

    Keeps the variance of activations and of gradients about the same from layer to layer
    (the notes' fix for dead ReLUs from an unlucky initialisation).
    """
    _check(tensor, "xavier_uniform_")
    fan_in, fan_out = _fans(tensor, "xavier_uniform_")
    a = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(tensor, -a, a, generator)


def kaiming_uniform_(
    tensor: Value,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: np.random.Generator | int | None = None,
) -> Value:
    """He/Kaiming: U(−bound, bound) with bound = gain·√(3 / fan), gain = calculate_gain(nonlinearity, a),
    fan = fan_in or fan_out (``mode``), in place.

    ``nn.Linear`` uses ``a=√5``: gain = √(2/(1+5)) = √(1/3), so bound = 1/√fan_in.
    """
    _check(tensor, "kaiming_uniform_")
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"kaiming_uniform_: mode must be 'fan_in' or 'fan_out', got {mode!r}")
    fan_in, fan_out = _fans(tensor, "kaiming_uniform_")
    fan = fan_in if mode == "fan_in" else fan_out
    if fan == 0:
        return tensor  # nothing to initialise in a zero-element tensor (torch warns and returns)
    bound = calculate_gain(nonlinearity, a) * math.sqrt(3.0 / fan)
    return uniform_(tensor, -bound, bound, generator)
