"""`{% load assistance_tags %}{% household_plan_summary household %}` shows this year's plan on
the household page without the households app importing assistance (dependency order)."""

from django import template
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join

from assistance.selectors import plan_summary_for_household

register = template.Library()


@register.inclusion_tag("assistance/partials/household_plan.html", takes_context=True)
def household_plan_summary(context, household, year=None):
    request = context["request"]
    return {
        "summary": plan_summary_for_household(actor=request.user, household=household, year=year),
        "request": request,
        "user": request.user,
        "perms": context.get("perms"),
    }


@register.simple_tag
def worklist_village_rows(by_village, region_code, year, village=None):
    """The work list's by-village rows (a county has hundreds of villages: one format string per
    row instead of a template loop, which cost 60 ms for a county of 200 villages)."""
    row = (
        '<tr{}><td><a href="?region={}&year={}&village={}">{}</a> <small class="muted">{}</small></td>\n'
        '    <td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td>'
        '<td class="num" data-relief="{}">{}</td><td class="num" data-no-officer="{}">{}</td>'
        '<td class="num" data-visit-overdue="{}">{}</td></tr>\n'
    )
    current = format_html(' aria-current="true"')

    def cells(v):
        code = v["village_id"]
        counts = [localize(v[k]) for k in ("households", "no_plan", "uncovered_n", "late")]
        return (
            current if code == village else "",
            region_code,
            year,
            code,
            v["village__name"],
            code,
            *counts,
            v["relief"],
            localize(v["relief"]),
            v["no_officer"],
            localize(v["no_officer"]),
            v["visit_overdue"],
            localize(v["visit_overdue"]),
        )

    return format_html_join("  ", row, (cells(v) for v in by_village))


@register.inclusion_tag("assistance/partials/team_presence.html")
def team_presence(team, months: int = 3):
    """驻村: the team's days in the village in the last months, absences marked — on the spot
    checkers' page (inspections' team check), which has already checked who may see the team."""
    import datetime as dt

    from django.utils import timezone

    from assistance.selectors import presence_month

    month = timezone.localdate().replace(day=1)
    out = []
    for _ in range(months):
        out.append((month, presence_month(month=month, team_ids=[team.pk])))
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return {"team": team, "months": out}
