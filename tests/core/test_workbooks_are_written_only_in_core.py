"""One workbook writer and one reader of uploads, both in core.xlsx: no product module outside
core/ imports a spreadsheet library or writes a workbook's parts itself (issue 16)."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SKIP = {".venv", ".tools", "node_modules", "tests", "migrations", "staticfiles", "test-artifacts", ".git"}
LIBRARIES = {"openpyxl", "xlsxwriter", "xlwt", "xlrd", "pyexcel", "pyexcel_xlsx", "odf", "ezodf", "pylightxl"}
# Parts of a workbook's zip that only a writer (or a reader) names.
PARTS = ("xl/worksheets", "xl/workbook.xml", "<sheetData", "<worksheet")


def product_modules():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if SKIP.intersection(parts) or parts[0] == "core":
            continue
        yield path


def offences(path: Path, root: Path = ROOT) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        found += [f"imports {n}" for n in names if n.split(".")[0] in LIBRARIES]
        if isinstance(node, ast.Attribute) and node.attr == "to_excel":
            found.append("calls .to_excel()")
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found += [f"names the workbook part {p!r}" for p in PARTS if p in node.value]
    return [f"{path.relative_to(root)}:{o}" for o in found]


def test_no_module_outside_core_writes_or_parses_a_workbook():
    modules = list(product_modules())
    assert len(modules) > 100  # the walk found the apps
    assert not [o for path in modules for o in offences(path)]


def test_the_check_catches_a_second_writer(tmp_path):
    probe = tmp_path / "exports.py"
    probe.write_text(
        "from openpyxl import Workbook\nimport zipfile\n"
        "def write(fp):\n    zipfile.ZipFile(fp, 'w').writestr('xl/worksheets/sheet1.xml', '<worksheet/>')\n"
        "def frame(df):\n    df.to_excel('x.xlsx')\n"
    )
    assert offences(probe, root=tmp_path) == [
        "exports.py:imports openpyxl",
        "exports.py:names the workbook part 'xl/worksheets'",
        "exports.py:names the workbook part '<worksheet'",
        "exports.py:calls .to_excel()",
    ]
