# Two commands for a newcomer: `make run` and `make test`. Everything else is set-up they call.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8501

.PHONY: run test assets setup browser geodata check lint bench bench-load clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

setup: $(VENV)/.installed

assets: setup
	$(PY) -m realignment assets

run: assets
	$(PY) -m streamlit run app.py --server.address 127.0.0.1 --server.port $(PORT)

browser:
	bash scripts/ensure-browser.sh

test: assets browser
	$(PY) -m pytest

check: setup
	$(PY) -m realignment check

lint: setup
	$(PY) -m ruff check . && $(PY) -m ruff format --check .

# the side-by-side baseline reads the unsimplified sources, which `make geodata` fetches
bench: geodata assets browser
	$(PY) bench/run.py
	$(PY) bench/export.py
	$(PY) bench/briefing.py

bench-load: assets browser
	$(PY) bench/load.py

geodata: setup
	$(PY) -m pip install --quiet -r requirements-geodata.txt
	$(PY) scripts/build_geodata.py

clean:
	rm -rf static/vendor test-artifacts .pytest_cache
