#!/usr/bin/env bash
# Produce the nwipe PDF certificate fixtures (tests/fixtures/nwipe/*-0.38.pdf and their logs) with the REAL
# nwipe 0.38 (the first Debian nwipe that writes a PDF certificate; Debian 12 ships 0.33, which writes none) on
# file-backed loop devices. Run as root from the repository: `sudo scripts/nwipe-pdf-fixtures.sh [output dir]`.
#
# nwipe 0.38 is Debian 13's binary package, fetched once into a cache (.tools/nwipe-0.38, not committed) and
# unpacked there, not installed. It links libconfig.so.11; Debian 13's libconfig11 needs glibc 2.38, newer
# than this machine's, so the script installs Debian 12's libconfig9 (and hdparm, which nwipe 0.38 asks for)
# and points a libconfig.so.11 symlink in the cache at libconfig.so.9 (the calls nwipe makes are the same in
# both). That is an aid to run the tool here, not a change to what it writes.
#
# As in scripts/nwipe-fixtures.sh, a `smartctl` stand-in (scripts/nwipe-smartctl-shim.sh) first in PATH gives
# each loop device a serial number, SV-LOOP-<image name>; everything else in the PDFs and logs is nwipe's.
#
# nwipe 0.38 writes /etc/nwipe/nwipe.conf and /etc/nwipe/nwipe_customers.csv (the organisation and customer
# shown in the certificate). nwipe 0.33 reads neither; the script removes /etc/nwipe again when it created it.
#
# Cases: a zero wipe verified after the last pass (Erased); `verify_zero` over a disk of random bytes (nwipe's
# verification finds non-zero blocks: FAILED); a Gutmann wipe interrupted by SIGINT.
set -euo pipefail
out=${1:-tests/fixtures/nwipe}
cache=${NWIPE38_CACHE:-.tools/nwipe-0.38}
deb_url=http://deb.debian.org/debian/pool/main/n/nwipe/nwipe_0.38-1.1_amd64.deb
[ "$(id -u)" -eq 0 ] || { echo "error: run as root (loop devices)" >&2; exit 1; }
command -v losetup >/dev/null || { echo "error: losetup is missing (util-linux)" >&2; exit 1; }

libdir="$cache/root/usr/lib/x86_64-linux-gnu"
if [ ! -x "$cache/root/usr/sbin/nwipe" ]; then
  mkdir -p "$cache"
  curl -fsSL -o "$cache/nwipe38.deb" "$deb_url"
  dpkg-deb -x "$cache/nwipe38.deb" "$cache/root"
fi
[ -e /usr/lib/x86_64-linux-gnu/libconfig.so.9 ] && command -v hdparm >/dev/null \
  || { apt-get install -y libconfig9 hdparm >/dev/null; }
mkdir -p "$libdir"
ln -sf /usr/lib/x86_64-linux-gnu/libconfig.so.9 "$libdir/libconfig.so.11"
nwipe38() { LD_LIBRARY_PATH="$libdir" "$cache/root/usr/sbin/nwipe" "$@"; }
nwipe38 --version | grep -q '0\.38' || { echo "error: the cached nwipe is not 0.38" >&2; exit 1; }

mkdir -p "$out"
work=$(mktemp -d)
had_etc=no; [ -e /etc/nwipe ] && had_etc=yes
cleanup() {
  for img in "$work"/*.img; do
    [ -e "$img" ] || continue
    for l in $(losetup -n -O NAME -j "$img"); do losetup -d "$l" 2>/dev/null || true; done
  done
  rm -rf "$work"
  [ "$had_etc" = yes ] || rm -rf /etc/nwipe
}
trap cleanup EXIT
# shellcheck source=scripts/nwipe-smartctl-shim.sh
. "$(dirname "$0")/nwipe-smartctl-shim.sh"
make_smartctl_shim "$work/shim"

attach() {  # attach IMAGE_NAME SIZE_MB [random]: prints the loop device
  local img="$work/$1.img"
  if [ "${3:-}" = random ]; then head -c "$(($2 * 1048576))" /dev/urandom >"$img"; else truncate -s "${2}M" "$img"; fi
  losetup -f --show "$img"
}

# run_case NAME INTERRUPT_AFTER_SECONDS(0: none) nwipe options... device
run_case() {
  local name=$1 interrupt=$2; shift 2
  local pdfs="$work/pdf-$name" log="$out/$name-0.38.log"
  mkdir -p "$pdfs"; rm -f "$log"
  if [ "$interrupt" = 0 ]; then
    PATH="$work/shim:$PATH" nwipe38 --autonuke --nogui --nowait --logfile="$log" -P "$pdfs" "$@" >/dev/null 2>&1 || true
  else
    PATH="$work/shim:$PATH" nwipe38 --autonuke --nogui --nowait --logfile="$log" -P "$pdfs" "$@" >/dev/null 2>&1 &
    local pid=$!
    sleep "$interrupt"
    kill -INT "$pid" 2>/dev/null || true
    # nwipe 0.38 may go on after the first SIGINT (seen here): signal again, SIGTERM after a minute.
    for _ in $(seq 12); do sleep 5; kill -0 "$pid" 2>/dev/null || break; kill -INT "$pid" 2>/dev/null || true; done
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" || true
  fi
  for a in "$@"; do case "$a" in /dev/loop*) losetup -d "$a";; esac; done
  local pdf
  pdf=$(ls "$pdfs"/*.pdf 2>/dev/null | head -1 || true)
  if [ -n "$pdf" ]; then cp "$pdf" "$out/$name-0.38.pdf"; echo "wrote $out/$name-0.38.pdf ($(basename "$pdf"))"
  else echo "nwipe wrote no PDF for $name"; fi
  echo "wrote $log"
}

d=$(attach zero-disk 16); run_case zero-verify-last 0 --method=zero --verify=last "$d"
d=$(attach random 16 random); run_case failed-verification 0 --method=verify_zero "$d"
d=$(attach interrupt 1024); run_case interrupted 1 --method=gutmann --sync=1 --verify=all "$d"
