"""The administrator configures the banks that pay households' cards (惠民惠农一卡通): each bank's
payment file layout (its columns, in order, and their headers; xlsx or CSV) and its return file's
headers — checked as the bank_create service checks them."""

from django import forms
from django.contrib import admin

from core.exceptions import DomainError

from .models import Bank
from .services.bank import bank_layout_check


class BankForm(forms.ModelForm):
    class Meta:
        model = Bank
        fields = ["name", "file_format", "columns", "return_headers", "paid_marks", "failed_marks"]

    def clean(self):
        data = super().clean()
        if "columns" in data and "return_headers" in data:
            try:
                bank_layout_check(columns=data["columns"], return_headers=data["return_headers"])
            except DomainError as error:
                self.add_error(error.field if error.field in self.fields else None, str(error.message))
        return data


@admin.register(Bank)
class BankAdmin(admin.ModelAdmin):
    form = BankForm
    list_display = ["name", "file_format", "paid_marks", "failed_marks"]
    search_fields = ["name"]
