# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
# Each creates .venv with the first Python >= 3.12 it finds (python3.13, python3.12,
# then the pyenv versions folder, newest first) and installs the package into it.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PYENV_VERSIONS := $(or $(PYENV_ROOT),$(HOME)/.pyenv)/versions

.PHONY: venv demo test test-slow lint bench docs docs-samples figures clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	@set -e; \
	if [ ! -x "$(PY)" ]; then \
	  py=""; \
	  for c in python3.13 python3.12 $$(ls -d $(PYENV_VERSIONS)/3.*/bin/python3 2>/dev/null | sort -rV); do \
	    if command -v "$$c" >/dev/null 2>&1 && "$$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	      py="$$c"; break; \
	    fi; \
	  done; \
	  if [ -z "$$py" ]; then \
	    echo "error: no Python >= 3.12 found (tried python3.13, python3.12 and $(PYENV_VERSIONS)/3.*/bin/python3)." >&2; \
	    echo "       Install Python 3.12 or newer, or put it on PATH as python3.12." >&2; \
	    exit 1; \
	  fi; \
	  echo "creating $(VENV) with $$py ($$("$$py" --version))"; \
	  "$$py" -m venv $(VENV); \
	fi; \
	$(PY) -m pip install --quiet --upgrade pip; \
	$(PY) -m pip install --quiet -e ".[dev]"; \
	touch $(STAMP)

# The two examples run side by side, one per core (each is mostly single-threaded: imports,
# summaries, the netCDF file, figures); data_wall's output is shown when it is done.
demo: $(STAMP)
	@set -e; log=$$(mktemp); dw=""; trap '[ -n "$$dw" ] && kill $$dw 2>/dev/null; rm -f "$$log"' EXIT; \
	echo "running examples/quickstart.py and examples/data_wall.py side by side"; \
	MPLBACKEND=Agg $(PY) examples/data_wall.py > "$$log" 2>&1 & dw=$$!; \
	status=0; MPLBACKEND=Agg $(PY) examples/quickstart.py || status=$$?; \
	wait $$dw || status=$$?; dw=""; echo; cat "$$log"; exit $$status

test: $(STAMP)
	$(PY) -m pytest -m "not slow"

test-slow: $(STAMP)
	$(PY) -m pytest -m slow

lint: $(STAMP)
	$(PY) -m ruff check src tests examples benchmarks
	$(PY) -m ruff format --check src tests examples benchmarks
	$(PY) -m mypy

bench: $(STAMP)
	$(PY) benchmarks/bench_forecast.py
	$(PY) benchmarks/bench_calibrate.py
	$(PY) benchmarks/bench_bands.py
	$(PY) benchmarks/bench_demo.py

docs: $(STAMP)
	$(PY) -m sphinx -W --keep-going -b html docs docs/_build/html

# Rewrite every sample output block in docs/ from the commands they name (after a change of
# the model or the output); `make test` checks them (tests/test_docs_samples.py).
docs-samples: $(STAMP)
	MPLBACKEND=Agg $(PY) docs/samples.py

# Every figure into figures/ (PDF and PNG); refreshes the fan chart the docs' figures page shows.
figures: $(STAMP)
	MPLBACKEND=Agg $(PY) examples/gallery.py --out figures
	cp figures/fan.png docs/_static/fan.png

clean:
	rm -rf $(VENV) build dist *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis docs/_build examples/output figures
