# RUS Planner — developer and CI commands.
# `make test` and `make demo` bootstrap everything they need on a fresh Debian 12 machine.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PLUGIN      := rus_planner
SYS_PYTHON  := /usr/bin/python3
VENV        := .venv
PY          := $(VENV)/bin/python
BUILD       := .build
PLUGINS_DIR := $(BUILD)/plugins
PLUGIN_LINK := $(PLUGINS_DIR)/$(PLUGIN)
VENV_STAMP  := $(VENV)/.requirements-installed
TS          := i18n/$(PLUGIN)_sv.ts
QM          := i18n/$(PLUGIN)_sv.qm
PY_SOURCES  := __init__.py $(shell find rus_planner -name '*.py' -not -path '*/__pycache__/*' | sort)
UI_SOURCES  := $(wildcard resources/ui/*.ui)
OUT         ?= demo-output

export QT_QPA_PLATFORM ?= offscreen

.PHONY: help bootstrap debian test demo a11y lint format package transup transcompile run bench clean \
        test-matrix test-matrix-clean enduser-check screenshots palette-check

help:
	@echo "make test        set up everything, then run the test suite"
	@echo "make demo        set up everything, then run the demo region headless into $(OUT)/"
	@echo "make a11y        the HTML report against WCAG 2.1 AA (axe-core in jsdom; needs node, npm)"
	@echo "make lint        ruff check + format check"
	@echo "make package     build dist/$(PLUGIN).zip for Plugins > Install from ZIP"
	@echo "make transup     refresh $(TS) from the sources (pylupdate5)"
	@echo "make transcompile  compile $(QM) (lrelease)"
	@echo "make run         start the QGIS desktop with the plugin from this work tree"
	@echo "make bench       benchmarks against the QGIS-native way"
	@echo "make test-matrix make test on QGIS 3.44, 3.40 (Debian 13 chroots, root) and this host; MATRIX=backports|trixie|host"
	@echo "make enduser-check  the README's end-user install, literally, in fresh Debian 13 and 12 chroots (root)"
	@echo "make screenshots the README's screenshots from the real desktop (Xvfb) into docs/screenshots/"
	@echo "make palette-check  the A-D colours under simulated colour-vision deficiency and in grey scale"

bootstrap: debian $(VENV_STAMP) $(PLUGIN_LINK) transcompile

debian:
	@scripts/bootstrap-debian.sh

# The venv sees Debian's QGIS bindings; pip adds the pinned analysis and test packages.
$(VENV_STAMP): requirements-dev.txt | debian
	@test -x $(PY) || $(SYS_PYTHON) -m venv --system-site-packages $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

# QGIS finds a plugin by its folder name: link the work tree in as `rus_planner`.
$(PLUGIN_LINK):
	@mkdir -p $(PLUGINS_DIR)
	@ln -sfn ../.. $(PLUGIN_LINK)

test: bootstrap
	$(VENV)/bin/pytest

demo: bootstrap
	$(PY) scripts/demo.py --output $(OUT)

# The HTML report against WCAG 2.1 AA with axe-core in jsdom, offline once installed (needs node and
# npm, not part of bootstrap; the packages go to .build/a11y): make demo first, or HTML=report.html.
HTML ?= $(OUT)/rapporter/consultation_report.html
a11y:
	mkdir -p .build/a11y && cp scripts/a11y/package.json scripts/a11y/package-lock.json .build/a11y/
	cd .build/a11y && npm ci --no-audit --no-fund --silent
	NODE_PATH=.build/a11y/node_modules node scripts/a11y/check_html.js $(HTML)

lint: $(VENV_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV_STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# RELEASE=1 refuses to build without the project's public addresses (the plugin repository needs them).
package: bootstrap
	$(PY) scripts/package.py --output dist/$(PLUGIN).zip $(if $(RELEASE),--release) \
	  --homepage "$(HOMEPAGE)" --tracker "$(TRACKER)" --repository "$(REPOSITORY)" --email "$(EMAIL)"

transup: debian
	pylupdate5 -noobsolete $(PY_SOURCES) $(UI_SOURCES) -ts $(TS)

transcompile: $(QM)

$(QM): $(TS) | debian
	lrelease -silent $(TS) -qm $(QM)

# Its own profile folder (.build/qgis-desktop) with the plugin enabled; RUS_QGIS_LOCALE=sv_SE for Swedish.
run: bootstrap
	QT_QPA_PLATFORM= scripts/run-qgis

bench: bootstrap
	$(PY) bench/run.py

# The demo opened in the real desktop (English, Swedish), scripts/desktop_tour.py; DEMO=folder reuses a demo.
screenshots: bootstrap
	$(PY) scripts/screenshots.py $(if $(DEMO),--demo $(DEMO))

palette-check: $(VENV_STAMP)
	$(PY) scripts/palette_check.py

# The committed HEAD on every supported QGIS; bases cached in /var/cache/rus-planner-matrix, logs in .build/matrix/.
test-matrix:
	@scripts/test-matrix

test-matrix-clean:
	@scripts/test-matrix --clean

# The README's "Installing in QGIS" steps as a new user in fresh Debian 13 and 12 chroots; logs in .build/enduser/.
enduser-check:
	@scripts/enduser-check

clean:
	rm -rf $(BUILD) dist test-output bench-output .pytest_cache .ruff_cache $(QM)
