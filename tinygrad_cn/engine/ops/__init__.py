"""Primitive ops of the engine: each class keeps its forward, backward and formula together.

- ``arithmetic``: + − × ÷ ** and unary minus
- ``elementwise``: exp, log, sqrt, abs, where
- ``reduce``: sum, mean, max
- ``movement``: reshape, transpose, broadcast_to, sum_to, indexing
- ``linalg``: matmul
- ``nonlinear``: sigmoid, tanh, relu (Value methods; their ``F.`` forms are in
  :mod:`tinygrad_cn.activations.basic`)

These are the ops Value's operators and methods use. The notes' other activations live in
:mod:`tinygrad_cn.activations`, losses in :mod:`tinygrad_cn.losses`, information measures in
:mod:`tinygrad_cn.info`: they build on the engine, never the other way round.
"""
