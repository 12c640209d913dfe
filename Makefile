# Diogel: one place for the common tasks. Every target works on a fresh machine of this kind.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PROFILE ?= demo-profile
DOMAIN := diogel
KEYWORDS := -k _ -k N_ -k ngettext:1,2 -k pgettext:1c,2 -k npgettext:1c,2,3

.PHONY: venv run demo test test-fast fuzz lint locales locales-extract locales-update locales-compile bundle bench system-deps clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[server,test,build]'
	touch $@

venv: $(VENV)/.installed

## Set up, build a demo profile (password "demo-password" unless DIOGEL_PASSWORD is set) and open Diogel on it.
run: venv locales-compile
	@test -f $(PROFILE)/profile.json || DIOGEL_PASSWORD=$${DIOGEL_PASSWORD:-demo-password} $(VENV)/bin/diogel demo --profile $(PROFILE)
	$(VENV)/bin/diogel gui --profile $(PROFILE)

## System packages the tests need (PostgreSQL server binaries, poppler for PDF checks, fonts, Qt's X/GL libraries).
system-deps:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq --no-install-recommends \
	    postgresql postgresql-contrib poppler-utils fonts-dejavu-core libgl1 libegl1 libxkbcommon0 libfontconfig1 \
	    libdbus-1-3 >/dev/null; \
	else echo "system-deps: not root or no apt-get; assuming the packages are there"; fi

## Install everything the tests need and run the whole suite.
test: system-deps venv locales-compile
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

test-fast: venv
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -m "not slow and not postgres"

## The long schemathesis run over the declared API: a real server over a real PostgreSQL, 5,000+ requests.
fuzz: system-deps venv
	$(PY) -m tests.server.fuzz --requests 5000

lint: venv
	$(VENV)/bin/ruff check desktop ui reports server tests bench

locales-extract: venv
	$(VENV)/bin/pybabel extract -F babel.cfg $(KEYWORDS) -c L10N: --no-location --sort-output \
	  --project=Diogel --copyright-holder="Diogel" -o locales/messages.pot .

locales-update: locales-extract
	$(VENV)/bin/pybabel update -i locales/messages.pot -d locales -D $(DOMAIN) -l cy --no-fuzzy-matching --ignore-obsolete
	$(VENV)/bin/pybabel update -i locales/messages.pot -d locales -D $(DOMAIN) -l en --no-fuzzy-matching --ignore-obsolete

locales-compile: venv
	$(VENV)/bin/pybabel compile -d locales -D $(DOMAIN) --statistics

## One-folder PyInstaller bundle in dist/diogel with the locales and fonts inside.
bundle: venv locales-compile
	$(VENV)/bin/pyinstaller --noconfirm --clean build.spec

bench: venv
	$(PY) bench/run_all.py

clean:
	rm -rf build dist .pytest_cache
