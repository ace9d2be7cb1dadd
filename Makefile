# meetbridge: `make demo` runs the bridge on its embedded defaults,
# `make test` runs every check. Both set themselves up on a fresh machine.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench

.PHONY: demo test lint typecheck unit setup clean bench lock

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

# `make demo BACKEND=callaba` runs it against the Callaba sandbox;
# `make demo MESSENGER=trueconf` shows TrueConf's own chat (its sandbox).
BACKEND ?= trueconf
MESSENGER ?= console
demo: $(STAMP)
	$(BIN)/meetbridge demo --backend $(BACKEND) --messenger $(if $(filter trueconf,$(MESSENGER)),trueconf_chat,$(MESSENGER))

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest tests/unit -q

test: lint typecheck
	$(BIN)/pytest -q

# requirements.lock: every dependency of the image pinned with its hashes,
# for each platform. Run after changing dependencies in pyproject.toml (needs
# the package index); `make test` checks the two are in step, offline.
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet 'uv>=0.5'
	$(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 \
		--generate-hashes --custom-compile-command "make lock" --quiet -o requirements.lock

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_STAMP)

# Measurements, not tests: every bench/*.py, results in docs/benchmarks.md
# (about 20 minutes; needs PostgreSQL as `make test` does).
bench: $(BENCH_STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
