#!/usr/bin/env bash
# make audit: bandit over our source, pip-audit over the locked dependencies (uv.lock).
# Fails on a bandit finding (medium severity and confidence or above) and on any known
# vulnerability in a locked version. pip-audit asks PyPI's vulnerability data per version;
# when that cannot be reached the dependencies are "not audited": a warning by default,
# a failure with AUDIT_STRICT=1 (use it where PyPI's JSON API is reachable, e.g. CI with internet).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv
UV=.tools/bin/uv
SOURCES=(core config households assistance funds inspections accountability dashboard)

echo "bandit: ${SOURCES[*]}"
"$VENV/bin/bandit" -q -c pyproject.toml -r "${SOURCES[@]}" --severity-level medium --confidence-level medium

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$UV" export --frozen --all-groups --format requirements-txt --no-emit-project -q -o "$work/requirements.txt"
echo "pip-audit: $(grep -c '^[a-z0-9]' "$work/requirements.txt") locked packages"
status=0
"$VENV/bin/pip-audit" -r "$work/requirements.txt" --require-hashes --disable-pip --progress-spinner off \
    --format json -o "$work/audit.json" 2>"$work/stderr" || status=$?
"$VENV/bin/python" - "$work/audit.json" "$status" <<'PY'
import json, os, sys

path, status = sys.argv[1], int(sys.argv[2])
try:
    report = json.load(open(path))
except (OSError, ValueError):
    print("pip-audit did not produce a report:", open(os.path.join(os.path.dirname(path), "stderr")).read())
    sys.exit(1)
deps = report.get("dependencies", [])
vulnerable = [d for d in deps if d.get("vulns")]
skipped = [d for d in deps if d.get("skip_reason")]
for dep in vulnerable:
    for vuln in dep["vulns"]:
        fixes = ", ".join(vuln.get("fix_versions", [])) or "no fix yet"
        print(f"VULNERABLE {dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixes})")
audited = len(deps) - len(skipped)
print(f"pip-audit: {audited} of {len(deps)} packages audited, {len(vulnerable)} vulnerable")
if vulnerable or (status and not skipped):
    sys.exit(1)
if skipped:
    print(f"WARNING: {len(skipped)} packages could not be audited ({skipped[0]['skip_reason']}).")
    if os.environ.get("AUDIT_STRICT") == "1":
        sys.exit(1)
PY
