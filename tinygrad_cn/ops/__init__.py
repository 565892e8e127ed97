"""Primitive ops of the engine: each class keeps its forward, backward and formula together.

- ``arithmetic``: + − × ÷ ** and unary minus
- ``elementwise``: exp, log, sqrt, abs, where
- ``reduce``: sum, mean, max
- ``movement``: reshape, transpose, broadcast_to, sum_to, indexing
- ``linalg``: matmul

Activations live in :mod:`tinygrad_cn.activations`, losses in :mod:`tinygrad_cn.losses`.
"""
