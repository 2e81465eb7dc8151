"""After `makemessages` no catalogue has an empty msgstr (issue 21, acceptance): every text the code
and the templates mark for translation is translated in the catalogue it lands in — a page never falls
back to the English msgid because someone added a text and not its Chinese.

`makemessages` rewrites the catalogues in place, so it runs on a copy of the source tree (the apps,
`config`, the project's templates and `locale/`), from the copy's root: each app's texts land in its own
catalogue, core's, config's and the project templates' in the root one — as docs/CONVENTIONS.md has
them made. A fuzzy entry counts as untranslated: `msgmerge` writes one for a new msgid, guessing its
msgstr from a similar one, and gettext never shows it."""

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)
CATALOGUE = "locale/zh_Hans/LC_MESSAGES/django.po"
NOT_SOURCE = shutil.ignore_patterns("__pycache__", "*.mo", "*.pyc")


@dataclass
class Entry:
    context: str
    msgid: str
    msgstrs: list[str]
    fuzzy: bool

    def translated(self) -> bool:
        return not self.fuzzy and all(self.msgstrs)


def _unquote(text: str) -> str:
    return json.loads(text)  # a .po string is a C string; the escapes it uses are JSON's


def entries(po: Path) -> list[Entry]:
    """The entries of a .po file, the header and obsolete (#~) entries left out."""
    out = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        current = None
        fuzzy = False
        for line in block.splitlines():
            if line.startswith("#,"):
                fuzzy = fuzzy or any(flag.strip() == "fuzzy" for flag in line[2:].split(","))
            elif line.startswith('"') and current:
                fields[current] += _unquote(line)
            elif line and not line.startswith("#"):
                current, _sep, value = line.partition(" ")
                fields[current] = _unquote(value)
        if fields.get("msgid"):
            msgstrs = [v for k, v in fields.items() if k.startswith("msgstr")]
            out.append(Entry(fields.get("msgctxt", ""), fields["msgid"], msgstrs, fuzzy))
    return out


def _source_copy(root: Path) -> None:
    folders = [*settings.DOMAIN_APPS, "config"]
    folders += [Path(d).relative_to(BASE).as_posix() for d in settings.TEMPLATES[0]["DIRS"]]
    folders += [Path(d).relative_to(BASE).as_posix() for d in settings.LOCALE_PATHS]
    for folder in folders:
        shutil.copytree(BASE / folder, root / folder, ignore=NOT_SOURCE)
    shutil.copy2(BASE / "manage.py", root / "manage.py")


def test_every_catalogue_translates_every_text_after_makemessages(tmp_path):
    _source_copy(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    done = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete", "-v", "0"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    catalogues = sorted(tmp_path.glob(f"**/{CATALOGUE}"))
    ours = [*BASE.glob(f"*/{CATALOGUE}"), BASE / CATALOGUE]
    # makemessages made no catalogue we do not ship (the texts of a folder without one land in the root's)
    assert {po.relative_to(tmp_path) for po in catalogues} == {po.relative_to(BASE) for po in ours}
    gaps = [
        f"{po.relative_to(tmp_path).parts[0]}: {e.msgid!r}"
        + (f" (context {e.context!r})" if e.context else "")
        + (" is fuzzy" if e.fuzzy else " has no translation")
        for po in catalogues
        for e in entries(po)
        if not e.translated()
    ]
    assert not gaps, f"{len(gaps)} texts without a translation:\n" + "\n".join(gaps)


def test_the_reader_finds_what_is_missing(tmp_path):
    """The test above would pass on catalogues it cannot read: the reader sees each kind of gap."""
    po = tmp_path / "django.po"
    po.write_text(
        '#, fuzzy\nmsgid ""\nmsgstr ""\n"Language: zh_Hans\\n"\n\n'
        'msgid "Home"\nmsgstr "首页"\n\n'
        'msgid "Save"\nmsgstr ""\n\n'
        '#, fuzzy, python-format\nmsgid "Saved %(n)s"\nmsgstr "已保存"\n\n'
        'msgctxt "person"\nmsgid ""\n"name"\nmsgstr ""\n\n'
        'msgid "one file"\nmsgid_plural "%(n)s files"\nmsgstr[0] ""\n\n'
        '#~ msgid "Old"\n#~ msgstr ""\n',
        encoding="utf-8",
    )
    found = {(e.context, e.msgid): e.translated() for e in entries(po)}
    assert found == {
        ("", "Home"): True,
        ("", "Save"): False,
        ("", "Saved %(n)s"): False,
        ("person", "name"): False,
        ("", "one file"): False,
    }
