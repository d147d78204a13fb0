# Every target installs what it needs: a local .venv with the library and its test tools.
# Targets are idempotent and non-interactive, so CI (CI=true, no terminal) runs them as they are.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export PYTHONDONTWRITEBYTECODE := 1
# The CDK paths (docs/terraform.md): cdktf-cli 0.21.0 (CDKTF), cdktn-cli 0.24.0 (CDK Terrain) and
# Node.js 22 (the npm package `node`, a binary for this machine, x86_64 or aarch64) from the npm
# registry, pinned by package-lock.json, in ./node_modules. Its .bin comes first on PATH, so both
# CLIs and jsii run on Node.js 22 whatever the system has (cdktn-cli needs 22.19 or newer). The
# Python bindings of both CDKs share .venv (the cdktf and cdktn extras). No telemetry. Neither
# synth needs a terraform binary. Node.js and npm are needed only here: without npm, `make demo`
# runs every other section and says how to enable the CDK ones.
NODE_STAMP := node_modules/.installed
NODE_BIN   := $(CURDIR)/node_modules/.bin
HAVE_NPM   := $(shell command -v npm 2>/dev/null)
export PATH := $(NODE_BIN):$(PATH)
export CHECKPOINT_DISABLE := 1
export npm_config_fund := false
export npm_config_audit := false
export npm_config_update_notifier := false

.PHONY: demo test fuzz bench lint clean browser prometheus

$(PY):
	$(PYTHON) -m venv $(VENV)

# -qq: warnings off, errors still shown (setuptools explains every editable install at length).
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -qq --upgrade pip
	$(PY) -m pip install -qq -e '.[dev,cdktf,cdktn,bot]'
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm not found: the CDK paths and their tests need Node.js 20 or newer with npm (https://nodejs.org), which installs the rest into ./node_modules" >&2; exit 1; }
	npm ci --loglevel=error --no-progress >/dev/null
	touch $(NODE_STAMP)

## demo: the main job on the bundled example (the seed team's schedule and policy)
demo: $(STAMP) $(if $(HAVE_NPM),$(NODE_STAMP))
	$(PY) examples/seed_team.py

## test: the whole test suite (HYPOTHESIS_PROFILE=long for a longer property search)
test: $(STAMP) $(NODE_STAMP) browser prometheus
	$(PY) -m pytest -n 2 -q

## fuzz: the fuzz suite (tests/fuzz, also part of make test) searching much longer: the long
## hypothesis profile and 20 times the mutants; FUZZ_SEED=N for other mutants, FUZZ_SCALE=N for more
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=long $(PY) -m pytest tests/fuzz -n 2 -q

## browser: Debian's chromium for the HTML report test, installed only when missing
## (CI runs as root; elsewhere sudo is used without a prompt, or the install fails with a message)
SUDO := $(if $(filter 0,$(shell id -u)),,sudo -n)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the HTML report test..."; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

## prometheus: Debian's prometheus package (promtool and the server) for the SLO tests and
## benchmark, installed only when missing, like the browser above
prometheus:
	@{ command -v promtool && command -v prometheus; } >/dev/null 2>&1 || { \
		echo "Installing Debian's prometheus (promtool and the server) for the SLO tests..."; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
			prometheus >/dev/null; }

## bench: benchmarks that print ratios against a baseline measured in the same run. The SLO
## benchmark runs on 10 SLOs x 30 days here (about a minute; its work grows linearly with both);
## the full year of 50 SLOs takes most of an hour: make bench SLO_BENCH_ARGS= (or run
## benchmarks/slo_bench.py alone)
SLO_BENCH_ARGS ?= --days 30 --slos 10
bench: $(STAMP) $(NODE_STAMP) prometheus
	$(PY) benchmarks/startup_bench.py
	$(PY) benchmarks/render_bench.py
	$(PY) benchmarks/shift_bench.py
	$(PY) benchmarks/scale_bench.py
	$(PY) benchmarks/fairness_bench.py
	$(PY) benchmarks/checks_bench.py
	$(PY) benchmarks/emit_bench.py
	$(PY) benchmarks/import_bench.py
	$(PY) benchmarks/health_bench.py
	$(PY) benchmarks/migrate_bench.py
	$(PY) benchmarks/slo_bench.py $(SLO_BENCH_ARGS)
	$(PY) benchmarks/hostile_bench.py

## lint: ruff (lint and format check) and mypy on the library
lint: $(STAMP)
	$(PY) -m ruff check oncall_planner tests examples benchmarks
	$(PY) -m ruff format --check oncall_planner tests examples benchmarks
	$(PY) -m mypy

clean:
	rm -rf $(VENV) node_modules build *.egg-info .pytest_cache .hypothesis .mypy_cache .ruff_cache
