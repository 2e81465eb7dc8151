import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PayeeKind, Project

MONEY = {"max_digits": 16, "decimal_places": 2, "min_value": 0.01}


class DisbursementRequestForm(forms.Form):
    """资金拨付申请. The idempotency key is issued with the form: submitting it twice pays once."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    from_account = forms.ModelChoiceField(queryset=None, label=_("Pay from"))
    payee_kind = forms.ChoiceField(label=_("Payee kind"), choices=PayeeKind.choices)
    household_file_number = forms.CharField(
        label=_("Household file number"), max_length=32, required=False,
        help_text=_("For a household payee: the file number (档案编号)."),
    )  # fmt: skip
    payee_name = forms.CharField(
        label=_("Enterprise or cooperative"), max_length=100, required=False,
        help_text=_("For an enterprise or cooperative payee."),
    )  # fmt: skip
    measure = forms.IntegerField(
        label=_("Assistance measure no."), required=False, min_value=1,
        help_text=_("Optional: the number of the measure in the household's plan this pays for."),
    )  # fmt: skip
    amount = forms.DecimalField(label=_("Amount (yuan)"), **MONEY)
    purpose = forms.CharField(label=_("Purpose"), max_length=200)

    def __init__(self, *args, accounts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_account"].queryset = accounts
        self.fields["from_account"].label_from_instance = lambda a: f"{a.name}（{a.balance:,.2f}）"
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)
        self.fields["from_account"].widget.attrs["autofocus"] = True


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.TextInput)


class AmountForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount (yuan)"), **MONEY)
    booked_on = forms.DateField(
        label=_("Booked on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    memo = forms.CharField(label=_("Memo"), max_length=200, required=False)


class AllocationForm(AmountForm):
    county = forms.ModelChoiceField(queryset=None, label=_("To county"), required=False)
    project = forms.ModelChoiceField(queryset=None, label=_("To project"), required=False)
    from_account = forms.ModelChoiceField(
        queryset=None, label=_("From"), required=False, help_text=_("Empty: the fund pool.")
    )

    field_order = ["county", "project", "from_account", "amount", "booked_on", "memo"]

    def __init__(self, *args, counties=None, projects=None, sources=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties
        self.fields["project"].queryset = projects
        self.fields["from_account"].queryset = sources

    def clean(self):
        data = super().clean()
        if bool(data.get("county")) == bool(data.get("project")):
            raise forms.ValidationError(_("Choose either a county or a project."))
        return data


class ProjectForm(forms.ModelForm):
    bidders = forms.CharField(
        label=_("Bidders"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One bidder per line."),
    )  # fmt: skip

    class Meta:
        model = Project
        fields = [
            "code", "name", "kind", "county", "village", "budget", "start_date", "review_agency",
            "review_approved_amount", "review_date", "procurement_method", "bidders", "winner",
            "contract_amount", "bid_opening_date", "contract_date",
        ]  # fmt: skip
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "review_date": forms.DateInput(attrs={"type": "date"}),
            "bid_opening_date": forms.DateInput(attrs={"type": "date"}),
            "contract_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, counties=None, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties
        self.fields["village"].queryset = villages
        if self.instance.pk:
            self.initial["bidders"] = "\n".join(self.instance.bidders)

    def clean_bidders(self):
        return [line.strip() for line in self.cleaned_data.get("bidders", "").splitlines() if line.strip()]

    def _post_clean(self):
        # The service validates and saves; the model form only parses the input.
        pass
