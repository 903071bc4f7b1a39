# HOM: the two commands of the README.
#   make run   set up .venv, migrate, load reference and demo data, serve on http://127.0.0.1:$PORT (8000)
#   make test  set up .venv and run the whole suite (DATABASE_URL / REDIS_URL from the environment)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
CHROMIUM := /usr/bin/chromium

.PHONY: run test lint install chromium collectstatic messages check-deploy clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# `make run PORT=8001` serves on another port (links in the emails follow: SITE_URL defaults to it).
PORT ?= 8000
run: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_territories
	DEBUG=1 $(BIN)/python manage.py seed_demo
	@echo "HOM is served on http://127.0.0.1:$(PORT) (Ctrl-C to stop)."
	@echo "Emails are not sent in the demo: they are printed in this console (console email backend),"
	@echo "sign-up confirmation and password-reset links included. Open the link printed here."
	@echo "SMS and WhatsApp messages are printed here too (SMS_URL=console://)."
	PORT=$(PORT) DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Browser tests drive Debian's Chromium; install it when it is missing and we can.
chromium:
	@test -x $(CHROMIUM) || { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] \
		&& (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) \
		|| echo "Chromium missing and not installable here: browser tests will be skipped, with that reason."; }

collectstatic: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py collectstatic --noinput --verbosity 0

# The linter first, then the suite. Locally the test database is kept between runs (--reuse-db;
# `make test PYTEST_ARGS=--create-db` after a new migration); CI (CI=true) always creates it.
PYTEST_ARGS ?= $(if $(CI),--create-db,--reuse-db)
lint: $(STAMP)
	$(BIN)/ruff check .

test: $(STAMP) lint chromium collectstatic
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Each app keeps its own catalogue; the project catalogue (locale/) covers hom/ and templates/.
APP_CATALOGUES := migrants projects partnerships hom/reports hom/notifications hom/api hom/messaging
messages: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py makemessages --locale fr --locale en --no-obsolete \
		--ignore ".venv/*" --ignore "var/*" --ignore "bench/*" $(foreach app,$(APP_CATALOGUES),--ignore "$(app)/*")
	for app in $(APP_CATALOGUES); do [ -d $$app/locale ] && (cd $$app && DEBUG=1 $(CURDIR)/$(BIN)/python $(CURDIR)/manage.py \
		makemessages --locale fr --locale en --no-obsolete) || true; done
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore ".venv/*"

check-deploy: $(STAMP)
	DEBUG=0 SECRET_KEY=$$(openssl rand -hex 40) ALLOWED_HOSTS=hom.example.sn SITE_URL=https://hom.example.sn $(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var/static
