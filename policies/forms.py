from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EvidenceForm(forms.Form):
    title = forms.CharField(label=_("Document"), max_length=200,
                            widget=forms.TextInput(attrs={"autofocus": True}))  # fmt: skip
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    file = forms.FileField(label=pgettext_lazy("document", "File"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("url") and not data.get("file"):
            self.add_error("file", _("Attach the document or give a link to it."))
        return data
