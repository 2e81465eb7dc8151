"""Panels this app adds to other apps' pages (see core.panels)."""

from django.template.loader import render_to_string

from .selectors import findings_for_household


def household_findings(*, request, household) -> str:
    if not request.user.has_perm("inspections.view_finding"):
        return ""
    findings = list(findings_for_household(actor=request.user, household=household))
    return render_to_string("inspections/_household_findings.html", {"findings": findings}, request=request)
