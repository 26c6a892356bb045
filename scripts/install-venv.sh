#!/usr/bin/env bash
# Create .venv with a Python >= 3.11 and install the project with its test extras.
# Idempotent: the Makefile calls it only when pyproject.toml is newer than the stamp.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}

ok_python() {  # $1 is a Python >= 3.11 that can create virtual environments
  "$1" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1
}

if ! ok_python "$VENV/bin/python"; then
  chosen=""
  for candidate in ${PYTHON:-} python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && ok_python "$candidate"; then chosen=$candidate; break; fi
  done
  if [ -z "$chosen" ]; then
    echo "error: need Python >= 3.11 with the venv module (Debian: apt-get install python3 python3-venv)" >&2
    exit 1
  fi
  echo "creating $VENV with $chosen ($("$chosen" --version))"
  rm -rf "$VENV"
  "$chosen" -m venv "$VENV"
fi

# The pip that `venv` bundles with Python 3.11 (23.2) has known advisories (make audit-deps): upgrade it first.
"$VENV/bin/python" -m pip install --disable-pip-version-check --progress-bar off -q --upgrade 'pip>=25'
"$VENV/bin/python" -m pip install --disable-pip-version-check --progress-bar off -q -e '.[test]'
# The gettext catalogues as the .mo files the program reads (git-ignored: built from the .po files).
"$VENV/bin/python" -m marketplace.i18n.compile >/dev/null
touch "$VENV/.installed"
