"""The look-ups of the request form (core.pickers): households (households.pickers), their measures,
payees — each scoped to the reader's region through core.scoping."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from core.pickers import PickerSource
from core.scoping import scope
from households.pickers import PHONE_RE, household_source

from .models import Payee

# The one household look-up of the product (households.pickers), under this form's permission.
HOUSEHOLDS = household_source(permission="funds.add_disbursementrequest")


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
