"""Pages that other apps extend without the page's app importing them.

A household's page shows its assistance plan and its inspection findings, yet households
sits left of assistance and inspections in the dependency order. So an app lists panel
functions per page in its AppConfig:

    page_panels = {"household_detail": ["assistance.panels.household_plan"]}

and the page renders `render_panels("household_detail", request=request, household=h)`.
A panel function returns HTML (or "" when the user may not see it).
"""

from __future__ import annotations

from django.apps import apps
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString


def render_panels(page: str, *, request, **objects) -> list[SafeString]:
    out = []
    for config in apps.get_app_configs():
        for path in getattr(config, "page_panels", {}).get(page, []):
            html = import_string(path)(request=request, **objects)
            if html:
                out.append(html)
    return out
