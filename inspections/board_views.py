"""The public notice board (公示栏): one page per village, no login, personal data masked."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views import View

from core.exceptions import DomainError
from core.models import Region
from core.web import add_domain_error
from households.models import Household

from . import board, services, throttle
from .forms import ComplaintForm
from .models import PublicBoardSettings


class PublicBoardView(View):
    template_name = "inspections/board.html"

    def _village(self, code: str) -> Region:
        if not PublicBoardSettings.current().enabled:
            raise Http404
        return get_object_or_404(Region.objects.select_related("parent__parent"), code=code, level="village")

    def _render(self, request, village, form=None, status=200, sent=False):
        notices = board.notices_for_village(village.code)
        response = render(request, self.template_name, {
            "village": village, "notices": notices, "funds": board.fund_disclosure(village.code),
            "form": form or ComplaintForm(), "sent": sent,
        }, status=status)  # fmt: skip
        response["Cache-Control"] = "no-store"
        response["X-Robots-Tag"] = "noindex"
        return response

    def get(self, request, code: str):
        return self._render(request, self._village(code))

    def post(self, request, code: str):
        village = self._village(code)
        form = ComplaintForm(request.POST)
        if not throttle.allow("board", throttle.client_address(request)):
            form.is_valid()
            form.add_error(None, _("Too many submissions from your address. Please try again later."))
            return self._render(request, village, form=form, status=429)
        if not form.is_valid():
            return self._render(request, village, form=form, status=400)
        if form.cleaned_data.get("website"):  # the hidden field: a bot
            return self._render(request, village, sent=True)
        case_id = form.cleaned_data.get("case")
        household = None
        if case_id:
            notice = next((n for n in board.notices_for_village(village.code) if n.case_id == case_id), None)
            if notice is None:
                form.add_error(None, _("That public notice has ended or does not exist."))
                return self._render(request, village, form=form, status=400)
            household = Household.objects.get(pk=notice.household_id)
        try:
            services.complaint_submit(
                village=village, content=form.cleaned_data["content"], contact=form.cleaned_data.get("contact", ""),
                household=household, case_id=case_id,
            )  # fmt: skip
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(request, village, form=form, status=400)
        return self._render(request, village, sent=True)
