"""Panels this app adds to other apps' pages (see core.panels)."""

from django.template.loader import render_to_string

from .selectors import plan_summary_for_household, visit_list


def household_plan(*, request, household) -> str:
    if not request.user.has_perm("assistance.view_assistanceplan"):
        return ""
    context = {
        "summary": plan_summary_for_household(actor=request.user, household=household, year=None),
        "request": request,
        "user": request.user,
    }
    return render_to_string("assistance/partials/household_plan.html", context, request=request)


CARD_VISITS = 6  # the responsible officer's latest visits on the printed card


def household_card(*, request, household) -> str:
    """The plan, its measures and the latest visits on the household's printable card (a fixed
    number of queries: the plan's three, the visits' one)."""
    user = request.user
    can_plan = user.has_perm("assistance.view_assistanceplan")
    can_visits = user.has_perm("assistance.view_visit")
    if not (can_plan or can_visits):
        return ""
    summary = plan_summary_for_household(actor=user, household=household, year=None) if can_plan else None
    visits = visit_list(actor=user, filters={"household": household.pk}) if can_visits else None
    context = {"summary": summary, "visits": list(visits[:CARD_VISITS]) if visits is not None else None}
    return render_to_string("assistance/partials/household_card.html", context, request=request)
