# Two commands set everything up: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 5000
FLASK := $(PY) -m flask --app webapp

.PHONY: install db run serve test bench validate clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv $(VENV)  # an existing (or symlinked) venv is reused
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

db: install
	$(FLASK) db upgrade
	$(FLASK) bank load

run: db
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

# Every benchmark under bench/; each prints its figures and updates bench/RESULTS.md.
bench: install
	for f in bench/bench_*.py; do $(PY) $$f || exit 1; done

validate: install
	$(PY) -m questions validate

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
