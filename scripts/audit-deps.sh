#!/usr/bin/env bash
# Audit the installed .venv (the project itself excepted) for known vulnerabilities with pip-audit, against
# PyPI's vulnerability data (`-s pypi`, the only vulnerability service reachable from here).
#   fails    on any known vulnerability not ignored below, and when the service cannot be reached;
#   reports  how many dependencies could actually be checked. pip-audit reads each release's JSON
#            (pypi.org/pypi/NAME/VERSION/json); where the index does not serve it (this build machine's),
#            a dependency that is the latest release is checked against the project JSON, whose
#            `vulnerabilities` are the latest release's; the rest are named as unchecked, which fails
#            the run with AUDIT_STRICT=1.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}

# Known vulnerabilities accepted on purpose, each with why (none today):
#   IGNORES+=(--ignore-vuln GHSA-xxxx-xxxx-xxxx)  # package: why it does not apply, until when
IGNORES=()

if [ ! -x "$VENV/bin/pip-audit" ]; then
  echo "audit-deps: FAILED, pip-audit is not installed in $VENV (make install, or pip install -e '.[test]')" >&2
  exit 1
fi

report=$(mktemp)
trap 'rm -f "$report"' EXIT

set +e
"$VENV/bin/pip-audit" --vulnerability-service pypi --local --skip-editable --progress-spinner off --timeout 30 \
  --format json --output "$report" "${IGNORES[@]}" 2>"$report.err"
status=$?
set -e
if [ ! -s "$report" ]; then
  cat "$report.err" >&2; rm -f "$report.err"
  echo "audit-deps: FAILED, pip-audit could not query PyPI's vulnerability service (exit $status): see above" >&2
  exit 1
fi
rm -f "$report.err"
"$VENV/bin/python" - "$report" "$status" "${IGNORES[@]}" <<'PY'
import json, os, sys, urllib.request
from importlib.metadata import version as installed_version
from concurrent.futures import ThreadPoolExecutor

report, status = json.load(open(sys.argv[1])), int(sys.argv[2])
ignored = {a for a in sys.argv[3:] if a != "--ignore-vuln"}
deps = report["dependencies"]
checked = [d for d in deps if "skip_reason" not in d]
skipped = [d for d in deps if "skip_reason" in d and "editable" not in d["skip_reason"]]
vulnerable = [(d, v) for d in checked for v in d.get("vulns", [])]


def latest(dep):
    """PyPI's project JSON: its `vulnerabilities` are those of the latest release."""
    dep.setdefault("version", installed_version(dep["name"]))
    url = f"https://pypi.org/pypi/{dep['name']}/json"
    try:
        with urllib.request.urlopen(url, timeout=20) as answer:
            return dep, json.load(answer)
    except Exception:  # noqa: BLE001 - reported below as unchecked
        return dep, None


# Where the index does not serve each release's JSON (pypi.org/pypi/NAME/VERSION/json), an installed
# dependency that is the latest release is still checked, against the project JSON.
still_skipped = []
with ThreadPoolExecutor(8) as pool:
    for dep, project in pool.map(latest, skipped):
        if project is None or project["info"]["version"] != dep["version"]:
            still_skipped.append(dep)
            continue
        checked.append(dep)
        vulnerable += [(dep, {"id": v["id"], "fix_versions": v.get("fixed_in") or []})
                       for v in project.get("vulnerabilities") or [] if v["id"] not in ignored
                       and not ignored & set(v.get("aliases") or [])]
for dep, vuln in vulnerable:
    fix = ", ".join(vuln.get("fix_versions") or []) or "no fixed version"
    print(f"audit-deps: {dep['name']} {dep['version']}: {vuln['id']} (fixed in: {fix})", file=sys.stderr)
print(f"audit-deps: {len(checked)} of {len(checked) + len(still_skipped)} installed dependencies checked against "
      f"PyPI's vulnerability data, {len(vulnerable)} known vulnerabilities")
if still_skipped:
    names = ", ".join(f"{d['name']} {d['version']}" for d in still_skipped[:8])
    print(f"audit-deps: WARNING: {len(still_skipped)} could not be checked (not the latest release, and this index "
          f"does not serve per-release JSON: {names}...); AUDIT_STRICT=1 makes that a failure", file=sys.stderr)
strict_fail = bool(still_skipped) and os.environ.get("AUDIT_STRICT") == "1"
sys.exit(1 if vulnerable or status or strict_fail else 0)
PY
