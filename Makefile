# The two commands of the README: `make demo` and `make test`. Both do all set-up on a fresh
# Debian 12 machine (system packages, the virtual environment); the stamps make re-runs fast.
VENV ?= .venv
STAMP_SYS := $(VENV)/.system-packages
STAMP_PY := $(VENV)/.installed

.PHONY: demo test lint setup clean-demo

setup: $(STAMP_SYS) $(STAMP_PY)

$(STAMP_SYS): scripts/setup-system.sh
	bash scripts/setup-system.sh
	mkdir -p $(VENV) && touch $@

$(STAMP_PY): pyproject.toml scripts/setup.sh $(STAMP_SYS)
	bash scripts/setup.sh $(VENV)
	touch $@

demo: setup
	$(VENV)/bin/jixiao demo --out demo-out

test: setup
	bash scripts/test.sh

lint: setup
	$(VENV)/bin/ruff check .
