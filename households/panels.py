"""Households' panels on pages of core (core.panels): the home page's 应退未退 and 漏评 figures."""

from __future__ import annotations

from django.template.loader import render_to_string

from .selectors.candidates import exit_due, omission_candidates, review_year

# The home page counts at most this many of each (a province's leader sees "1,000+"): a count is
# a figure to act on, and the lists page through the rest.
CAP = 1000


def _capped(qs) -> tuple[int, bool]:
    n = qs.order_by()[: CAP + 1].count()
    return min(n, CAP), n > CAP


def home_candidates(*, request) -> str:
    """应退未退 (registered households meeting every exit condition, no exit procedure) and 漏评 (not
    registered poor, income under the line or a guarantee unmet, not yet decided), in the reader's
    region, linked to their lists."""
    user = request.user
    sees_exit = user.has_perm("households.view_procedurecase")
    sees_omissions = user.has_perm("households.view_omissionreview")
    if not (sees_exit or sees_omissions):
        return ""
    context = {"year": review_year()}
    if sees_exit:
        context["exit_due"] = _capped(exit_due(actor=user))
    if sees_omissions:
        context["omissions"] = _capped(omission_candidates(actor=user))
    return render_to_string("households/_candidates_panel.html", context, request=request)
