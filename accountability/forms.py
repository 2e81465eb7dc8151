from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import Officer, Region, Unit

from .models import CaseType, ResponsibilityKind


class DateInput(forms.DateInput):
    input_type = "date"


class ConfirmCaseForm(forms.Form):
    decision = forms.CharField(
        label=pgettext_lazy("case", "Decision"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    case_type = forms.ChoiceField(label=_("Type"), choices=CaseType.choices, required=False)
    ban_until = forms.DateField(label=_("No promotion until"), required=False, widget=DateInput)


class DismissCaseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for dismissal"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class CloseCaseForm(forms.Form):
    note = forms.CharField(
        label=_("How the measure was carried out"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )


class RegenerateBulletinForm(forms.Form):
    # The service's own rule (services.bulletin_regenerate) in its words, beside the field.
    reason = forms.CharField(
        label=_("Reason for regenerating"),
        max_length=300,
        error_messages={"required": _("Say why the bulletin is regenerated.")},
    )


class WhoWasResponsibleForm(forms.Form):
    region = forms.CharField(label=_("Division code"), max_length=12, min_length=12)
    on = forms.DateField(label=_("On"), widget=DateInput)

    def clean_region(self):
        code = self.cleaned_data["region"]
        if not code.isdigit():
            raise forms.ValidationError(_("A division code has 12 digits."))
        return code


class ResponsibilityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Responsibility"), choices=ResponsibilityKind.choices)
    region = forms.ModelChoiceField(label=_("Region answered for"), queryset=Region.objects.none(),
                                    to_field_name="code", widget=forms.TextInput)  # fmt: skip
    officer = forms.ModelChoiceField(label=_("Officer"), queryset=Officer.objects.none(), required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    duty = forms.CharField(label=_("Duty"), max_length=200, required=False)
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput)
    valid_to = forms.DateField(label=_("Valid to"), widget=DateInput, required=False)

    def __init__(self, *args, regions, officers, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["officer"].queryset = officers
        self.fields["unit"].queryset = units
        self.fields["region"].help_text = _("12-digit division code of the county, township or village.")
