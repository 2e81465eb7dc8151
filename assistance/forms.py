from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Officer
from households.models import Household, PovertyCause

from .models import MeasureKind, MeasureStatus


class DateInput(forms.DateInput):
    """A native date picker: its value must be ISO (YYYY-MM-DD) whatever the language's format."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class MeasureForm(forms.Form):
    """Quick entry of a measure on the plan page: tab through, Enter submits."""

    kind = forms.ChoiceField(label=_("kind"), choices=MeasureKind.choices)
    title = forms.CharField(label=_("description"), max_length=200)
    causes = forms.MultipleChoiceField(
        label=_("causes answered"), choices=PovertyCause.choices, widget=forms.CheckboxSelectMultiple
    )
    responsible_officer = forms.ModelChoiceField(
        label=_("responsible officer"), queryset=Officer.objects.none(), required=False
    )
    planned_end = forms.DateField(label=_("planned completion"), widget=DateInput)
    expected_income_gain = forms.DecimalField(
        label=_("expected yearly income gain (yuan)"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
    )
    funds_needed = forms.DecimalField(
        label=_("money needed (yuan)"), max_digits=12, decimal_places=2, min_value=0, required=False
    )

    def __init__(self, *args, household: Household, officers, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(PovertyCause.choices)
        # Offer only the household's own causes: a measure may answer nothing else.
        self.fields["causes"].choices = [(c, labels[c]) for c in household.causes]
        self.fields["responsible_officer"].queryset = officers
        self.fields["kind"].widget.attrs["autofocus"] = True

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("expected_income_gain", "funds_needed"):
            if data.get(name) is None:
                data.pop(name)
        return data


class TransitionForm(forms.Form):
    status = forms.ChoiceField(choices=MeasureStatus.choices)
    reason = forms.CharField(label=_("reason"), max_length=300, required=False)
    actual_income_gain = forms.DecimalField(
        label=_("actual yearly income gain (yuan)"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("file"))
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class PlanForm(forms.Form):
    summary = forms.CharField(label=_("approach"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
