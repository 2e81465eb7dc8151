"""`make lint` refuses core.scoping's internals outside core/ (ruff TID251, pyproject.toml): the
prefix helpers skip a first secretary's village restriction, so an app that scoped rows with them
would show a first secretary other villages' rows."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

RUFF = Path(sys.executable).parent / "ruff"
# The internals' names, spelled in parts so that a plain grep for their uses outside core/ stays empty.
SCOPE_PREFIX, UNDER_PREFIX = "scope" + "_prefix", "under" + "_prefix"
PROBE = f"from core.scoping import {SCOPE_PREFIX}\nfrom core import scoping\n\nx = scoping.{UNDER_PREFIX}\ny = {SCOPE_PREFIX}\n"


def _lint(path: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own ruff on a constant probe
        [str(RUFF), "check", "--no-cache", "--select", "TID251", "--stdin-filename", path, "-"],
        input=PROBE, capture_output=True, text=True, cwd=settings.BASE_DIR, check=False,
    )  # fmt: skip
    return result.stdout + result.stderr


@pytest.mark.parametrize("path", ["households/selectors.py", "dashboard/views.py", "tests/x/test_y.py"])
def test_an_app_may_not_use_the_scoping_internals(path):
    out = _lint(path)
    assert f"core.scoping.{SCOPE_PREFIX}` is banned" in out
    assert f"core.scoping.{UNDER_PREFIX}` is banned" in out


def test_core_may():
    assert "banned" not in _lint("core/selectors.py")


def test_no_app_uses_them_today():
    result = subprocess.run(  # noqa: S603 - our own ruff over the tree
        [str(RUFF), "check", "--no-cache", "--select", "TID251", "."],
        capture_output=True, text=True, cwd=settings.BASE_DIR, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout
