"""Security headers: CSP everywhere, HSTS and secure cookies in production, no inline scripts."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.core.test_settings_fail_loudly import PRODUCTION_ENV

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def _directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/api/v1/me/", "/api/docs/", "/healthz"])
def test_every_answer_carries_a_strict_script_policy(client, clerk, path):
    client.force_login(clerk)
    csp = _directives(client.get(path)["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    for directive in ("default-src", "script-src", "connect-src"):
        assert "'unsafe-inline'" not in csp[directive]
        assert "'unsafe-eval'" not in csp[directive]
        assert not any(src.startswith(("http:", "https:", "*")) for src in csp[directive])


def test_pages_say_what_browsers_may_do(client, clerk):
    client.force_login(clerk)
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "microphone=()" in response["Permissions-Policy"]


def _template_files():
    dirs = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    dirs += [ROOT / app / "templates" for app in settings.DOMAIN_APPS]
    for folder in dirs:
        if folder.is_dir():
            yield from sorted(folder.rglob("*.html"))


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


def test_no_template_has_inline_script_or_event_handlers():
    """The CSP refuses inline scripts; a template that had one would silently break in the
    browser. Behaviour goes in static/js (or <app>/static/<app>/…js) with data- attributes."""
    problems = []
    files = list(_template_files())
    assert len(files) > 10  # the walk found the templates
    for path in files:
        text = path.read_text(encoding="utf-8")
        for pattern, what in (
            (INLINE_SCRIPT, "inline <script>"),
            (EVENT_HANDLER, "on…= handler"),
            (JS_URL, "javascript: URL"),
        ):
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_api_docs_pages_need_no_inline_script(client, path):
    body = client.get(path).content.decode()
    assert "<script" in body
    assert not INLINE_SCRIPT.search(body)


def test_swagger_ui_start_script_is_served_from_our_origin(client):
    body = client.get("/api/docs/").content.decode()
    script = re.search(r'<script src="(/api/docs/\?[^"]+)"', body)
    assert script, body
    response = client.get(script.group(1).replace("&amp;", "&"))
    assert response.status_code == 200
    assert "SwaggerUIBundle" in response.content.decode()


PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
plain = Client().get("/api/v1/me/")
secure = Client().get("/api/v1/me/", secure=True)
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location", "")],
    "status": secure.status_code,
    "headers": dict(secure.headers),
    "settings": {name: getattr(settings, name) for name in (
        "DEBUG", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE",
        "SESSION_EXPIRE_AT_BROWSER_CLOSE", "SECURE_SSL_REDIRECT", "TRUSTED_PROXY_COUNT")},
}))
"""


def test_production_sends_hsts_and_secure_cookies():
    environment = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY"}}
    environment.update(PRODUCTION_ENV, ALLOWED_HOSTS="testserver")
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", PROBE], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["plain"] == [301, "https://testserver/api/v1/me/"]
    headers = probe["headers"]
    assert probe["status"] == 401
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert _directives(headers["Content-Security-Policy"])["script-src"] == ["'self'"]
    assert probe["settings"] == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_EXPIRE_AT_BROWSER_CLOSE": True,
        "SECURE_SSL_REDIRECT": True,
        "TRUSTED_PROXY_COUNT": 1,
    }
