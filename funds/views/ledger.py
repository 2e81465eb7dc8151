"""Pages of the ledger (an account's lines, an entry and its reversal) and of reconciliation."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from core.exceptions import DomainError
from core.models import Region
from core.scoping import ensure_in_scope, scope
from core.web import PageMixin, add_domain_error, querystring_without

from .. import exports, selectors, services
from .. import views as pages
from ..forms import ReasonForm
from ..models import EntryKind


def _flag_cursor(value: str) -> tuple[dt.date, int] | None:
    """`2017-03-01.1234` (booking date and entry id of the last flagged payment shown)."""
    day, _sep, entry_id = value.partition(".")
    on = _date(day)
    return (on, int(entry_id)) if on and entry_id.isdigit() else None


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


class AccountLedgerView(PageMixin, View):
    permission_required = "funds.view_entry"

    def get(self, request, pk: int):
        account = selectors.account_get(actor=request.user, pk=pk)
        date_from, date_to = _date(request.GET.get("from")), _date(request.GET.get("to"))
        xlsx = request.GET.get("format") == "xlsx"
        # Keyset pages (`after` = entry id of the last line shown): no COUNT(*) over the account's
        # lines and no OFFSET; the opening balance of a later page is summed by the selector.
        after = request.GET.get("after", "")
        after = int(after) if after.isdigit() and not xlsx else None
        opening, lines = selectors.account_ledger(
            actor=request.user, account=account, date_from=date_from, date_to=date_to, after_entry=after
        )
        if xlsx:
            return exports.ledger_xlsx(account=account, opening=opening, lines=lines, user=request.user)
        rows = list(lines[: pages.LEDGER_PAGE + 1])
        more = len(rows) > pages.LEDGER_PAGE
        rows = rows[: pages.LEDGER_PAGE]
        return render(
            request,
            "funds/account_ledger.html",
            {
                "account": account,
                "opening": opening,
                "lines": rows,
                "first_page": after is None,
                "next_after": rows[-1].entry_id if more else None,
                "date_from": request.GET.get("from", ""),
                "date_to": request.GET.get("to", ""),
                "querystring": querystring_without(request, "page", "after"),
            },
        )


class EntryDetailView(PageMixin, View):
    permission_required = "funds.view_entry"

    def get(self, request, pk: int, form=None, status=200):
        entry = selectors.entry_get(actor=request.user, pk=pk)
        lines = entry.lines.select_related("account")
        return render(
            request,
            "funds/entry_detail.html",
            {
                "entry": entry,
                "lines": lines,
                "reversal": getattr(entry, "reversed_by", None) if hasattr(entry, "reversed_by") else None,
                "can_reverse": entry.kind != EntryKind.REVERSAL and not hasattr(entry, "reversed_by"),
                "form": form or ReasonForm(),
            },
            status=status,
        )

    def post(self, request, pk: int):
        if request.user.is_read_only or not request.user.has_perm("funds.add_entry"):
            raise PermissionDenied  # inside the region without the permission: 403 (convention)
        entry = selectors.entry_get(actor=request.user, pk=pk)
        form = ReasonForm(request.POST)
        if form.is_valid():
            try:
                if entry.request_id:
                    services.disbursement_reverse(
                        actor=request.user, request=entry.request, reason=form.cleaned_data["reason"]
                    )
                else:
                    services.entry_reverse(
                        actor=request.user, entry=entry, reason=form.cleaned_data["reason"]
                    )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Reversed: a reversing entry returned the money."))
                return redirect("funds:entry_detail", pk=entry.pk)
        return self.get(request, pk=pk, form=form, status=400)


class ReconciliationView(PageMixin, View):
    permission_required = "funds.view_account"

    def get(self, request):
        target = {}
        fund_id, county_code, project_id = (
            request.GET.get("fund"),
            request.GET.get("county"),
            request.GET.get("project"),
        )
        if fund_id and fund_id.isdigit():
            target["fund"] = selectors.fund_get(actor=request.user, pk=int(fund_id))
        elif project_id and project_id.isdigit():
            target["project"] = selectors.project_get(actor=request.user, pk=int(project_id))
        elif county_code:
            county = get_object_or_404(Region, code=county_code, level="county")
            ensure_in_scope(request.user, county.code)
            target["county"] = county
        as_of = _date(request.GET.get("as_of"))
        rec = selectors.reconciliation(actor=request.user, as_of=as_of, **target)
        if request.GET.get("format") == "xlsx":
            flags = selectors.fund_flags(actor=request.user, as_of=as_of)
            return exports.reconciliation_xlsx(rec=rec, flags=flags)
        # Counts of every kind, then the flags a page at a time (keyset on booking date and entry).
        after = _flag_cursor(request.GET.get("flags_after", ""))
        report = selectors.flag_report(actor=request.user, as_of=as_of, after=after, limit=pages.FLAG_PAGE)
        flags, next_cursor = (report.totals if after is None else []) + report.flags, report.next_after
        counties = scope(Region.objects.filter(level="county"), actor=request.user, field="code")
        return render(
            request,
            "funds/reconciliation.html",
            {
                "rec": rec,
                "flags": flags,
                "flag_counts": report.counts,
                "flags_after": f"{next_cursor[0].isoformat()}.{next_cursor[1]}" if next_cursor else "",
                "flags_querystring": querystring_without(request, "flags_after"),
                "first_flags_page": after is None,
                "flag_labels": selectors.FLAG_LABELS,
                "funds": selectors.fund_list(actor=request.user)[:200],
                "counties": counties,
                "selected": {"fund": fund_id or "", "county": county_code or "", "project": project_id or ""},
                "as_of": rec.as_of.isoformat(),
                "querystring": request.GET.urlencode(),
            },
        )
