"""`{% officer_accountability officer %}`: an officer's responsibilities, scores, cases and
promotion eligibility, for core's officer page (core cannot import this app; a template can)."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.translation import gettext_lazy as _

from inspections.models import Severity

from ..models import AnnualGrade, IndicatorCode, MonthlyScore, PromotionBan, Responsibility
from ..periods import today
from ..selectors.eligibility import promotion_eligibility

register = template.Library()


def may_see_record(user, officer) -> bool:
    return user.is_authenticated and (
        user.officer_id == officer.pk or user.has_perm("accountability.view_accountabilitycase")
    )


def officer_record_context(officer, user, on: dt.date) -> dict:
    """Everything about one officer. The caller has already checked that `user` may see it."""
    return {
        "officer": officer,
        "on": on,
        "eligibility": promotion_eligibility(officer=officer, on=on),
        "responsibilities": list(
            Responsibility.objects.filter(officer=officer)
            .select_related("region", "unit")
            .order_by("-valid_from")
        ),
        "scores": list(MonthlyScore.objects.filter(officer=officer).order_by("-month")[:12]),
        "grades": list(AnnualGrade.objects.filter(officer=officer).order_by("-year")),
        "cases": list(officer.accountability_cases.order_by("-opened_on", "-id")),
        "bans": list(
            PromotionBan.objects.filter(officer=officer).select_related("case").order_by("-starts_on")
        ),
    }


@register.inclusion_tag("accountability/partials/officer_accountability.html", takes_context=True)
def officer_accountability(context, officer, on=None):
    user = context["request"].user
    if not may_see_record(user, officer):
        return {"hidden": True}
    return {**officer_record_context(officer, user, on or today()), "request": context["request"]}


GRADE_BADGES = {"good": "badge-ok", "fairly_good": "badge-info", "average": "badge-warn", "poor": "badge-bad"}
STATUS_BADGES = {
    "proposed": "badge-warn",
    "confirmed": "badge-bad",
    "dismissed": "badge-muted",
    "closed": "badge-ok",
}


@register.filter
def grade_badge(grade: str) -> str:
    return GRADE_BADGES.get(str(grade), "badge-muted")


@register.filter
def status_badge(status: str) -> str:
    return STATUS_BADGES.get(str(status), "badge-muted")


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def isodate(value):
    """'2017-05-12' (as stored in a bulletin's JSON) → a date, for the |date filter."""
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return value


# A score's inputs in words: its counts are keyed by indicator code (findings per severity as
# `findings:grave`), its sources by the collector that read them.
INPUT_SOURCES = {
    "assistance.coverage": _("assistance plans and their measures"),
    "assistance.fieldwork": _("visits and days in the village"),
    "inspections.findings": IndicatorCode.FINDINGS.label,
    "inspections.error_rates": _("identification, exit and fund errors"),
    "inspections.rectifications": _("rectification items"),
    "inspections.team_checks": _("spot checks of village teams"),
    "accountability.three_always": IndicatorCode.THREE_ALWAYS_CASES.label,
}


@register.filter
def severity_label(code) -> str:
    """'grave' → 严重 (a finding's severity, the inspections app's choice label)."""
    return str(dict(Severity.choices).get(code, code)) if code else ""


@register.filter
def input_label(key) -> str:
    """'plan_gaps' → the indicator's name; 'findings:grave' → its name and the severity."""
    code, _sep, severity = str(key).partition(":")
    label = dict(IndicatorCode.choices).get(code)
    if label is None:
        return str(key)
    return f"{label}（{severity_label(severity)}）" if severity else str(label)


@register.filter
def source_label(name) -> str:
    return str(INPUT_SOURCES.get(str(name), name))
