"""One look-up picker: choose a row by name, file number or phone, never by a typed id.

An app declares a `PickerSource` (what to search, in the reader's scope through `core.scoping`,
and how to label a row), serves it with `PickerView.as_view(source=…)` (a small JSON endpoint,
one per source) and puts a `PickerField(source=…, url=…)` on its form. Without JavaScript the
field is a search box whose text is resolved when the form is sent (one match chosen, several
listed); `static/js/picker.js` adds the suggestions as you type.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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
    `search(qs, q)`: the rows matching a typed text; `label(obj)` and `detail(obj)`: what a reader sees."""

    name: str
    permission: str
    rows: Callable[[Any], QuerySet]
    search: Callable[[QuerySet, str], QuerySet]
    label: Callable[[Any], str]
    detail: Callable[[Any], str] = lambda obj: ""

    def find(self, actor, q: str, *, limit: int = MAX_RESULTS) -> list:
        q = (q or "").strip()
        if not q:
            return []
        return list(self.search(self.rows(actor), q)[:limit])

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
        results = [
            self.source.as_json(obj) for obj in self.source.find(request.user, request.GET.get("q", ""))
        ]
        return JsonResponse({"results": results})


class PickerWidget(forms.Widget):
    """A search box and a hidden id (`<name>`); the search text travels as `<name>_q`."""

    template_name = "partials/picker.html"

    def __init__(self, *, url: str, attrs=None):
        super().__init__(attrs)
        self.url = url
        self.actor = None
        self.source: PickerSource | None = None
        self.choices_found: list = []

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = self.source.get(self.actor, value) if value not in (None, "") and self.actor else None
        context["widget"].update(
            {
                "url": reverse(self.url),
                "chosen": self.source.as_json(chosen) if chosen else None,
                "query": self.query,
                "found": [self.source.as_json(obj) for obj in self.choices_found],
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

    def __init__(self, *, source: PickerSource, url: str, **kwargs):
        self.source = source
        kwargs.setdefault("widget", PickerWidget(url=url))
        super().__init__(**kwargs)
        self.widget.source = source

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
            found = self.source.find(self.actor, q, limit=MAX_RESULTS)
            if len(found) == 1:
                return found[0]
            self.widget.choices_found = found
            code = "several" if found else "not_found"
            raise forms.ValidationError(self.error_messages[code], code=code, params={"q": q})
        obj = self.source.get(self.actor, value)
        if obj is None:
            raise forms.ValidationError(self.error_messages["choose"], code="choose")
        return obj
