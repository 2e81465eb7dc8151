"""The bulletin's section on the year's targets (issue 18.5): the region's and each county's targets
for the month's year against what the register counts up to the end of the month, and the year
before — counted, and the results recorded for it (labelled as recorded). The definitions are
`households.selectors.targets`, as on the dashboard."""

from __future__ import annotations

import datetime as dt

from core.models import Region
from households.selectors.targets import progress

from ..periods import month_end


def targets_section(region: Region, month: dt.date) -> dict:
    year = month.year
    current = progress(region=region, year=year, until=month_end(month))
    previous = progress(region=region, year=year - 1)
    return {
        "available": True,
        "year": year,
        "until": month_end(month).isoformat(),
        "current": current.as_dict(),
        "previous": previous.as_dict(),
    }
