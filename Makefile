# Two commands set everything up: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(PY) -m flask --app webapp
# `make serve`: gunicorn workers, address and mode; PORT also moves `make run` (default 5000).
WORKERS ?= 3
HOST ?= 127.0.0.1
APP_ENV ?= production
# `make lock` compiles the lock files with this uv, installed into the venv on demand.
UV_VERSION ?= 0.13.9
UV_COMPILE := $(VENV)/bin/uv pip compile --universal --python-version 3.11 --quiet \
  --custom-compile-command "make lock" $(LOCK_ARGS)

.PHONY: install install-dev db run serve instructor test lint lock bench validate clean vendor screenshots

# Two stamps, so nothing reinstalls needlessly: the runtime set (requirements.lock) for
# `make run` and `make serve`, and the whole dev set (requirements-dev.lock) for the rest.
$(VENV)/.installed: requirements.lock
	test -x $(PY) || python3 -m venv $(VENV)  # an existing (or symlinked) venv is reused
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.lock
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock $(VENV)/.installed
	$(PY) -m pip install -q -r requirements-dev.lock
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

db: install
	$(FLASK) db upgrade
	$(FLASK) bank load

# exec: the server takes the shell's place, so Ctrl-C stops it quietly, with no make error.
run: db
	@echo "The quiz site is at http://127.0.0.1:$(or $(PORT),5000)/ (Ctrl-C stops it)."
	@exec $(FLASK) run --host 127.0.0.1 --port $(or $(PORT),5000)

# Production: migrate DATABASE_URL, load the bank, then gunicorn (exec: it gets the signals).
# Production mode (APP_ENV=production) refuses to start without a SECRET_KEY of your own.
serve: export APP_ENV := $(APP_ENV)
serve: db
	exec $(VENV)/bin/gunicorn --workers $(WORKERS) --bind $(HOST):$(or $(PORT),8000) \
	  --error-logfile - --graceful-timeout 10 --no-control-socket 'webapp:create_app()'

# `make instructor EMAIL=you@example.org`: an instructor account (asks for its password).
instructor: db
	@test -n "$(EMAIL)" || { echo "usage: make instructor EMAIL=you@example.org" >&2; exit 2; }
	$(FLASK) users create '$(EMAIL)' --role instructor

test: install-dev
	$(PY) -m pytest $(PYTEST_ARGS)

# Every check runs, so one run lists all the problems; the settings are in pyproject.toml.
lint: install-dev
	@status=0; \
	echo "ruff check ."; $(VENV)/bin/ruff check . || status=1; \
	echo "ruff format --check ."; $(VENV)/bin/ruff format --check . || status=1; \
	echo "mypy"; $(VENV)/bin/mypy || status=1; \
	exit $$status

# Recompile the lock files after editing requirements*.txt; pins still allowed are kept.
# `make lock LOCK_ARGS=--upgrade` moves every package to its newest allowed version.
lock: install
	$(PY) -m pip install -q uv==$(UV_VERSION)
	$(UV_COMPILE) requirements.txt -o requirements.lock
	$(UV_COMPILE) requirements-dev.txt -c requirements.lock -o requirements-dev.lock

# Every benchmark under bench/; each prints its figures and updates bench/RESULTS.md.
bench: install-dev
	for f in bench/bench_*.py; do $(PY) $$f || exit 1; done

validate: install
	$(PY) -m questions validate

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .mypy_cache .ruff_cache

# Vendored front-end files (icons, font) from pinned npm packages; the output is committed.
# The font is cut with fontTools (a dev requirement): see scripts/vendor_static.py.
LUCIDE_VERSION ?= 0.460.0
INTER_VERSION ?= 5.1.0
vendor: install-dev
	rm -rf .cache/vendor && mkdir -p .cache/vendor
	cd .cache/vendor && npm pack --silent lucide-static@$(LUCIDE_VERSION) \
	  @fontsource-variable/inter@$(INTER_VERSION) >/dev/null
	cd .cache/vendor && mkdir lucide inter \
	  && tar xzf lucide-static-$(LUCIDE_VERSION).tgz -C lucide --strip-components 1 \
	  && tar xzf fontsource-variable-inter-$(INTER_VERSION).tgz -C inter --strip-components 1
	$(PY) scripts/vendor_static.py .cache/vendor

# Every student page, desktop and phone, light and dark, into test-artifacts/screens/.
screenshots: install-dev
	CHROMIUM_PATH=$(or $(CHROMIUM_PATH),/usr/bin/chromium) $(PY) -m tests.e2e.tour
