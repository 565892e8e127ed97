"""nn: Module discovery and state, Linear, FeedForward, Sequential, Dropout, init."""

from __future__ import annotations

import math

import numpy as np
import pytest

import tinygrad_cn as tg
import tinygrad_cn.functional as F
from tinygrad_cn import nn


# ---- Linear ----------------------------------------------------------------------------------
def test_linear_computes_x_wT_plus_b():
    layer = nn.Linear(4, 3, generator=0)
    x = np.random.default_rng(0).standard_normal((5, 4)).astype(np.float32)
    y = layer(x)
    assert layer.weight.shape == (3, 4) and layer.bias.shape == (3,)
    np.testing.assert_allclose(y.data, x @ layer.weight.data.T + layer.bias.data, rtol=1e-6)
    assert y.dtype == np.float32
    assert nn.Linear(4, 3, bias=False).bias is None
    assert [n for n, _ in layer.named_parameters()] == ["weight", "bias"]


def test_linear_batched_input_and_gradients():
    layer = nn.Linear(3, 2, dtype=np.float64, generator=1)
    x = tg.Value(np.random.default_rng(1).standard_normal((2, 5, 3)))
    layer(x).sum().backward()
    # ∂Σy/∂W = Σ over samples of xᵀ (every output row gets the same), ∂Σy/∂b = number of samples
    np.testing.assert_allclose(layer.weight.grad, np.tile(x.data.reshape(-1, 3).sum(0), (2, 1)))
    np.testing.assert_allclose(layer.bias.grad, [10.0, 10.0])
    np.testing.assert_allclose(x.grad, np.broadcast_to(layer.weight.data.sum(0), (2, 5, 3)))


def test_linear_gradcheck():
    layer = nn.Linear(3, 2, dtype=np.float64, generator=2)

    def fn(x, W, b):
        layer.weight, layer.bias = W, b
        return layer(x).tanh()

    rng = np.random.default_rng(2)
    assert tg.gradcheck(fn, [tg.Value(rng.standard_normal((4, 3))), tg.Value(rng.standard_normal((2, 3))),
                             tg.Value(rng.standard_normal(2))])


def test_linear_default_init_is_torchs():
    """kaiming_uniform(a=√5) gives U(±1/√fan_in); the bias is U(±1/√fan_in) too."""
    layer = nn.Linear(400, 300, generator=3)
    bound = 1 / math.sqrt(400)
    for p in (layer.weight, layer.bias):
        assert np.abs(p.data).max() <= bound
        assert np.abs(p.data).max() > 0.95 * bound
    # variance of U(−a, a) is a²/3
    assert abs(layer.weight.data.var() - bound**2 / 3) < 0.05 * bound**2 / 3


def test_linear_seeded_and_errors():
    a, b = nn.Linear(3, 2, generator=5), nn.Linear(3, 2, generator=5)
    assert np.array_equal(a.weight.data, b.weight.data)
    nn.init.manual_seed(7)
    c = nn.Linear(3, 2)
    nn.init.manual_seed(7)
    d = nn.Linear(3, 2)
    assert np.array_equal(c.weight.data, d.weight.data)
    with pytest.raises(ValueError, match=r"Linear\(3, 2\): input of shape \(4, 5\) does not end in in_features = 3"):
        a(np.ones((4, 5)))
    with pytest.raises(ValueError, match="in_features must be a non-negative int"):
        nn.Linear(-1, 2)
    with pytest.raises(TypeError, match="float type"):
        nn.Linear(2, 2, dtype=np.int64)


# ---- init ------------------------------------------------------------------------------------
def test_calculate_gain():
    assert nn.init.calculate_gain("linear") == 1
    assert nn.init.calculate_gain("sigmoid") == 1
    assert nn.init.calculate_gain("tanh") == pytest.approx(5 / 3)
    assert nn.init.calculate_gain("relu") == pytest.approx(math.sqrt(2))
    assert nn.init.calculate_gain("leaky_relu") == pytest.approx(math.sqrt(2 / (1 + 0.01**2)))
    assert nn.init.calculate_gain("leaky_relu", math.sqrt(5)) == pytest.approx(math.sqrt(1 / 3))
    with pytest.raises(ValueError, match="unsupported nonlinearity 'cube'"):
        nn.init.calculate_gain("cube")


def test_xavier_uniform_bound_and_variance():
    w = tg.Value(np.zeros((200, 300)))
    out = nn.init.xavier_uniform_(w, gain=2.0, generator=0)
    assert out is w
    a = 2.0 * math.sqrt(6 / (300 + 200))
    assert np.abs(w.data).max() <= a and np.abs(w.data).max() > 0.99 * a
    # Var = gain²·2/(fan_in + fan_out)
    assert w.data.var() == pytest.approx(4 * 2 / 500, rel=0.03)


@pytest.mark.parametrize(
    ("a", "mode", "nonlinearity", "fan"),
    [(0.0, "fan_in", "relu", 300), (0.0, "fan_out", "relu", 200), (math.sqrt(5), "fan_in", "leaky_relu", 300),
     (0.2, "fan_out", "leaky_relu", 200), (0.0, "fan_in", "tanh", 300)],
)
def test_kaiming_uniform_formula(a, mode, nonlinearity, fan):
    w = tg.Value(np.zeros((200, 300), dtype=np.float32))
    nn.init.kaiming_uniform_(w, a=a, mode=mode, nonlinearity=nonlinearity, generator=1)
    bound = nn.init.calculate_gain(nonlinearity, a) * math.sqrt(3 / fan)
    assert w.dtype == np.float32
    assert np.abs(w.data).max() <= bound * (1 + 1e-6) and np.abs(w.data).max() > 0.99 * bound


def test_init_fans_with_receptive_field_and_errors():
    w = tg.Value(np.zeros((4, 3, 5)))  # fan_in = 3·5, fan_out = 4·5
    nn.init.xavier_uniform_(w, generator=0)
    assert np.abs(w.data).max() <= math.sqrt(6 / (15 + 20))
    with pytest.raises(ValueError, match=r"at least 2 dimensions, got shape \(3,\)"):
        nn.init.xavier_uniform_(tg.Value(np.zeros(3)))
    with pytest.raises(ValueError, match="mode must be"):
        nn.init.kaiming_uniform_(tg.Value(np.zeros((2, 2))), mode="fan")
    with pytest.raises(TypeError, match="expected a Value"):
        nn.init.xavier_uniform_(np.zeros((2, 2)))
    with pytest.raises(TypeError, match="generator must be"):
        nn.init.uniform_(tg.Value(np.zeros(2)), generator="seed")


# ---- FeedForward -----------------------------------------------------------------------------
def test_feedforward_hidden_dim_rule():
    # the notes: 4·dim → int(2·that/3) → rounded up to a multiple of multiple_of (LLaMA-7B: 4096 → 11008)
    from tinygrad_cn.nn.feedforward import swiglu_hidden_dim

    assert swiglu_hidden_dim(4096, 256) == 11008
    assert swiglu_hidden_dim(256, 64) == 704
    assert swiglu_hidden_dim(6, 1) == 16
    for dim, multiple_of, hidden in [(256, 64, 704), (8, 4, 24), (8, 256, 256)]:
        ffn = nn.FeedForward(dim, multiple_of=multiple_of, generator=0)
        assert ffn.hidden_dim == hidden
        assert ffn.w1.weight.shape == (hidden, dim) and ffn.w3.weight.shape == (hidden, dim)
        assert ffn.w2.weight.shape == (dim, hidden)


def test_feedforward_given_hidden_dim_is_used_as_is():
    ffn = nn.FeedForward(8, hidden_dim=10, multiple_of=256, generator=0)
    assert ffn.hidden_dim == 10 and ffn.w1.weight.shape == (10, 8)


def test_feedforward_matches_the_notes_formula():
    ffn = nn.FeedForward(6, hidden_dim=10, dtype=np.float64, generator=0)
    assert [n for n, _ in ffn.named_parameters()] == ["w1.weight", "w2.weight", "w3.weight"]  # no biases
    x = np.random.default_rng(0).standard_normal((4, 6))
    W1, W2, W3 = (m.weight.data for m in (ffn.w1, ffn.w2, ffn.w3))
    a = x @ W1.T
    expected = ((a / (1 + np.exp(-a))) * (x @ W3.T)) @ W2.T  # w2(silu(w1 x) ⊙ w3 x)
    np.testing.assert_allclose(ffn(x).data, expected, rtol=1e-12)


def test_feedforward_gradcheck():
    ffn = nn.FeedForward(3, hidden_dim=4, dtype=np.float64, generator=1)

    def fn(x, W1, W2, W3):
        ffn.w1.weight, ffn.w2.weight, ffn.w3.weight = W1, W2, W3
        return ffn(x)

    rng = np.random.default_rng(1)
    assert tg.gradcheck(fn, [tg.Value(rng.standard_normal((2, 3))), tg.Value(rng.standard_normal((4, 3))),
                             tg.Value(rng.standard_normal((3, 4))), tg.Value(rng.standard_normal((4, 3)))])


def test_feedforward_dropout_only_in_training():
    ffn = nn.FeedForward(4, hidden_dim=8, dropout=0.5, generator=0)
    ffn.dropout = nn.Dropout(0.5, seed=0)
    x = np.ones((50, 4), dtype=np.float32)
    train = ffn(x).data
    ffn.eval()
    clean = ffn(x).data
    assert (train == 0).mean() > 0.3
    kept = train != 0
    np.testing.assert_allclose(train[kept], 2 * clean[kept], rtol=1e-5)


def test_feedforward_scope_chain():
    ffn = nn.FeedForward(4, hidden_dim=8, generator=0)
    out = ffn(np.ones((1, 4), dtype=np.float32))
    assert out.scope.module is ffn.w2
    assert [c.module for c in out.scope.chain()] == [ffn, ffn.w2]
    silu_node = out.parents[0].parents[0]  # out = h @ w2ᵀ with h = silu(w1 x) ⊙ w3 x
    assert silu_node.op == "silu"
    assert silu_node.scope.module is ffn


# ---- Sequential ------------------------------------------------------------------------------
def test_sequential_composes_and_names_like_torch():
    net = nn.Sequential(nn.Linear(2, 4, generator=0), nn.ReLU(), nn.Linear(4, 1, generator=1))
    assert [n for n, _ in net.named_parameters()] == ["0.weight", "0.bias", "2.weight", "2.bias"]
    x = np.random.default_rng(0).standard_normal((3, 2)).astype(np.float32)
    expected = net[2](net[1](net[0](x))).data
    np.testing.assert_array_equal(net(x).data, expected)
    assert len(net) == 3 and isinstance(net[1], nn.ReLU) and len(net[:2]) == 2
    assert list(net) == net.layers
    net.append(nn.Sigmoid())
    assert len(net) == 4 and "(3): Sigmoid()" in repr(net)
    with pytest.raises(TypeError, match="argument 1 is a function"):
        nn.Sequential(nn.ReLU(), F.relu)


# ---- Dropout ---------------------------------------------------------------------------------
def test_dropout_is_inverted_and_seeded():
    x = tg.Value(np.ones(20000))
    y = nn.Dropout(0.25, seed=0)(x)
    kept = y.data != 0
    assert abs(kept.mean() - 0.75) < 0.02
    np.testing.assert_allclose(y.data[kept], 1 / 0.75)
    assert abs(y.data.mean() - 1) < 0.03  # E[y] = x
    y.sum().backward()
    np.testing.assert_allclose(x.grad, y.data)  # the gradient flows through the kept elements, scaled
    again = nn.Dropout(0.25, seed=0)(tg.Value(np.ones(20000)))
    assert np.array_equal(again.data, y.data)


def test_dropout_identity_cases_and_errors():
    x = tg.Value(np.arange(4.0))
    assert nn.Dropout(0.0)(x) is x
    d = nn.Dropout(0.9)
    assert d.eval()(x) is x and not d.training
    assert np.array_equal(nn.Dropout(1.0)(x).data, np.zeros(4))
    x32 = tg.Value(np.ones(3, dtype=np.float32))
    assert nn.Dropout(0.5, seed=1)(x32).dtype == np.float32
    for p in (-0.1, 1.5, "half"):
        with pytest.raises(ValueError, match="probability p must be in"):
            nn.Dropout(p)


# ---- Module ----------------------------------------------------------------------------------
class Net(nn.Module):
    def __init__(self):
        self.blocks = [nn.Linear(2, 3, generator=0), nn.Linear(3, 3, generator=1)]
        self.heads = {"a": nn.Linear(3, 1, generator=2)}
        self.scale = tg.Value(np.ones(1, dtype=np.float32))
        self.constant = tg.Value(np.ones(1), requires_grad=False)
        self.drop = nn.Dropout(0.5)

    def forward(self, x):
        for b in self.blocks:
            x = b(x).relu()
        return self.heads["a"](self.drop(x)) * self.scale


def test_module_finds_parameters_in_lists_and_dicts():
    net = Net()
    names = [n for n, _ in net.named_parameters()]
    # as torch: the module's own parameters first, then each sub-module's, depth first
    assert names == ["scale", "blocks.0.weight", "blocks.0.bias", "blocks.1.weight", "blocks.1.bias",
                     "heads.a.weight", "heads.a.bias"]
    assert len(net.parameters()) == 7
    assert [n for n, _ in net.named_modules()] == ["", "blocks.0", "blocks.1", "heads.a", "drop"]


def test_module_train_eval_and_zero_grad():
    net = Net()
    net.eval()
    assert all(not m.training for m in net.modules())
    net.train()
    assert all(m.training for m in net.modules())
    net(np.ones((2, 2), dtype=np.float32)).sum().backward()
    assert any(p.grad is not None for p in net.parameters())
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())


def test_state_dict_round_trip():
    a, b = Net(), Net()
    for p in b.parameters():
        p.data[...] = 0
    state = a.state_dict()
    state["scale"][...] = 5  # a copy: changing it leaves the module alone
    assert a.scale.data[0] == 1
    b.load_state_dict(a.state_dict())
    for (n1, p1), (n2, p2) in zip(a.named_parameters(), b.named_parameters()):
        assert n1 == n2 and np.array_equal(p1.data, p2.data) and p2.dtype == np.float32


def test_load_state_dict_lists_every_problem_and_changes_nothing():
    net = Net()
    before = {k: v.copy() for k, v in net.state_dict().items()}
    state = net.state_dict()
    state = {k: v + 1 for k, v in state.items()}
    del state["blocks.0.bias"]
    state["extra.weight"] = np.zeros(2)
    state["heads.a.weight"] = np.zeros((2, 3))
    with pytest.raises(ValueError) as err:
        net.load_state_dict(state)
    msg = str(err.value)
    assert "missing keys ['blocks.0.bias']" in msg
    assert "unexpected keys ['extra.weight']" in msg
    assert "heads.a.weight: expected (1, 3), got (2, 3)" in msg
    assert "nothing was changed" in msg
    for k, v in net.state_dict().items():
        assert np.array_equal(v, before[k])


def test_load_state_dict_non_strict_values_and_types():
    net = nn.Linear(2, 2, generator=0)
    net.load_state_dict({"weight": tg.Value(np.eye(2))}, strict=False)  # Values and float64 are fine
    assert np.array_equal(net.weight.data, np.eye(2)) and net.weight.dtype == np.float32
    with pytest.raises(ValueError, match="wrong shapes"):
        net.load_state_dict({"weight": np.zeros(3)}, strict=False)
    old = net.weight.data.copy()
    with pytest.raises(TypeError, match=r"'weight' holds <U1 data"):
        net.load_state_dict({"weight": np.array([["a", "b"], ["c", "d"]]), "bias": np.zeros(2)})
    assert np.array_equal(net.weight.data, old)
    with pytest.raises(TypeError, match="expected a dict"):
        net.load_state_dict([("weight", np.eye(2))])


def test_module_scope_is_recorded_and_restored():
    layer = nn.Linear(2, 2, generator=0)
    y = layer(np.ones((1, 2), dtype=np.float32))
    assert y.scope.module is layer and y.scope.parent is None
    assert (y * 2).scope is None  # outside the call again


# ---- the fused linear op ---------------------------------------------------------------------
def test_linear_is_one_op_with_its_formula():
    from tinygrad_cn.engine import OPS

    layer = nn.Linear(3, 2, generator=0)
    y = layer(np.ones((4, 3), dtype=np.float32))
    assert y.op == "linear" and [p.label for p in y.parents[1:]] == ["weight", "bias"]
    assert OPS["linear"].formula.local[1].startswith("∂L/∂W = Gᵀ·x")
    assert nn.Linear(3, 2, bias=False)(np.ones(3)).parents[1].label == "weight"


def test_linear_op_one_sample_batches_and_second_order():
    from tinygrad_cn.nn.linear import linear

    rng = np.random.default_rng(3)
    W, b = rng.standard_normal((2, 3)), rng.standard_normal(2)
    for shape in [(3,), (4, 3), (2, 5, 3)]:
        x = rng.standard_normal(shape)
        assert tg.gradcheck(lambda x, W, b: linear(x, W, b).tanh(), [tg.Value(x), tg.Value(W), tg.Value(b)])

    # second order: the rules also record a graph, so a Hessian-vector product H·V works; compare it
    # with the central difference of the first-order gradient along V
    x, V = rng.standard_normal((4, 3)), rng.standard_normal((2, 3))

    def first(Wd, create_graph=False):
        Wv = tg.Value(Wd)
        (gW,) = tg.grad((linear(x, Wv).tanh() ** 2).sum(), Wv, create_graph=create_graph)
        return Wv, gW

    Wv, gW = first(W, create_graph=True)
    (hv,) = tg.grad((gW * V).sum(), Wv)
    eps = 1e-6
    numeric = (first(W + eps * V)[1].data - first(W - eps * V)[1].data) / (2 * eps)
    np.testing.assert_allclose(hv.data, numeric, rtol=1e-6, atol=1e-8)
