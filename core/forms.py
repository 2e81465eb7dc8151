from django import forms
from django.contrib.auth.password_validation import password_validators_help_texts
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from .models import Officer, Role


class OfficerForm(forms.ModelForm):
    class Meta:
        model = Officer
        fields = ["name", "position", "phone", "is_active"]
        widgets = {"name": forms.TextInput(attrs={"autofocus": True})}


# The configured validators' rules in words (AUTH_PASSWORD_VALIDATORS), in the user's language.
password_rules = lazy(lambda: " ".join(str(t) for t in password_validators_help_texts()), str)


def _password_field(label, *, rules: bool):
    return forms.CharField(
        label=label,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_rules() if rules else "",
    )


class _PasswordTwice(forms.Form):
    """A password typed twice; `pair` names the two fields, `mismatch` says they differ."""

    pair: tuple[str, str]
    mismatch = ""

    def clean(self):
        data = super().clean()
        one, two = (data.get(name) for name in self.pair)
        if one and two and one != two:
            self.add_error(self.pair[1], self.mismatch)
        return data


class PasswordChangeForm(_PasswordTwice):
    """The person's own change; the configured validators run in the service (core.services)."""

    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    new_password1 = _password_field(_("New password"), rules=True)
    new_password2 = _password_field(_("New password again"), rules=False)
    pair = ("new_password1", "new_password2")
    mismatch = _("New password again: the two passwords differ.")


class TemporaryPasswordForm(_PasswordTwice):
    """A password an administrator gives; the person must change it at their next log-in."""

    password1 = _password_field(_("Temporary password"), rules=True)
    password2 = _password_field(_("Temporary password again"), rules=False)
    pair = ("password1", "password2")
    mismatch = _("Temporary password again: the two passwords differ.")


class _AccountFields(forms.Form):
    username = forms.CharField(
        label=_("Username"), max_length=150, widget=forms.TextInput(attrs={"autofocus": True})
    )
    full_name = forms.CharField(label=_("Full name"), max_length=50, required=False)
    region = forms.ChoiceField(label=_("Region"))

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.code, f"{r.code} {r.name}") for r in regions]


class UserCreateForm(_AccountFields, TemporaryPasswordForm):
    roles = forms.MultipleChoiceField(label=_("Roles"), widget=forms.CheckboxSelectMultiple)
    field_order = ["username", "full_name", "region", "roles", "password1", "password2"]

    def __init__(self, *args, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Role.choices)
        self.fields["roles"].choices = [(r, labels[r]) for r in roles]


class ServiceAccountForm(_AccountFields):
    pass


class TokenIssueForm(forms.Form):
    """A new API token: only from a logged-in page, with the person's password re-entered."""

    name = forms.CharField(
        label=_("Token name"), max_length=100, widget=forms.TextInput(attrs={"autofocus": True})
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=365, initial=90, required=False
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Re-enter your password to issue a token."),
    )

    def clean_days(self):
        return self.cleaned_data.get("days") or 90


class RevealFilterForm(forms.Form):
    """Filters of the reveal log (core.selectors.reveal_list); every one optional."""

    user = forms.CharField(label=_("Username"), max_length=150, required=False)
    date_from = forms.DateField(
        label=_("From (date)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To (date)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    household = forms.IntegerField(label=_("Household number"), min_value=1, required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("To (date): must not be before the from date."))
        return data
