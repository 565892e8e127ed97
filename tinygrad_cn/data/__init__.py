"""Data for the examples: seeded synthetic sets, the UCI digits, a bilingual text corpus with a
bag-of-words vectorizer, and the plumbing of a training loop (minibatches, split, scaling)."""

from .batching import StandardScaler, minibatches, train_test_split
from .digits import load_digits
from .synthetic import make_blobs, make_moons, make_spirals
from .text import BagOfWords, load_corpus, load_sentiment, load_spam, tokenize

__all__ = [
    "BagOfWords", "StandardScaler", "load_corpus", "load_digits", "load_sentiment", "load_spam",
    "make_blobs", "make_moons", "make_spirals", "minibatches", "tokenize", "train_test_split",
]
