"""Forms of the annual assessment pages: a grade with its indicators, an appeal and its decision, the
annual bulletin, a rectification acceptance."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import Officer, Region, Unit

from .forms import DateInput
from .models import Grade, IndicatorSource

INDICATOR_ROWS = 3
ENTERED_SOURCES = [
    (v, label) for v, label in IndicatorSource.choices if v != IndicatorSource.RECTIFICATION_REVIEW
]


class GradeForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    officer = forms.ModelChoiceField(label=_("Officer"), queryset=Officer.objects.none(), required=False)
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput)
    grade = forms.ChoiceField(
        label=pgettext_lazy("assessment", "Grade"), choices=[("", _("as computed")), *list(Grade.choices)], required=False,
        help_text=_("Leave empty to take the grade computed from the monthly scores."),
    )  # fmt: skip
    reasons = forms.CharField(
        label=_("Reasons for the grade"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, officers, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers
        self.fields["unit"].queryset = units
        for i in range(INDICATOR_ROWS):
            self.fields[f"indicator_{i}_name"] = forms.CharField(
                label=_("Indicator"), max_length=100, required=False
            )
            self.fields[f"indicator_{i}_source"] = forms.ChoiceField(
                label=_("Source"), choices=[("", "—"), *ENTERED_SOURCES], required=False
            )
            self.fields[f"indicator_{i}_value"] = forms.CharField(
                label=_("Result"), max_length=100, required=False
            )

    def clean(self):
        data = super().clean()
        if bool(data.get("unit")) == bool(data.get("officer")):
            raise forms.ValidationError(_("Grade exactly one unit or one officer."))
        return data

    def indicators(self) -> list[dict]:
        d = self.cleaned_data
        return [
            {"name": d[f"indicator_{i}_name"], "source": d[f"indicator_{i}_source"], "value": d[f"indicator_{i}_value"]}
            for i in range(INDICATOR_ROWS)
            if d.get(f"indicator_{i}_name") or d.get(f"indicator_{i}_value")
        ]  # fmt: skip


class AppealForm(forms.Form):
    grounds = forms.CharField(
        label=_("Grounds of the appeal"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )


class AppealDecisionForm(forms.Form):
    granted = forms.TypedChoiceField(
        label=pgettext_lazy("case", "Decision"),
        choices=[("no", _("refuse")), ("yes", _("grant"))],
        coerce=lambda v: v == "yes",
    )
    new_grade = forms.ChoiceField(
        label=_("Grade after the appeal"), choices=[("", "—"), *list(Grade.choices)], required=False
    )
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class PublishAnnualBulletinForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    reason = forms.CharField(
        label=_("Reason for publishing again"), max_length=300, required=False,
        help_text=_("Needed when the year's bulletin is already published; that version is kept."),
    )  # fmt: skip


class ReviewForm(forms.Form):
    region = forms.ModelChoiceField(label=_("County"), queryset=Region.objects.none(), to_field_name="code")
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    reviewed_on = forms.DateField(label=_("Reviewed on"), widget=DateInput)
    reviewers = forms.CharField(label=_("Reviewers"), max_length=300)
    items_checked = forms.CharField(
        label=_("Items checked on site"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000,
        help_text=_("One per line."),
    )  # fmt: skip
    passed = forms.TypedChoiceField(
        label=_("Result"),
        choices=[
            ("yes", pgettext_lazy("acceptance", "passed")),
            ("no", pgettext_lazy("acceptance", "failed")),
        ],
        coerce=lambda v: v == "yes",
    )
    reasons = forms.CharField(
        label=_("Reasons for the result"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    problem_list = forms.ModelChoiceField(label=_("Problem list reviewed"), queryset=None, required=False)
    plan = forms.ModelChoiceField(label=_("Inspection round reviewed"), queryset=None, required=False)

    def __init__(self, *args, counties, problem_lists, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = counties
        self.fields["problem_list"].queryset = problem_lists
        self.fields["plan"].queryset = plans
