"""The household list (filters, search by name or ID number) and its export."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from core.exceptions import DomainError
from core.web import PageMixin, paginate, querystring_without

from .. import imports, selectors
from ..models import (
    HouseholdAttribute,
    HouseholdStatus,
    PovertyCause,
    ProcedureKind,
    choice_labels,
)
from .common import STATUS_BADGES, XLSX


class HouseholdListView(PageMixin, View):
    """The list and its filters (GET), and the search box of every page (POST): a full ID number
    is searched only from a POST body, never from the URL, where proxies and the browser's
    history would keep it. Names, file numbers and the filters go back to a GET URL."""

    permission_required = "households.view_household"
    post_only_reads = True

    def get(self, request):
        try:
            filters = selectors.HouseholdFilters.from_params(request.GET)
        except selectors.IdNumberInUrl as error:
            messages.error(request, str(error.message))
            filters = selectors.HouseholdFilters()  # nothing searched, nothing listed: just the message
            rows = selectors.household_list(actor=request.user, filters=filters).none()
            return self._render(request, filters, rows=rows, querystring="", status=400)
        return self._render(request, filters, querystring=querystring_without(request, "page"))

    def post(self, request):
        filters = selectors.HouseholdFilters.from_params(request.POST, in_url=False)
        if not selectors.is_id_number(filters.q):
            params = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken" and v}
            return redirect(
                f"{reverse('households:list')}?{urlencode(params)}" if params else "households:list"
            )
        try:
            found = selectors.household_search_by_id(
                actor=request.user, id_number=filters.q, filters=filters, channel="web", where=request.path
            )
        except DomainError as error:  # the daily cap on exact searches of roles that may not reveal
            messages.error(request, str(error.message))
            filters = selectors.HouseholdFilters()
            rows = selectors.household_list(actor=request.user, filters=filters).none()
            return self._render(request, filters, rows=rows, querystring="", status=error.status_code)
        first_two = list(found.values_list("pk", flat=True)[:2])
        if len(first_two) == 1:  # the one household: its page, whose address holds no number
            return redirect("households:detail", pk=first_two[0])
        return self._render(request, filters, rows=found, querystring="", id_search=True)

    def _render(self, request, filters, *, querystring: str, rows=None, status=200, id_search=False):
        if rows is None:
            rows = selectors.household_list(actor=request.user, filters=filters)
        page = paginate(request, rows)
        regions = selectors.region_choices(actor=request.user)
        # Labels resolved once per page, not through get_*_display() per row and column.
        labels = {
            "status": choice_labels(HouseholdStatus),
            "attribute": choice_labels(HouseholdAttribute),
            "main_cause": choice_labels(PovertyCause),
        }
        for h in page:
            h.status_label = labels["status"].get(h.status, h.status)
            h.status_badge = STATUS_BADGES.get(h.status, "badge-muted")
            h.attribute_label = labels["attribute"].get(h.attribute, h.attribute)
            h.main_cause_label = labels["main_cause"].get(h.main_cause, h.main_cause)
        return render(
            request,
            "households/household_list.html",
            {
                "page": page,
                "detail_base": reverse("households:detail", args=[0]).removesuffix("0/"),
                "f": filters,
                "regions": regions,
                "statuses": HouseholdStatus.choices,
                "causes": PovertyCause.choices,
                "attributes": HouseholdAttribute.choices,
                "procedures": [(selectors.PROCEDURE_ANY, _("Any procedure")), *ProcedureKind.choices],
                "sorts": [
                    ("village", _("Village")),
                    ("file", _("File number")),
                    ("name", _("Head of household")),
                    ("-year", _("Identification year, newest first")),
                    ("-members", _("Most members")),
                    ("-changed", _("Latest status change")),
                ],
                "id_search": id_search,  # results of a POST: no export or page links (they would lose it)
                "querystring": querystring,
                "export_query": querystring_without(request, "page", "per_page") if querystring else "",
            },
            status=status,
        )


class HouseholdExportView(PageMixin, View):
    permission_required = ("households.view_household", "households.export_households")

    def get(self, request):
        try:
            filters = selectors.HouseholdFilters.from_params(request.GET)
        except selectors.IdNumberInUrl as error:
            messages.error(request, str(error.message))
            return redirect("households:list")
        data = imports.export_workbook(selectors.household_list(actor=request.user, filters=filters))
        response = HttpResponse(data, content_type=XLSX)
        name = f"households-{timezone.localdate():%Y%m%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
