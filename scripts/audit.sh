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
# Our Python: config and every Django app folder (a folder with apps.py).
SOURCES=(config $(for f in */apps.py; do dirname "$f"; done))

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "bandit: ${SOURCES[*]}"
"$VENV/bin/bandit" -q -c pyproject.toml -r "${SOURCES[@]}" --severity-level medium --confidence-level medium \
    -f json -o "$work/bandit.json" || true
# A finding on a line that ruff's port of the same check silences (`# noqa: S608` for B608) has
# been reviewed already: one way to mark a reviewed exception for both tools.
"$VENV/bin/python" - "$work/bandit.json" <<'PY'
import json, re, sys

report = json.load(open(sys.argv[1]))
if report.get("errors"):
    print("bandit could not scan:", report["errors"])
    sys.exit(1)
open_findings = []
for r in report["results"]:
    lines = open(r["filename"], encoding="utf-8").read().splitlines()
    span = r.get("line_range") or [r["line_number"]]
    text = " ".join(lines[n - 1] for n in range(min(span), max(span) + 2) if 0 < n <= len(lines))
    code = "S" + r["test_id"][1:]
    if re.search(rf"#\s*noqa:[^#]*\b{code}\b", text):
        continue
    open_findings.append(r)
for r in open_findings:
    print(f"{r['filename']}:{r['line_number']}: {r['test_id']} {r['issue_severity']}/{r['issue_confidence']} {r['issue_text']}")
print(f"bandit: {len(open_findings)} open finding(s), {len(report['results']) - len(open_findings)} reviewed (noqa)")
sys.exit(1 if open_findings else 0)
PY
[ "${AUDIT_ONLY:-}" = bandit ] && exit 0
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
