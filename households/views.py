"""Clerk pages. Reads through selectors (scoped), writes through services; errors beside the field."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from core.exceptions import DomainError
from core.history import history_for
from core.panels import render_panels
from core.transitions import can_transition
from core.uploads import serve_upload
from core.web import PageMixin, add_domain_error, paginate, querystring_without

from . import imports, selectors, services
from .forms import (
    CampaignForm,
    CheckForm,
    HouseholdForm,
    ImportForm,
    IncomeForm,
    MemberFormSet,
    MoveForm,
    StatusForm,
    StepForm,
)
from .models import (
    NOTICE_STEPS,
    PROCEDURE_STEPS,
    CampaignStatus,
    DuplicateStatus,
    HouseholdAttribute,
    HouseholdStatus,
    HouseholdTransfer,
    ImportStatus,
    PovertyCause,
    ProcedureKind,
    Step,
    StepEvidence,
    choice_labels,
)
from .services.procedures import EXIT_FROM, open_case
from .validation import GUARANTEE_FIELDS, HOUSEHOLD_FIELDS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def apply_errors(error: DomainError, form, formset=None, index_map: list[int] | None = None) -> None:
    """Put a service's refusal beside the right field of the form or member row ("members.2.name")."""
    for key, msgs in error.as_dict().items():
        if key.startswith("members.") and formset is not None:
            _prefix, index, *rest = key.split(".")
            target = formset.forms[index_map[int(index)] if index_map else int(index)]
            field = rest[0] if rest and rest[0] in target.fields else None
        else:
            target, field = form, key if key in form.fields else None
        for message in msgs:
            target.add_error(field, message)


def _members_from(formset) -> tuple[list[dict], list[int]]:
    members, index_map = [], []
    for i, f in enumerate(formset.forms):
        if not f.has_changed() and not f.cleaned_data.get("id"):
            continue
        data = {
            k: v
            for k, v in f.cleaned_data.items()
            if v not in (None, "") or k in ("is_active", "migrant_worker")
        }
        if not data.get("id"):
            data.pop("id", None)
            data["is_active"] = True
        members.append(data)
        index_map.append(i)
    return members, index_map


def _household_data(form) -> dict:
    return {k: form.cleaned_data[k] for k in HOUSEHOLD_FIELDS if k in form.cleaned_data}


STATUS_BADGES = {
    HouseholdStatus.REGISTERED: "badge-warn",
    HouseholdStatus.APPLYING: "badge-info",
    HouseholdStatus.EXITED: "badge-ok",
    HouseholdStatus.RETURNED: "badge-bad",
}


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


class HouseholdCreateView(PageMixin, View):
    permission_required = "households.add_household"
    template = "households/household_form.html"

    def get(self, request):
        form = HouseholdForm(actor=request.user)
        formset = MemberFormSet(prefix="members", initial=[{"relation": "head"}])
        return render(request, self.template, {"form": form, "formset": formset})

    def post(self, request):
        form = HouseholdForm(request.POST, actor=request.user)
        formset = MemberFormSet(request.POST, prefix="members")
        if form.is_valid() and formset.is_valid():
            members, index_map = _members_from(formset)
            try:
                household = services.household_register(
                    actor=request.user, village=form.cleaned_data["village"], data=_household_data(form),
                    members=members,
                )  # fmt: skip
            except DomainError as error:
                apply_errors(error, form, formset, index_map)
            else:
                messages.success(
                    request, _("Household %(file)s registered.") % {"file": household.file_number}
                )
                return redirect("households:detail", pk=household.pk)
        return render(request, self.template, {"form": form, "formset": formset}, status=400)


def _member_initial(household) -> list[dict]:
    return [
        {
            "id": m.pk, "name": m.name, "masked": m.id_number_masked, "relation": m.relation, "sex": m.sex,
            "birth_date": m.birth_date, "health": m.health, "disability": m.disability, "education": m.education,
            "schooling": m.schooling, "labour_ability": m.labour_ability, "migrant_worker": m.migrant_worker,
            "migrant_months": m.migrant_months, "is_active": m.is_active, "left_reason": m.left_reason,
        }
        for m in household.members.all().order_by("-is_active", "id")
    ]  # fmt: skip


class HouseholdEditView(PageMixin, View):
    permission_required = "households.change_household"
    template = "households/household_form.html"

    def get(self, request, pk: int):
        household = selectors.household_get(actor=request.user, pk=pk)
        initial = {f: getattr(household, f) for f in HOUSEHOLD_FIELDS}
        form = HouseholdForm(initial=initial, actor=request.user, editing=True)
        formset = MemberFormSet(prefix="members", initial=_member_initial(household))
        return render(request, self.template, {"form": form, "formset": formset, "household": household})

    def post(self, request, pk: int):
        household = selectors.household_get(actor=request.user, pk=pk)
        form = HouseholdForm(request.POST, actor=request.user, editing=True)
        formset = MemberFormSet(request.POST, prefix="members", initial=_member_initial(household))
        if form.is_valid() and formset.is_valid():
            members, index_map = _members_from(formset)
            try:
                services.household_update(
                    household=household, actor=request.user, data=_household_data(form), members=members
                )
            except DomainError as error:
                apply_errors(error, form, formset, index_map)
            else:
                messages.success(request, _("Household file saved."))
                return redirect("households:detail", pk=household.pk)
        context = {"form": form, "formset": formset, "household": household}
        return render(request, self.template, context, status=400)


def _actions(household, user) -> list[tuple[str, str]]:
    """The next procedure steps the user may record, as (label, url)."""
    if user.is_read_only or not user.has_perm("households.run_procedure"):
        return []
    labels = dict(Step.choices)
    case = open_case(household)
    out = []
    if case is not None:
        if case.next_step:
            out.append(
                (
                    labels[case.next_step],
                    reverse("households:step", args=[household.pk, case.kind, case.next_step]),
                )
            )
        if case.last_step in NOTICE_STEPS:
            out.append(
                (
                    labels[Step.OBJECTION],
                    reverse("households:step", args=[household.pk, case.kind, Step.OBJECTION]),
                )
            )
    elif household.status in EXIT_FROM:
        first = PROCEDURE_STEPS[ProcedureKind.EXIT][0]
        out.append(
            (
                _("Start exit: %(step)s") % {"step": labels[first]},
                reverse("households:step", args=[household.pk, "exit", first]),
            )
        )
    return out


def _history(household, members, *, actor) -> list:
    """The household's and its members' changes, newest first (pghistory tracks one model at a time)."""
    entries = history_for(household, limit=100, actor=actor) + (
        history_for(*members, limit=100, actor=actor) if members else []
    )
    for entry in entries:
        entry.changes = [
            (f, b, a) for f, b, a in entry.changes if f not in ("id_number_masked", "is_current")
        ] or entry.changes
    return sorted(entries, key=lambda e: e.at, reverse=True)[:100]


class HouseholdDetailView(PageMixin, View):
    permission_required = "households.view_household"

    def get(self, request, pk: int):
        household = selectors.household_get(actor=request.user, pk=pk)
        members = list(selectors.member_list(actor=request.user, household=household))
        context = {
            "household": household,
            "members": members,
            "incomes": list(household.incomes.all()),
            "cases": selectors.procedure_timeline(household=household),
            "status_changes": list(household.status_changes.select_related("actor").order_by("-at", "-id")),
            "moves": list(
                household.moves.select_related("from_village", "to_village", "actor").order_by("-at")
            ),
            "transfers": selectors.household_transfers(household=household),
            # A pair whose other household lies outside the reader's region: that it exists, not where.
            "outside_notices": selectors.duplicate_outside_notices(actor=request.user, household=household),
            "history": _history(household, members, actor=request.user),
            "actions": _actions(household, request.user),
            "guarantees": [
                (household._meta.get_field(f).verbose_name, getattr(household, f)) for f in GUARANTEE_FIELDS
            ],
            "secondary_causes": [PovertyCause(c).label for c in household.secondary_causes],
            "can_return": can_transition(household, HouseholdStatus.RETURNED, request.user),
            "can_remove": can_transition(household, HouseholdStatus.REMOVED, request.user),
            "can_reveal": request.user.has_perm("households.view_full_id_number"),
            # The plan (assistance) and findings (inspections) on this household, from their apps.
            "panels": render_panels("household_detail", request=request, household=household),
        }
        return render(request, "households/household_detail.html", context)


class RevealIdNumberView(PageMixin, View):
    """POST only (never a link a crawler or a prefetch could follow); the reveal is logged."""

    permission_required = "households.view_full_id_number"

    def post(self, request, pk: int, member_pk: int):
        household = selectors.household_get(actor=request.user, pk=pk)
        member = selectors.member_get(actor=request.user, household=household, pk=member_pk)
        number = services.member_reveal_id_number(
            member=member, actor=request.user, channel="page", path=request.path
        )
        response = render(
            request,
            "households/member_id_number.html",
            {"household": household, "member": member, "number": number},
        )
        response["Cache-Control"] = "no-store"
        return response


class StepView(PageMixin, View):
    permission_required = "households.run_procedure"
    template = "households/step_form.html"
    upload_fields = ("files",)  # evidence: checked and stored by core.uploads (procedure_step_record)

    def _context(self, request, household, kind, step, form):
        case = open_case(household)
        line = None
        if step == Step.VERIFICATION:
            line = household.incomes.order_by("-year").first()
        done = []
        if case is not None and case.kind == kind and case.last_step:
            done = case.steps_order[: case.steps_order.index(case.last_step) + 1]
        return {
            "done_steps": done,
            "household": household, "kind": kind, "step": step, "step_label": dict(Step.choices).get(step, step),
            "kind_label": dict(ProcedureKind.choices).get(kind, kind), "form": form, "case": case,
            "steps": PROCEDURE_STEPS.get(kind, []), "latest_income": line,
            "guarantees": [(household._meta.get_field(f).verbose_name, getattr(household, f)) for f in GUARANTEE_FIELDS],
        }  # fmt: skip

    def get(self, request, pk: int, kind: str, step: str):
        household = selectors.household_get(actor=request.user, pk=pk)
        if kind not in ProcedureKind.values or step not in Step.values:
            raise Http404
        form = StepForm(step=step)
        return render(request, self.template, self._context(request, household, kind, step, form))

    def post(self, request, pk: int, kind: str, step: str):
        household = selectors.household_get(actor=request.user, pk=pk)
        if kind not in ProcedureKind.values or step not in Step.values:
            raise Http404
        form = StepForm(request.POST, request.FILES, step=step)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "files" and v not in (None, "")}
            try:
                services.procedure_step_record(
                    household=household, kind=kind, step=step, actor=request.user, data=data,
                    files=form.cleaned_data.get("files") or [],
                )  # fmt: skip
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("%(step)s recorded.") % {"step": dict(Step.choices)[step]})
                return redirect("households:detail", pk=household.pk)
        return render(request, self.template, self._context(request, household, kind, step, form), status=400)


class StatusView(PageMixin, View):
    """返贫 (return) and 清退 (remove), each with its reason."""

    permission_required = "households.run_procedure"
    ACTIONS = {"return": services.household_mark_returned, "remove": services.household_remove}

    def _render(self, request, household, action, form, status=200):
        title = _("Mark as returned to poverty") if action == "return" else _("Remove as wrongly identified")
        return render(
            request,
            "households/simple_form.html",
            {"household": household, "form": form, "title": title},
            status=status,
        )

    def get(self, request, pk: int, action: str):
        household = selectors.household_get(actor=request.user, pk=pk)
        if action not in self.ACTIONS:
            raise Http404
        return self._render(request, household, action, StatusForm())

    def post(self, request, pk: int, action: str):
        household = selectors.household_get(actor=request.user, pk=pk)
        if action not in self.ACTIONS:
            raise Http404
        form = StatusForm(request.POST)
        if form.is_valid():
            try:
                self.ACTIONS[action](
                    household=household, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Status changed."))
                return redirect("households:detail", pk=household.pk)
        return self._render(request, household, action, form, status=400)


class MoveView(PageMixin, View):
    permission_required = "households.change_household"

    def _render(self, request, household, form, status=200):
        return render(
            request,
            "households/simple_form.html",
            {"household": household, "form": form, "title": _("Move to another village")},
            status=status,
        )

    def get(self, request, pk: int):
        household = selectors.household_get(actor=request.user, pk=pk)
        return self._render(request, household, MoveForm(actor=request.user))

    def post(self, request, pk: int):
        household = selectors.household_get(actor=request.user, pk=pk)
        form = MoveForm(request.POST, actor=request.user)
        if form.is_valid():
            try:
                done = services.household_move(
                    household=household, actor=request.user, to_village=form.cleaned_data["to_village"],
                    reason=form.cleaned_data["reason"], note=form.cleaned_data["note"],
                )  # fmt: skip
            except DomainError as error:
                add_domain_error(form, error)
            else:
                if isinstance(done, HouseholdTransfer):
                    # Outside the clerk's region: released, and still theirs until the other side accepts.
                    messages.success(
                        request,
                        _("Household released to %(village)s; it moves when a clerk there accepts it.")
                        % {"village": done.to_village.name},
                    )
                else:
                    messages.success(
                        request, _("Household moved to %(village)s.") % {"village": done.to_village.name}
                    )
                return redirect("households:detail", pk=household.pk)
        return self._render(request, household, form, status=400)


class IncomeView(PageMixin, View):
    permission_required = "households.change_household"

    def _render(self, request, household, form, status=200):
        return render(
            request,
            "households/simple_form.html",
            {"household": household, "form": form, "title": _("Record yearly income")},
            status=status,
        )

    def get(self, request, pk: int):
        household = selectors.household_get(actor=request.user, pk=pk)
        return self._render(request, household, IncomeForm(initial={"year": timezone.localdate().year - 1}))

    def post(self, request, pk: int):
        household = selectors.household_get(actor=request.user, pk=pk)
        form = IncomeForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.income_record(
                    household=household, actor=request.user, year=data.pop("year"), data=data
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Income saved."))
                return redirect("households:detail", pk=household.pk)
        return self._render(request, household, form, status=400)


class DuplicateListView(PageMixin, View):
    permission_required = "households.view_duplicatecandidate"

    def get(self, request):
        status = request.GET.get("status", DuplicateStatus.OPEN)
        page = paginate(request, selectors.duplicate_list(actor=request.user, status=status))
        for pair in page:
            pair.reviewable = can_transition(pair, DuplicateStatus.DIFFERENT, request.user)
        return render(request, "households/duplicate_list.html", {
            "page": page, "status": status,
            "statuses": [(v, label) for v, label in DuplicateStatus.choices if v != DuplicateStatus.SAME_PERSON],
            "querystring": querystring_without(request, "page"),
            # Pairs with a household outside the reader's region: only their own side, and who reviews it.
            "outside": selectors.duplicate_outside_notices(actor=request.user) if status == DuplicateStatus.OPEN else [],
        })  # fmt: skip

    def post(self, request):
        """Scan the user's region for new candidate pairs."""
        if not request.user.has_perm("households.change_duplicatecandidate"):
            raise PermissionDenied
        found = services.duplicates_scan(actor=request.user)
        messages.success(request, _("%(n)d new possible duplicates found.") % {"n": found})
        return redirect("households:duplicates")


class DuplicateReviewView(PageMixin, View):
    permission_required = "households.change_duplicatecandidate"

    def post(self, request, pk: int):
        candidate = selectors.duplicate_get(actor=request.user, pk=pk)
        decision = request.POST.get("decision", "")
        keep = request.POST.get("keep")
        try:
            services.duplicate_review(
                candidate=candidate, actor=request.user, decision=decision,
                keep_id=int(keep) if keep and keep.isdigit() else None, note=request.POST.get("note", ""),
            )  # fmt: skip
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Review saved."))
        return redirect("households:duplicates")


class CampaignListView(PageMixin, View):
    permission_required = "households.view_verificationcampaign"

    def _render(self, request, form, status=200):
        campaigns = selectors.campaign_list(actor=request.user).order_by("-created_at")[:100]
        return render(
            request, "households/campaign_list.html", {"campaigns": campaigns, "form": form}, status=status
        )

    def get(self, request):
        return self._render(request, CampaignForm(actor=request.user))

    def post(self, request):
        if not request.user.has_perm("households.add_verificationcampaign"):
            raise PermissionDenied
        form = CampaignForm(request.POST, actor=request.user)
        if form.is_valid():
            try:
                campaign = services.campaign_create(actor=request.user, **form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Campaign started."))
                return redirect("households:campaign", pk=campaign.pk)
        return self._render(request, form, status=400)


class CampaignDetailView(PageMixin, View):
    permission_required = "households.view_verificationcampaign"

    def get(self, request, pk: int):
        campaign = selectors.campaign_get(actor=request.user, pk=pk)
        checks = selectors.campaign_checks(actor=request.user, campaign=campaign)
        status = request.GET.get("status", "")
        if status:
            checks = checks.filter(status=status)
        if request.GET.get("village"):
            checks = checks.filter(village_id=request.GET["village"])
        return render(request, "households/campaign_detail.html", {
            "campaign": campaign, "progress": selectors.campaign_progress(actor=request.user, campaign=campaign),
            "campaign_open": can_transition(campaign, CampaignStatus.CLOSED, request.user),
            "page": paginate(request, checks), "status": status,
            "querystring": querystring_without(request, "page"),
        })  # fmt: skip


class CheckView(PageMixin, View):
    permission_required = "households.change_verificationcheck"
    FIELDS = ("address", "phone", "attribute", "main_cause", *GUARANTEE_FIELDS)

    def _render(self, request, check, form, status=200):
        return render(request, "households/check_form.html", {"check": check, "form": form}, status=status)

    def get(self, request, pk: int):
        check = selectors.check_get(actor=request.user, pk=pk)
        initial = {f: getattr(check.household, f) for f in self.FIELDS} | {"findings": check.findings}
        return self._render(request, check, CheckForm(initial=initial))

    def post(self, request, pk: int):
        check = selectors.check_get(actor=request.user, pk=pk)
        form = CheckForm(request.POST)
        if form.is_valid():
            corrections = {
                f: form.cleaned_data[f]
                for f in self.FIELDS
                if form.cleaned_data[f] != getattr(check.household, f)
            }
            try:
                services.campaign_check_record(
                    check=check,
                    actor=request.user,
                    findings=form.cleaned_data["findings"],
                    corrections=corrections,
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Check recorded."))
                return redirect("households:campaign", pk=check.campaign_id)
        return self._render(request, check, form, status=400)


class StepEvidenceView(PageMixin, View):
    """A procedure's evidence file, to those who may see the household (core.uploads.serve_upload)."""

    permission_required = "households.view_household"

    def get(self, request, pk: int, evidence_pk: int):
        household = selectors.household_get(actor=request.user, pk=pk)
        evidence = get_object_or_404(StepEvidence, pk=evidence_pk, step__case__household=household)
        return serve_upload(evidence.file.name, download_name=evidence.name)


class ImportView(PageMixin, View):
    permission_required = "households.import_households"
    upload_fields = ("file",)  # checked in the request by services.import_start (core.uploads)

    def _render(self, request, form, status=200):
        jobs = selectors.import_list(actor=request.user).order_by("-created_at")[:20]
        return render(request, "households/import.html", {"form": form, "jobs": jobs}, status=status)

    def get(self, request):
        return self._render(request, ImportForm())

    def post(self, request):
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                with transaction.atomic():
                    job = services.import_start(
                        actor=request.user, upload=form.cleaned_data["file"], mode=form.cleaned_data["mode"]
                    )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return redirect("households:import_status", pk=job.pk)
        return self._render(request, form, status=400)


class ImportStatusView(PageMixin, View):
    permission_required = "households.import_households"

    def get(self, request, pk: int):
        job = selectors.import_get(actor=request.user, pk=pk)
        if request.GET.get("format") == "json":
            return JsonResponse({
                "status": job.status, "status_label": job.get_status_display(), "percent": job.percent,
                "message": job.message, "households_created": job.households_created, "error_rows": job.error_rows,
                "finished": job.status in (ImportStatus.DONE, ImportStatus.FAILED),
            })  # fmt: skip
        return render(
            request, "households/import_status.html", {"job": job, "expired": _expired_message(job)}
        )


def _expired_message(job) -> str:
    if not imports.import_files_expired(job):
        return ""
    return _(
        "The uploaded workbook and its error report were deleted on %(date)s, %(days)d days after the "
        "upload, because they hold full ID numbers. Upload the file again if you still need it."
    ) % {
        "date": imports.import_files_expire_at(job).date().isoformat(),
        "days": settings.UPLOAD_RETENTION_DAYS,
    }


class ImportReportView(PageMixin, View):
    permission_required = "households.import_households"

    def get(self, request, pk: int):
        job = selectors.import_get(actor=request.user, pk=pk)
        expired = _expired_message(job)
        if expired:  # past the retention period: say so rather than a bare 404
            return render(
                request, "households/import_status.html", {"job": job, "expired": expired}, status=410
            )
        if not job.error_report:
            raise Http404
        return serve_upload(job.error_report.name, download_name=f"errors-{job.pk}.xlsx")


class ImportTemplateView(PageMixin, View):
    permission_required = "households.import_households"

    def get(self, request):
        response = HttpResponse(imports.template_workbook(), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="households-template.xlsx"'
        return response
