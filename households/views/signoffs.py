"""乡镇 sign-offs (issue 18.6): the county's table of townships and whether each signed the month, a
township's page (its sign-offs, the households changed since the last one, signing this month) and a
sign-off's page (what it covered, what changed after it, its withdrawal). Reads through
selectors.signoffs, writes through services.signoffs."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from core.exceptions import DomainError
from core.models import RegionLevel
from core.web import PageMixin, paginate

from ..models import HouseholdStatus
from ..selectors.signoffs import (
    changed_at_signing,
    changes_after,
    latest_signed,
    signoff_get,
    signoff_list,
    township_get,
    township_table,
)
from ..services.signoffs import month_published, parse_month, signoff_sign, signoff_withdraw

SIGN = "households.sign_off_township"


def _is_township_officer(user) -> bool:
    return user.has_perm(SIGN) and user.region is not None and user.region.level == RegionLevel.TOWNSHIP


class SignOffListView(PageMixin, View):
    """Which townships signed the month (the county's view); a township officer goes to their own."""

    permission_required = "households.view_townshipsignoff"

    def get(self, request):
        if _is_township_officer(request.user):
            return redirect("households:signoff_township", code=request.user.region_id)
        try:
            month = parse_month(request.GET.get("month") or timezone.localdate())
        except DomainError:
            month = timezone.localdate().replace(day=1)
        rows = township_table(actor=request.user, month=month, within=request.GET.get("region") or None)
        return render(
            request,
            "households/signoff_list.html",
            {"rows": rows, "month": month, "signed": sum(1 for r in rows if r.signoff), "total": len(rows)},
        )


class TownshipSignOffView(PageMixin, View):
    """A township's sign-offs, the households changed since the last one, and signing the month."""

    permission_required = "households.view_townshipsignoff"

    def _render(self, request, township, error: DomainError | None = None, status=200):
        last = latest_signed(township.code)
        changes = paginate(request, changes_after(signoff=last), per_page=50) if last else None
        this_month = timezone.localdate().replace(day=1)
        may_sign = _is_township_officer(request.user) and request.user.region_id == township.code
        return render(
            request,
            "households/signoff_township.html",
            {
                "township": township, "last": last, "changes": changes, "this_month": this_month,
                "signoffs": signoff_list(actor=request.user, township=township.code)[:24],
                "may_sign": may_sign and not request.user.is_read_only,
                "error": error, "month_value": request.POST.get("month", f"{this_month:%Y-%m}"),
            },
            status=status,
        )  # fmt: skip

    def get(self, request, code: str):
        return self._render(request, township_get(actor=request.user, code=code))

    def post(self, request, code: str):
        if not request.user.has_perm(SIGN):
            raise PermissionDenied
        township = township_get(actor=request.user, code=code)
        try:
            signoff = signoff_sign(
                actor=request.user, month=request.POST.get("month"), note=request.POST.get("note", "")
            )
        except DomainError as error:
            return self._render(request, township, error=error, status=400)
        messages.success(request, _("The township's data is signed off."))
        return redirect("households:signoff_detail", pk=signoff.pk)


class SignOffDetailView(PageMixin, View):
    permission_required = "households.view_townshipsignoff"

    def _render(self, request, signoff, error: DomainError | None = None, status=200):
        may_withdraw = (
            request.user.has_perm(SIGN)
            and not request.user.is_read_only
            and request.user.region_id == signoff.township_id
            and signoff.state == "signed"
        )
        return render(
            request,
            "households/signoff_detail.html",
            {
                "signoff": signoff, "changed_before": changed_at_signing(signoff=signoff),
                "changed_after": changes_after(signoff=signoff)[:200] if signoff.state == "signed" else [],
                "published": month_published(signoff.township_id, signoff.month),
                "may_withdraw": may_withdraw, "error": error,
                "status_counts": [
                    (dict(HouseholdStatus.choices).get(k, k), n) for k, n in (signoff.counts or {}).get("households", {}).items()
                ],
                "changes": signoff.status_changes.select_related("actor").order_by("at"),
            },
            status=status,
        )  # fmt: skip

    def get(self, request, pk: int):
        return self._render(request, signoff_get(actor=request.user, pk=pk))


class SignOffWithdrawView(PageMixin, View):
    permission_required = SIGN

    def post(self, request, pk: int):
        signoff = signoff_get(actor=request.user, pk=pk)
        try:
            signoff_withdraw(signoff=signoff, actor=request.user, reason=request.POST.get("reason", ""))
        except DomainError as error:
            return SignOffDetailView()._render(request, signoff, error=error, status=400)
        messages.success(request, _("The sign-off is withdrawn."))
        return redirect("households:signoff_detail", pk=signoff.pk)
