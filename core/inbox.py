"""The work inbox (待办, issue 21): what waits for this person now, on their home page.

Each app lists functions in its AppConfig, as it lists panels (core.panels):

    inbox_items = ["funds.inbox.items"]

A function takes the user and returns `WorkItem`s it may show them — counted with the app's scoped
selectors, so a count never includes a row the user could not open. Items with nothing waiting are
left out; overdue ones come first. An item without a count is a task to start (填报督查报告)."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class WorkItem:
    key: str  # stable, for tests and the page's anchors
    label: str  # what waits, in words
    url: str
    count: int | None = None  # None: a task to start, shown whatever the count
    urgent: bool = False  # past its deadline


def work_items(user) -> list[WorkItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    out: list[WorkItem] = []
    for config in apps.get_app_configs():
        for path in getattr(config, "inbox_items", []):
            out += [i for i in import_string(path)(user) if i.count is None or i.count > 0]
    return sorted(out, key=lambda i: (not i.urgent, i.count is None))
