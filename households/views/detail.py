"""The household page: file, members, procedures, status changes, history; ID reveals and evidence files."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from core.history import history_for
from core.panels import render_panels
from core.transitions import can_transition
from core.uploads import serve_upload
from core.web import PageMixin

from .. import selectors, services
from ..models import (
    NOTICE_STEPS,
    PROCEDURE_STEPS,
    HouseholdStatus,
    PovertyCause,
    ProcedureKind,
    Step,
    StepEvidence,
)
from ..selectors.guarantees import guarantee_status
from ..services.procedures import EXIT_FROM, open_case


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
        history_for(*members, limit=100, actor=actor, name_each=True) if members else []
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
            # 两不愁三保障 from the facts: each with its state, why, and what it rests on.
            "guarantee_states": list(guarantee_status(household).values()),
            "appraisals": list(household.housing_appraisals.order_by("-date", "-id")[:3]),
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


class StepEvidenceView(PageMixin, View):
    """A procedure's evidence file, to those who may see the household (core.uploads.serve_upload)."""

    permission_required = "households.view_household"

    def get(self, request, pk: int, evidence_pk: int):
        household = selectors.household_get(actor=request.user, pk=pk)
        evidence = get_object_or_404(StepEvidence, pk=evidence_pk, step__case__household=household)
        return serve_upload(evidence.file.name, download_name=evidence.name)
