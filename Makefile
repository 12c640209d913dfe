# Diogel: one place for the common tasks. Every target works on a fresh machine of this kind.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PROFILE ?= demo-profile
DOMAIN := diogel
KEYWORDS := -k _ -k N_ -k NC_:1c,2 -k NN_:1,2 -k ngettext:1,2 -k pgettext:1c,2 -k npgettext:1c,2,3

.PHONY: venv run demo test test-fast test-dates fuzz lint screenshots locales locales-extract locales-update locales-compile bundle bench system-deps clean

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

## System packages the tests need (PostgreSQL server binaries, poppler for PDF checks, fonts, Qt's X/GL
## libraries, libfaketime for the date runs). Waits for another apt/dpkg to finish instead of failing, and
## skips apt-get update when every package is already installed.
SYSTEM_PACKAGES := postgresql postgresql-contrib poppler-utils fonts-dejavu-core libgl1 libegl1 libxkbcommon0 \
  libfontconfig1 libdbus-1-3 faketime
APT := apt-get -o DPkg::Lock::Timeout=300 -o Acquire::Retries=3
system-deps:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null \
	    | grep -q '^install ok installed$$' || echo $$p; done); \
	  if [ -n "$$missing" ]; then \
	    echo "system-deps: installing $$missing"; export DEBIAN_FRONTEND=noninteractive; \
	    $(APT) update -qq && $(APT) install -y -qq --no-install-recommends $$missing >/dev/null; \
	  fi; \
	else echo "system-deps: not root or no apt-get; assuming the packages are there"; fi

## Install everything the tests need and run the whole suite (in file order; `make test-dates` shuffles).
test: system-deps venv locales-compile
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:randomly

test-fast: venv locales-compile
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:randomly -m "not slow and not postgres"

## The fast subset again with the machine's clock moved (libfaketime), in random order: about 13 months
## ahead, and in the Christmas bank-holiday week of 2027. Proves no test depends on the date it runs on.
## libfaketime moves the monotonic clock too: a timed wait that runs out (Event.wait(0.5) returning False)
## never returns under it, so a test waits for what happens, never for a wait to run out.
DATE_RUNS ?= $(shell date -u -d '+400 days' +%F) 2027-12-27
test-dates: system-deps venv locales-compile
	@for day in $(DATE_RUNS); do \
	  seed=$$(od -An -N2 -tu2 /dev/urandom | tr -d ' '); \
	  echo "== the fast tests with the clock at $$day, in random order (--randomly-seed=$$seed repeats it)"; \
	  faketime "$$day 09:30:00" env QT_QPA_PLATFORM=offscreen \
	    $(PY) -m pytest -q -m "not slow and not postgres" --randomly-seed=$$seed || exit 1; \
	done

## The long schemathesis run over the declared API: a real server over a real PostgreSQL, 5,000+ requests.
fuzz: system-deps venv
	$(PY) -m tests.server.fuzz --requests 5000

## ruff over everything; mypy over the Qt-free core and the server (configuration in pyproject.toml).
lint: venv
	$(VENV)/bin/ruff check desktop ui reports server tests bench
	$(VENV)/bin/mypy

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

## Every main screen in both languages at 1366x768, and the committee report's pages, into docs/screens/.
screenshots: venv locales-compile
	# (the council's report pages are made on a server by python -m bench.council_screens: kept)
	find docs/screens -name '*.png' ! -name 'council-report-*' -delete
	QT_QPA_PLATFORM=offscreen $(PY) -m ui.screenshots --out docs/screens

bench: venv
	$(PY) bench/run_all.py

clean:
	rm -rf build dist .pytest_cache
