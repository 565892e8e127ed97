"""Benchmarks: each contender is timed interleaved with a hand-written numpy version of the same
computation (or micrograd) in one run, and results are reported as ratios with their min–max over
rounds. Run ``python -m benchmarks``.

numpy's BLAS runs on **one thread** here (set before numpy is imported, unless the caller set it):
on a shared 2-core machine a BLAS thread pool makes the figures jumpy, and a framework overhead
hides behind a second core. ``BENCH_BLAS_THREADS=n`` overrides it.
"""

import os

_threads = os.environ.get("BENCH_BLAS_THREADS", "1")
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, _threads)
