"""Panels this app adds to other apps' pages (see core.panels)."""

from django.template.loader import render_to_string

from .selectors import plan_summary_for_household


def household_plan(*, request, household) -> str:
    if not request.user.has_perm("assistance.view_assistanceplan"):
        return ""
    context = {
        "summary": plan_summary_for_household(actor=request.user, household=household, year=None),
        "request": request,
        "user": request.user,
    }
    return render_to_string("assistance/partials/household_plan.html", context, request=request)
