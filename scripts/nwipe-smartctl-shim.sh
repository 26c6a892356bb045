# Sourced by scripts/nwipe-fixtures.sh and scripts/nwipe-pdf-fixtures.sh: `make_smartctl_shim DIR` writes
# DIR/smartctl, a stand-in put first in PATH that answers for loop devices (which have no serial number)
# with `SV-LOOP-<image name>` (18 characters at most: nwipe 0.33 aborts on a 20-character serial), the way a
# real disk's firmware would; for any other device it runs the real smartctl.
make_smartctl_shim() {
  local dir=$1 real_smartctl
  mkdir -p "$dir"
  real_smartctl=$(command -v smartctl || echo /usr/sbin/smartctl)
  cat >"$dir/smartctl" <<EOF
#!/bin/sh
for a in "\$@"; do dev="\$a"; done
case "\$dev" in
  /dev/loop*)
    img=\$(losetup -n -O BACK-FILE "\$dev" 2>/dev/null | xargs -r basename | sed 's/\.img\$//')
    echo "smartctl stand-in for loop devices (scripts/nwipe-smartctl-shim.sh)"
    echo "Serial Number:    \$(echo "SV-LOOP-\$img" | tr 'a-z_' 'A-Z-' | cut -c1-18)"
    exit 0;;
esac
exec "$real_smartctl" "\$@"
EOF
  chmod +x "$dir/smartctl"
}
