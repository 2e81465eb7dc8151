"""The national poverty line (扶贫标准) of each year, recorded by the system administrator when the
state publishes it: the exit verification (核实认可) compares a household's income with it, and its
page says where the line is set."""

from django.contrib import admin

from .models import PovertyLine


@admin.register(PovertyLine)
class PovertyLineAdmin(admin.ModelAdmin):
    list_display = ["year", "amount"]
    ordering = ["-year"]
