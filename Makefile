PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
HOST ?= 127.0.0.1

.PHONY: run test bench clean

$(VENV)/.installed: requirements.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Нужен Python 3.11 ($(PYTHON) не найден)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

run: $(VENV)/.installed
	$(PY) -m prevention.demo --if-empty
	$(PY) -m streamlit run dashboard.py --server.port $(PORT) --server.address $(HOST)

test: $(VENV)/.installed
	$(PY) -m pytest -q tests

bench: $(VENV)/.installed
	$(PY) benchmarks/ingest.py
	$(PY) benchmarks/queries.py
	$(PY) benchmarks/briefing.py
	$(PY) benchmarks/server_memory.py
	$(PY) benchmarks/upload_memory.py

clean:
	rm -rf $(VENV) .pytest_cache
