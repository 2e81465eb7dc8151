from django import forms

from .models import Officer


class OfficerForm(forms.ModelForm):
    class Meta:
        model = Officer
        fields = ["name", "position", "phone", "is_active"]
        widgets = {"name": forms.TextInput(attrs={"autofocus": True})}
