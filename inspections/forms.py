from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import Region, Unit
from core.pickers import PickerField

from .models import FindingCategory, FindingSource, InspectionGroup, ItemKind, Severity
from .pickers import HOUSEHOLDS, UNITS, VILLAGES

DATE = forms.DateInput(attrs={"type": "date"})


class PlanDrawForm(forms.Form):
    group = forms.ModelChoiceField(
        label=_("Inspection group"), queryset=InspectionGroup.objects.filter(is_active=True)
    )
    county = forms.ModelChoiceField(
        label=_("County to inspect"), queryset=Region.objects.filter(level="county").order_by("code")
    )
    department = forms.ModelChoiceField(
        label=_("City department to inspect (optional)"), queryset=Unit.objects.none(), required=False,
        help_text=_("Its work is checked at the grassroots of the county above."),
    )  # fmt: skip
    month = forms.DateField(
        label=_("Month"), widget=DATE, initial=lambda: timezone.localdate().replace(day=1)
    )
    townships = forms.IntegerField(label=_("Townships"), min_value=1, max_value=20, initial=2)
    villages_per_township = forms.IntegerField(
        label=_("Villages per township"), min_value=1, max_value=20, initial=2
    )
    households_per_village = forms.IntegerField(
        label=_("Households per village"), min_value=1, max_value=20, initial=3
    )

    def __init__(self, *args, counties=None, groups=None, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["department"].queryset = departments
        if counties is not None:
            self.fields["county"].queryset = counties
        if groups is not None:
            self.fields["group"].queryset = groups


class ProblemAnswerForm(forms.Form):
    """A recipient's answer on one problem (the page's row form): carries each refusal beside its field."""

    status = forms.ChoiceField(
        label=_("Answer"), choices=[("absent", _("not present here")), ("present", _("present here"))]
    )
    note = forms.CharField(label=_("Note"), required=False)
    files = forms.FileField(label=pgettext_lazy("evidence", "Evidence"), required=False)
    root_cause = forms.CharField(label=_("Root cause"), required=False)
    rectification_plan = forms.CharField(label=_("Rectification plan"), required=False)
    items = forms.CharField(label=_("Rectification required"), required=False)


class FindingCreateForm(forms.Form):
    """A finding from a notice, media or audit. The place, the household and the responsible unit are
    chosen with look-ups (core.pickers) narrowed to the county chosen above them, never typed codes."""

    source = forms.ChoiceField(
        label=_("Source"),
        choices=[
            c
            for c in FindingSource.choices
            if c[0] not in (FindingSource.CITY_COVERT_VISIT, FindingSource.PUBLIC_COMPLAINT)
        ],
    )
    source_reference = forms.CharField(label=_("Notice / report reference"), max_length=200, required=False)
    county = forms.ModelChoiceField(
        label=_("County"), queryset=Region.objects.filter(level="county").order_by("code")
    )
    village = PickerField(
        source=VILLAGES, url="inspections:pick_villages", filter_by={"county": "county"}, label=_("Village"),
        required=False, help_text=_("Optional: the village where the problem was found (type a part of its name)."),
    )  # fmt: skip
    household = PickerField(
        source=HOUSEHOLDS, url="inspections:pick_households", filter_by={"county": "county", "village": "village"},
        label=_("Household"), required=False,
        help_text=_("Optional: the household concerned — search by the head's or a member's name, file number or phone."),
    )  # fmt: skip
    category = forms.ChoiceField(label=_("Category"), choices=FindingCategory.choices)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    description = forms.CharField(
        label=pgettext_lazy("problem", "Description"), widget=forms.Textarea(attrs={"rows": 4})
    )
    responsible_unit = PickerField(
        source=UNITS, url="inspections:pick_units", filter_by={"county": "county"}, label=_("Responsible unit"),
        required=False,
        help_text=_("A unit of the county or of the city above it: type a part of its name."),
    )  # fmt: skip

    def __init__(self, *args, actor=None, counties=None, **kwargs):
        super().__init__(*args, **kwargs)
        if counties is not None:
            self.fields["county"].queryset = counties
        for name in ("village", "household", "responsible_unit"):
            self.fields[name].actor = actor

    def clean(self):
        data = super().clean()
        village, household = data.get("village"), data.get("household")
        if village and household and household.village_id != village.code:
            self.add_error(
                "household",
                _("This household lives in %(village)s, not in the village chosen above.")
                % {"village": household.village.name},
            )
        return data

    def service_data(self) -> dict:
        """What inspections.services.finding_create takes: codes and ids."""
        data = dict(self.cleaned_data)
        data["county"] = data["county"].code
        data["village"] = data["village"].code if data["village"] else ""
        data["household"] = data["household"].pk if data["household"] else None
        data["responsible_unit"] = data["responsible_unit"].pk if data["responsible_unit"] else None
        return data


class ItemCreateForm(forms.Form):
    responsible_unit = PickerField(source=UNITS, url="inspections:pick_units", label=_("Responsible unit"))
    kind = forms.ChoiceField(label=_("Kind"), choices=ItemKind.choices, initial=ItemKind.COMMON)
    deadline = forms.DateField(label=pgettext_lazy("rectification", "Deadline"), widget=DATE)
    description = forms.CharField(label=_("Rectification required"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, actor=None, county: str | None = None, **kwargs):
        """`county`: the finding's county (a 12-digit code): only its units and those above it are offered."""
        super().__init__(*args, **kwargs)
        self.fields["responsible_unit"].actor = actor
        if county:
            self.fields["responsible_unit"].fixed_filters = {"county": county}


class ItemSubmitForm(forms.Form):
    evidence_note = forms.CharField(
        label=_("Evidence of rectification"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    files = forms.FileField(
        label=_("Evidence files (photos, PDF, documents)"), required=False,
        widget=forms.ClearableFileInput(attrs={"allow_multiple_selected": True}),
    )  # fmt: skip


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ProblemListImportForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    issued_by = forms.CharField(label=_("Issued by"), max_length=100, required=False)
    issued_on = forms.DateField(label=_("Issued on"), widget=DATE)
    answer_deadline = forms.DateField(label=_("Answer by"), widget=DATE)
    file = forms.FileField(label=_("Workbook (.xlsx: 序号, 类别, 问题描述)"))


class ComplaintForm(forms.Form):
    content = forms.CharField(
        label=_("Your objection or complaint"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    contact = forms.CharField(label=_("Contact (optional, never shown)"), max_length=100, required=False)
    case = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # A field people cannot see: bots fill it in.
    website = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"})
    )
