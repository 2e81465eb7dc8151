"""The look-ups of the request form (core.pickers): households, their measures, payees — each
scoped to the reader's region through core.scoping."""

from __future__ import annotations

import re

from django.db.models import Q
from django.utils.translation import gettext as _

from core.pickers import PickerSource
from core.scoping import scope

from .models import Payee

PHONE_RE = re.compile(r"^1\d{10}$")


def _households(actor):
    from households.models import Household

    return scope(Household.objects.select_related("village"), actor=actor, field="village_id").order_by(
        "file_number"
    )


def _search_households(qs, q: str):
    """File number: exact; phone: exact; name: prefix of the head's or a member's name (indexed)."""
    from households.selectors import search_households

    if PHONE_RE.match(q):
        return qs.filter(phone=q)
    return search_households(qs, q)


def _household_detail(h) -> str:
    return f"{h.file_number} · {h.village.name} · {h.get_status_display()}"


HOUSEHOLDS = PickerSource(
    name="households",
    permission="funds.add_disbursementrequest",
    rows=_households,
    search=_search_households,
    label=lambda h: h.head_name,
    detail=_household_detail,
)


def _measures(actor):
    from assistance.models import Measure

    return scope(
        Measure.objects.select_related("plan__household"), actor=actor, field="plan__household__village_id"
    ).order_by("-plan__year", "id")


def _search_measures(qs, q: str):
    if PHONE_RE.match(q):
        return qs.filter(plan__household__phone=q)
    if any(ch.isdigit() for ch in q):
        return qs.filter(plan__household__file_number=q)
    return qs.filter(Q(plan__household__head_name__startswith=q) | Q(title__startswith=q))


MEASURES = PickerSource(
    name="measures",
    permission="funds.add_disbursementrequest",
    rows=_measures,
    search=_search_measures,
    label=lambda m: f"{m.plan.household.head_name} · {m.title}",
    detail=lambda m: f"{m.plan.household.file_number} · {m.plan.year} · {m.get_kind_display()}",
)


def _payees(actor):
    return scope(Payee.objects.select_related("county"), actor=actor, field="county_id").order_by("name")


def _search_payees(qs, q: str):
    if PHONE_RE.match(q):
        return qs.filter(phone=q)
    return qs.filter(Q(name__icontains=q) | Q(credit_code=q.upper()))


PAYEES = PickerSource(
    name="payees",
    permission="funds.add_disbursementrequest",
    rows=_payees,
    search=_search_payees,
    label=lambda p: p.name,
    detail=lambda p: " · ".join(x for x in (p.county.name, p.credit_code, p.phone) if x) or _("payee"),
)
