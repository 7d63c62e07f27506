# Two commands set everything up: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(PY) -m flask --app webapp
# `make serve`: gunicorn workers, address and mode; PORT also moves `make run` (default 5000).
WORKERS ?= 3
HOST ?= 127.0.0.1
APP_ENV ?= production

.PHONY: install db run serve test lint bench validate clean

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
	$(FLASK) run --host 127.0.0.1 --port $(or $(PORT),5000)

# Production: migrate DATABASE_URL, load the bank, then gunicorn (exec: it gets the signals).
# Production mode (APP_ENV=production) refuses to start without a SECRET_KEY of your own.
serve: export APP_ENV := $(APP_ENV)
serve: db
	exec $(VENV)/bin/gunicorn --workers $(WORKERS) --bind $(HOST):$(or $(PORT),8000) \
	  --error-logfile - --graceful-timeout 10 --no-control-socket 'webapp:create_app()'

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

# Every check runs, so one run lists all the problems; the settings are in pyproject.toml.
lint: install
	@status=0; \
	echo "ruff check ."; $(VENV)/bin/ruff check . || status=1; \
	echo "ruff format --check ."; $(VENV)/bin/ruff format --check . || status=1; \
	echo "mypy"; $(VENV)/bin/mypy || status=1; \
	exit $$status

# Every benchmark under bench/; each prints its figures and updates bench/RESULTS.md.
bench: install
	for f in bench/bench_*.py; do $(PY) $$f || exit 1; done

validate: install
	$(PY) -m questions validate

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .mypy_cache .ruff_cache
