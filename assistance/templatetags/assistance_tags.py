"""`{% load assistance_tags %}{% household_plan_summary household %}` shows this year's plan on
the household page without the households app importing assistance (dependency order)."""

from django import template

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
