"""One look-up picker: choose a row by name, file number or phone, never by a typed id.

An app declares a `PickerSource` (what to search, in the reader's scope through `core.scoping`,
and how to label a row), serves it with `PickerView.as_view(source=…)` (a small JSON endpoint,
one per source) and puts a `PickerField(source=…, url=…)` on its form. Without JavaScript the
field is a search box whose text is resolved when the form is sent (one match chosen, several
listed); `static/js/picker.js` adds the suggestions as you type.

A source may be narrowed by other fields of the form (`filters`: the unit picker by the county
chosen): the field names them (`PickerField(filter_by={"county": "county"})`, query parameter →
form field) or fixes them (`field.fixed_filters = {"county": code}`); the script sends their values
with the typed text, and the server applies them when it resolves the text — the same rows either way.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from .web import PageMixin

MAX_RESULTS = 20


@dataclass(frozen=True)
class PickerSource:
    """`rows(actor)`: the scoped queryset (callers build it with core.scoping.scope);
    `search(qs, q)`: the rows matching a typed text; `label(obj)` and `detail(obj)`: what a reader sees.
    `filters`: query parameters that narrow the search (`name → (qs, value) → qs`; an empty value
    leaves the rows as they are); `placeholder` and `error_messages`: the words of the search box
    when the source is not searched by name, file number or phone."""

    name: str
    permission: str
    rows: Callable[[Any], QuerySet]
    search: Callable[[QuerySet, str], QuerySet]
    label: Callable[[Any], str]
    detail: Callable[[Any], str] = lambda obj: ""
    filters: Mapping[str, Callable[[QuerySet, str], QuerySet]] = field(default_factory=dict, compare=False)
    placeholder: str = _("Name, file number or phone")
    error_messages: Mapping[str, str] = field(default_factory=dict, compare=False)

    def find(
        self, actor, q: str, *, limit: int = MAX_RESULTS, filters: Mapping[str, str] | None = None
    ) -> list:
        q = (q or "").strip()
        if not q:
            return []
        qs = self.rows(actor)
        for name, value in (filters or {}).items():
            value = (value or "").strip()
            if value and name in self.filters:
                qs = self.filters[name](qs, value)
        return list(self.search(qs, q)[:limit])

    def get(self, actor, pk) -> Any | None:
        try:
            pk = int(pk)
        except (TypeError, ValueError):
            return None
        return self.rows(actor).filter(pk=pk).first()

    def as_json(self, obj) -> dict:
        return {"id": obj.pk, "label": str(self.label(obj)), "detail": str(self.detail(obj))}


class PickerView(PageMixin, View):
    """GET ?q=… → {"results": [{"id", "label", "detail"}]}: at most 20 rows of the reader's scope
    (a row outside it is simply not found). A visitor is sent to log in; no permission: 403."""

    source: PickerSource | None = None

    def has_permission(self):
        return self.request.user.has_perm(self.source.permission)

    def get(self, request):
        filters = {name: request.GET.get(name, "") for name in self.source.filters}
        found = self.source.find(request.user, request.GET.get("q", ""), filters=filters)
        return JsonResponse({"results": [self.source.as_json(obj) for obj in found]})


class PickerWidget(forms.Widget):
    """A search box and a hidden id (`<name>`); the search text travels as `<name>_q`, and the values
    of the fields the source is filtered by are read from the same form data."""

    template_name = "partials/picker.html"

    def __init__(self, *, url: str, attrs=None):
        super().__init__(attrs)
        self.url = url
        self.actor = None
        self.source: PickerSource | None = None
        self.choices_found: list = []
        self.filter_by: dict[str, str] = {}  # query parameter → the form field giving its value
        self.fixed_filters: dict[str, str] = {}  # query parameter → a value the page fixes
        self.filter_values: dict[str, str] = {}  # what the sent form gave (fixed ones included)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = self.source.get(self.actor, value) if value not in (None, "") and self.actor else None
        context["widget"].update(
            {
                "url": reverse(self.url),
                "chosen": self.source.as_json(chosen) if chosen else None,
                "query": self.query,
                "found": [self.source.as_json(obj) for obj in self.choices_found],
                "placeholder": self.source.placeholder,
                "filter_by": json.dumps(self.filter_by) if self.filter_by else "",
                "fixed_filters": json.dumps(self.fixed_filters) if self.fixed_filters else "",
            }
        )
        return context

    query = ""

    def render(self, name, value, attrs=None, renderer=None):
        # The project's templates (templates/partials/), not the form renderer's own directories; a
        # rendered template is already a SafeString with every value autoescaped.
        return render_to_string(self.template_name, self.get_context(name, value, attrs))

    def value_from_datadict(self, data, files, name):
        self.query = (data.get(f"{name}_q") or "").strip()
        self.filter_values = {param: data.get(other) or "" for param, other in self.filter_by.items()}
        self.filter_values.update(self.fixed_filters)
        return data.get(name) or ""

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_q" not in data


class PickerField(forms.Field):
    """A row chosen from a source in the reader's scope. The form sets `field.actor` (the user)."""

    default_error_messages = {
        "not_found": _("Nothing in your region matches “%(q)s”. Search by name, file number or phone."),
        "several": _("Several match “%(q)s”: choose one from the list."),
        "choose": _("Choose from the list (search by name, file number or phone)."),
    }

    def __init__(
        self, *, source: PickerSource, url: str, filter_by: Mapping[str, str] | None = None, **kwargs
    ):
        self.source = source
        kwargs.setdefault("widget", PickerWidget(url=url))
        kwargs["error_messages"] = {**source.error_messages, **(kwargs.get("error_messages") or {})}
        super().__init__(**kwargs)
        self.widget.source = source
        self.widget.filter_by = dict(filter_by or {})

    @property
    def fixed_filters(self) -> dict[str, str]:
        return self.widget.fixed_filters

    @fixed_filters.setter
    def fixed_filters(self, values: Mapping[str, str]) -> None:
        """Filters the page fixes (the finding's county on its item form), sent whatever the form holds."""
        self.widget.fixed_filters = {k: str(v) for k, v in values.items()}

    @property
    def actor(self):
        return self.widget.actor

    @actor.setter
    def actor(self, user) -> None:
        self.widget.actor = user

    def to_python(self, value):
        if value in (None, ""):
            q = self.widget.query
            if not q:
                return None
            found = self.source.find(self.actor, q, limit=MAX_RESULTS, filters=self.widget.filter_values)
            if len(found) == 1:
                return found[0]
            self.widget.choices_found = found
            code = "several" if found else "not_found"
            raise forms.ValidationError(self.error_messages[code], code=code, params={"q": q})
        obj = self.source.get(self.actor, value)
        if obj is None:
            raise forms.ValidationError(self.error_messages["choose"], code="choose")
        return obj
