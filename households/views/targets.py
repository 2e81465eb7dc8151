"""The year's targets (issue 18.5): the list of the city's and counties' targets by year, and the page
where an administrator (the city) or a county administrator (their county) records them, with the
row's history. Progress against them is on the dashboard (it reads households.selectors.targets)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.exceptions import DomainError
from core.history import history_for
from core.models import Region, RegionLevel, Role
from core.scoping import in_scope
from core.web import PageMixin, add_domain_error

from ..models import ACHIEVED_FIELDS, TARGET_FIELDS
from ..selectors.targets import target_get, target_list, target_regions
from ..services.targets import exit_target_record


def _year(value, default: int) -> int:
    value = str(value or "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else default


def may_record(user, region) -> bool:
    if not user.has_perm("households.record_exit_target") or user.is_read_only:
        return False
    if region.level == RegionLevel.CITY:
        return user.is_superuser or user.has_role(Role.ADMIN)
    return in_scope(user, region.code)


class TargetForm(forms.Form):
    people = forms.IntegerField(label=gettext_lazy("People to exit poverty"), required=False, min_value=0)
    households = forms.IntegerField(
        label=gettext_lazy("Households to exit poverty"), required=False, min_value=0
    )
    villages = forms.IntegerField(label=gettext_lazy("Poor villages to exit"), required=False, min_value=0)
    achieved_people = forms.IntegerField(
        label=gettext_lazy("People exited (recorded)"), required=False, min_value=0,
        help_text=gettext_lazy("Only for a past year: the results the region reported."),
    )  # fmt: skip
    achieved_households = forms.IntegerField(
        label=gettext_lazy("Households exited (recorded)"), required=False, min_value=0
    )
    achieved_villages = forms.IntegerField(
        label=gettext_lazy("Villages exited (recorded)"), required=False, min_value=0
    )
    achieved_source = forms.CharField(
        label=gettext_lazy("Source of the recorded results"), required=False, max_length=200,
        help_text=gettext_lazy("E.g. the city's report of the year."),
    )  # fmt: skip
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=300)


class TargetListView(PageMixin, View):
    permission_required = "households.view_exittarget"

    def get(self, request):
        this_year = timezone.localdate().year
        year = _year(request.GET.get("year"), this_year)
        regions = target_regions(actor=request.user)
        targets = {t.region_id: t for t in target_list(actor=request.user, year=year)}
        rows = [(r, targets.get(r.code), may_record(request.user, r)) for r in regions]
        return render(request, "households/targets.html", {
            "year": year, "rows": rows, "years": list(range(this_year + 1, this_year - 5, -1)),
            "this_year": this_year,
        })  # fmt: skip


class TargetRecordView(PageMixin, View):
    permission_required = "households.record_exit_target"

    def _context(self, request, code: str, year: int, form):
        target = target_get(actor=request.user, region_code=code, year=year)
        region = Region.objects.get(code=code)
        return {
            "region": region, "year": year, "target": target, "form": form,
            "past": year < timezone.localdate().year,
            "events": history_for(target, actor=request.user) if target else [],
        }  # fmt: skip

    def get(self, request, code: str, year: int):
        target = target_get(actor=request.user, region_code=code, year=year)
        initial = {}
        if target:
            initial = {
                f: getattr(target, f) for f in (*TARGET_FIELDS, *ACHIEVED_FIELDS, "achieved_source", "note")
            }
        return render(
            request,
            "households/target_form.html",
            self._context(request, code, year, TargetForm(initial=initial)),
        )

    def post(self, request, code: str, year: int):
        target_get(actor=request.user, region_code=code, year=year)  # 404 outside the scope
        form = TargetForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                exit_target_record(
                    region_code=code, year=year, actor=request.user,
                    figures={f: data[f] for f in (*TARGET_FIELDS, *ACHIEVED_FIELDS)},
                    source=data["achieved_source"], note=data["note"],
                )  # fmt: skip
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("The targets of %(year)s are recorded.") % {"year": year})
                return redirect(f"{reverse('households:targets')}?year={year}")
        return render(
            request, "households/target_form.html", self._context(request, code, year, form), status=400
        )
