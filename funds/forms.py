import uuid

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.pickers import PickerField

from .models import PayeeKind, PaymentKind, Project
from .pickers import HOUSEHOLDS, MEASURES, PAYEES

MONEY = {"max_digits": 16, "decimal_places": 2, "min_value": 0.01}


class DisbursementRequestForm(forms.Form):
    """资金拨付申请. The idempotency key is issued with the form: submitting it twice pays once.
    Payees and measures are chosen with look-ups (core.pickers), never typed ids."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    from_account = forms.ModelChoiceField(queryset=None, label=_("Pay from"))
    kind = forms.ChoiceField(
        label=_("Kind of payment"), choices=[("", _("— from the payee —")), *PaymentKind.choices], required=False,
        help_text=_("Progress payments and retention money go to the project's contractor only."),
    )  # fmt: skip
    payee_kind = forms.ChoiceField(label=_("Payee kind"), choices=PayeeKind.choices)
    household = PickerField(
        source=HOUSEHOLDS, url="funds:pick_households", label=_("Household"), required=False,
        help_text=_("For a household payee: search by the head's name, file number or phone."),
    )  # fmt: skip
    payee = PickerField(
        source=PAYEES, url="funds:pick_payees", label=_("Enterprise or cooperative"), required=False,
        help_text=_("For an enterprise or cooperative payee: search by name, credit code or phone."),
    )  # fmt: skip
    measure = PickerField(
        source=MEASURES, url="funds:pick_measures", label=_("Assistance measure"), required=False,
        help_text=_("Optional: the measure of the household's plan this pays for (search by name or file number)."),
    )  # fmt: skip
    amount = forms.DecimalField(label=_("Amount (yuan)"), **MONEY)
    purpose = forms.CharField(label=_("Purpose"), max_length=200)
    limit_reason = forms.CharField(
        label=_("Reason for the amount"), max_length=300, required=False,
        help_text=_("Needed when the amount is above the limit of its kind."),
    )  # fmt: skip
    confirmed_different = forms.BooleanField(
        label=_("This is a different payment from the earlier request for the same payee and amount"),
        required=False,
    )  # fmt: skip

    def __init__(self, *args, accounts=None, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_account"].queryset = accounts
        self.fields["from_account"].label_from_instance = lambda a: f"{a.name}（{a.balance:,.2f}）"
        for name in ("household", "payee", "measure"):
            self.fields[name].actor = actor
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
        queryset=None,
        label=pgettext_lazy("date range", "From"),
        required=False,
        help_text=_("Empty: the fund pool."),
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


class ContractChangeForm(forms.Form):
    """补充协议: the change of the contract amount (negative when it shrinks), why, and who approved it."""

    amount = forms.DecimalField(
        label=_("Change of the contract amount (yuan)"), max_digits=16, decimal_places=2,
        help_text=_("Negative when the contract shrinks."),
    )  # fmt: skip
    reason = forms.CharField(label=_("Reason"), max_length=300)
    approved_by = forms.CharField(label=_("Approved by"), max_length=100)
    approval_document = forms.CharField(label=_("Approval document no."), max_length=100)
    signed_on = forms.DateField(label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"}))


class PaymentSettingsForm(forms.Form):
    """The city finance office's rules for one county (or the province's defaults)."""

    region = forms.ModelChoiceField(queryset=None, label=_("County (or the province, for defaults)"))
    review_threshold = forms.DecimalField(label=_("Investment review threshold (yuan)"), **MONEY)

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions


class PaymentLimitForm(forms.Form):
    region = forms.ModelChoiceField(queryset=None, label=_("County (or the province, for defaults)"))
    kind = forms.ChoiceField(label=_("Kind of payment"), choices=PaymentKind.choices)
    ceiling = forms.DecimalField(label=_("Ceiling (yuan)"), **MONEY)
    soft_limit = forms.DecimalField(label=_("Limit needing a reason (yuan)"), **MONEY)

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
