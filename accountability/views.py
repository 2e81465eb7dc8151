"""Pages of the accountability app. Reads go through selectors, writes through services."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from core import selectors as core_selectors
from core.db_replicas import replica_reads
from core.exceptions import DomainError
from core.history import history_for
from core.scoping import scope
from core.transitions import can_transition, next_statuses
from core.web import PageMixin, add_domain_error, paginate, querystring_without

from . import selectors, services
from .bulletin_compare import compare as compare_snapshots
from .forms import (
    CloseCaseForm,
    ConfirmCaseForm,
    DismissCaseForm,
    RegenerateBulletinForm,
    ResponsibilityForm,
    WhoWasResponsibleForm,
)
from .models import BulletinStatus, CaseRule, CaseStatus, CaseType, ResponsibilityKind
from .periods import parse_month, previous_month, today
from .templatetags.accountability_tags import officer_record_context
from .xlsx import bulletin_filename, bulletin_workbook


def _date_param(request, name: str, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return default


# --- cases ----------------------------------------------------------------------------------


class CaseListView(PageMixin, View):
    permission_required = "accountability.view_accountabilitycase"

    def get(self, request):
        filters = {k: request.GET.get(k) or None for k in ("status", "case_type", "rule")}
        qs = selectors.case_list(actor=request.user, **filters)
        overdue = request.GET.get("overdue") == "1"
        if overdue:  # proposed and past the days set to decide them (issue 19.8)
            qs = qs.filter(selectors.decision_deadline_passed(today()))
        return render(request, "accountability/case_list.html", {"overdue": overdue,
            "page": paginate(request, qs), "filters": filters, "statuses": CaseStatus.choices,
            "types": CaseType.choices, "rules": CaseRule.choices, "querystring": querystring_without(request, "page"),
        })  # fmt: skip


class CaseDetailView(PageMixin, View):
    """Deciders and leaders see cases in their region; an officer sees cases about themself."""

    def get(self, request, pk: int):
        case = selectors.case_get(actor=request.user, pk=pk)
        return self.render(request, case)

    def render(self, request, case, *, forms=None, status=200):
        # The moves this user may make now (core.transitions: the map, the decider's permission, binding cases).
        moves = {value for value, _label in next_statuses(case, request.user)}
        forms = forms or {}
        # A proposed case is decided within the set days (issue 19.8).
        due = selectors.case_decision_due(case) if case.status == CaseStatus.PROPOSED else None
        return render(request, "accountability/case_detail.html", {
            "case": case, "changes": case.status_changes.select_related("actor"), "history": history_for(case, limit=50),
            "can_confirm": CaseStatus.CONFIRMED in moves, "can_dismiss": CaseStatus.DISMISSED in moves,
            "can_close": CaseStatus.CLOSED in moves, "confirm_form": forms.get("confirm") or ConfirmCaseForm(initial={"case_type": case.case_type}),
            "dismiss_form": forms.get("dismiss") or DismissCaseForm(), "close_form": forms.get("close") or CloseCaseForm(),
            "decision_due": due, "decision_late": due is not None and due < today(),
        }, status=status)  # fmt: skip


class CaseActionView(CaseDetailView):
    action: str = ""
    permission_required = "accountability.decide_accountabilitycase"

    def post(self, request, pk: int):
        case = selectors.case_get(actor=request.user, pk=pk)
        form_class = {"confirm": ConfirmCaseForm, "dismiss": DismissCaseForm, "close": CloseCaseForm}[
            self.action
        ]
        form = form_class(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if self.action == "confirm":
                    services.case_confirm(case=case, decision=data["decision"], case_type=data["case_type"] or None,
                                          ban_until=data["ban_until"], actor=request.user)  # fmt: skip
                    messages.success(request, _("Case confirmed."))
                elif self.action == "dismiss":
                    services.case_dismiss(case=case, reason=data["reason"], actor=request.user)
                    messages.success(request, _("Case dismissed."))
                else:
                    services.case_close(case=case, note=data["note"], actor=request.user)
                    messages.success(request, _("Case closed."))
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return redirect("accountability:case_detail", pk=case.pk)
        case.refresh_from_db()
        return self.render(request, case, forms={self.action: form}, status=400)


# --- responsibilities -----------------------------------------------------------------------


class ResponsibilityListView(PageMixin, View):
    permission_required = "accountability.view_responsibility"

    def get(self, request):
        kind = request.GET.get("kind") or None
        region = (request.GET.get("region") or "").strip() or None
        on = _date_param(request, "on", None) if request.GET.get("on") else None
        qs = selectors.responsibility_list(actor=request.user, kind=kind, region_prefix=region, active_on=on)
        who_form = WhoWasResponsibleForm(request.GET if request.GET.get("who-region") else None, prefix="who")
        who = None
        if who_form.is_bound and who_form.is_valid():
            who = selectors.who_was_responsible(
                actor=request.user,
                region_code=who_form.cleaned_data["region"],
                on=who_form.cleaned_data["on"],
            )
        return render(request, "accountability/responsibility_list.html", {
            "page": paginate(request, qs), "kinds": ResponsibilityKind.choices, "kind": kind, "region": region or "",
            "on": on, "who_form": who_form, "who": who, "querystring": querystring_without(request, "page"),
            "can_add": request.user.has_perm("accountability.add_responsibility") and not request.user.is_read_only,
        })  # fmt: skip


class ResponsibilityCreateView(PageMixin, View):
    permission_required = "accountability.add_responsibility"

    def _form(self, request, data=None):
        user = request.user
        return ResponsibilityForm(
            data, regions=core_selectors.region_list(actor=user), officers=core_selectors.officer_list(actor=user),
            units=core_selectors.unit_list(actor=user),
        )  # fmt: skip

    def get(self, request):
        return render(request, "accountability/responsibility_form.html", {"form": self._form(request)})

    def post(self, request):
        form = self._form(request, request.POST)
        if form.is_valid():
            try:
                services.responsibility_assign(actor=request.user, **form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Responsibility recorded."))
                return redirect("accountability:responsibility_list")
        return render(request, "accountability/responsibility_form.html", {"form": form}, status=400)


# --- scores ---------------------------------------------------------------------------------


class ScoreListView(PageMixin, View):
    permission_required = "accountability.view_monthlyscore"

    def get(self, request):
        try:
            month = parse_month(request.GET.get("month", ""))
        except ValueError:
            month = previous_month(today())
        subject = request.GET.get("subject") if request.GET.get("subject") in ("unit", "officer") else "unit"
        rows = selectors.ranking(actor=request.user, month=month, subject=subject)
        return render(
            request, "accountability/score_list.html", {"rows": rows, "month": month, "subject": subject}
        )


class ScoreDetailView(PageMixin, View):
    def get(self, request, pk: int):
        score = get_object_or_404(selectors.score_list(actor=request.user), pk=pk)
        return render(
            request, "accountability/score_detail.html", {"score": score, "history": history_for(score)}
        )


# --- officers -------------------------------------------------------------------------------


def officer_for_record(request, pk: int):
    """Leaders and deciders see officers in their region; everyone may see their own record."""
    user = request.user
    if user.officer_id == pk:
        return user.officer
    if not user.has_perm("accountability.view_accountabilitycase"):
        raise Http404
    return get_object_or_404(
        scope(core_selectors.officer_list(actor=user), actor=user, field="region_id"), pk=pk
    )


class OfficerRecordView(PageMixin, View):
    def get(self, request, pk: int):
        officer = officer_for_record(request, pk)
        on = _date_param(request, "on", today())
        return render(
            request, "accountability/officer_record.html", officer_record_context(officer, request.user, on)
        )


class MyRecordView(PageMixin, View):
    def get(self, request):
        if request.user.officer_id is None:
            return render(request, "accountability/no_officer.html", status=200)
        return redirect("accountability:officer_record", pk=request.user.officer_id)


# --- bulletins ------------------------------------------------------------------------------


@replica_reads
class BulletinListView(PageMixin, View):
    permission_required = "accountability.view_bulletin"

    def get(self, request):
        return render(request, "accountability/bulletin_list.html",
                      {"page": paginate(request, selectors.bulletin_list(actor=request.user), per_page=24)})  # fmt: skip


@replica_reads
class BulletinLatestView(PageMixin, View):
    permission_required = "accountability.view_bulletin"

    def get(self, request):
        return redirect("accountability:bulletin_detail", pk=selectors.bulletin_latest(actor=request.user).pk)


@replica_reads
class BulletinDetailView(PageMixin, View):
    permission_required = "accountability.view_bulletin"

    def get(self, request, pk: int, form=None, status=200):
        bulletin = selectors.bulletin_get(actor=request.user, pk=pk)
        can_regenerate = (
            request.user.has_perm("accountability.regenerate_bulletin") and not request.user.is_read_only
        )
        versions = selectors.bulletin_versions(actor=request.user, bulletin=bulletin)
        earlier = [v for v in versions if v.version < bulletin.version]
        return render(request, "accountability/bulletin_detail.html", {
            "bulletin": bulletin, "c": bulletin.content, "versions": versions, "previous": earlier[-1] if earlier else None,
            "can_regenerate": can_regenerate and can_transition(bulletin, BulletinStatus.SUPERSEDED),
            "regenerate_form": form or RegenerateBulletinForm(),
        }, status=status)  # fmt: skip


class BulletinRegenerateView(BulletinDetailView):
    permission_required = "accountability.regenerate_bulletin"

    def post(self, request, pk: int):
        bulletin = selectors.bulletin_get(actor=request.user, pk=pk)
        form = RegenerateBulletinForm(request.POST)
        if form.is_valid():
            try:
                new = services.bulletin_regenerate(bulletin=bulletin, reason=form.cleaned_data["reason"],
                                                   actor=request.user)  # fmt: skip
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Bulletin regenerated as version %(v)s; the earlier version is kept.")
                                 % {"v": new.version})  # fmt: skip
                return redirect("accountability:bulletin_detail", pk=new.pk)
        return self.get(request, pk, form=form, status=400)


@replica_reads
class BulletinCompareView(PageMixin, View):
    """Two versions of a month's bulletin side by side (issue 21): `a` and `b` are versions (their ids)
    of the same region and month; by default the latest and the one before it."""

    permission_required = "accountability.view_bulletin"

    def get(self, request, pk: int):
        bulletin = selectors.bulletin_get(actor=request.user, pk=pk)
        versions = selectors.bulletin_versions(actor=request.user, bulletin=bulletin)
        by_pk = {v.pk: v for v in versions}
        default_b = versions[-1]
        default_a = versions[-2] if len(versions) > 1 else default_b
        try:
            a_pk = int(request.GET.get("a") or default_a.pk)
            b_pk = int(request.GET.get("b") or default_b.pk)
        except ValueError:
            return render(request, "accountability/bulletin_compare.html", {
                "bulletin": bulletin, "versions": versions, "a": default_a, "b": default_b, "comparison": None,
                "error": _("Choose two versions of this bulletin from the lists."),
            }, status=400)  # fmt: skip
        if a_pk not in by_pk or b_pk not in by_pk:
            raise Http404  # not a version of this month's bulletin (or not one this user may read)
        a, b = by_pk[a_pk], by_pk[b_pk]
        only_changes = request.GET.get("changes") == "1"
        return render(request, "accountability/bulletin_compare.html", {
            "bulletin": bulletin, "versions": versions, "a": a, "b": b, "only_changes": only_changes,
            "comparison": compare_snapshots(a.content, b.content),
        })  # fmt: skip


@replica_reads
class BulletinXlsxView(PageMixin, View):
    permission_required = "accountability.view_bulletin"

    def get(self, request, pk: int):
        bulletin = selectors.bulletin_get(actor=request.user, pk=pk)
        response = HttpResponse(
            bulletin_workbook(bulletin),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{bulletin_filename(bulletin)}"
        return response
