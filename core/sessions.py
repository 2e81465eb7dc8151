"""Sessions in PostgreSQL that expire after SESSION_COOKIE_AGE of inactivity, written at most once a minute.

`SESSION_SAVE_EVERY_REQUEST` made every request UPDATE its session row just to push the expiry
forward: a write per click and per API call, on the busiest row of the system. Here the store
remembers the expiry it read, and `IdleSessionMiddleware` saves the session only when that
expiry has moved more than `SESSION_REFRESH_SECONDS` (default 60) closer; an idle session still
ends SESSION_COOKIE_AGE after the last request, give or take that minute.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DbSessionStore
from django.utils import timezone


class SessionStore(DbSessionStore):
    expire_read: dt.datetime | None = None

    def load(self):
        s = self._get_session_from_db()
        self.expire_read = s.expire_date if s else None
        return self.decode(s.session_data) if s else {}

    async def aload(self):
        s = await self._aget_session_from_db()
        self.expire_read = s.expire_date if s else None
        return self.decode(s.session_data) if s else {}


def refresh_seconds() -> int:
    """At most half the idle time, so a short SESSION_IDLE_SECONDS still refreshes."""
    return min(getattr(settings, "SESSION_REFRESH_SECONDS", 60), settings.SESSION_COOKIE_AGE // 2)


class IdleSessionMiddleware:
    """Marks a loaded session modified when its stored expiry needs pushing forward.

    Sits right after SessionMiddleware, whose response phase then saves it (and sends the cookie).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        expire = getattr(session, "expire_read", None)
        if expire is not None and not session.modified:
            remaining = (expire - timezone.now()).total_seconds()
            if remaining < settings.SESSION_COOKIE_AGE - refresh_seconds():
                session.modified = True
        return response
