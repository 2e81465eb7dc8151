from __future__ import annotations

import logging

import redis
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import connection
from django.db.models.functions import Upper
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from . import selectors, services
from .exceptions import DomainError
from .forms import OfficerForm
from .history import history_for
from .inbox import work_items
from .panels import render_panels
from .web import PageMixin, add_domain_error, paginate, querystring_without, sort

logger = logging.getLogger(__name__)


@never_cache
def healthz(request):
    """Liveness of the app and its two services. 503 when either is down."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:
        logger.warning("healthz: database down: %s", exc)
        checks["database"] = "down"
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1)
        client.ping()
        checks["redis"] = "ok"
    except Exception as exc:
        logger.warning("healthz: redis down: %s", exc)
        checks["redis"] = "down"
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse({"status": "ok" if healthy else "degraded", **checks}, status=200 if healthy else 503)


class HomeView(PageMixin, TemplateView):
    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        # Panels other apps (and core) put on a role's home page (core.panels), e.g. the reveal log's day.
        return super().get_context_data(**kwargs) | {
            "work": work_items(self.request.user),
            "panels": render_panels("home", request=self.request),
        }


# The officer list's sortable columns (core.web.sort): those an index serves at a province's size —
# officer_name_idx (upper(name)) and the region order the list has always had.
OFFICER_ORDER = {"name": (Upper("name"),), "region": ("region_id", "name")}


class OfficerListView(PageMixin, View):
    permission_required = "core.view_officer"

    def get(self, request):
        q = request.GET.get("q", "").strip()
        qs, sorting = sort(
            request, selectors.officer_list(actor=request.user, search=q), OFFICER_ORDER, "region"
        )
        return render(
            request,
            "core/officer_list.html",
            {
                "page": paginate(request, qs),
                "q": q,
                "querystring": querystring_without(request, "page"),
                "sorting": sorting,
            },
        )


class OfficerDetailView(PageMixin, View):
    permission_required = "core.view_officer"

    def get(self, request, pk: int):
        officer = selectors.officer_get(actor=request.user, pk=pk)
        history = history_for(officer, limit=50)
        return render(request, "core/officer_detail.html", {"officer": officer, "history": history})


class OfficerEditView(PageMixin, View):
    permission_required = "core.change_officer"

    def get(self, request, pk: int):
        officer = selectors.officer_get(actor=request.user, pk=pk)
        return render(
            request, "core/officer_form.html", {"officer": officer, "form": OfficerForm(instance=officer)}
        )

    def post(self, request, pk: int):
        officer = selectors.officer_get(actor=request.user, pk=pk)
        form = OfficerForm(request.POST, instance=selectors.officer_get(actor=request.user, pk=pk))
        if form.is_valid():
            try:
                services.officer_update(
                    officer=officer,
                    actor=request.user,
                    data={f: form.cleaned_data[f] for f in form.Meta.fields},
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Officer saved."))
                return redirect("core:officer_detail", pk=officer.pk)
        return render(request, "core/officer_form.html", {"officer": officer, "form": form}, status=400)


def _api_error(request, status: int, code: str, message) -> JsonResponse | None:
    """Under /api/ even Django's own errors (an unmatched URL, a crash) use the API error body."""
    if request.path.startswith("/api/"):
        return JsonResponse({"code": code, "message": str(message), "errors": {}}, status=status)
    return None


def error_400(request, exception=None):
    """A request Django refused before any view ran: a body over the upload limit is 413, as HTTP
    means it (`DATA_UPLOAD_MAX_MEMORY_SIZE`, too many fields or files); anything else 400."""
    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        message = _("The request is too large. Send a smaller file or fewer fields.")
        api = _api_error(request, 413, "too_large", message)
        return api or render(request, "400.html", {"message": message, "status": 413}, status=413)
    api = _api_error(request, 400, "bad_request", _("The request could not be understood."))
    return api or render(request, "400.html", {}, status=400)


def error_403(request, exception=None):
    api = _api_error(
        request, 403, "permission_denied", _("You do not have permission to perform this action.")
    )
    return api or render(request, "403.html", status=403)


def error_404(request, exception=None):
    return _api_error(request, 404, "not_found", _("Not found.")) or render(request, "404.html", status=404)


def error_500(request):
    api = _api_error(request, 500, "error", _("A server error occurred."))
    return api or render(request, "500.html", status=500)
