# One-command set-up: every target below builds .venv itself when it is missing
# or older than pyproject.toml.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PLAY_STAMP := $(VENV)/.installed-play

.PHONY: play test test-long lint check bench clean

# Playing needs only the runtime (and the `web` extra for `archer serve`), not the test and lint tools.
play: $(PLAY_STAMP)
	$(BIN)/archer

# Two workers a core: the TUI tests spend most of their time waiting for the app to settle, and
# a second worker keeps the core busy meanwhile (2 cores, quiet: pytest 111 s with 2 workers, 84-97 s with 4).
WORKERS ?= $(shell $(PYTHON) -c "import os; print(2 * (os.cpu_count() or 1))")

# Property tests in the small, derandomized `ci` profile; `long` runs left to test-long.
# (The shipped story's `archer check` is one of the tests, its soft-lock proof included: test_archer_check_exits_0_on_the_shipped_story.)
# Measured 2026-12-02 07:00 on the 2 cores with nothing else running, 886 tests: make test in main 80 s
# of wall (pytest 75 s); in a fresh clone, .venv built, 89 s (pytest 81 s), and CI's first run there, which
# compiles as it goes, pytest 92 s. Shared with other jobs (load 7-14): 3 min 21 s to 4 min 40 s.
# In a TUI test worker the app's idle garbage collections
# walked pytest's whole heap: 22 s of CPU, now 5 (tests/tui/conftest.py).
# PYTHONDONTWRITEBYTECODE is cleared for the run: with it set, every worker and every `archer` a test
# starts compiles game/ and rewrites the tests' asserts again (1.5 s a process); the caches stay out of git.
test: $(STAMP)
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -n $(WORKERS) --hypothesis-profile=ci

# Everything, the long property runs included, with many more examples each.
test-long: $(STAMP)
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -n $(WORKERS) -m "" --hypothesis-profile=long

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check game tests
	$(BIN)/mypy
	$(BIN)/mypy tests/tui

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[bench]'
	$(BIN)/python benchmarks/run.py

check: $(STAMP)
	$(BIN)/archer check story

$(PLAY_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[web]'
	touch $(PLAY_STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP) $(PLAY_STAMP)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build dist
