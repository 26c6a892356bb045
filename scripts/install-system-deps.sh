#!/usr/bin/env bash
# Debian packages the tests use: a real Chromium, zbarimg (QR decoding), pdftoppm (label PDFs to images)
# kcat (an outside Kafka client), the refurbisher's bench tools whose real output the fixtures are made of
# (lshw, smartmontools, dmidecode, nwipe) and redis-server (the UI's shared state when it runs as several
# processes).
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v zbarimg >/dev/null 2>&1 || missing+=(zbar-tools)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
command -v kcat >/dev/null 2>&1 || missing+=(kcat)
command -v lshw >/dev/null 2>&1 || missing+=(lshw)
command -v smartctl >/dev/null 2>&1 || missing+=(smartmontools)
command -v dmidecode >/dev/null 2>&1 || missing+=(dmidecode)
command -v nwipe >/dev/null 2>&1 || missing+=(nwipe)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: please install ${missing[*]} (Debian/Ubuntu package names) with your package manager" >&2
  exit 1
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "error: not root and no sudo: install ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
echo "installing ${missing[*]} with apt-get"
"${sudo[@]}" apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
