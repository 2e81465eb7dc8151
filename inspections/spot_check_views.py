"""An unannounced spot check of a work team (随机抽查、突击检查), outside any drawn plan: the page the
organisation departments use (issue 19.4), and the city inspectors too. An absent first secretary
becomes a finding with its rectification item (services/absences.py); the page says so."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from assistance.selectors import team_list
from core.exceptions import DomainError
from core.web import PageMixin, add_domain_error

from . import services
from .services.absences import can_spot_check
from .survey_views import TeamCheckForm


class SpotCheckForm(TeamCheckForm):
    team = forms.TypedChoiceField(label=gettext_lazy("Village work team"), coerce=int)
    field_order = ["team", "checked_on", "secretary_present", "members_present", "records_state", "note"]

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", "—")] + [
            (t.pk, f"{t.name} · {t.first_secretary.name}") for t in teams
        ]


class SpotCheckView(PageMixin, View):
    permission_required = "inspections.add_teamcheck"

    def _teams(self, request):
        if not can_spot_check(request.user):
            raise PermissionDenied
        return team_list(actor=request.user, filters={"current": True}).order_by("name", "id")

    def _render(self, request, form, status=200):
        return render(request, "inspections/spot_check_form.html", {"form": form}, status=status)

    def get(self, request):
        teams = self._teams(request)
        initial = {"checked_on": timezone.localdate(), "team": request.GET.get("team", "")}
        return self._render(request, SpotCheckForm(initial=initial, teams=teams))

    def post(self, request):
        teams = self._teams(request)
        form = SpotCheckForm(request.POST, teams=teams)
        if form.is_valid():
            d = form.cleaned_data
            team = teams.filter(pk=d["team"]).first()
            try:
                check = services.team_check_record(
                    team=team, actor=request.user, checked_on=d["checked_on"],
                    secretary_present=d["secretary_present"] == "yes", members_present=d["members_present"],
                    records_state=d["records_state"], note=d["note"],
                )  # fmt: skip
            except DomainError as error:
                add_domain_error(form, error)
            else:
                finding = getattr(check, "absence_finding", None)
                if finding is not None:
                    messages.warning(request, _(
                        "Spot check saved. The absence is recorded as a finding with its rectification item."
                    ))  # fmt: skip
                    return redirect(reverse("inspections:finding_detail", args=[finding.pk]))
                messages.success(request, _("Spot check saved."))
                return redirect("inspections:team_check_list")
        return self._render(request, form, status=400)
