"""Strategies and checks shared by the gradient tests."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinygrad_cn as tg


def arrays(shape, lo=-3.0, hi=3.0, away_from=None, margin=0.1):
    """float64 arrays in [lo, hi]; with ``away_from`` every element keeps ``margin`` from that point
    (so a kink or pole is never straddled by the central difference)."""
    elems = st.floats(lo, hi, allow_nan=False, allow_infinity=False)
    if away_from is not None:
        elems = elems.filter(lambda v: abs(v - away_from) > margin)
    return hnp.arrays(np.float64, shape, elements=elems)


def broadcast_pair(max_dims=3, max_side=4):
    return hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=max_dims, max_side=max_side)


def check(fn, *arrays_):
    """gradcheck fn at the given arrays (float64, random upstream gradient)."""
    return tg.gradcheck(fn, [tg.Value(a) for a in arrays_])
