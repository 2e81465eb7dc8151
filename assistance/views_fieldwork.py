"""Pages of the work in the villages: a household's responsible officer (set on the plan page), the
county's officers (accounts in bulk, a leaving officer's households handed on, the county's rules),
visits (the phone page, offline, and the list), days in the village (the phone page and the
month), villages that need a work team."""

from __future__ import annotations

import datetime as dt
import io

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core import xlsx
from core.accounts import officer_accounts_create
from core.exceptions import DomainError
from core.models import Officer, Region, Role
from core.scoping import ensure_in_scope, scope
from core.uploads import serve_upload
from core.web import PageMixin, add_domain_error, paginate, querystring_without

from . import selectors, services
from .models import Satisfaction


def _county(request) -> Region | None:
    """The county a page is for: ?region= (or the actor's own region) taken to its county; None
    when the actor's region is above a county and none was chosen."""
    code = request.GET.get("region") or request.POST.get("region") or request.user.region_id
    if not code or len(code) != 12 or not code.isdigit():
        return None
    county_code = code[:6] + "000000"
    if code[4:6] == "00":  # a city or province: choose a county first
        return None
    county = get_object_or_404(Region, code=county_code, level="county")
    ensure_in_scope(request.user, county.code)
    return county


def _counties(actor):
    return scope(Region.objects.filter(level="county"), actor=actor, field="code").order_by("code")


def _month(request) -> dt.date:
    raw = request.GET.get("month") or ""
    try:
        return dt.date.fromisoformat(f"{raw}-01") if raw else timezone.localdate().replace(day=1)
    except ValueError:
        raise Http404 from None


# --- a household's responsible officer ------------------------------------------------------


class HouseholdOfficerForm(forms.Form):
    officer = forms.ModelChoiceField(
        label=gettext_lazy("Responsible officer"), queryset=Officer.objects.none()
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200, required=False)

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers


class HouseholdOfficerView(PageMixin, View):
    """Set the household's responsible officer (from the plan page)."""

    permission_required = services.ASSIGN_PERMISSION

    def post(self, request, household_id: int):
        household = selectors.household_get(actor=request.user, pk=household_id)
        officers = selectors.officer_choices(actor=request.user, household=household)
        form = HouseholdOfficerForm(request.POST, officers=officers)
        if form.is_valid():
            try:
                services.household_officer_set(
                    household=household, officer=form.cleaned_data["officer"], actor=request.user,
                    reason=form.cleaned_data["reason"],
                )  # fmt: skip
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Responsible officer saved."))
                return redirect(reverse("assistance:plan", args=[household.pk]) + "#officer")
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(
                    request, f"{form.fields[field].label if field in form.fields else ''} {error}".strip()
                )
        return redirect(reverse("assistance:plan", args=[household.pk]) + "#officer")


# --- the county's officers ------------------------------------------------------------------


class OfficerListView(PageMixin, View):
    """The county's officers: households each is responsible for, log-in, reassign; accounts in bulk."""

    permission_required = services.ASSIGN_PERMISSION

    def get(self, request):
        county = _county(request)
        if county is None:
            return render(request, "assistance/officer_list.html", {"counties": _counties(request.user)})
        officers = selectors.county_officers(actor=request.user, county=county)
        return render(request, "assistance/officer_list.html", {
            "county": county,
            "page": paginate(request, officers, per_page=100),
            "querystring": querystring_without(request, "page"),
            "without_officer": selectors.households_without_officer_count(actor=request.user, region=county.code),
            "without_account": len(services.officers_without_account(actor=request.user, county=county)),
            "can_create_accounts": request.user.has_perm("core.add_user"),
            "rules": selectors.county_rules(county.code),
            "can_set_rules": request.user.has_perm("assistance.change_fieldworksettings"),
        })  # fmt: skip


class OfficerAccountsView(PageMixin, View):
    """Accounts for every responsible officer of the county who has none: role 帮扶责任人, a
    generated first password shown once (or downloaded once as .xlsx), changed at first log-in."""

    permission_required = ("core.add_user", services.ASSIGN_PERMISSION)

    def post(self, request):
        county = _county(request)
        if county is None:
            raise Http404
        officers = services.officers_without_account(actor=request.user, county=county)
        try:
            created = officer_accounts_create(
                actor=request.user, officers=officers, role=Role.ASSISTANCE_OFFICER
            )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(f"{reverse('assistance:officer_list')}?region={county.code}")
        if request.POST.get("format") == "xlsx":
            buffer = io.BytesIO()
            xlsx.write_rows(
                buffer, title=_("Accounts"),
                headers=[_("Officer"), _("Position"), _("Username"), _("First password")],
                rows=[(o.name, o.position, u.username, password) for o, u, password in created],
            )  # fmt: skip
            buffer.seek(0)
            return xlsx.download(buffer, f"帮扶责任人账号-{county.name}.xlsx")
        return render(request, "assistance/officer_accounts.html", {"county": county, "created": created})


class ReassignForm(forms.Form):
    officers = forms.ModelMultipleChoiceField(
        label=gettext_lazy("New officers"),
        queryset=Officer.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("How to spread"), widget=forms.RadioSelect, initial="even",
        choices=[("even", gettext_lazy("evenly")), ("village", gettext_lazy("by village (a village's households together)"))],
    )  # fmt: skip
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200, required=False)
    deactivate = forms.BooleanField(
        label=gettext_lazy("The officer has left: mark as inactive"), required=False
    )

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = officers


class OfficerReassignView(PageMixin, View):
    """A leaving officer's households to one or several officers, in one step."""

    permission_required = services.ASSIGN_PERMISSION

    def _officer(self, request, pk):
        officer = get_object_or_404(
            scope(Officer.objects.select_related("region"), actor=request.user, field="region_id"), pk=pk
        )
        candidates = (
            scope(Officer.objects.filter(is_active=True), actor=request.user, field="region_id")
            .filter(region__code__startswith=officer.region_id[:6])
            .exclude(pk=officer.pk)
            .order_by("name", "id")
        )
        return officer, candidates

    def _render(self, request, officer, form, status=200):
        households = selectors.officer_households(actor=request.user, officer=officer).select_related(
            "village"
        )
        return render(request, "assistance/officer_reassign.html", {
            "officer": officer, "form": form, "households": households[:500], "count": households.count(),
        }, status=status)  # fmt: skip

    def get(self, request, pk: int):
        officer, candidates = self._officer(request, pk)
        return self._render(request, officer, ReassignForm(officers=candidates))

    def post(self, request, pk: int):
        officer, candidates = self._officer(request, pk)
        form = ReassignForm(request.POST, officers=candidates)
        if form.is_valid():
            d = form.cleaned_data
            try:
                result = services.officer_households_reassign(
                    officer=officer, officers=list(d["officers"]), actor=request.user, mode=d["mode"],
                    reason=d["reason"], deactivate=d["deactivate"],
                )  # fmt: skip
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(
                    request,
                    _("%(n)s households handed to %(k)s officers.")
                    % {"n": sum(result.values()), "k": len(result)},
                )
                return redirect(f"{reverse('assistance:officer_list')}?region={officer.region_id[:6]}000000")
        return self._render(request, officer, form, status=400)


class FieldworkSettingsForm(forms.Form):
    visit_interval_days = forms.IntegerField(
        label=gettext_lazy("Days between visits"), min_value=1, max_value=366
    )
    presence_days_required = forms.IntegerField(
        label=gettext_lazy("Days in the village each month"), min_value=1, max_value=31
    )


class FieldworkSettingsView(PageMixin, View):
    """The county's rules: N days between visits, the days in the village each month."""

    permission_required = "assistance.change_fieldworksettings"

    def _render(self, request, county, form, status=200):
        return render(request, "assistance/fieldwork_settings.html", {"county": county, "form": form,
                      "counties": _counties(request.user)}, status=status)  # fmt: skip

    def get(self, request):
        county = _county(request)
        if county is None:
            return self._render(request, None, None)
        rules = selectors.county_rules(county.code)
        form = FieldworkSettingsForm(initial={
            "visit_interval_days": rules.visit_interval_days, "presence_days_required": rules.presence_days_required,
        })  # fmt: skip
        return self._render(request, county, form)

    def post(self, request):
        county = _county(request)
        if county is None:
            raise Http404
        form = FieldworkSettingsForm(request.POST)
        if form.is_valid():
            try:
                services.fieldwork_settings_set(actor=request.user, county=county, **form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Settings saved."))
                return redirect(f"{reverse('assistance:fieldwork_settings')}?region={county.code}")
        return self._render(request, county, form, status=400)


# --- visits ---------------------------------------------------------------------------------


class VisitPhoneView(PageMixin, View):
    """The responsible officer's phone page: their households, the visit form kept offline."""

    permission_required = "assistance.add_visit"

    def get(self, request):
        households = list(selectors.my_households(actor=request.user)[:1000])
        return render(request, "assistance/visit_phone.html", {
            "households": households, "satisfactions": Satisfaction.choices,
            "overdue": sum(1 for h in households if h.visit_overdue),
            "linked": bool(request.user.officer_id),
        })  # fmt: skip


class VisitListView(PageMixin, View):
    """Visits in scope, and the households overdue for one (?overdue=1)."""

    permission_required = "assistance.view_visit"

    def get(self, request):
        region = request.GET.get("region") or None
        if region:
            ensure_in_scope(request.user, region)
        overdue = request.GET.get("overdue") == "1"
        if overdue:
            rows = selectors.household_officer_list(
                actor=request.user, filters={"region": region, "visit_overdue": True}
            )
        else:
            rows = selectors.visit_list(actor=request.user, filters={"region": region})
        return render(request, "assistance/visit_list.html", {
            "page": paginate(request, rows), "overdue": overdue, "region": region,
            "querystring": querystring_without(request, "page"),
        })  # fmt: skip


class VisitPhotoView(PageMixin, View):
    permission_required = "assistance.view_visit"

    def get(self, request, pk: int):
        visit = selectors.visit_get(actor=request.user, pk=pk)
        if not visit.photo:
            raise Http404
        return serve_upload(visit.photo.name, download_name=visit.photo_name or "photo.jpg")


# --- days in the village ----------------------------------------------------------------------


class PresencePhoneView(PageMixin, View):
    """A first secretary's or team member's phone page: the day in the village, kept offline."""

    permission_required = "assistance.add_presenceday"

    def get(self, request):
        teams = list(selectors.teams_of_officer(officer_id=request.user.officer_id))
        month = timezone.localdate().replace(day=1)
        mine = selectors.presence_list(
            actor=request.user, filters={"officer": request.user.officer_id or 0, "month": month}
        )
        return render(request, "assistance/presence_phone.html", {
            "teams": teams, "days": list(mine[:31]), "linked": bool(request.user.officer_id),
            "rows": [r for r in selectors.presence_month(month=month, actor=request.user, team_ids=[t.pk for t in teams])
                     if r.officer.pk == request.user.officer_id],
        })  # fmt: skip


class PresenceMonthView(PageMixin, View):
    """The month's days in the village of every first secretary and team member, absences first."""

    permission_required = "assistance.view_presenceday"

    def get(self, request):
        month = _month(request)
        region = request.GET.get("region") or None
        if region:
            ensure_in_scope(request.user, region)
        rows = selectors.presence_month(month=month, actor=request.user, region=region)
        if request.GET.get("absent") == "1":
            rows = [r for r in rows if r.absent]
        rows.sort(key=lambda r: (-r.shortfall, r.team.name, r.officer.name))
        return render(request, "assistance/presence_month.html", {
            "month": month, "rows": rows, "absent_only": request.GET.get("absent") == "1",
            "absent": sum(1 for r in rows if r.absent),
        })  # fmt: skip


class VillagesNeedingTeamView(PageMixin, View):
    """向非贫困村增派: villages not poor, with households to assist, served by no work team."""

    permission_required = "assistance.view_villageteam"

    def get(self, request):
        if not request.user.has_perm("assistance.view_villageteam"):
            raise PermissionDenied
        rows = selectors.villages_needing_team(actor=request.user)
        return render(request, "assistance/villages_needing_team.html", {
            "page": paginate(request, rows), "querystring": querystring_without(request, "page"),
        })  # fmt: skip
