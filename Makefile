PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
HOST ?= 127.0.0.1

.PHONY: run test test-fast lint bench clean

$(VENV)/.runtime: requirements.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Нужен Python 3.11 ($(PYTHON) не найден)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.test: $(VENV)/.runtime requirements-test.txt
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@

run: $(VENV)/.runtime
	$(PY) -m prevention.demo --if-empty
	$(PY) -m streamlit run dashboard.py --server.port $(PORT) --server.address $(HOST)

# The whole suite, browser tests and slow tests included (what CI runs).
test: $(VENV)/.test
	$(PY) -m pytest -q tests

# Everything but the browser and slow tests: a quick check while working (under a minute).
test-fast: $(VENV)/.test
	$(PY) -m pytest -q -m "not browser and not slow" tests

lint: $(VENV)/.test
	$(PY) -m ruff check .

bench: $(VENV)/.test
	$(PY) benchmarks/ingest.py
	$(PY) benchmarks/queries.py
	$(PY) benchmarks/briefing.py
	$(PY) benchmarks/server_memory.py
	$(PY) benchmarks/upload_memory.py

clean:
	rm -rf $(VENV) .pytest_cache
