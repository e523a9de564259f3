# Two commands do all set-up on a fresh machine:
#   make demo   - pulumi up of the quickstart stack against the local Outposts emulator
#   make test   - ruff, mypy and pytest (unit, emulator and end-to-end tests through the real engine)
#   make dist   - the wheel and sdist, for installing the package into another project
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := $(CURDIR)/.venv
LOCAL := $(CURDIR)/.local
STACK ?= dev
DIST ?= $(CURDIR)/dist
CACHE_DIR ?= $(HOME)/.cache/pulumi-outposts-orders

# Runtime settings: the engine never reaches for the internet and never asks questions.
export PULUMI_SKIP_UPDATE_CHECK := true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION := true
export PULUMI_HOME := $(LOCAL)/pulumi-home
export PULUMI_BACKEND_URL := file://$(LOCAL)/state
export PULUMI_CONFIG_PASSPHRASE ?= outposts-orders-demo
export PULUMI_OUTPOSTS_ORDERS_CACHE := $(CACHE_DIR)
export PATH := $(VENV)/bin:$(PATH)

.PHONY: help venv engine demo test lint bench dist clean

help:
	@echo "make demo   - set up everything, start the local Outposts emulator, pulumi up the quickstart"
	@echo "make test   - set up everything, then ruff, mypy and pytest"
	@echo "make engine - provision the Pulumi engine; prints its directory as the last line"
	@echo "make bench  - benchmarks (bench/results.md)"
	@echo "make dist   - build the wheel and sdist into dist/ (DIST=DIR for another directory)"

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	@echo "==> Python environment ($(VENV))"
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	@$(VENV)/bin/python -m pip install --quiet --upgrade pip
	@$(VENV)/bin/python -m pip install --quiet -c constraints.txt -e '.[test,dev,aws]'
	@touch $@

engine: venv
	@$(VENV)/bin/python scripts/provision_engine.py

# The engine directory goes first on PATH for the recipes below.
ENGINE_PATH = PATH="$$($(VENV)/bin/python scripts/provision_engine.py | tail -n1):$$PATH"

lint: venv
	@echo "==> ruff"
	@$(VENV)/bin/ruff check provider tests examples scripts bench
	@echo "==> mypy"
	@$(VENV)/bin/mypy

test: venv lint
	@echo "==> Pulumi engine"
	@export $(ENGINE_PATH) && echo "==> pytest" && $(VENV)/bin/python -m pytest -ra

demo: venv
	@echo "==> Pulumi engine"
	@export $(ENGINE_PATH) && $(VENV)/bin/python scripts/demo.py --stack $(STACK)

bench: venv
	@export $(ENGINE_PATH) && $(VENV)/bin/python bench/run.py $(BENCH_ARGS)

dist: venv
	@echo "==> wheel and sdist ($(DIST))"
	@rm -rf $(DIST) build
	@$(VENV)/bin/python -m build --outdir $(DIST) . >/dev/null
	@ls -1 $(DIST)

clean:
	rm -rf $(LOCAL) .mypy_cache .ruff_cache .pytest_cache dist build
