# Two commands on a fresh machine: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA ?= $(CURDIR)/data
export REVERIE_DATA_DIR ?= $(DATA)

.PHONY: demo test lint typecheck pytest bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: $(VENV)/.installed
	$(BIN)/reverie demo

test: $(VENV)/.installed lint typecheck pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests bench tools

typecheck: $(VENV)/.installed
	$(BIN)/mypy

pytest: $(VENV)/.installed
	$(BIN)/pytest

bench: $(VENV)/.installed
	$(BIN)/python bench/cli_startup.py
	$(BIN)/python bench/import_sessions.py
	$(BIN)/python bench/analysis_throughput.py
	$(BIN)/python bench/analysis_quality.py
	$(BIN)/python bench/companion_quality.py
	$(BIN)/python bench/companion_memory.py
	$(BIN)/python bench/companion_latency.py
	$(BIN)/python bench/audit_cost.py

clean:
	rm -rf $(VENV) $(DATA) .mypy_cache .pytest_cache .ruff_cache
