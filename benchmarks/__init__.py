"""Benchmarks: each contender is timed interleaved with a hand-written numpy version of the same
computation in one run, and results are reported as ratios. Run ``python -m benchmarks``."""
