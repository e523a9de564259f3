# Two commands do all set-up on a fresh machine:
#   make demo   - pulumi up of the quickstart stack against the local Outposts emulator
#   make test   - in stages, stopping at the first that fails: ruff and mypy; the fast tests (Debian's Chromium
#                 first, `make browser`, for the status page's browser test); the end-to-end tests (the real
#                 engine, in parallel); Python 3.12 and 3.13; a short end-to-end set on the oldest Pulumi pair
#                 (versions.toml)
#   make dist   - the wheel and sdist, for installing the package into another project
#   make lock   - refresh requirements.lock and requirements-oldest.lock from pyproject.toml (keeping pins;
#                 UPGRADE=1 moves every pin to the newest allowed version)
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := $(CURDIR)/.venv
OLDEST_VENV := $(CURDIR)/.venv-oldest
# The end-to-end set that also runs on the oldest supported pair of engine and SDK.
OLDEST_TESTS := tests/orders/test_e2e_order_lifecycle.py tests/orders/test_e2e_import.py \
	tests/safety/test_e2e_identity_orders.py tests/engine \
	tests/policy/test_policy_pack_e2e.py::test_each_rule_broken_fails_preview_and_up_and_nothing_is_ordered \
	tests/policy/test_policy_pack_e2e.py::test_any_python_pack_sees_the_stacks_project_stack_and_config
# pytest-xdist workers of every pytest run of `make test` (the end-to-end tests mostly wait on the engine's
# subprocesses: two workers halve that stage on two cores); `make test TEST_WORKERS=0` runs each in one process.
TEST_WORKERS ?= 2
PAIR = $(shell $(PYTHON) -c "import tomllib; print(tomllib.load(open('versions.toml', 'rb'))['pairs']['$(1)']['$(2)'])")
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

.PHONY: help venv oldest-venv engine browser demo test test-fast test-e2e test-other-pythons test-oldest lint bench \
	dist lock clean

help:
	@echo "make demo   - set up everything, start the local Outposts emulator, pulumi up the quickstart"
	@echo "make test   - set up everything, then in stages: ruff and mypy, fast tests, end-to-end tests, other Pythons,"
	@echo "              the oldest pair (stops at the first stage that fails)"
	@echo "make engine - provision the Pulumi engine; prints its directory as the last line"
	@echo "make browser - Debian's Chromium for the page test (apt-get, as root, when /usr/bin/chromium is missing)"
	@echo "make bench  - benchmarks (bench/results.md)"
	@echo "make dist   - build the wheel and sdist into dist/ (DIST=DIR for another directory)"
	@echo "make lock   - refresh the hash-pinned locks (requirements*.lock) from pyproject.toml and versions.toml"
	@echo "              (UPGRADE=1: newest allowed versions)"

venv: $(VENV)/.installed

# Exactly the locked set (hashes checked), then this package itself without dependencies.
define install_locked
	@test -x $(1)/bin/python || $(PYTHON) -m venv $(1)
	@$(1)/bin/python -m pip install --quiet --require-hashes -r $(2)
	@$(1)/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(1)/.installed
endef

$(VENV)/.installed: pyproject.toml requirements.lock
	@echo "==> Python environment ($(VENV), requirements.lock)"
	$(call install_locked,$(VENV),requirements.lock)

oldest-venv: $(OLDEST_VENV)/.installed

$(OLDEST_VENV)/.installed: pyproject.toml requirements-oldest.lock
	@echo "==> Python environment of the oldest pair ($(OLDEST_VENV), requirements-oldest.lock)"
	$(call install_locked,$(OLDEST_VENV),requirements-oldest.lock)

lock: venv
	@echo "==> requirements.lock (pulumi $(call PAIR,newest,sdk)), requirements-oldest.lock (pulumi $(call PAIR,oldest,sdk))"
	@for pair in "newest requirements.lock" "oldest requirements-oldest.lock"; do set -- $$pair; \
		sdk=$$($(PYTHON) -c "import tomllib; print(tomllib.load(open('versions.toml', 'rb'))['pairs']['$$1']['sdk'])"); \
		CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe \
			--strip-extras --no-emit-find-links --extra test --extra dev --extra aws $(if $(UPGRADE),--upgrade) \
			-P pulumi==$$sdk -o $$2 pyproject.toml; \
	done

engine: venv
	@$(VENV)/bin/python scripts/provision_engine.py

# Debian's Chromium, which tests/status/test_status_page.py opens `outposts-orders status --html` pages in through
# Playwright (never a browser of Playwright's own: none can be downloaded here). Installed with apt-get, as root,
# when /usr/bin/chromium is missing; a prerequisite of the stages that run the fast tests.
CHROMIUM := /usr/bin/chromium

browser:
	@if [ -x $(CHROMIUM) ]; then echo "==> Chromium: $$($(CHROMIUM) --version 2>/dev/null || echo $(CHROMIUM))"; exit 0; fi; \
	fail() { echo "make browser: $$1; the page test needs Debian's chromium package ($(CHROMIUM)): install it with" \
		"'apt-get install -y --no-install-recommends chromium' as root, then run make test again" >&2; exit 1; }; \
	echo "==> Chromium: $(CHROMIUM) is missing; installing Debian's chromium package (apt-get)"; \
	[ "$$(id -u)" = 0 ] || fail "installing it needs root (this is user $$(id -un))"; \
	command -v apt-get >/dev/null || fail "there is no apt-get on this machine"; \
	start=$$(date +%s); \
	echo "==> apt-get update"; \
	DEBIAN_FRONTEND=noninteractive apt-get update -q || fail "apt-get update failed"; \
	echo "==> apt-get install -y --no-install-recommends chromium"; \
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -o Dpkg::Progress-Fancy=0 \
		chromium || fail "apt-get install chromium failed"; \
	[ -x $(CHROMIUM) ] || fail "the chromium package installed no $(CHROMIUM)"; \
	echo "==> Chromium: $$($(CHROMIUM) --version 2>/dev/null) (installed in $$(( $$(date +%s) - start )) s)"

# The engine directory goes first on PATH for the recipes below.
ENGINE_PATH = PATH="$$($(VENV)/bin/python scripts/provision_engine.py | tail -n1):$$PATH"

lint: venv
	@echo "==> ruff"
	@$(VENV)/bin/ruff check provider tests examples scripts bench noxfile.py
	@echo "==> mypy"
	@$(VENV)/bin/mypy

# Stages, cheapest first; each runs only if the ones before it passed. Together they run every test.
test: venv
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory test-fast
	@$(MAKE) --no-print-directory test-e2e
	@$(MAKE) --no-print-directory test-other-pythons
	@$(MAKE) --no-print-directory test-oldest

# The newest pair: everything but the end-to-end tests (the engine is on PATH all the same). Whole files go
# to one worker (--dist loadfile), so a module's client built on first use (tests/go, tests/js) is built once.
test-fast: venv browser
	@echo "==> Pulumi engine (newest pair)"
	@export $(ENGINE_PATH) && echo "==> pytest (newest pair: the fast tests, -m 'not e2e')" && \
		$(VENV)/bin/python -m pytest -ra -m "not e2e" -n $(TEST_WORKERS) --dist loadfile

# The newest pair: the end-to-end tests (@pytest.mark.e2e), test by test on the workers.
test-e2e: venv
	@echo "==> Pulumi engine (newest pair)"
	@export $(ENGINE_PATH) && echo "==> pytest (newest pair: the end-to-end tests, -m e2e)" && \
		$(VENV)/bin/python -m pytest -ra -m e2e -n $(TEST_WORKERS)

# Python 3.12 and 3.13 (pyenv's, when the shims do not expose them): the fast tests and a short end-to-end set.
OTHER_PYTHONS = $(subst $(eval) ,:,$(wildcard $(HOME)/.pyenv/versions/3.12*/bin $(HOME)/.pyenv/versions/3.13*/bin))

test-other-pythons: venv browser
	@echo "==> Python 3.12 and 3.13 (nox: fast tests, a short end-to-end set)"
	@export $(ENGINE_PATH) && PATH="$(OTHER_PYTHONS):$$PATH" TEST_WORKERS=$(TEST_WORKERS) $(VENV)/bin/nox -s other_pythons

test-oldest: oldest-venv
	@echo "==> Pulumi engine (oldest pair)"
	@export PATH="$$($(OLDEST_VENV)/bin/python scripts/provision_engine.py --pair oldest | tail -n1):$$PATH" && \
		echo "==> pytest (oldest pair: a short end-to-end set)" && \
		$(OLDEST_VENV)/bin/python -m pytest -ra -n $(TEST_WORKERS) $(OLDEST_TESTS)

demo: venv
	@echo "==> Pulumi engine"
	@export $(ENGINE_PATH) && $(VENV)/bin/python scripts/demo.py --stack $(STACK)

bench: venv
	@export $(ENGINE_PATH) && $(VENV)/bin/python bench/run.py $(BENCH_ARGS)
	@$(VENV)/bin/python bench/claim_store.py

dist: venv
	@echo "==> wheel and sdist ($(DIST))"
	@rm -rf $(DIST) build
	@$(VENV)/bin/python -m build --outdir $(DIST) . >/dev/null
	@ls -1 $(DIST)

clean:
	rm -rf $(LOCAL) .mypy_cache .ruff_cache .pytest_cache dist build $(OLDEST_VENV) .nox
