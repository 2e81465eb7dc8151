"""Pages of the annual assessment (年度成效考核), appeals, the annual bulletin, the one-vote veto export and
the leading group's rectification acceptance. Reads through selectors, writes through services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from core import selectors as core_selectors
from core.exceptions import DomainError
from core.history import history_for
from core.models import RegionLevel
from core.transitions import can_transition
from core.web import PageMixin, add_domain_error, paginate, querystring_without
from core.xlsx import XLSX_CONTENT_TYPE as XLSX
from inspections.models import ProvinceProblemList, VisitPlan

from . import selectors, services
from .annual_forms import AppealDecisionForm, AppealForm, GradeForm, PublishAnnualBulletinForm, ReviewForm
from .models import AppealStatus, Grade, GradeAppeal, MonthlyScore
from .periods import today
from .xlsx_annual import annual_bulletin_filename, annual_bulletin_workbook, veto_workbook


def _year(request) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else None


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


# --- grades ---------------------------------------------------------------------------------


class GradeListView(PageMixin, View):
    permission_required = "accountability.view_annualgrade"

    def get(self, request):
        year, grade = (
            _year(request),
            request.GET.get("grade") if request.GET.get("grade") in Grade.values else None,
        )
        qs = selectors.grade_list(actor=request.user, year=year, grade=grade)
        user = request.user
        return render(request, "accountability/grade_list.html", {
            "page": paginate(request, qs), "year": year, "grade": grade, "grades": Grade.choices,
            "querystring": querystring_without(request, "page"),
            "can_add": user.has_perm("accountability.add_annualgrade") and not user.is_read_only,
            "can_publish": user.has_perm("accountability.publish_annualbulletin") and not user.is_read_only,
            "publish_form": PublishAnnualBulletinForm(initial={"year": year or today().year - 1}),
        })  # fmt: skip


class GradeCreateView(PageMixin, View):
    permission_required = "accountability.add_annualgrade"

    def _form(self, request, data=None):
        user = request.user
        return GradeForm(data, officers=core_selectors.officer_list(actor=user), units=core_selectors.unit_list(actor=user),
                         initial={"year": today().year - 1, "decided_on": today()})  # fmt: skip

    def get(self, request):
        return render(request, "accountability/grade_form.html", {"form": self._form(request)})

    def post(self, request):
        form = self._form(request, request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                grade, cases = services.annual_grade_record(
                    year=d["year"], decided_on=d["decided_on"], unit=d["unit"], officer=d["officer"],
                    grade=d["grade"] or None, reasons=d["reasons"], indicators=form.indicators(), actor=request.user,
                )  # fmt: skip
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Grade recorded: %(grade)s. %(n)s case(s) follow from it.")
                                 % {"grade": grade.get_grade_display(), "n": len(cases)})  # fmt: skip
                return redirect("accountability:grade_detail", pk=grade.pk)
        return render(request, "accountability/grade_form.html", {"form": form}, status=400)


class GradeDetailView(PageMixin, View):
    """The department and leaders in scope; the graded officer and the graded unit's officers."""

    def get(self, request, pk: int, *, appeal_form=None, decision_form=None, status=200):
        grade = selectors.grade_get(actor=request.user, pk=pk)
        user = request.user
        appeals = list(
            grade.appeals.select_related("lodged_by", "decided_by").prefetch_related("status_changes")
        )
        lodged = next((a for a in appeals if a.status == AppealStatus.LODGED), None)
        deadline = services.appeal_deadline(grade)
        subject = {"unit": grade.unit_id} if grade.unit_id else {"officer": grade.officer_id}
        months = MonthlyScore.objects.filter(month__year=grade.year, **subject).order_by("month")
        return render(request, "accountability/grade_detail.html", {
            "grade": grade, "indicators": grade.indicators.all(), "months": months, "appeals": appeals,
            "cases": grade.cases.select_related("subject_officer", "subject_unit"), "deadline": deadline,
            "vetoes": grade.evaluation_vetoes.select_related("officer"), "history": history_for(grade, limit=20),
            "may_appeal": not appeals and today() <= deadline and services.may_appeal(user, grade),
            "lodged": lodged if lodged and can_transition(lodged, AppealStatus.GRANTED, user) else None,
            "appeal_form": appeal_form or AppealForm(), "decision_form": decision_form or AppealDecisionForm(),
        }, status=status)  # fmt: skip


class GradeAppealView(GradeDetailView):
    """申诉: lodged by the graded officer or an officer of the graded unit, within the set days."""

    def post(self, request, pk: int):
        grade = selectors.grade_get(actor=request.user, pk=pk)
        if not services.may_appeal(request.user, grade):
            raise PermissionDenied
        form = AppealForm(request.POST)
        if form.is_valid():
            try:
                services.appeal_lodge(grade=grade, grounds=form.cleaned_data["grounds"], actor=request.user)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Appeal lodged; the organisation department will decide it."))
                return redirect("accountability:grade_detail", pk=grade.pk)
        return self.get(request, pk, appeal_form=form, status=400)


class AppealDecideView(GradeDetailView):
    permission_required = "accountability.decide_gradeappeal"

    def get(self, request, pk: int, **kwargs):
        """The appealed grade's page, with the appeal's decision form: `pk` is the appeal's (the grade
        page read it as a grade's, showing whichever grade had that number)."""
        appeal: GradeAppeal = selectors.appeal_get(actor=request.user, pk=pk)
        return super().get(request, appeal.grade_id, **kwargs)

    def post(self, request, pk: int):
        appeal: GradeAppeal = selectors.appeal_get(actor=request.user, pk=pk)
        form = AppealDecisionForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.appeal_decide(appeal=appeal, granted=d["granted"], new_grade=d["new_grade"] or None,
                                       reasons=d["reasons"], actor=request.user)  # fmt: skip
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Appeal decided."))
                return redirect("accountability:grade_detail", pk=appeal.grade_id)
        return GradeDetailView.get(self, request, appeal.grade_id, decision_form=form, status=400)


# --- annual bulletin ------------------------------------------------------------------------


class AnnualBulletinListView(PageMixin, View):
    permission_required = "accountability.view_annualbulletin"

    def get(self, request):
        return render(request, "accountability/annual_bulletin_list.html",
                      {"page": paginate(request, selectors.annual_bulletin_list(actor=request.user), per_page=24)})  # fmt: skip


class AnnualBulletinDetailView(PageMixin, View):
    permission_required = "accountability.view_annualbulletin"

    def get(self, request, pk: int):
        bulletin = selectors.annual_bulletin_get(actor=request.user, pk=pk)
        return render(
            request,
            "accountability/annual_bulletin_detail.html",
            {"bulletin": bulletin, "c": bulletin.content},
        )


class AnnualBulletinXlsxView(PageMixin, View):
    permission_required = "accountability.view_annualbulletin"

    def get(self, request, pk: int):
        bulletin = selectors.annual_bulletin_get(actor=request.user, pk=pk)
        return _xlsx(annual_bulletin_workbook(bulletin), annual_bulletin_filename(bulletin))


class AnnualBulletinPublishView(PageMixin, View):
    """Published for the user's own region (the city's organisation department publishes the city's)."""

    permission_required = "accountability.publish_annualbulletin"

    def post(self, request):
        form = PublishAnnualBulletinForm(request.POST)
        region = request.user.region
        if form.is_valid() and region is not None:
            try:
                bulletin = services.annual_bulletin_publish(region=region, year=form.cleaned_data["year"],
                                                            reason=form.cleaned_data["reason"], actor=request.user)  # fmt: skip
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    _("Annual assessment bulletin published (version %(v)s).") % {"v": bulletin.version},
                )
                return redirect("accountability:annual_bulletin_detail", pk=bulletin.pk)
        else:
            messages.error(request, _("Give the year to publish."))
        return redirect("accountability:grade_list")


# --- vetoes ---------------------------------------------------------------------------------


class VetoListView(PageMixin, View):
    permission_required = "accountability.view_evaluationveto"

    def get(self, request):
        year = _year(request)
        return render(request, "accountability/veto_list.html", {
            "page": paginate(request, selectors.veto_list(actor=request.user, year=year)), "year": year,
            "querystring": querystring_without(request, "page"),
        })  # fmt: skip


class VetoXlsxView(PageMixin, View):
    """The organisation department's export for cadre evaluation: every veto in force, with its reason."""

    permission_required = "accountability.view_evaluationveto"

    def get(self, request):
        year = _year(request)
        rows = selectors.veto_list(actor=request.user, year=year)
        return _xlsx(veto_workbook(rows, year=year), f"vetoes-{year or 'all'}.xlsx")


# --- rectification acceptance ---------------------------------------------------------------


class ReviewListView(PageMixin, View):
    permission_required = "accountability.view_rectificationreview"

    def get(self, request):
        year = _year(request)
        user = request.user
        return render(request, "accountability/review_list.html", {
            "page": paginate(request, selectors.review_list(actor=user, year=year)), "year": year,
            "querystring": querystring_without(request, "page"),
            "can_add": user.has_perm("accountability.add_rectificationreview") and not user.is_read_only,
        })  # fmt: skip


class ReviewCreateView(PageMixin, View):
    permission_required = "accountability.add_rectificationreview"

    def _form(self, request, data=None):
        counties = core_selectors.region_list(actor=request.user).filter(level=RegionLevel.COUNTY)
        # A round is reviewed once its visit is filed (a planned visit stays secret, 四不两直).
        plans = VisitPlan.objects.filter(status="filed", county__in=counties).select_related(
            "county", "group"
        )
        return ReviewForm(data, counties=counties, problem_lists=ProvinceProblemList.objects.all(), plans=plans,
                          initial={"year": today().year, "reviewed_on": today()})  # fmt: skip

    def get(self, request):
        return render(request, "accountability/review_form.html", {"form": self._form(request)})

    def post(self, request):
        form = self._form(request, request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                review, cases = services.rectification_review_record(actor=request.user, **d)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(
                    request,
                    _("Rectification acceptance recorded. %(n)s case(s) follow from it.") % {"n": len(cases)},
                )
                return redirect(f"{_review_list_url()}?year={review.year}")
        return render(request, "accountability/review_form.html", {"form": form}, status=400)


def _review_list_url() -> str:
    from django.urls import reverse

    return reverse("accountability:review_list")
