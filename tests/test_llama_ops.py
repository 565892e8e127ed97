"""The tiny LLaMA's new primitive ops (issue 14): scaled dot-product attention, RMSNorm, the rotary
embedding and the embedding lookup, against central differences over hypothesis shapes, against
plain numpy references, second derivatives, and their bad-input errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_cn as tg
import tinygrad_cn.functional as F
from tests.conftest_ops import gradgradcheck
from tinygrad_cn import nn
from tinygrad_cn.engine import OPS
from tinygrad_cn.nn.embedding import embedding
from tinygrad_cn.nn.normalization import rms_norm
from tinygrad_cn.nn.rope import rope_angles, rotary_embedding

NEW_OPS = ["scaled_dot_product_attention", "rms_norm", "rotary_embedding", "embedding"]


def sdpa_reference(q, k, v, keep=None, bias=None, scale=None):
    """softmax(QKᵀ·scale + mask)V, written out with a Python loop over the queries (float64)."""
    scale = 1 / np.sqrt(q.shape[-1]) if scale is None else scale
    batch = np.broadcast_shapes(q.shape[:-2], k.shape[:-2], v.shape[:-2])
    L, S = q.shape[-2], k.shape[-2]
    q, k, v = (np.broadcast_to(a, (*batch, *a.shape[-2:])) for a in (q, k, v))
    keep = np.ones((L, S), bool) if keep is None else keep
    keep = np.broadcast_to(keep, (*batch, L, S))
    bias = np.broadcast_to(0.0 if bias is None else bias, (*batch, L, S))
    out = np.zeros((*batch, L, v.shape[-1]))
    for idx in np.ndindex(*batch):
        for i in range(L):
            s = np.array([q[idx][i] @ k[idx][j] * scale + bias[idx][i, j] for j in range(S)])
            s = np.where(keep[idx][i], s, -np.inf)
            p = np.exp(s - s.max())
            p /= p.sum()
            out[idx][i] = p @ v[idx]
    return out


@st.composite
def attention_shapes(draw):
    """query (..., L, E), key (..., S, E), value (..., S, Ev) with broadcastable leading axes."""
    nb = draw(st.integers(0, 2))
    batch = [draw(st.integers(1, 3)) for _ in range(nb)]
    bq = [b if draw(st.booleans()) else 1 for b in batch]
    bk = [b if draw(st.booleans()) else 1 for b in batch]
    L, S, E, Ev = (draw(st.integers(1, 4)) for _ in range(4))
    return (*bq, L, E), (*bk, S, E), (*bk, S, Ev)


@given(attention_shapes(), st.sampled_from(["none", "causal", "bool", "float"]), st.integers(0, 2**16))
def test_attention_gradcheck_and_reference(shapes, mask_kind, seed):
    rng = np.random.default_rng(seed)
    qs, ks, _ = shapes
    q, k, v = (rng.standard_normal(s) for s in shapes)
    L, S = qs[-2], ks[-2]
    kw, keep, bias = {}, None, None
    if mask_kind == "causal":
        kw["is_causal"] = True
        keep = np.tril(np.ones((L, S), bool))
    elif mask_kind == "bool":
        keep = rng.random((L, S)) < 0.6
        keep[np.arange(L), rng.integers(0, S, L)] = True  # every query keeps at least one key
        kw["attn_mask"] = keep
    elif mask_kind == "float":
        bias = rng.standard_normal((1, S))
        kw["attn_mask"] = bias
    got = F.scaled_dot_product_attention(tg.Value(q), tg.Value(k), tg.Value(v), **kw)
    np.testing.assert_allclose(got.data, sdpa_reference(q, k, v, keep, bias), rtol=1e-10, atol=1e-12)
    assert tg.gradcheck(lambda a, b, c: F.scaled_dot_product_attention(a, b, c, **kw), [tg.Value(x) for x in (q, k, v)])


@pytest.mark.parametrize("causal", [False, True])
def test_attention_second_derivatives(causal):
    rng = np.random.default_rng(3)
    q, k, v = rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 3, 2))
    assert gradgradcheck(lambda a, b, c: F.scaled_dot_product_attention(a, b, c, is_causal=causal), [q, k, v])


def test_attention_gradients_of_one_input_only_and_twice():
    """A rule run without its partner (only K needs a gradient) and a second backward agree."""
    rng = np.random.default_rng(4)
    q, k, v = (rng.standard_normal((2, 3, 4)) for _ in range(3))
    K1 = tg.Value(k)
    y = F.scaled_dot_product_attention(tg.Value(q, requires_grad=False), K1, tg.Value(v, requires_grad=False))
    y.sum().backward()
    Q, K2, V = tg.Value(q), tg.Value(k), tg.Value(v)
    y2 = F.scaled_dot_product_attention(Q, K2, V)
    y2.sum().backward()
    np.testing.assert_allclose(K1.grad, K2.grad, rtol=1e-12)
    first = Q.grad.copy()
    y2.sum().backward()
    np.testing.assert_allclose(Q.grad, 2 * first, rtol=1e-12)


def test_attention_mask_with_batch_axes_only_the_values_have():
    rng = np.random.default_rng(8)
    q, v, m = rng.standard_normal((1, 2, 4)), rng.standard_normal((3, 2, 5)), rng.standard_normal((3, 2, 2))
    y = F.scaled_dot_product_attention(tg.Value(q), tg.Value(q), tg.Value(v), attn_mask=m)
    np.testing.assert_allclose(y.data, sdpa_reference(q, q, v, bias=m), rtol=1e-12)
    assert tg.gradcheck(lambda a, b: F.scaled_dot_product_attention(a, a, b, attn_mask=m), [tg.Value(q), tg.Value(v)])


def test_attention_float32_stays_float32_and_big_scores_are_stable():
    q = tg.Value(np.array([[1e4, 0.0], [0.0, 1e4]], dtype=np.float32))
    y = F.scaled_dot_product_attention(q, q, q)
    assert y.dtype == np.float32 and np.isfinite(y.data).all()
    y.sum().backward()
    assert q.grad.dtype == np.float32 and np.isfinite(q.grad).all()


def test_attention_bad_input():
    q = tg.Value(np.zeros((2, 3, 4)))
    with pytest.raises(ValueError, match=r"attn_mask of shape \(3, 2\) does not broadcast.*\(2, 3, 3\)"):
        F.scaled_dot_product_attention(q, q, q, attn_mask=np.ones((3, 2), bool))
    with pytest.raises(ValueError, match=r"attn_mask row \(1, 2\) keeps no key"):
        m = np.ones((2, 3, 3), bool)
        m[1, 2] = False
        F.scaled_dot_product_attention(q, q, q, attn_mask=m)
    with pytest.raises(ValueError, match="not both"):
        F.scaled_dot_product_attention(q, q, q, attn_mask=np.ones((3, 3), bool), is_causal=True)
    with pytest.raises(ValueError, match=r"same last axis E \(4 != 2\)"):
        F.scaled_dot_product_attention(q, np.zeros((2, 3, 2)), q)
    with pytest.raises(ValueError, match=r"same number of keys S \(3 != 5\)"):
        F.scaled_dot_product_attention(q, q, np.zeros((2, 5, 4)))
    with pytest.raises(ValueError, match="at least 2 axes"):
        F.scaled_dot_product_attention(np.zeros(4), q, q)
    with pytest.raises(ValueError, match="nan or \\+inf"):
        F.scaled_dot_product_attention(q, q, q, attn_mask=np.full((3, 3), np.nan))
    with pytest.raises(TypeError, match="attn_mask must be a constant"):
        F.scaled_dot_product_attention(q, q, q, attn_mask=tg.Value(np.zeros((3, 3))))


# ---- RMSNorm ---------------------------------------------------------------------------------
@given(st.lists(st.integers(1, 4), min_size=1, max_size=3), st.sampled_from([0.0, 1e-6, 0.5]), st.integers(0, 2**16))
def test_rms_norm_gradcheck_and_reference(shape, eps, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape) + 0.1  # away from x = 0, where eps = 0 has no derivative
    w = rng.standard_normal(shape[-1:])
    want = x / np.sqrt((x**2).mean(-1, keepdims=True) + eps) * w
    np.testing.assert_allclose(rms_norm(tg.Value(x), tg.Value(w), eps).data, want, rtol=1e-12)
    assert tg.gradcheck(lambda a, b: rms_norm(a, b, eps), [tg.Value(x), tg.Value(w)])


def test_rms_norm_second_derivatives_and_module():
    rng = np.random.default_rng(5)
    assert gradgradcheck(lambda a, b: rms_norm(a, b, 1e-6), [rng.standard_normal((3, 4)), rng.standard_normal(4)])
    norm = nn.RMSNorm(4)
    assert norm.weight.shape == (4,) and (norm.weight.data == 1).all() and norm.weight.dtype == np.float32
    assert [n for n, _ in norm.named_parameters()] == ["weight"]
    y = norm(rng.standard_normal((2, 4)).astype(np.float32) * 100)
    np.testing.assert_allclose(np.sqrt((y.data**2).mean(-1)), 1.0, rtol=1e-5)
    with pytest.raises(ValueError, match=r"RMSNorm\(4\): input of shape \(2, 3\) does not end in dim = 4"):
        norm(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="must match the last axis"):
        rms_norm(tg.Value(np.zeros((2, 3))), tg.Value(np.ones(4)))


# ---- rotary embedding ------------------------------------------------------------------------
def rope_reference(x, base=10000.0):
    """Meta's formulation: adjacent pairs as complex numbers, times e^{iθ}."""
    B, S, H, D = x.shape
    xc = x.reshape(B, S, H, D // 2, 2)
    z = xc[..., 0] + 1j * xc[..., 1]
    z = z * np.exp(1j * rope_angles(S, D, base))[None, :, None, :]
    return np.stack([z.real, z.imag], axis=-1).reshape(x.shape)


@given(st.integers(1, 2), st.integers(1, 5), st.integers(1, 2), st.sampled_from([2, 4, 6]), st.integers(0, 2**16))
def test_rope_gradcheck_and_reference(B, S, H, D, seed):
    x = np.random.default_rng(seed).standard_normal((B, S, H, D))
    np.testing.assert_allclose(rotary_embedding(tg.Value(x)).data, rope_reference(x), rtol=1e-12, atol=1e-14)
    assert tg.gradcheck(lambda a: rotary_embedding(a), [tg.Value(x)])


def test_rope_is_a_rotation_and_scores_depend_on_relative_position():
    rng = np.random.default_rng(6)
    q, k = rng.standard_normal(8), rng.standard_normal(8)
    x = tg.Value(np.tile(q, (1, 10, 1, 1)))
    y = rotary_embedding(x).data[0, :, 0]
    np.testing.assert_allclose(np.linalg.norm(y, axis=-1), np.linalg.norm(q), rtol=1e-12)  # lengths kept
    qs = rotary_embedding(tg.Value(np.tile(q, (1, 10, 1, 1)))).data[0, :, 0]
    ks = rotary_embedding(tg.Value(np.tile(k, (1, 10, 1, 1)))).data[0, :, 0]
    np.testing.assert_allclose(qs[5] @ ks[3], qs[7] @ ks[5], rtol=1e-10)  # only m − n = 2 matters
    assert gradgradcheck(lambda a: rotary_embedding(a) * a, [rng.standard_normal((1, 3, 1, 4))])
    with pytest.raises(ValueError, match="head_dim must be even"):
        rotary_embedding(tg.Value(np.zeros((1, 2, 1, 3))))
    with pytest.raises(ValueError, match=r"shape \(batch, seq, n_heads, head_dim\)"):
        rotary_embedding(tg.Value(np.zeros((2, 4))))


# ---- embedding -------------------------------------------------------------------------------
@given(st.integers(1, 5), st.integers(1, 3), st.lists(st.integers(1, 3), min_size=1, max_size=2), st.integers(0, 2**16))
def test_embedding_gradcheck_and_reference(num, dim, idx_shape, seed):
    rng = np.random.default_rng(seed)
    W = rng.standard_normal((num, dim))
    idx = rng.integers(0, num, idx_shape)  # repeats are likely: their gradients must add up
    np.testing.assert_array_equal(embedding(idx, tg.Value(W)).data, W[idx])
    onehot = np.eye(num)[idx]
    np.testing.assert_allclose(embedding(idx, tg.Value(W)).data, onehot @ W)  # a lookup is one-hot · W
    assert tg.gradcheck(lambda w: embedding(idx, w), [tg.Value(W)])


def test_embedding_second_derivatives():
    """The backward (a scatter-add) is itself an op, so Hessians through a lookup work."""
    idx = np.array([[0, 2], [2, 1]])
    W = np.random.default_rng(7).standard_normal((3, 2))
    assert gradgradcheck(lambda w: embedding(idx, w) ** 3, [W])


def test_embedding_module_and_bad_indices():
    emb = nn.Embedding(6, 3, generator=0)
    assert emb.weight.shape == (6, 3) and emb.weight.dtype == np.float32
    big = nn.Embedding(1000, 100, generator=1).weight.data
    assert abs(big.mean()) < 0.01 and abs(big.std() - 1) < 0.01  # N(0, 1) as torch
    idx = np.array([[0, 5], [5, 5]])
    idx_copy = idx.copy()
    y = emb(idx)
    idx[0, 0] = 4  # the op kept its own copy of the indices
    y.sum().backward()
    np.testing.assert_array_equal(emb.weight.grad[:, 0], [1, 0, 0, 0, 0, 3])
    np.testing.assert_array_equal(idx_copy, [[0, 5], [5, 5]])
    with pytest.raises(ValueError, match=r"index 6 at position \(1, 0\) is out of range for 6 rows"):
        emb(np.array([[0, 1], [6, 2]]))
    with pytest.raises(ValueError, match=r"index -1 at position \(0,\)"):
        emb(np.array([-1]))
    with pytest.raises(TypeError, match=r"indices must be integers, got dtype float64 \(use .astype\(int\)\)"):
        emb(np.array([1.0, 2.0]))
    with pytest.raises(TypeError, match="not a Value"):
        emb(tg.Value([1.0]))
    with pytest.raises(ValueError, match="num_embeddings must be a positive int"):
        nn.Embedding(0, 3)


# ---- registry --------------------------------------------------------------------------------
@pytest.mark.parametrize("name", NEW_OPS)
def test_formula_zh_en_for_the_viewer(name):
    op = OPS[name]
    f = op.formula
    assert f.forward and f.zh and f.en and op.symbol
    assert len(f.local) == len(op.backward)
    assert all("∂" in loc for loc in f.local)


def test_functional_exports_attention():
    assert "scaled_dot_product_attention" in F.__all__
    assert F.scaled_dot_product_attention.__doc__ and ">>>" in F.scaled_dot_product_attention.__doc__
