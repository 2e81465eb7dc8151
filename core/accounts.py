"""Log-in hooks of the accounts: a forced password change, and log-out that leaves nothing behind.

`PasswordChangeRequiredMiddleware`: an account an administrator created (or whose password an
administrator reset) carries `must_change_password`; until the person has chosen their own,
every page sends them to the change page and the API refuses their session. API tokens are
not affected (a token was issued by the person themselves, with their own password).

`LogoutView`: Django's, plus `Clear-Site-Data: "cache", "storage"` so the browser drops the
service worker's caches (the inspector's plans) and local storage (drafts) of the site.
The page's script does the same before posting the form (static/js/app.js), for browsers
that ignore the header.
"""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

# Paths a user who must change their password may still open.
_ALWAYS_ALLOWED = ("/static/", "/i18n/", "/healthz", "/accounts/logout/")


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            change = reverse("accounts:password_change")
            path = request.path
            if path != change and not path.startswith(_ALWAYS_ALLOWED):
                if path.startswith("/api/"):
                    if "HTTP_AUTHORIZATION" not in request.META:  # a session, not a token
                        message = _("Change your password before using the API in the browser.")
                        return JsonResponse(
                            {"code": "password_change_required", "message": message, "errors": {}},
                            status=403,
                        )
                else:
                    return redirect(change)
        return self.get_response(request)


CLEAR_SITE_DATA = '"cache", "storage"'


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response
