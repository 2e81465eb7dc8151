"""Panels this app adds to other apps' pages (see core.panels)."""

from django.template.loader import render_to_string
from django.utils import timezone

from .selectors import findings_for_household, sees_secrets, supervision_cadence


def household_findings(*, request, household) -> str:
    if not request.user.has_perm("inspections.view_finding"):
        return ""
    findings = list(findings_for_household(actor=request.user, household=household))
    return render_to_string("inspections/_household_findings.html", {"findings": findings}, request=request)


def supervision_visits(*, request) -> str:
    """一月一暗访 on the home page of city leaders and inspectors: each supervision group's visits
    filed this month and the months it ended without one (flagged by the daily job)."""
    user = request.user
    if not (user.has_perm("inspections.view_visitplan") and sees_secrets(user)):
        return ""
    rows = supervision_cadence(actor=user, today=timezone.localdate())
    if not rows:
        return ""
    return render_to_string("inspections/_supervision_visits.html", {"rows": rows}, request=request)
