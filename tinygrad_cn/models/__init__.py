"""scikit-learn-style classifiers trained by tinygrad_cn: the notes' four linear classifiers and a
SwiGLU feed-forward network.

>>> from tinygrad_cn.models import LogisticRegression, SoftmaxRegression, Perceptron, LinearSVM
"""

from .base import NotFittedError
from .ffn import FeedForwardClassifier
from .linear import LinearSVM, LogisticRegression, Perceptron, SoftmaxRegression
from .llama import TinyLlama, load_llama, save_llama, train_language_model

__all__ = [
    "FeedForwardClassifier", "LinearSVM", "LogisticRegression", "NotFittedError", "Perceptron", "SoftmaxRegression",
    "TinyLlama", "load_llama", "save_llama", "train_language_model",
]
