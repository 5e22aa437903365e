# Two commands do all the set-up on a fresh machine with Python 3.11:
#   make run   – the site with demo data, Celery worker and beat, on embedded PostgreSQL and Redis
#   make test  – lint, migration check and the whole test suite, browser tests included

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# The page checkers of the test suite, from the npm registry: the Nu Html Checker and axe-core.
VNU_VERSION := 26.9.27
AXE_VERSION := 4.14.1
NODE_DIR := .data/node
NODE_STAMP := $(NODE_DIR)/.installed-vnu-$(VNU_VERSION)-axe-$(AXE_VERSION)

.PHONY: install run test lint format messages chromium java clean bench

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

# The Nu Html Checker (vnu.jar) runs on Java; as root, install a headless JRE when it is missing.
java:
	@if ! command -v java >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; \
		else \
			echo "Java is missing: install Debian's default-jre-headless package to run the HTML checks"; exit 1; \
		fi; \
	fi

# Pinned versions, git-ignored folder; the stamp names the versions, so changing one reinstalls.
# --ignore-scripts: vnu-jar's install script would download a Java runtime; we use the system's.
$(NODE_STAMP):
	@command -v npm >/dev/null || { echo "npm is required to install the HTML checker and axe-core"; exit 1; }
	npm install --prefix $(NODE_DIR) --no-save --no-audit --no-fund --ignore-scripts \
		vnu-jar@$(VNU_VERSION) axe-core@$(AXE_VERSION)
	touch $@

# The test servers (started on demand by the test settings) are stopped however the run ends.
# pytest exits with 5 when it collected no tests; that must fail loudly, never pass quietly.
test: install chromium java $(NODE_STAMP)
	@trap '$(BIN)/python -m technohub.embedded stop test' EXIT; \
	$(MAKE) --no-print-directory lint || exit 1; \
	$(BIN)/pytest; status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests"; exit 1; fi; exit $$status

# Load benchmark with production settings under gunicorn on loopback (its own servers in
# .data/bench); not part of `make test`. Figures in bench/results/latest.json.
bench: install
	$(BIN)/python -m bench.run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Refresh the translation catalogues after changing strings (needs GNU gettext).
messages: install
	$(BIN)/python manage.py makemessages --locale en --no-obsolete --ignore '.venv/*' --ignore '.data/*' --ignore 'tests/*'
	$(BIN)/python manage.py compilemessages --locale en --ignore '.venv/*' --ignore '.data/*'

clean:
	rm -rf $(VENV) .data
