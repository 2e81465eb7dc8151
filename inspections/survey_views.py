"""Pages for surveys on covert visits (phone-friendly) and spot checks of village work teams."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.exceptions import DomainError
from core.models import Region
from core.scoping import scope_depth
from core.web import PageMixin, add_domain_error, paginate, querystring_without

from . import selectors, services, targets
from .models import RecordsState, Satisfaction, SurveyResult, TargetKind

YES_NO = [("yes", gettext_lazy("yes")), ("no", gettext_lazy("no"))]


class SurveyForm(forms.Form):
    household = forms.TypedChoiceField(label=gettext_lazy("Household"), coerce=int)
    result = forms.ChoiceField(label=gettext_lazy("Result asked about"), choices=SurveyResult.choices,
                               widget=forms.RadioSelect)  # fmt: skip
    recognises = forms.ChoiceField(label=gettext_lazy("Does the household recognise the result?"),
                                   choices=YES_NO, widget=forms.RadioSelect)  # fmt: skip
    satisfaction = forms.ChoiceField(label=gettext_lazy("Satisfaction with the assistance"),
                                     choices=Satisfaction.choices, widget=forms.RadioSelect)  # fmt: skip
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=300)

    def __init__(self, *args, households=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].choices = [(h.pk, f"{h.head_name} · {h.file_number}") for h in households]


def _can_record(user) -> bool:
    if user.is_read_only:
        return False
    return user.is_superuser or (selectors.is_inspector(user) and selectors.sees_secrets(user))


class ReportSurveyView(PageMixin, View):
    """The short questionnaire, one visited household at a time, on the inspector's phone."""

    permission_required = "inspections.view_surveyresponse"

    def _render(self, request, report, form, status=200):
        return render(request, "inspections/report_surveys.html", {
            "report": report, "form": form, "can_record": _can_record(request.user),
            "surveys": targets.survey_list(actor=request.user, filters={"report": report.pk}),
        }, status=status)  # fmt: skip

    def _form(self, report, data=None):
        return SurveyForm(data, households=report.households_visited.order_by("id"))

    def get(self, request, pk: int):
        report = selectors.report_get(actor=request.user, pk=pk)
        return self._render(request, report, self._form(report))

    def post(self, request, pk: int):
        if not _can_record(request.user):
            raise PermissionDenied
        report = selectors.report_get(actor=request.user, pk=pk)
        form = self._form(report, request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.survey_record(
                    report=report, household_id=d["household"], result=d["result"],
                    recognises=d["recognises"] == "yes", satisfaction=d["satisfaction"], note=d["note"],
                    actor=request.user,
                )  # fmt: skip
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Answers saved."))
                return redirect("inspections:report_surveys", pk=report.pk)
        return self._render(request, report, form, status=400)


def _month(request) -> dt.date | None:
    value = request.GET.get("month", "")
    try:
        return dt.date.fromisoformat(f"{value}-01") if value else None
    except ValueError:
        return None


class SurveyRatesView(PageMixin, View):
    """Recognition and satisfaction rates by county, township or village, sample size beside each."""

    permission_required = "inspections.view_surveyresponse"

    def get(self, request):
        if scope_depth(request.user) is None:
            raise Http404
        level = request.GET.get("level") if request.GET.get("level") in targets.LEVEL_DIGITS else "county"
        month = _month(request)
        year = None if month else timezone.localdate().year
        rates = targets.survey_rates(actor=request.user, level=level, month=month, year=year)
        names = dict(Region.objects.filter(code__in=list(rates)).values_list("code", "name"))
        rows = [(code, names.get(code, code), r) for code, r in sorted(rates.items())]
        return render(request, "inspections/survey_rates.html", {
            "rows": rows, "level": level, "month": month, "year": year,
            "levels": [("county", _("county")), ("township", _("township")), ("village", _("village"))],
        })  # fmt: skip


class TeamCheckForm(forms.Form):
    checked_on = forms.DateField(
        label=gettext_lazy("Checked on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    secretary_present = forms.ChoiceField(label=gettext_lazy("Was the first secretary on duty?"),
                                          choices=YES_NO, widget=forms.RadioSelect)  # fmt: skip
    members_present = forms.IntegerField(label=gettext_lazy("Team members on duty"), min_value=0, initial=0)
    records_state = forms.ChoiceField(label=gettext_lazy("State of the team's records"),
                                      choices=RecordsState.choices, widget=forms.RadioSelect)  # fmt: skip
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class TeamCheckView(PageMixin, View):
    """Record the spot check of a work team drawn in a plan (随机抽查、突击检查)."""

    permission_required = "inspections.add_teamcheck"

    def _get(self, request, pk: int, team_id: int):
        if not _can_record(request.user):
            raise PermissionDenied
        plan = selectors.plan_get(actor=request.user, pk=pk)
        target = get_object_or_404(
            selectors.plan_targets(actor=request.user, plan=plan), kind=TargetKind.TEAM, team_id=team_id
        )
        return plan, target.team

    def _render(self, request, plan, team, form, status=200):
        return render(request, "inspections/team_check_form.html", {"plan": plan, "team": team, "form": form},
                      status=status)  # fmt: skip

    def get(self, request, pk: int, team_id: int):
        plan, team = self._get(request, pk, team_id)
        return self._render(request, plan, team, TeamCheckForm(initial={"checked_on": timezone.localdate()}))

    def post(self, request, pk: int, team_id: int):
        plan, team = self._get(request, pk, team_id)
        form = TeamCheckForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.team_check_record(
                    team=team, plan=plan, actor=request.user, checked_on=d["checked_on"],
                    secretary_present=d["secretary_present"] == "yes", members_present=d["members_present"],
                    records_state=d["records_state"], note=d["note"],
                )  # fmt: skip
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Spot check saved."))
                return redirect("inspections:team_check_list")
        return self._render(request, plan, team, form, status=400)


class TeamCheckListView(PageMixin, View):
    permission_required = "inspections.view_teamcheck"

    def get(self, request):
        page = paginate(request, targets.team_check_list(actor=request.user))
        return render(request, "inspections/team_check_list.html", {
            "page": page, "querystring": querystring_without(request, "page"),
        })  # fmt: skip
