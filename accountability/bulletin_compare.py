"""Two versions of a month's bulletin side by side (issue 21).

A bulletin's content is a JSON snapshot (services.bulletin.build_content); the comparison walks the two
snapshots generically — dicts by key, lists of rows by the row's identity (its code, id or key, else its
names), a rate ({part, whole, rate}) as one figure — so a section added to the snapshot is compared
without code here. Labels come from where the bulletin page takes them: the section titles and column
headers are the page's own msgids (LABELS), the categories, kinds, targets and lines their labels stored
in the snapshot (any {code, label} of the section), a county its name.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from core.templatetags.core_tags import percent

SAME, CHANGED, ADDED, REMOVED = "same", "changed", "added", "removed"
MISSING = object()

# The page's sections, in the page's order, with the page's titles (bulletin_detail.html and its partials).
SECTIONS: dict[str, object] = {
    "findings": gettext_lazy("1. New findings by county and category"),
    "rectifications": gettext_lazy("2. Rectification progress"),
    "scores": gettext_lazy("3. Scores and ranking"),
    "cases": gettext_lazy("4. Accountability"),
    "sixones": gettext_lazy("5. The six ones: measured progress by county (%(y)s)"),
    "targets": gettext_lazy("6. The three targets for the month"),
    "year_targets": gettext_lazy("The year's targets: progress in %(y)s to %(d)s"),
    "survey_trend": gettext_lazy("Recognition and satisfaction, month by month"),
    "villages": gettext_lazy("Poor villages exiting"),
    "error_rates": gettext_lazy("Zero errors: identification, exit and fund error rates"),
    "absences": gettext_lazy("First secretaries absent in spot checks"),
    "supervision": gettext_lazy("Monthly covert visits and answers to problem lists"),
}
# What the whole snapshot says about itself, the same in every version of a month.
NOT_SECTIONS = {"month", "region", "built_at"}
OTHER_SECTION = pgettext_lazy("bulletin comparison", "Other figures")

# Keys that are not figures: flags, ids and the codes rows are matched by, the labels used as labels.
IGNORED = {"available", "code", "id", "key", "type", "label", "measure", "better", "grade", "item_id",
           "finding_id", "by_plan", "region_code"}  # fmt: skip
# The period a section covers, the same in every version of a month (shown in its title).
PERIOD = {("sixones", "year"), ("targets", "month"), ("year_targets", "year"), ("year_targets", "until"),
          ("villages", "year"), ("survey_trend", "start"), ("survey_trend", "end"), ("current", "year"),
          ("previous", "year"), ("counties", "[]", "year")}  # fmt: skip
# A list of these only names things (a header: categories, kinds, targets, the counties of a board).
DESCRIPTIVE = {"code", "label", "name", "whole", "sources", "better", "measure"}
# A row is the same row in both versions when these agree (the first one it has) ...
ID_KEYS = ("code", "id", "key", "type")
# ... or else when all of its names agree; its label is made of them.
NAME_KEYS = ("village", "county", "name", "subject", "group", "unit", "list", "month", "checked_on",
             "secretary", "team", "region")  # fmt: skip
# A key's label, matched on the end of its path of keys ("[]" stands for a row): the longest match wins.
# None: the key only groups what is below it (a row's counts, rates, lines), it adds no words.
LABELS: dict[tuple[str, ...], object] = {
    ("rows",): None,
    ("counts",): None,
    ("rates",): None,
    ("lines",): None,
    ("total",): gettext_lazy("Total"),
    ("totals",): gettext_lazy("Total"),
    ("rectifications", "rows", "[]", "total"): gettext_lazy("Items"),
    ("rectifications", "totals", "total"): gettext_lazy("Items"),
    ("closed",): gettext_lazy("Closed"),
    ("closed_in_month",): gettext_lazy("Closed this month"),
    ("open",): pgettext_lazy("rectification", "Open"),
    ("overdue",): gettext_lazy("Overdue"),
    ("overdue_items",): gettext_lazy("Overdue items"),
    ("county",): gettext_lazy("County"),
    ("region",): gettext_lazy("Region"),
    ("overdue_items", "[]", "region"): gettext_lazy("Place"),
    ("unit",): gettext_lazy("Unit"),
    ("overdue_items", "[]", "unit"): gettext_lazy("Responsible unit"),
    ("description",): gettext_lazy("Rectification required"),
    ("deadline",): pgettext_lazy("rectification", "Deadline"),
    ("status",): gettext_lazy("Status"),
    ("units",): gettext_lazy("Units"),
    ("officers",): gettext_lazy("Officers"),
    ("rank",): gettext_lazy("Rank"),
    ("subject",): gettext_lazy("Held accountable"),
    ("scores", "units", "[]", "subject"): gettext_lazy("Unit"),
    ("scores", "officers", "[]", "subject"): gettext_lazy("Officer"),
    ("score",): gettext_lazy("Score"),
    ("grade_label",): pgettext_lazy("assessment", "Grade"),
    ("vetoed",): gettext_lazy("one-vote veto"),
    ("veto_reasons",): gettext_lazy("Reasons for the veto"),
    ("note",): pgettext_lazy("bulletin comparison", "Note"),
    ("opened",): gettext_lazy("Opened"),
    ("cases", "opened"): gettext_lazy("Cases opened this month"),
    ("cases", "closed"): gettext_lazy("Cases closed this month"),
    ("by_type",): None,
    ("type_label",): gettext_lazy("Type"),
    ("rule",): gettext_lazy("Opened by"),
    ("opened_on",): gettext_lazy("Opened on"),
    ("closed_on",): pgettext_lazy("case", "Closed on"),
    ("grounds",): pgettext_lazy("bulletin comparison", "Grounds"),
    ("overdue_proposed",): gettext_lazy("Proposed cases undecided in time"),
    ("due",): gettext_lazy("To be decided by"),
    ("decision_days",): gettext_lazy("Days to decide a proposed case"),
    ("year",): pgettext_lazy("bulletin comparison", "Year"),
    ("counties",): None,
    ("month",): gettext_lazy("Month"),
    ("targets",): None,
    ("sources",): gettext_lazy("Revealed by"),
    ("kinds",): None,
    ("until",): pgettext_lazy("bulletin comparison", "Counted until"),
    ("current",): pgettext_lazy("bulletin comparison", "This year"),
    ("current", "name"): gettext_lazy("Region"),
    ("previous", "name"): gettext_lazy("Region"),
    ("previous",): pgettext_lazy("bulletin comparison", "Last year"),
    ("people",): gettext_lazy("People"),
    ("households",): pgettext_lazy("count", "Households"),
    ("villages",): gettext_lazy("Villages"),
    ("target",): pgettext_lazy("bulletin comparison", "Target"),
    ("achieved",): gettext_lazy("Achieved"),
    ("share",): gettext_lazy("Share"),
    ("recorded",): gettext_lazy("Recorded results"),
    ("recorded_source",): pgettext_lazy("bulletin comparison", "Source of the recorded results"),
    ("remaining",): pgettext_lazy("bulletin comparison", "Remaining"),
    ("start",): pgettext_lazy("bulletin comparison", "From"),
    ("end",): pgettext_lazy("bulletin comparison", "To"),
    ("baseline",): pgettext_lazy("bulletin comparison", "Baseline"),
    ("months",): None,
    ("n",): gettext_lazy("Households surveyed"),
    ("recognition",): gettext_lazy("Recognition rate"),
    ("satisfaction",): gettext_lazy("Satisfaction rate"),
    ("recognition_points",): pgettext_lazy(
        "bulletin comparison", "Recognition against the baseline (points)"
    ),
    ("satisfaction_points",): pgettext_lazy(
        "bulletin comparison", "Satisfaction against the baseline (points)"
    ),
    ("poor",): gettext_lazy("Still poor"),
    ("exited",): gettext_lazy("Exited"),
    ("villages", "exited"): gettext_lazy("Villages that exited this month"),
    ("exited_year",): pgettext_lazy("bulletin comparison", "Exited this year"),
    ("exited_month",): gettext_lazy("Exited this month"),
    ("in_progress",): gettext_lazy("Exit in progress"),
    ("in_notice",): gettext_lazy("Village exits in public notice at the end of the month"),
    ("township",): gettext_lazy("Township"),
    ("village",): gettext_lazy("Village"),
    ("on",): gettext_lazy("Approved on"),
    ("notice_start",): gettext_lazy("Notice from"),
    ("notice_end",): gettext_lazy("Notice until"),
    ("checked_on",): gettext_lazy("Checked on"),
    ("team",): gettext_lazy("Team"),
    ("secretary",): gettext_lazy("First secretary"),
    ("item_status",): gettext_lazy("Rectification"),
    ("missed_visits",): gettext_lazy("Supervision groups without a covert visit this month"),
    ("late_answers",): gettext_lazy("Problem lists answered late or still owed"),
    ("group",): gettext_lazy("Supervision group"),
    ("flagged_on",): gettext_lazy("Flagged on"),
    ("list",): gettext_lazy("Problem list"),
    ("region_name",): gettext_lazy("Region"),
    ("owed",): gettext_lazy("Answers owed"),
    ("late",): gettext_lazy("Answered late"),
}
# The snapshot is stored as jsonb, which keeps no key order: a row's figures are shown in the order of
# the page's columns, tables before their totals; keys not listed here come last.
ORDER = {key: i for i, key in enumerate((
    "current", "previous", "baseline", "months", "rows", "units", "officers", "lines", "counties", "rates",
    "counts", "by_type", "totals", "rank", "opened_on", "closed_on", "checked_on", "type_label", "subject",
    "county", "township", "village", "team", "secretary", "name", "region", "region_name", "unit", "list",
    "group", "month", "flagged_on", "description", "grounds", "rule", "score", "grade_label", "vetoed",
    "veto_reasons", "target", "achieved", "share", "remaining", "recorded", "recorded_source", "n",
    "recognition", "recognition_points", "satisfaction", "satisfaction_points", "poor", "exited",
    "exited_year", "exited_month", "in_progress", "on", "notice_start", "notice_end", "item_status",
    "deadline", "due", "status", "owed", "late", "total", "opened", "closed", "closed_in_month", "open",
    "overdue", "overdue_proposed", "overdue_items", "in_notice", "missed_visits", "late_answers",
    "decision_days", "sources", "note",
))}  # fmt: skip
UNLABELLED = pgettext_lazy("bulletin comparison", "Other figure")
SEPARATOR = " › "
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class Line:
    """One figure (or a whole row present in one version only) in both versions."""

    label: str
    a: str
    b: str
    state: str

    @property
    def is_changed(self) -> bool:
        return self.state != SAME


@dataclass
class Section:
    key: str
    title: str
    lines: list[Line] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return sum(1 for line in self.lines if line.is_changed)


@dataclass
class Comparison:
    sections: list[Section]

    @property
    def changes(self) -> int:
        return sum(s.changes for s in self.sections)

    @property
    def identical(self) -> bool:
        return self.changes == 0

    def count(self, state: str) -> int:
        return sum(1 for s in self.sections for line in s.lines if line.state == state)

    @property
    def count_changed(self) -> int:
        return self.count(CHANGED)

    @property
    def count_added(self) -> int:
        return self.count(ADDED)

    @property
    def count_removed(self) -> int:
        return self.count(REMOVED)

    @property
    def changed_sections(self) -> list[Section]:
        return [s for s in self.sections if s.changes]


def compare(a: dict, b: dict) -> Comparison:
    """The two snapshots section by section, in the page's order (sections the page does not know last)."""
    keys = [k for k in SECTIONS if k in a or k in b]
    keys += [k for k in (*a, *b) if k not in SECTIONS and k not in NOT_SECTIONS and k not in keys]
    codes = {**_code_labels(a), **_code_labels(b)}
    sections = []
    for key in keys:
        x, y = a.get(key, MISSING), b.get(key, MISSING)
        walker = _Walker(codes={**codes, **_code_labels(x), **_code_labels(y)})
        lines = list(walker.walk(x, y, path=(key,), words=(), ancestors=()))
        sections.append(Section(key=key, title=_title(key, y if y is not MISSING else x), lines=lines))
    return Comparison(sections=sections)


def unlabelled_keys(content: dict) -> set[str]:
    """Keys of a snapshot the comparison has no words for (a test keeps this empty for a real bulletin)."""
    missing = {k for k in content if k not in SECTIONS and k not in NOT_SECTIONS}
    codes = _code_labels(content)
    for key in content.keys() - NOT_SECTIONS:
        walker = _Walker(codes={**codes, **_code_labels(content[key])}, missing=missing)
        list(walker.walk(content[key], content[key], path=(key,), words=(), ancestors=()))
    return missing


def _title(key: str, section) -> str:
    title = SECTIONS.get(key, OTHER_SECTION)
    if key == "sixones":
        return str(title) % {"y": section.get("year", "")}
    if key == "year_targets":
        return str(title) % {"y": section.get("year", ""), "d": _display("until", section.get("until"))}
    return str(title)


# --- the walk ---------------------------------------------------------------------------------


def _code_labels(value) -> dict[str, str]:
    """Every {code, label} (and {code, name}) of a section: the words for the codes its figures are keyed by."""
    out: dict[str, str] = {}
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            name = v.get("label") or v.get("name")
            if isinstance(v.get("code"), str) and isinstance(name, str):
                out.setdefault(v["code"], name)
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return out


def _is_rate(v) -> bool:
    return isinstance(v, dict) and "part" in v and "whole" in v


def _is_leaf(v) -> bool:
    """A figure: a value, a rate, or a list of values (reasons); a list of rows is not one."""
    if _is_rate(v):
        return True
    if isinstance(v, list):
        return all(not isinstance(x, dict | list) for x in v)
    return not isinstance(v, dict)


def _is_descriptive(v) -> bool:
    return (
        isinstance(v, list)
        and bool(v)
        and all(isinstance(x, dict) and set(x) <= DESCRIPTIVE and ("label" in x or "name" in x) for x in v)
    )


def _leaf_value(v):
    """What is compared: a rate by its part, whole and rate (its sources are compared below it)."""
    if _is_rate(v):
        return (v.get("part"), v.get("whole"), v.get("rate"))
    return v


@dataclass
class _Walker:
    codes: dict[str, str]
    missing: set[str] | None = None

    def label(self, path: tuple[str, ...], key: str) -> str | None:
        for n in range(len(path), 0, -1):
            if path[-n:] in LABELS:
                found = LABELS[path[-n:]]
                return None if found is None else str(found)
        if key in self.codes:
            return self.codes[key]
        if self.missing is not None:
            self.missing.add(key)
        return str(UNLABELLED)

    def walk(self, a, b, *, path, words, ancestors, skip=frozenset()) -> Iterator[Line]:
        if a is MISSING and b is MISSING:
            return
        if a is MISSING or b is MISSING:
            yield self._one_sided(a, b, path=path, words=words)
            return
        if isinstance(a, list) and isinstance(b, list) and not a and not b:
            return  # nothing listed in either (an empty table)
        if _is_leaf(a) and _is_leaf(b):
            same = _leaf_value(a) == _leaf_value(b)
            yield Line(
                _joined(words), _display(path[-1], a), _display(path[-1], b), SAME if same else CHANGED
            )
            if _is_rate(a) and ("sources" in a or "sources" in b):
                yield from self.walk(a.get("sources", MISSING), b.get("sources", MISSING),
                                     path=(*path, "sources"), words=(*words, self.label((*path, "sources"), "sources")),
                                     ancestors=ancestors)  # fmt: skip
            return
        if isinstance(a, dict) and isinstance(b, dict):
            for key in _union(a, b):
                if key in IGNORED or key in skip or any((*path, key)[-n:] in PERIOD for n in (2, 3)):
                    continue
                x, y = a.get(key, MISSING), b.get(key, MISSING)
                if _is_descriptive(x if x is not MISSING else y):
                    continue
                sub = (*path, key)
                word = self.label(sub, key)
                yield from self.walk(
                    x, y, path=sub, words=(*words, word) if word else words, ancestors=(a, *ancestors)
                )
            return
        if isinstance(a, list) and isinstance(b, list):
            yield from self._rows(a, b, path=path, words=words, ancestors=ancestors)
            return
        # The shape itself changed (a figure became a table): both shown as they are.
        yield Line(_joined(words), _summary(self, path, a), _summary(self, path, b), CHANGED)

    def _rows(self, a: list, b: list, *, path, words, ancestors) -> Iterator[Line]:
        sub = (*path, "[]")
        keyed = all(isinstance(x, dict) and _identity(x) is not None for x in (*a, *b))
        if keyed:
            xs, ys = _by_identity(a), _by_identity(b)
            order = list(xs) + [k for k in ys if k not in xs]
            for k in order:
                x, y = xs.get(k, MISSING), ys.get(k, MISSING)
                word, named_by = self._row_label(y if y is not MISSING else x)
                yield from self.walk(x, y, path=sub, words=(*words, word), ancestors=ancestors, skip=named_by)
            return
        # Rows without an identity are matched by position; their names, when a list of the same
        # name above them holds them (the board's lines and its counties), else their number.
        names = _positional_names(path[-1], ancestors, max(len(a), len(b)))
        for i in range(max(len(a), len(b))):
            x = a[i] if i < len(a) else MISSING
            y = b[i] if i < len(b) else MISSING
            yield from self.walk(x, y, path=sub, words=(*words, names[i]), ancestors=ancestors)

    def _row_label(self, row: dict) -> tuple[str, frozenset[str]]:
        """A row's words (its first two names, or its label, or the words for its key) and the keys
        they were taken from (not repeated as the row's figures)."""
        names = [k for k in NAME_KEYS if isinstance(row.get(k), str) and row[k]][:2]
        if names:
            return " · ".join(_display(k, row[k]) for k in names), frozenset(names)
        if isinstance(row.get("label"), str):
            return row["label"], frozenset()
        key = str(next((row[k] for k in ID_KEYS if row.get(k) not in (None, "")), ""))
        return self.label((key,), key) or str(UNLABELLED), frozenset()

    def _one_sided(self, a, b, *, path, words) -> Line:
        present = a if a is not MISSING else b
        shown = _summary(self, path, present)
        if a is MISSING:
            return Line(_joined(words), "", shown, ADDED)
        return Line(_joined(words), shown, "", REMOVED)


def _union(a: dict, b: dict) -> list[str]:
    return _ordered([*a, *(k for k in b if k not in a)])


def _ordered(keys) -> list[str]:
    return sorted(keys, key=lambda k: ORDER.get(k, len(ORDER)))


def _by_identity(rows: list[dict]) -> dict:
    """Rows by identity; two rows with the same names (two checks of a village on a day) stay apart,
    matched in their order."""
    seen: dict = {}
    out = {}
    for row in rows:
        identity = _identity(row)
        seen[identity] = seen.get(identity, 0) + 1
        out[(identity, seen[identity])] = row
    return out


def _identity(row: dict):
    for key in ID_KEYS:
        if row.get(key) not in (None, ""):
            return (key, row[key])
    names = tuple((k, row[k]) for k in NAME_KEYS if isinstance(row.get(k), str) and row[k])
    return names or None


def _positional_names(key: str, ancestors: tuple, n: int) -> list[str]:
    for parent in ancestors:
        header = parent.get(key) if isinstance(parent, dict) else None
        if _is_descriptive(header) and len(header) >= n:
            return [str(h.get("name") or h.get("label")) for h in header]
    return [_("Row %(n)s") % {"n": i + 1} for i in range(n)]


def _joined(words) -> str:
    return SEPARATOR.join(w for w in words if w)


def _summary(walker: _Walker, path, value) -> str:
    """A row (or a figure) present in one version only, in one line: its figures with their labels."""
    if _is_leaf(value):
        return _display(path[-1], value)
    if isinstance(value, list):
        return "；".join(_summary(walker, (*path, "[]"), v) for v in value) or "—"
    parts = []
    for key in _ordered(value):
        v = value[key]
        if key in IGNORED or _is_descriptive(v):
            continue
        word = walker.label((*path, key), key)
        shown = _summary(walker, (*path, key), v)
        parts.append(f"{word}：{shown}" if word else shown)
    return "；".join(parts) or "—"


def _display(key: str, v) -> str:
    """A figure as the page shows it: dates as 2017年5月12日, months as 2017年5月, rates with their count."""
    if v is MISSING:
        return ""
    if v is None or v == "":
        return "—"
    if isinstance(v, bool):
        return str(
            pgettext_lazy("bulletin comparison", "yes") if v else pgettext_lazy("bulletin comparison", "no")
        )
    if _is_rate(v):
        return f"{percent(v.get('rate'), 1)}（{v.get('part')}/{v.get('whole')}）"
    if isinstance(v, list):
        return "；".join(_display(key, x) for x in v) or "—"
    if isinstance(v, float):
        if key.endswith("_points"):
            return f"{v:+.1f}"
        if key == "share":
            return percent(v, 1)
        return f"{v:g}"
    if isinstance(v, str) and _DATE.fullmatch(v[:10]) and (len(v) == 10 or v[10] == "T"):
        day = dt.date.fromisoformat(v[:10])
        return date_format(day, "Y年n月" if key == "month" else "Y年n月j日")
    return str(v)
