"""Every word our catalogues translate is the word people see.

Django merges the apps' catalogues into one: for a msgid two catalogues translate differently, the
project's `locale/` wins, then the app listed first in INSTALLED_APPS (Django's own apps, DRF and the
other libraries come first). The other app's pages then show a word nobody chose for them: an
acceptance that did not pass read households' 失败 of an import, a member's name read 名称. A word
with two meanings takes a `pgettext` context ({% translate "x" context "y" %}); two wordings of one
meaning are made one. This test reads each catalogue we ship and asks the merged translation for
each of its entries."""

import gettext
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

CATALOGUES = [
    *sorted(Path(settings.BASE_DIR).glob("*/locale/zh_Hans/LC_MESSAGES/django.po")),
    Path(settings.BASE_DIR) / "locale/zh_Hans/LC_MESSAGES/django.po",
]


@pytest.fixture(scope="module")
def compiled():
    """The .mo files `make messages` writes, which Django reads: none older than its .po."""
    stale = [str(po) for po in CATALOGUES if po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime]
    assert not stale, f"run make messages: {stale}"


def _entries(po: Path) -> dict:
    with open(po.with_suffix(".mo"), "rb") as fh:
        return {k: v for k, v in gettext.GNUTranslations(fh)._catalog.items() if k}


def test_each_catalogue_is_shown_as_written(compiled):
    merged = translation.trans_real.translation("zh-hans")._catalog
    clashes = []
    for po in CATALOGUES:
        app = po.relative_to(settings.BASE_DIR).parts[0]
        for key, ours in _entries(po).items():
            shown = merged.get(key)
            if shown != ours:
                msgid = key[0] if isinstance(key, tuple) else key
                context, _sep, word = msgid.rpartition("\x04")
                where = f" (context {context!r})" if context else ""
                clashes.append(f"{app}: {word!r}{where} is written {ours!r} and shown {shown!r}")
    assert not clashes, "\n".join(clashes)


def test_a_word_with_two_meanings_reads_each_in_its_place(compiled):
    """Two of the clashes this test found: a household member's 姓名 is not an organisation's 名称,
    and a problem that is present (存在) is not an officer at their post (在岗)."""
    with translation.override("zh-hans"):
        assert translation.pgettext("person", "name") == "姓名"
        assert translation.gettext("name") == "名称"
        assert translation.pgettext("problem", "present") == "存在"
        assert translation.gettext("present") == "在岗"
