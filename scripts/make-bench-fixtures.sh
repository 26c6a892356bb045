#!/bin/sh
# Regenerate tests/fixtures/bench/ with the real bench tools of this machine (lshw, smartctl, dmidecode,
# lsblk, upower, /sys/class/power_supply, EDID), as root: `sudo scripts/make-bench-fixtures.sh`.
# smartctl also reads a 16 MiB file-backed loop device, to record what it says about one.
set -eu
cd "$(dirname "$0")/.."
exec "${PYTHON:-.venv/bin/python}" -m marketplace.cli.bench_collect --fixtures tests/fixtures/bench "$@"
