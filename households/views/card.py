"""The printable 户卡 (household card): the household's file on one or two A4 pages.

The same reader, scope and masks as the household page (a household outside the reader's region
is 404; ID numbers masked, the birth year only to roles that may not reveal numbers); the plan,
its measures and the responsible officer's visits come from the assistance app's panel
(core.panels, page "household_card"). A fixed number of queries, whatever the household's size."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.views import View

from core import pii
from core.panels import render_panels
from core.web import PageMixin

from .. import selectors
from ..models import PovertyCause
from ..selectors.guarantees import guarantee_status
from .detail import _history

CARD_HISTORY = 8  # the latest changes, in words: the card is a summary, the page has them all
CARD_INCOME_YEARS = 3


class HouseholdCardView(PageMixin, View):
    permission_required = "households.view_household"

    def get(self, request, pk: int):
        household = selectors.household_get(actor=request.user, pk=pk)
        members = list(selectors.member_list(actor=request.user, household=household))
        village = household.village
        path = []
        region = village
        while region is not None:
            path.append(region.name)
            region = region.parent
        context = {
            "household": household,
            "region_path": " ".join(reversed(path)),
            "members": members,
            "active_members": sum(1 for m in members if m.is_active),
            "incomes": list(household.incomes.order_by("-year")[:CARD_INCOME_YEARS]),
            "guarantee_states": list(guarantee_status(household).values()),
            "secondary_causes": [PovertyCause(c).label for c in household.secondary_causes],
            "cases": list(household.procedures.order_by("-created_at", "-id")[:3]),
            "history": _history(household, members, actor=request.user)[:CARD_HISTORY],
            "can_reveal": pii.can_reveal(request.user),
            "printed_at": timezone.localtime(),
            "panels": render_panels("household_card", request=request, household=household),
        }
        return render(request, "households/household_card.html", context)
