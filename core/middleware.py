"""Security headers Django 5.2 does not set itself.

Content-Security-Policy: Django gains a built-in CSP only in 6.0 (`SECURE_CSP`,
`django.middleware.csp.ContentSecurityPolicyMiddleware`). Until then this middleware reads
settings of the same names and shape, so the upgrade is a one-line swap in MIDDLEWARE.
We need no nonces (our templates have no inline scripts: tests/security/test_headers.py
keeps it so), hence no need for django-csp and its own configuration format.

Permissions-Policy: the browser features a page may use (camera and location for the
inspectors' on-site reports; nothing else).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

from core.inputs import bad_input

CSP_HEADER = "Content-Security-Policy"
CSP_REPORT_ONLY_HEADER = "Content-Security-Policy-Report-Only"

# The values Django 6.0 exposes as django.utils.csp.CSP.
SELF = "'self'"
NONE = "'none'"
UNSAFE_INLINE = "'unsafe-inline'"


def build_policy(directives: Mapping[str, list[str] | tuple[str, ...] | str] | str) -> str:
    """{"default-src": ["'self'"], "upgrade-insecure-requests": True} → "default-src 'self'; …"."""
    if isinstance(directives, str):
        return directives
    parts = []
    for name, value in directives.items():
        if value is True:
            parts.append(name)
        elif value:
            values = [value] if isinstance(value, str) else list(value)
            parts.append(" ".join([name, *values]))
    return "; ".join(parts)


def build_permissions_policy(features: Mapping[str, list[str] | tuple[str, ...]]) -> str:
    """{"camera": ["self"], "microphone": []} → "camera=(self), microphone=()"."""
    return ", ".join(f"{name}=({' '.join(allow)})" for name, allow in features.items())


class SecurityHeadersMiddleware:
    """Adds CSP and Permissions-Policy unless the view already set them."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = build_policy(getattr(settings, "SECURE_CSP", {}) or {})
        self.csp_report_only = build_policy(getattr(settings, "SECURE_CSP_REPORT_ONLY", {}) or {})
        self.permissions_policy = build_permissions_policy(getattr(settings, "PERMISSIONS_POLICY", {}) or {})

    def __call__(self, request):
        response = self.get_response(request)
        if self.csp and CSP_HEADER not in response:
            response[CSP_HEADER] = self.csp
        if self.csp_report_only and CSP_REPORT_ONLY_HEADER not in response:
            response[CSP_REPORT_ONLY_HEADER] = self.csp_report_only
        if self.permissions_policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.permissions_policy
        return response


class BadInputMiddleware:
    """Refuses control characters in any value of a request before a view sees it (core.inputs):
    the API answers in its one error body, a page with the 400 page naming the field."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        found = bad_input(request)
        if found is None:
            return self.get_response(request)
        field, message = found
        if request.path.startswith("/api/"):
            body = {"code": "invalid", "message": message, "errors": {field: [message]}}
            return JsonResponse(body, status=400)
        return render(request, "400.html", {"message": message}, status=400)


def client_ip(request) -> str:
    """The client's address for login lockout and logs.

    Behind `TRUSTED_PROXY_COUNT` reverse proxies (production: nginx, 1) REMOTE_ADDR is the
    proxy's, the same for everyone; the client is the address the outermost trusted proxy saw,
    i.e. the N-th entry from the right of X-Forwarded-For. Entries further left were sent by
    the client itself and are ignored, so a forged header cannot dodge a lockout.
    """
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    remote = request.META.get("REMOTE_ADDR", "")
    if count <= 0:
        return remote
    forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
    if len(forwarded) < count:
        return remote
    return forwarded[-count]
