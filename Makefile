# Two entry points for a fresh clone: `make demo` runs runstrong, `make test` runs every check.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

PG_URL ?= postgresql://postgres@127.0.0.1:5432/test
# The scale-path run also keeps rate limits in Redis, as several workers would share them.
REDIS_URL ?= redis://127.0.0.1:6379/15

.PHONY: demo test test-sqlite test-postgres bench lint chromium postgres wrk

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The pages' own front-end packages (charts, accessibility checks) come from npm, never a CDN.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENV)/.installed: pyproject.toml node_modules/.installed | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml node_modules/.installed | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/runstrong demo

lint: $(VENV)/.test-installed
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src
	$(BIN)/lint-imports

# Browser tests drive Debian's chromium; install it when it is missing (needs root, as in CI).
chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

postgres:
	@pg_isready -q -h 127.0.0.1 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@for i in 1 2 3 4 5 6 7 8 9 10; do pg_isready -q -h 127.0.0.1 && break; sleep 1; done

test-sqlite: $(VENV)/.test-installed chromium
	$(BIN)/python -m pytest

test-postgres: $(VENV)/.test-installed chromium postgres
	RUNSTRONG_DATABASE_URL=$(PG_URL) RUNSTRONG_CACHE_URL=$(REDIS_URL) $(BIN)/python -m pytest

test: lint test-sqlite test-postgres

wrk:
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

bench: $(VENV)/.test-installed wrk chromium
	$(BIN)/python -m bench.plan_throughput
	$(BIN)/python -m bench.overview_latency
	$(BIN)/python -m bench.export_stream
	$(BIN)/python -m bench.set_log_cost
	$(BIN)/python -m bench.api_load
	$(BIN)/python -m bench.replan_engine
	$(BIN)/python -m bench.complete_session
	RUNSTRONG_DATABASE_URL=$(dir $(PG_URL))runstrong_bench $(BIN)/python -m bench.complete_session
	$(BIN)/python -m bench.publish_squad
	RUNSTRONG_DATABASE_URL=$(dir $(PG_URL))runstrong_bench $(BIN)/python -m bench.publish_squad
	$(BIN)/python -m bench.phone_weight
	$(BIN)/python -m bench.plan_review
	RUNSTRONG_DATABASE_URL=$(dir $(PG_URL))runstrong_bench $(BIN)/python -m bench.plan_review
	$(BIN)/python -m bench.athlete_page
	$(BIN)/python -m bench.replace_squad
	$(BIN)/python -m bench.run_import
	$(BIN)/python -m bench.scale
	RUNSTRONG_DATABASE_URL=$(dir $(PG_URL))runstrong_bench $(BIN)/python -m bench.scale

# The plan-follows-the-log benches also run on PostgreSQL, in a database of their own they wipe.
# bench.scale keeps its 5,000-athlete club in runstrong_bench_cache (and a SQLite copy in
# ~/.cache/runstrong-bench), rebuilt when the migrations or the builder change.
bench: postgres
