from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Officer, Region, Unit
from households.models import Household, Member, PovertyCause

from .models import FitDecision, MeasureKind, MeasureStatus


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

    def __init__(self, *args, household: Household, officers, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(PovertyCause.choices)
        # Offer only the household's own causes: a measure may answer nothing else.
        self.fields["causes"].choices = [(c, labels[c]) for c in household.causes]
        self.fields["responsible_officer"].queryset = officers
        self.fields["kind"].widget.attrs["autofocus"] = True
        add_detail_fields(self, members)

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("expected_income_gain", "funds_needed"):
            if data.get(name) is None:
                data.pop(name)
        return data


def add_detail_fields(form: forms.Form, members) -> None:
    """因人施策: the member an employment measure employs, the loan of a microcredit measure, the
    site of a relocation (each used only by its kind; the service checks them)."""
    money = {"max_digits": 12, "decimal_places": 2, "required": False}
    form.fields["employed_member"] = forms.ModelChoiceField(
        label=_("member employed"),
        queryset=members if members is not None else Member.objects.none(),
        required=False,
        help_text=_("Employment: the member of this household it employs."),
    )
    form.fields["loan_amount"] = forms.DecimalField(label=_("loan amount (yuan)"), **money)
    form.fields["loan_bank"] = forms.CharField(label=_("lending bank"), max_length=100, required=False)
    form.fields["loan_date"] = forms.DateField(label=_("loan date"), widget=DateInput, required=False)
    form.fields["loan_due"] = forms.DateField(label=_("loan due date"), widget=DateInput, required=False)
    form.fields["interest_subsidy"] = forms.DecimalField(label=_("interest subsidy (yuan)"), **money)
    form.fields["relocation_site"] = forms.CharField(
        label=_("resettlement site"), max_length=200, required=False
    )
    form.fields["move_in_date"] = forms.DateField(label=_("move-in date"), widget=DateInput, required=False)


DETAIL_NAMES = (
    "employed_member", "loan_amount", "loan_bank", "loan_date", "loan_due", "interest_subsidy",
    "relocation_site", "move_in_date",
)  # fmt: skip


class MeasureDetailsForm(forms.Form):
    """The facts of a measure's kind, recorded when they are known (before it is done)."""

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        add_detail_fields(self, members)

    def service_data(self, kind: str) -> dict:
        own = {
            MeasureKind.EMPLOYMENT: ("employed_member",),
            MeasureKind.MICROCREDIT: (
                "loan_amount",
                "loan_bank",
                "loan_date",
                "loan_due",
                "interest_subsidy",
            ),
            MeasureKind.RELOCATION: ("relocation_site", "move_in_date"),
        }.get(kind, ())
        return {name: self.cleaned_data.get(name) for name in own}


class KindCauseForm(forms.Form):
    """A county counts a kind of measure as answering one more cause."""

    county = forms.ModelChoiceField(label=_("county"), queryset=Region.objects.none())
    kind = forms.ChoiceField(label=_("kind"), choices=MeasureKind.choices)
    cause = forms.ChoiceField(label=_("poverty cause"), choices=PovertyCause.choices)
    note = forms.CharField(label=_("reason"), max_length=300)

    def __init__(self, *args, counties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties
        if counties.count() == 1:
            self.fields["county"].initial = counties.first().pk


class FitDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"), choices=[c for c in FitDecision.choices if c[0] != FitDecision.PENDING]
    )
    note = forms.CharField(label=_("reason"), max_length=300, required=False)


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


class TeamForm(forms.Form):
    """Register or change a village work team (驻村工作队)."""

    name = forms.CharField(
        label=_("team name"), max_length=100, widget=forms.TextInput(attrs={"autofocus": True})
    )
    dispatching_unit = forms.ModelChoiceField(label=_("dispatching unit"), queryset=Unit.objects.none())
    first_secretary = forms.ModelChoiceField(label=_("first secretary"), queryset=Officer.objects.none())
    members = forms.ModelMultipleChoiceField(
        label=_("team members"), queryset=Officer.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )  # fmt: skip
    villages = forms.ModelMultipleChoiceField(
        label=_("villages served"),
        queryset=Region.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    start_date = forms.DateField(label=_("start date"), widget=DateInput)
    end_date = forms.DateField(label=_("end date"), widget=DateInput, required=False)

    def __init__(self, *args, units, officers, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dispatching_unit"].queryset = units
        self.fields["first_secretary"].queryset = officers
        self.fields["members"].queryset = officers
        self.fields["villages"].queryset = villages
