"""data: synthetic sets, the bundled digits and text corpus, BagOfWords, minibatches, split, scaling."""

from __future__ import annotations

import hashlib
from importlib import resources

import numpy as np
import pytest

from tinygrad_cn import data


# ---- synthetic -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "make",
    [lambda s: data.make_moons(101, noise=0.1, seed=s), lambda s: data.make_blobs(101, centers=4, std=1.0, seed=s),
     lambda s: data.make_spirals(101, n_classes=3, noise=0.2, seed=s)],
)
def test_synthetic_sets_are_seeded(make):
    X, y = make(0)
    X2, y2 = make(0)
    X3, _ = make(1)
    assert X.shape == (101, 2) and X.dtype == np.float64 and y.dtype == np.int64 and y.shape == (101,)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    assert not np.array_equal(X, X3)


def test_moons_without_noise_lie_on_the_two_arcs():
    X, y = data.make_moons(200, noise=0.0, seed=0)
    upper, lower = X[y == 0], X[y == 1]
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1)  # (cos t, sin t)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1)  # (1 − cos t, 1/2 − sin t)
    assert (upper[:, 1] >= -1e-12).all() and (lower[:, 1] <= 0.5 + 1e-12).all()
    assert np.bincount(y).tolist() == [100, 100]


def test_blobs_given_centers():
    centers = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    X, y = data.make_blobs(3000, centers=centers, std=0.5, seed=0)
    assert np.bincount(y).tolist() == [1000, 1000, 1000]
    for c in range(3):
        np.testing.assert_allclose(X[y == c].mean(0), centers[c], atol=0.05)
        np.testing.assert_allclose(X[y == c].std(0), 0.5, rtol=0.1)
    X5, _ = data.make_blobs(10, centers=2, seed=0, n_features=5)
    assert X5.shape == (10, 5)


def test_spirals_classes_and_radius():
    X, y = data.make_spirals(301, n_classes=4, noise=0.0, seed=0)
    assert np.bincount(y).tolist() == [76, 75, 75, 75]
    assert np.abs(np.hypot(X[:, 0], X[:, 1])).max() <= 1 + 1e-12


@pytest.mark.parametrize(
    ("call", "msg"),
    [(lambda: data.make_moons(1), "n_samples must be an int >= 2"), (lambda: data.make_moons(10, noise=-1), "noise"),
     (lambda: data.make_blobs(10, centers=0), "centers must be >= 1"),
     (lambda: data.make_blobs(10, centers=[1, 2]), "centers must be an int or an array"),
     (lambda: data.make_spirals(10, n_classes=0), "n_classes"), (lambda: data.make_blobs(10, std=-1.0), "std")],
)
def test_synthetic_errors(call, msg):
    with pytest.raises(ValueError, match=msg):
        call()


# ---- digits ----------------------------------------------------------------------------------
def test_digits_bundled_file_and_shapes():
    X, y = data.load_digits()
    assert X.shape == (1797, 64) and y.shape == (1797,) and X.dtype == np.float64 and y.dtype == np.int64
    assert X.min() == 0 and X.max() == 16 and np.array_equal(X, np.round(X))
    assert np.bincount(y).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    files = resources.files("tinygrad_cn.data").joinpath("files")
    raw = files.joinpath("digits.csv.gz").read_bytes()
    assert hashlib.sha256(raw).hexdigest()[:16] == "09f66e6debdee2cd"  # the file from scikit-learn 1.9.1, unchanged
    note = files.joinpath("DIGITS-LICENSE.txt").read_text(encoding="utf-8")
    assert "CC BY 4.0" in note and "Alpaydin" in note
    X[0, 0] = 99  # a copy each call: the cache cannot be corrupted
    assert data.load_digits()[0][0, 0] == 0


# ---- text corpus -----------------------------------------------------------------------------
def test_corpus_contents():
    rows = data.load_corpus()
    assert len(rows) == 380
    texts = [r["text"] for r in rows]
    assert len(set(texts)) == len(texts)  # no duplicates
    counts = {}
    for r in rows:
        key = (r["task"], r["lang"], r["label"])
        counts[key] = counts.get(key, 0) + 1
    assert counts == {
        ("sentiment", "en", "positive"): 50, ("sentiment", "en", "negative"): 50,
        ("sentiment", "zh", "positive"): 50, ("sentiment", "zh", "negative"): 50,
        ("spam", "en", "spam"): 40, ("spam", "en", "ham"): 50,
        ("spam", "zh", "spam"): 40, ("spam", "zh", "ham"): 50,
    }
    zh = [r["text"] for r in rows if r["lang"] == "zh"]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in zh)
    texts, labels = data.load_sentiment("en")
    assert len(texts) == 100 and set(labels.tolist()) == {"positive", "negative"}
    texts, labels = data.load_spam()
    assert len(texts) == 180 and (labels == "spam").sum() == 80
    with pytest.raises(ValueError, match="lang must be"):
        data.load_spam("fr")


def test_tokenize_words_and_character_ngrams():
    assert data.tokenize("I'm NOT happy, really!") == ["i'm", "not", "happy", "really"]
    assert data.tokenize("很好看", char_ngram_range=(1, 3)) == ["很", "好", "看", "很好", "好看", "很好看"]
    assert data.tokenize("好。看") == ["好", "看"]  # n-grams never cross punctuation
    assert data.tokenize("iPhone 15 真香") == ["iphone", "15", "真", "香", "真香"]


def test_bag_of_words_counts_binary_and_unknown_words():
    docs = ["good good movie", "bad movie", "电影很好看"]
    bow = data.BagOfWords()
    X = bow.fit_transform(docs)
    vocab = bow.vocabulary_
    assert list(vocab) == sorted(vocab) and list(vocab.values()) == list(range(len(vocab)))
    assert X.shape == (3, len(vocab)) and X.dtype == np.float64
    assert X[0, vocab["good"]] == 2 and X[0, vocab["movie"]] == 1 and X[0, vocab["bad"]] == 0
    assert X[2, vocab["好看"]] == 1 and X[2, vocab["电"]] == 1
    np.testing.assert_array_equal(bow.transform(["unseen words only"]), np.zeros((1, len(vocab))))
    assert data.BagOfWords(binary=True).fit_transform(docs)[0].max() == 1
    assert bow.get_feature_names_out().tolist() == sorted(vocab)


def test_bag_of_words_min_df_and_max_features():
    docs = ["a b c", "a b", "a"]
    assert list(data.BagOfWords(min_df=2).fit(docs).vocabulary_) == ["a", "b"]
    assert list(data.BagOfWords(max_features=1).fit(docs).vocabulary_) == ["a"]


def test_bag_of_words_errors():
    with pytest.raises(ValueError, match="not fitted"):
        data.BagOfWords().transform(["x"])
    with pytest.raises(TypeError, match="single str"):
        data.BagOfWords().fit("one document")
    with pytest.raises(TypeError, match="document 1 is a int"):
        data.BagOfWords().fit(["ok", 3])
    with pytest.raises(ValueError, match="empty vocabulary"):
        data.BagOfWords().fit(["!!!", "..."])
    with pytest.raises(ValueError, match="char_ngram_range"):
        data.BagOfWords(char_ngram_range=(2, 1))


def test_bag_of_words_separates_the_corpus():
    """Words carry the label: a nearest-centroid rule on the features beats chance clearly."""
    texts, labels = data.load_spam()
    X = data.BagOfWords(binary=True).fit_transform(texts)
    spam = labels == "spam"
    score = X @ (X[spam].mean(0) - X[~spam].mean(0))
    assert ((score > np.median(score)) == spam).mean() > 0.8


# ---- minibatches, split, scaling --------------------------------------------------------------
def test_minibatches_cover_every_sample_once():
    X, y = np.arange(20.0).reshape(10, 2), np.arange(10)
    batches = list(data.minibatches(X, y, batch_size=3, seed=0))
    assert [len(b[1]) for b in batches] == [3, 3, 3, 1]
    seen = np.concatenate([b[1] for b in batches])
    assert sorted(seen.tolist()) == list(range(10)) and seen.tolist() != list(range(10))
    for xb, yb in batches:
        assert np.array_equal(xb[:, 0], 2 * yb)  # rows stay paired with their labels
    again = [b[1].tolist() for b in data.minibatches(X, y, batch_size=3, seed=0)]
    assert again == [b[1].tolist() for b in batches]
    assert [len(b) for b in data.minibatches(X, batch_size=3, shuffle=False, drop_last=True)] == [3, 3, 3]
    rng = np.random.default_rng(0)  # a Generator keeps advancing: epochs differ
    e1 = [b.tolist() for b in data.minibatches(y, batch_size=10, seed=rng)]
    e2 = [b.tolist() for b in data.minibatches(y, batch_size=10, seed=rng)]
    assert e1 != e2


def test_minibatches_lists_and_errors():
    texts = ["a", "b", "c"]
    assert list(data.minibatches(texts, ["x", "y", "z"], batch_size=2, shuffle=False)) == [
        (["a", "b"], ["x", "y"]), (["c"], ["z"])]
    with pytest.raises(ValueError, match="X has 3 samples but y has 2"):
        list(data.minibatches(texts, [1, 2], batch_size=2))
    with pytest.raises(ValueError, match="batch_size must be a positive int"):
        list(data.minibatches(texts, batch_size=0))


def test_train_test_split():
    X, y = np.arange(200).reshape(100, 2), np.repeat([0, 1, 2, 3], 25)
    X_tr, X_te, _, y_te = data.train_test_split(X, y, test_size=0.2, seed=0, stratify=True)
    assert len(X_tr) == 80 and len(X_te) == 20
    assert np.bincount(y_te).tolist() == [5, 5, 5, 5]
    assert set(X_tr[:, 0]).isdisjoint(X_te[:, 0]) and np.array_equal(X_te[:, 0] // 2 // 25, y_te)
    a = data.train_test_split(X, y, test_size=10, seed=1)
    b = data.train_test_split(X, y, test_size=10, seed=1)
    assert len(a[1]) == 10 and all(np.array_equal(u, v) for u, v in zip(a, b))
    texts = [f"t{i}" for i in range(10)]
    _, te, _, yte = data.train_test_split(texts, [i % 2 for i in range(10)], test_size=0.3, seed=0)
    assert len(te) == 3 and isinstance(te, list) and all(int(t[1:]) % 2 == lab for t, lab in zip(te, yte))
    with pytest.raises(ValueError, match="test_size"):
        data.train_test_split(X, y, test_size=1.5)
    with pytest.raises(ValueError, match="X has 100 samples but y has 3"):
        data.train_test_split(X, y[:3])


def test_standard_scaler():
    X = np.array([[1.0, 5.0], [3.0, 5.0], [5.0, 5.0]])
    s = data.StandardScaler().fit(X)
    Z = s.transform(X)
    np.testing.assert_allclose(Z[:, 0], [-np.sqrt(1.5), 0, np.sqrt(1.5)])
    np.testing.assert_array_equal(Z[:, 1], 0)  # constant column: no division by zero
    assert s.transform(X.astype(np.float32)).dtype == np.float32
    with pytest.raises(ValueError, match="expected"):
        s.transform(np.ones((2, 3)))
    with pytest.raises(ValueError, match="call fit"):
        data.StandardScaler().transform(X)
