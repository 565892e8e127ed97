"""Activation functions, each a primitive op with its own analytic backward (the notes' 激活函数)."""
