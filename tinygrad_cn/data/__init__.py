"""Data for the examples: seeded synthetic sets, the UCI digits, a bilingual text corpus with a
bag-of-words vectorizer, and the plumbing of a training loop (minibatches, split, scaling)."""

from .batching import StandardScaler, minibatches, train_test_split
from .corpora import load_text, random_windows, text_corpora, unigram_entropy
from .digits import load_digits
from .synthetic import make_blobs, make_moons, make_spirals
from .text import BagOfWords, load_corpus, load_sentiment, load_spam, tokenize
from .tokenizer import CharTokenizer

__all__ = [
    "BagOfWords", "CharTokenizer", "StandardScaler", "load_corpus", "load_digits", "load_sentiment", "load_spam",
    "load_text", "make_blobs", "make_moons", "make_spirals", "minibatches", "random_windows", "text_corpora",
    "tokenize", "train_test_split", "unigram_entropy",
]
