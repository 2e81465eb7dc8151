"""The reveal log on the home page of those who audit it: yesterday's reveals in their region.

A panel of the `core.panels` registry (CoreConfig.page_panels["home"]); a later work inbox can
list the same function.
"""

from __future__ import annotations

from datetime import timedelta

from django.template.loader import render_to_string
from django.utils import timezone

from . import selectors


def home_daily_summary(*, request, **_objects) -> str:
    user = request.user
    if not user.has_perm("core.view_sensitiveaccess"):
        return ""
    day = timezone.localdate() - timedelta(days=1)
    summary = selectors.reveal_daily_summary(actor=user, day=day)
    return render_to_string("core/_reveal_summary_panel.html", {"summary": summary}, request=request)
