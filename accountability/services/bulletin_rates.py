"""The monthly bulletin's 三个零差错 section (issue 19.10): the identification, exit and fund error
rates of the month by county, what each is over, and how many households each source revealed.

The figures are the three targets' (`sixones.three_targets`, the definitions of
`inspections.error_rates`), taken from the figures the bulletin already computed when it shares
them, so the board and the bulletin show the same rates."""

from __future__ import annotations

import datetime as dt

from core.models import Region
from inspections.error_rates import KIND_LABELS, KINDS, SOURCES, WHOLE_LABELS


def error_rates_section(region: Region, month: dt.date, shared=None) -> dict:
    from ..selectors import sixones

    if shared is not None and shared.covers(region, month):
        targets = sixones.targets_within(shared.targets, region.prefix)
    else:
        targets = sixones.three_targets(prefix=region.prefix, month=month)
    kinds = [
        {
            "code": kind, "label": str(KIND_LABELS[kind]), "whole": str(WHOLE_LABELS[kind]),
            "sources": [{"code": s.code, "label": str(s.label)} for s in SOURCES[kind]],
        }
        for kind in KINDS
    ]  # fmt: skip
    return {
        "available": True,
        "kinds": kinds,
        "rows": [
            {"code": r["county"].code, "county": r["county"].name,
             "rates": {kind: r["rates"][kind].as_dict() for kind in KINDS}}
            for r in targets["rows"]
        ],
        "totals": {kind: targets["totals"][kind].as_dict() for kind in KINDS},
    }  # fmt: skip
