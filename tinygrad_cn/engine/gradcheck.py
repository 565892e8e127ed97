"""``gradcheck``: compare analytic gradients with central differences, in float64."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .autograd import grad
from .errors import GradcheckError
from .mode import no_grad
from .value import Value


def gradcheck(
    fn: Callable[..., Value],
    inputs: Sequence[Value] | Value,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    seed: int = 0,
) -> bool:
    """Check ∂fn/∂inputs against central differences (f(x+ε) − f(x−ε)) / 2ε, element by element.

    The output is contracted with a fixed random upstream gradient r (not all ones, which would
    hide errors that cancel), so the check compares ∂(Σ r·fn)/∂x at every element of every input
    that requires grad. Inputs are copied to float64. Returns True, or raises
    :class:`GradcheckError` naming the worst mismatch: which input, which index, both values.

    >>> import tinygrad_cn as tg
    >>> tg.gradcheck(lambda a, b: (a * b).tanh(), [tg.Value([0.5, -1.0]), tg.Value([2.0, 0.3])])
    True
    """
    inputs = [inputs] if isinstance(inputs, Value) else list(inputs)
    xs = [Value(np.array(x.data, dtype=np.float64), requires_grad=x.requires_grad, label=x.label) for x in inputs]
    out = fn(*xs)
    if not isinstance(out, Value):
        raise TypeError(f"gradcheck: fn must return a Value, got {type(out).__name__}")
    r = np.random.default_rng(seed).standard_normal(out.shape)
    wrt = [i for i, x in enumerate(xs) if x.requires_grad]
    if not wrt:
        raise ValueError("gradcheck: no input requires grad")
    analytic = grad(out, [xs[i] for i in wrt], grad_outputs=r, allow_unused=True)

    def f() -> float:
        with no_grad():
            return float(np.sum(fn(*xs).data * r))

    worst = None  # (excess over tolerance, input, index, analytic, numeric)
    for k, i in enumerate(wrt):
        x = xs[i]
        a = np.zeros(x.shape) if analytic[k] is None else analytic[k].data
        flat = x.data.reshape(-1)  # a view: perturb in place, restore after
        for j in range(flat.size):
            orig = flat[j]
            try:
                flat[j] = orig + eps
                up = f()
                flat[j] = orig - eps
                down = f()
            finally:
                flat[j] = orig
            numeric = (up - down) / (2 * eps)
            an = float(a.reshape(-1)[j])
            excess = abs(an - numeric) - (atol + rtol * abs(numeric))
            if not np.isfinite(an) or excess > 0:
                if worst is None or not np.isfinite(an) or excess > worst[0]:
                    worst = (excess, i, np.unravel_index(j, x.shape), an, numeric)
    if worst is not None:
        _, i, idx, an, numeric = worst
        name = f" ({inputs[i].label!r})" if inputs[i].label else ""
        raise GradcheckError(
            f"gradcheck: gradient of input {i}{name} (shape {inputs[i].shape}) at index {tuple(int(t) for t in idx)}: "
            f"analytic {an:.8g} vs numeric {numeric:.8g} (atol={atol}, rtol={rtol})"
        )
    return True
