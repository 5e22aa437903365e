# Two commands do all the set-up on a fresh machine with Python 3.11:
#   make run   – the site with demo data, Celery worker and beat, on embedded PostgreSQL and Redis
#   make test  – lint, migration check and the whole test suite, browser tests included

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint format messages chromium clean

$(STAMP): requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-virtualenv -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/python manage.py run_hub

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=technohub.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=technohub.settings.test $(BIN)/python manage.py check --fail-level WARNING

# Browser tests drive Debian's Chromium; as root, install it when it is missing.
chromium:
	@if ! command -v chromium >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "Chromium is missing: install Debian's chromium package to run the browser tests"; exit 1; \
		fi; \
	fi

# The test servers (started on demand by the test settings) are stopped however the run ends.
# pytest exits with 5 when it collected no tests; that must fail loudly, never pass quietly.
test: install chromium
	@trap '$(BIN)/python -m technohub.embedded stop test' EXIT; \
	$(MAKE) --no-print-directory lint || exit 1; \
	$(BIN)/pytest; status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests"; exit 1; fi; exit $$status

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Refresh the translation catalogues after changing strings (needs GNU gettext).
messages: install
	$(BIN)/python manage.py makemessages --locale en --no-obsolete --ignore '.venv/*' --ignore '.data/*' --ignore 'tests/*'
	$(BIN)/python manage.py compilemessages --locale en --ignore '.venv/*' --ignore '.data/*'

clean:
	rm -rf $(VENV) .data
