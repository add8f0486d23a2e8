# make up: a working mesh on this machine; make test: the whole suite; make down: stop what up started.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: up down test bench tools venv system-packages api-double

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

tools/bin/consul:
	bash scripts/install-consul.sh

system-packages:
	bash scripts/install-system-packages.sh

api-double:
	bash scripts/install-api-double.sh

tools: tools/bin/consul system-packages api-double

up: venv tools
	bash scripts/up.sh

down:
	bash scripts/down.sh

test: venv tools
	$(PY) -m pytest $(PYTEST_ARGS)

bench: venv tools
	$(PY) -m bench $(BENCH_ARGS)
