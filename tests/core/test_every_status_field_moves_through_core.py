"""Every status a person moves goes through core.transitions — found by walking the models and the
source, so a status added next year cannot grow its own transition code unnoticed.

1. Every model field named `status` or `state` in the product's apps is declared by a `Transitions`
   on its model (with a map covering every choice and an append-only status-change model), unless it
   is a job's claim status, listed below with the reason.
2. No product module outside core sets a status by assignment or `.update(status=…)`; the few that
   do handle a job claim, listed below with the reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pghistory.models
import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection

from core.transitions import StatusChange, Transitions

# A worker claims these with a conditional UPDATE and an advisory lock; no person moves them.
JOB_STATUSES = {
    ("households", "HouseholdImport", "status"): "the import job, claimed by households/tasks.py",
    ("households", "CrossCheckRun", "status"): "the cross-check job, claimed by households/tasks.py",
}
# Modules that may write a status field directly, and why.
DIRECT_WRITES = {
    "core/transitions.py": "the one transition path",
    "households/tasks.py": "claims the import and cross-check jobs (HouseholdImport, CrossCheckRun.status)",
    "households/imports/run.py": "finishes the import job (HouseholdImport.status)",
}
STATUS_NAMES = {"status", "state"}
ROOT = Path(settings.BASE_DIR)


def _ours(config) -> bool:
    path = Path(config.path).resolve()
    # Our apps sit at the top of the repository; installed packages live under .venv/.
    return path.is_relative_to(ROOT.resolve()) and not path.relative_to(ROOT.resolve()).parts[0].startswith(
        "."
    )


def _product_models():
    for config in apps.get_app_configs():
        if _ours(config):
            yield from config.get_models()


def _status_fields():
    for model in _product_models():
        for field in model._meta.concrete_fields:
            # pghistory's event models copy the tracked fields: history, not a status anyone moves.
            if field.name in STATUS_NAMES and not issubclass(model, StatusChange | pghistory.models.Event):
                yield model, field


def test_the_walk_finds_the_status_fields_we_know():
    found = {(m._meta.app_label, m.__name__) for m, _f in _status_fields()}
    assert {
        ("households", "Household"),
        ("funds", "DisbursementRequest"),
        ("inspections", "Finding"),
    } <= found


@pytest.mark.parametrize(
    ("model", "field"), list(_status_fields()), ids=lambda x: getattr(x, "__name__", getattr(x, "name", ""))
)
def test_every_status_field_is_driven_by_the_core_transition_helper(model, field):
    if (model._meta.app_label, model.__name__, field.name) in JOB_STATUSES:
        return
    spec = getattr(model, "transitions", None)
    assert isinstance(spec, Transitions), f"{model.__name__}.{field.name} declares no core Transitions"
    assert spec.field == field.name
    values = {value for value, _label in field.choices or []}
    assert values, f"{model.__name__}.{field.name} has no choices"
    assert values == set(spec.allowed), f"the map of {model.__name__} misses {values ^ set(spec.allowed)}"
    assert all(targets <= values for targets in spec.allowed.values())
    log = spec.log_model()
    assert issubclass(log, StatusChange)
    assert log._meta.get_field(spec.subject_field()).remote_field.on_delete.__name__ == "PROTECT"


@pytest.mark.django_db
def test_every_status_change_table_is_append_only_in_the_database():
    tables = {
        spec.log_model()._meta.db_table
        for model in _product_models()
        if isinstance(spec := getattr(model, "transitions", None), Transitions)
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND t.tgname LIKE %s",
            ["pgtrigger_append_only%"],
        )
        protected = {row[0] for row in cursor.fetchall()}
    assert tables
    assert tables <= protected, f"no append-only trigger on {sorted(tables - protected)}"


def _product_files():
    for config in apps.get_app_configs():
        if not _ours(config):
            continue
        path = Path(config.path).resolve()
        for file in path.rglob("*.py"):
            rel = file.relative_to(ROOT.resolve()).as_posix()
            if "/migrations/" in rel or rel.startswith("tests/"):
                continue
            yield rel, file


def _direct_status_writes(source: str) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr in STATUS_NAMES:
                    lines.append(node.lineno)
        elif (
            isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "update"
        ):
            if any(kw.arg in STATUS_NAMES for kw in node.keywords):
                lines.append(node.lineno)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "setattr"
            and len(node.args) > 1
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value in STATUS_NAMES
        ):
            lines.append(node.lineno)
    return lines


def test_no_module_outside_core_sets_a_status_itself():
    offenders = {}
    for rel, file in _product_files():
        if rel in DIRECT_WRITES:
            continue
        lines = _direct_status_writes(file.read_text())
        if lines:
            offenders[rel] = lines
    assert not offenders, f"status set outside core.transitions: {offenders}"


def test_the_scan_catches_each_way_of_writing_a_status():
    assert _direct_status_writes("h.status = 'x'\n") == [1]
    assert _direct_status_writes("qs.update(status='x', note='')\n") == [1]
    assert _direct_status_writes("setattr(case, 'state', 'closed')\n") == [1]
    assert _direct_status_writes("qs.update(note='')\nh.name = 'x'\n") == []
