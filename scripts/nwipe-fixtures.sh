#!/usr/bin/env bash
# Produce the nwipe report fixtures (tests/fixtures/nwipe/*.log) with the REAL nwipe on file-backed loop
# devices. Run as root from the repository: `sudo scripts/nwipe-fixtures.sh [output directory]`.
#
# Everything in the logs is nwipe's own output, with one aid: a loop device has no serial number, so a
# small `smartctl` stand-in put first in PATH answers nwipe's `smartctl -i /dev/loopN` with a serial
# (SV-LOOP-<image name>, 18 characters at most: nwipe 0.33 aborts on a 20-character serial), the way a real disk's firmware would; for any other device it runs the real
# smartctl. `--serials no` leaves it out (nwipe then logs an empty serial, as it does for real disks
# behind some USB bridges).
#
# Cases: a zero wipe verified after the last pass; DoD 5220.22-M (7 passes) verifying every pass; a PRNG
# stream over two disks; a zero wipe with verification off; a wipe interrupted by SIGINT (what Ctrl-C or a
# closed session does); a failed one: `verify_zero` over a disk full of random bytes (nwipe's own
# verification finds non-zero blocks and marks the drive FAILED); and a zero wipe whose disk has no serial.
set -euo pipefail
out=${1:-tests/fixtures/nwipe}
[ "$(id -u)" -eq 0 ] || { echo "error: run as root (loop devices)" >&2; exit 1; }
command -v nwipe >/dev/null || { echo "error: nwipe is not installed (scripts/install-system-deps.sh)" >&2; exit 1; }
command -v losetup >/dev/null || { echo "error: losetup is missing (util-linux)" >&2; exit 1; }
mkdir -p "$out"
work=$(mktemp -d)
cleanup() {
  for img in "$work"/*.img; do
    [ -e "$img" ] || continue
    for l in $(losetup -n -O NAME -j "$img"); do losetup -d "$l" 2>/dev/null || true; done
  done
  rm -rf "$work"
}
trap cleanup EXIT

# shellcheck source=scripts/nwipe-smartctl-shim.sh
. "$(dirname "$0")/nwipe-smartctl-shim.sh"
make_smartctl_shim "$work/shim"

attach() {  # attach IMAGE_NAME SIZE_MB [random]: prints the loop device
  local img="$work/$1.img"
  if [ "${3:-}" = random ]; then head -c "$(($2 * 1048576))" /dev/urandom >"$img"; else truncate -s "${2}M" "$img"; fi
  local dev
  dev=$(losetup -f --show "$img")
  echo "$dev"
}

# case NAME SERIALS(yes|no) INTERRUPT_AFTER_SECONDS(0: none) -- nwipe options... -- devices...
run_case() {
  local name=$1 serials=$2 interrupt=$3; shift 3
  local log="$out/$name.log" path=$PATH
  [ "$serials" = yes ] && path="$work/shim:$PATH"
  rm -f "$log"
  if [ "$interrupt" = 0 ]; then
    PATH=$path nwipe --autonuke --nogui --nowait --logfile="$log" "$@" >/dev/null 2>&1 || true
  else
    PATH=$path nwipe --autonuke --nogui --nowait --logfile="$log" "$@" >/dev/null 2>&1 &
    local pid=$!
    sleep "$interrupt"
    kill -INT "$pid" 2>/dev/null || true
    wait "$pid" || true
  fi
  for a in "$@"; do case "$a" in /dev/loop*) losetup -d "$a";; esac; done
  echo "wrote $log"
}

d=$(attach zero-disk 16); run_case zero-verify-last yes 0 --method=zero --verify=last "$d"
d=$(attach dod-disk 16); run_case dod-verify-all yes 0 --method=dod522022m --verify=all "$d"
d1=$(attach prng-a 16); d2=$(attach prng-b 24)
run_case prng-two-disks yes 0 --method=prng --prng=isaac64 --verify=last "$d1" "$d2"
d=$(attach noverify 16); run_case zero-verify-off yes 0 --method=zero --verify=off "$d"
d=$(attach interrupt 1024); run_case interrupted yes 1 --method=gutmann --sync=1 --verify=all "$d"
d=$(attach random 16 random); run_case failed-verification yes 0 --method=verify_zero "$d"
d=$(attach plain 16); run_case zero-no-serial no 0 --method=zero --verify=last "$d"
