# The two commands: `make run` and `make test`. Both create .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Re-install only when the project's metadata changes.
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test

.PHONY: run test lint typecheck clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[discord,slack]"
	touch $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[discord,slack,test]"
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(BIN)/practicebot run $(ARGS)

test: $(STAMP_TEST)
	$(BIN)/python -m pytest
	$(BIN)/ruff check bot tests
	$(BIN)/mypy bot

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
