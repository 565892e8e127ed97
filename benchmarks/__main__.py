"""Run every benchmark: ``python -m benchmarks``."""

import importlib
import pkgutil

import benchmarks

for mod in sorted(m.name for m in pkgutil.iter_modules(benchmarks.__path__) if m.name.startswith("bench_")):
    print(f"\n# {mod}")
    importlib.import_module(f"benchmarks.{mod}").main()
