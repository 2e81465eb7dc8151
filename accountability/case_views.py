"""一月一问责: proposing a case by hand (issue 19.4). The city supervision group proposes the month's
cases (and the discipline commission may open one too); a proposed case waits for the discipline
commission's decision (`CaseActionView`), within the days the settings give."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.exceptions import DomainError
from core.picker_sources import officer_source, unit_source
from core.pickers import PickerField
from core.web import PageMixin, add_domain_error

from . import services
from .forms import DateInput
from .models import CaseType

# The look-ups of the proposal form (core.pickers), served by this app's routes `pick/officers/`
# and `pick/units/` to those who may propose a case.
OFFICERS = officer_source(permission="accountability.add_accountabilitycase")
UNITS = unit_source(permission="accountability.add_accountabilitycase")


class CaseProposeForm(forms.Form):
    case_type = forms.ChoiceField(label=gettext_lazy("Type"), choices=CaseType.choices)
    officer = PickerField(
        source=OFFICERS, url="accountability:pick_officers", label=gettext_lazy("Officer"), required=False
    )
    unit = PickerField(
        source=UNITS, url="accountability:pick_units", label=gettext_lazy("Unit"), required=False
    )
    grounds = forms.CharField(
        label=gettext_lazy("Grounds"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    ban_until = forms.DateField(label=gettext_lazy("No promotion until"), required=False, widget=DateInput)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].actor = actor
        self.fields["unit"].actor = actor
        self.fields["officer"].help_text = gettext_lazy("An officer or a unit: the one held accountable.")


class CaseProposeView(PageMixin, View):
    permission_required = "accountability.add_accountabilitycase"

    def _form(self, request, data=None):
        return CaseProposeForm(data, actor=request.user)

    def get(self, request):
        return render(request, "accountability/case_form.html", {"form": self._form(request)})

    def post(self, request):
        form = self._form(request, request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                case = services.case_open_manual(
                    case_type=d["case_type"], grounds=d["grounds"], officer=d["officer"], unit=d["unit"],
                    ban_until=d["ban_until"], actor=request.user,
                )  # fmt: skip
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Case proposed; the discipline commission decides it."))
                return redirect("accountability:case_detail", pk=case.pk)
        return render(request, "accountability/case_form.html", {"form": form}, status=400)
