"""Forms: types and widgets only. The rules live in households/validation.py and the services,
so that a form, an API call and a spreadsheet row are refused for the same reasons."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Officer, Region, RegionLevel
from core.scoping import scope

from .models import (
    Disability,
    Education,
    Health,
    HouseholdAttribute,
    ImportKind,
    ImportMode,
    LabourAbility,
    MoveReason,
    PovertyCause,
    PovertyLine,
    Relation,
    Schooling,
    Sex,
)
from .validation import check_id_number

# Where a year's poverty line is set, and by whom: said beside the income year and in the refusal.
POVERTY_LINE_HELP = _(
    "Poverty lines are recorded up to %(year)s; the system administrator records each new year's line "
    "in the admin site (Poverty lines)."
)

BLANK = [("", "---------")]


class DateInput(forms.DateInput):
    """A browser date picker: its value must be ISO (YYYY-MM-DD) whatever the locale's format."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class VillageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        township = obj.parent.name if obj.parent_id else ""
        return f"{township} {obj.name}（{obj.code}）"


def villages_for(actor):
    return scope(Region.objects.filter(level=RegionLevel.VILLAGE), actor=actor, field="code").select_related(
        "parent"
    )


class HouseholdForm(forms.Form):
    village = VillageChoiceField(label=_("Village"), queryset=Region.objects.none())
    file_number = forms.CharField(
        label=_("File number"), max_length=32, required=False,
        help_text=_("Leave empty to number the file automatically (village code + sequence)."),
    )  # fmt: skip
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    attribute = forms.ChoiceField(label=_("Household attribute"), choices=BLANK + HouseholdAttribute.choices)
    identified_year = forms.IntegerField(label=_("Identification year"), min_value=2013, max_value=2100)
    main_cause = forms.ChoiceField(label=_("Main poverty cause"), choices=BLANK + PovertyCause.choices)
    secondary_causes = forms.MultipleChoiceField(
        label=_("Other poverty causes"), choices=PovertyCause.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    assistance_officer = forms.ModelChoiceField(
        label=_("Assistance officer"), queryset=Officer.objects.none(), required=False
    )

    def __init__(self, *args, actor, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages_for(actor).order_by("code")
        self.fields["assistance_officer"].queryset = scope(
            Officer.objects.filter(is_active=True), actor=actor, field="region_id"
        ).order_by("name")
        if editing:
            # Moving to another village has its own page (it changes who may see the file).
            del self.fields["village"]
        else:
            self.fields["identified_year"].initial = timezone.localdate().year
        self.fields["village" if not editing else "file_number"].widget.attrs["autofocus"] = True


class MemberForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Name"), max_length=50)
    id_number = forms.CharField(
        label=_("ID number"), max_length=18, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "size": 20}),
    )  # fmt: skip
    relation = forms.ChoiceField(label=_("Relation to head"), choices=BLANK + Relation.choices)
    sex = forms.ChoiceField(label=_("Sex"), choices=BLANK + Sex.choices, required=False)
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DateInput())
    health = forms.ChoiceField(label=_("Health"), choices=Health.choices, initial=Health.HEALTHY)
    disability = forms.ChoiceField(label=_("Disability"), choices=Disability.choices, initial=Disability.NONE)
    education = forms.ChoiceField(label=_("Education"), choices=BLANK + Education.choices)
    schooling = forms.ChoiceField(
        label=_("Schooling"), choices=Schooling.choices, initial=Schooling.NOT_IN_SCHOOL
    )
    labour_ability = forms.ChoiceField(label=_("Labour ability"), choices=BLANK + LabourAbility.choices)
    migrant_worker = forms.BooleanField(label=_("Migrant worker"), required=False)
    migrant_months = forms.IntegerField(
        label=_("Months of migrant work"), min_value=0, max_value=12, initial=0
    )
    is_active = forms.BooleanField(label=_("In the household"), required=False, initial=True)
    left_reason = forms.CharField(label=_("Reason for leaving"), max_length=100, required=False)

    def __init__(self, *args, masked: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.masked = masked or (self.initial or {}).get("masked", "")
        if self.masked:
            self.fields["id_number"].widget.attrs["placeholder"] = self.masked

    def clean_id_number(self):
        raw = (self.cleaned_data.get("id_number") or "").strip().upper()
        existing = self.cleaned_data.get("id") or (self.initial or {}).get("id")
        if not raw:
            if existing:
                return ""  # unchanged
            raise ValidationError(_("Enter the 18-digit ID number."))
        _info, message = check_id_number(raw)
        if message:
            raise ValidationError(message)
        return raw


class BaseMemberFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if self.initial and index is not None and index < len(self.initial):
            kwargs["masked"] = self.initial[index].get("masked", "")
        return kwargs


MemberFormSet = forms.formset_factory(MemberForm, formset=BaseMemberFormSet, extra=1, max_num=30)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class StepForm(forms.Form):
    """One form for every step; the view shows the fields the step needs."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    attendance = forms.IntegerField(label=_("People present"), min_value=1, required=False)
    votes_for = forms.IntegerField(label=_("Votes for"), min_value=0, required=False)
    votes_against = forms.IntegerField(label=_("Votes against"), min_value=0, required=False)
    approved = forms.BooleanField(label=_("Approved"), required=False)
    year = forms.IntegerField(label=_("Income year"), required=False)
    household_agrees = forms.BooleanField(label=_("The household agrees to exit"), required=False)
    notice_start = forms.DateField(label=_("Notice from"), required=False, widget=DateInput())
    notice_end = forms.DateField(label=_("Notice until"), required=False, widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("Evidence files"), required=False)

    FIELDS_BY_STEP = {
        "village_review": ["date", "attendance", "votes_for", "votes_against", "note", "files"],
        "democratic_review": ["date", "attendance", "votes_for", "votes_against", "note", "files"],
        "township_review": ["date", "approved", "note", "files"],
        "entry_notice": ["date", "notice_start", "notice_end", "note", "files"],
        "exit_notice": ["date", "notice_start", "notice_end", "note", "files"],
        "verification": ["date", "year", "household_agrees", "note", "files"],
        "county_approval": ["date", "note", "files"],
        "deregistration": ["date", "note", "files"],
        "objection": ["date", "note", "files"],
    }

    def __init__(self, *args, step: str, **kwargs):
        super().__init__(*args, **kwargs)
        keep = self.FIELDS_BY_STEP.get(step, ["date", "note", "files"])
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        from .services.procedures import EVIDENCE_REQUIRED

        # The minutes of a review are required (the service refuses the step without them): marked
        # with its `*` like every required field.
        if "files" in self.fields:
            self.fields["files"].required = step in EVIDENCE_REQUIRED
        self.fields["date"].initial = timezone.localdate()
        self.fields["date"].widget.attrs["autofocus"] = True
        if "year" in self.fields:
            # The latest year whose poverty line is recorded (the state publishes it once a year).
            this_year = timezone.localdate().year
            latest = PovertyLine.objects.filter(year__lte=this_year).order_by("-year").first()
            self.fields["year"].initial = latest.year if latest else this_year - 1
            self.fields["year"].help_text = POVERTY_LINE_HELP % {"year": latest.year if latest else "—"}
        if step == "objection":
            self.fields["note"].label = _("What the objection says")
            self.fields["note"].required = True


class StatusForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3, "autofocus": True}))


class MoveForm(forms.Form):
    to_village = VillageChoiceField(label=_("New village"), queryset=Region.objects.none())
    reason = forms.ChoiceField(label=_("Reason"), choices=BLANK + MoveReason.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        # Within the city: a move to another county hands the file over to that county.
        self.fields["to_village"].queryset = (
            Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith=(actor.region_id or "")[:4])
            .select_related("parent")
            .order_by("code")
        )
        self.fields["to_village"].widget.attrs["autofocus"] = True


class IncomeForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"), min_value=2013, widget=forms.NumberInput(attrs={"autofocus": True})
    )
    per_capita_net_income = forms.DecimalField(
        label=_("Per-capita net income (yuan)"), max_digits=12, decimal_places=2
    )
    wage_income = forms.DecimalField(label=_("Wage income"), max_digits=12, decimal_places=2, required=False)
    production_income = forms.DecimalField(
        label=_("Production income"), max_digits=12, decimal_places=2, required=False
    )
    transfer_income = forms.DecimalField(
        label=_("Transfer income"), max_digits=12, decimal_places=2, required=False
    )
    property_income = forms.DecimalField(
        label=_("Property income"), max_digits=12, decimal_places=2, required=False
    )


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, widget=forms.TextInput(attrs={"autofocus": True}))
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DateInput())

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = scope(
            Region.objects.filter(level__in=[RegionLevel.COUNTY, RegionLevel.TOWNSHIP]),
            actor=actor,
            field="code",
        ).order_by("code")


class CheckForm(forms.Form):
    findings = forms.CharField(
        label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 3, "autofocus": True})
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    attribute = forms.ChoiceField(label=_("Household attribute"), choices=HouseholdAttribute.choices)
    main_cause = forms.ChoiceField(label=_("Main poverty cause"), choices=PovertyCause.choices)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel workbook (.xlsx) or CSV file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    mode = forms.ChoiceField(
        label=_("Mode"), choices=ImportMode.choices, initial=ImportMode.VALID_ROWS, widget=forms.RadioSelect
    )
    # Applications, or (county administrator only) the migration of an existing register. The field
    # accepts both; the service refuses a migration chosen without the permission (403, beside it).
    kind = forms.ChoiceField(
        label=_("Kind of import"), choices=ImportKind.choices, initial=ImportKind.APPLICATIONS, required=False
    )

    def __init__(self, *args, kinds: list[tuple[str, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None and len(kinds) > 1:
            self.fields["kind"].widget = forms.RadioSelect(choices=kinds)
        else:
            self.fields["kind"].widget = forms.HiddenInput()

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or ImportKind.APPLICATIONS
