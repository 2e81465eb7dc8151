"""Which views take files: each declares its file fields; the middleware refuses any other."""

from __future__ import annotations

from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.utils.html import escape
from django.utils.translation import gettext_lazy


def upload_fields_of(view_func) -> tuple[str, ...]:
    """The file fields a view declares (`upload_fields` on its class or function)."""
    owner = getattr(view_func, "view_class", None) or getattr(view_func, "cls", None) or view_func
    return tuple(getattr(owner, "upload_fields", ()) or ())


def parses(view_func, content_type: str) -> bool:
    """False for an API (DRF) view none of whose parsers reads `content_type`; True otherwise."""
    owner = getattr(view_func, "cls", None)
    parsers = getattr(owner, "parser_classes", None)
    if parsers is None:
        return True  # a page (or a view that is not DRF's): Django parses its forms
    return any(parser.media_type == content_type for parser in parsers)


def takes_multipart(view_func) -> bool:
    return parses(view_func, "multipart/form-data")


def form_body_refused(request) -> bool:
    """A form or multipart body sent to an API view whose bodies are JSON: left unread, DRF answers it
    415 once the caller is authenticated (read by a middleware, DRF would see no body at all)."""
    from django.urls import Resolver404, resolve

    if not request.path.startswith("/api/"):
        return False
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    return not parses(match.func, request.content_type or "")


STRAY_FILE = gettext_lazy("%(field)s: this form accepts no file here.")


class UploadRoutesMiddleware:
    """Refuses a file sent to a view that did not declare that field in `upload_fields`: a page
    or endpoint cannot take files without going through this module (and its route test)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in ("POST", "PUT", "PATCH") or request.content_type != "multipart/form-data":
            return None
        allowed = upload_fields_of(view_func)
        if not allowed and not takes_multipart(view_func):
            return (
                None  # an API view whose bodies are JSON: no parser of its reads a file (form_body_refused)
            )
        if request.method != "POST":
            if allowed:
                return None
            # Django parses multipart bodies of POST only; parse the others the same way so
            # DRF reads them from request.FILES (it does when the stream was consumed).
            request._post, request._files = request.parse_file_upload(request.META, request)
        stray = [name for name in request.FILES if name not in allowed]
        if not stray:
            return None
        message = str(STRAY_FILE % {"field": stray[0]})
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"code": "invalid", "message": message, "errors": {stray[0]: [message]}}, status=400
            )
        try:
            return render(request, "400.html", {"message": message}, status=400)
        except TemplateDoesNotExist:
            return HttpResponseBadRequest(escape(message))
