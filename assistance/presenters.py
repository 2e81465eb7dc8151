"""A measure's facts in words, for the plan page and the pages that render it again."""

from __future__ import annotations

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from .models import Measure


def detail_lines(measure: Measure) -> list[str]:
    """The facts recorded for a measure's kind, one line each, in words."""

    def day(value):
        return date_format(value, "Y年n月j日") if value else "—"

    lines = []
    if measure.employed_member_id:
        lines.append(_("Member employed: %(name)s") % {"name": measure.employed_member.name})
    if measure.loan_amount is not None:
        lines.append(
            _("Loan: %(amount)s yuan from %(bank)s, %(start)s to %(due)s, interest subsidy %(subsidy)s yuan")
            % {
                "amount": number_format(measure.loan_amount, 2, force_grouping=True),
                "bank": measure.loan_bank or "—",
                "start": day(measure.loan_date),
                "due": day(measure.loan_due),
                "subsidy": number_format(measure.interest_subsidy or 0, 2, force_grouping=True),
            }
        )
    if measure.relocation_site:
        lines.append(
            _("Resettled at %(site)s, moved in %(date)s")
            % {"site": measure.relocation_site, "date": day(measure.move_in_date)}
        )
    return lines
