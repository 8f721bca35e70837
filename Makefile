# Quick start targets. Each one creates .venv and installs the project into it first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup browser redis demo test lint bench clean

$(BIN)/zwgk: pyproject.toml setup.py pipeline/extract/_ctree.pyx
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/zwgk

setup: $(BIN)/zwgk

demo: setup
	$(BIN)/zwgk demo $(DEMO_ARGS)

test: setup browser redis
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Chromium and a CJK font for the browser tests (tests/browser): Debian's packages, installed
# with apt-get when missing and run as root; elsewhere the browser tests skip and say why.
browser:
	@if ! command -v chromium >/dev/null || ! fc-list :lang=zh 2>/dev/null | grep -q .; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Chromium and a CJK font (apt-get install chromium fonts-wqy-zenhei)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      chromium fonts-wqy-zenhei >/dev/null; \
	  else \
	    echo "note: Chromium or a CJK font is missing: the browser tests will skip (as root: make browser)"; \
	  fi; \
	fi

# Debian's redis-server for the scale-out tests (tests/scale), installed when missing as root;
# elsewhere those tests skip and say why (ZWGK_REQUIRE_REDIS=1 makes them fail instead).
redis:
	@if ! command -v redis-server >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing redis-server (apt-get install redis-server)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      redis-server >/dev/null; \
	  else \
	    echo "note: redis-server is missing: the scale-out tests will skip (as root: make redis)"; \
	  fi; \
	fi

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: setup
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) archive.db archive.db-wal archive.db-shm archive/ pipeline/extract/_ctree.c pipeline/extract/_ctree.*.so build/
