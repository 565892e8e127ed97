# Two commands on a fresh machine:  make demo  /  make test
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test test-thorough lint bench clean notebooks

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed-examples: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[examples]"
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

# the last line of make demo: how to get English, and how to run the installed command yourself
DEMO_HINT := English: $(BIN)/tinygrad-cn demo --lang en  ·  自己运行 / run it yourself: source $(BIN)/activate, then tinygrad-cn --help

demo: $(VENV)/.installed-examples
	$(BIN)/python -m tinygrad_cn demo
	@echo "$(DEMO_HINT)"

test: $(VENV)/.installed-dev
	$(BIN)/ruff check tinygrad_cn tests benchmarks examples docs notebooks/*.py
	$(BIN)/python -m pytest -q

# regenerate notebooks/{zh,en}/*.ipynb from the docs' Markdown (tests/test_notebooks.py executes them)
notebooks: $(VENV)/.installed-dev
	$(BIN)/python notebooks/build.py

# fresh random hypothesis examples, many more of them (make test is derandomized, reproducible)
test-thorough: $(VENV)/.installed-dev
	HYPOTHESIS_PROFILE=thorough $(BIN)/python -m pytest -q

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check tinygrad_cn tests benchmarks examples docs notebooks/*.py

bench: $(VENV)/.installed-dev
	$(BIN)/pip install -q -e ".[bench]"
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache tinygrad_cn_demo
