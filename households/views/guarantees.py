"""两不愁三保障 pages: record the facts (statements, insurance, exemptions, appraisal), the appraisal
photo, and the county's list of households whose guarantees are still to be confirmed."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.exceptions import DomainError
from core.uploads import serve_upload
from core.web import PageMixin, add_domain_error, paginate

from .. import selectors
from ..forms import DateInput
from ..models import HousingAppraisal, HousingGrade
from ..selectors.guarantees import guarantees_to_confirm
from ..services import guarantees as services


class StatementForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Date of the visit"), widget=DateInput())
    stated_by = forms.CharField(label=gettext_lazy("Stated by (household member)"), max_length=50)
    food_secure = forms.BooleanField(label=gettext_lazy("Enough food (不愁吃)"), required=False)
    clothing_secure = forms.BooleanField(label=gettext_lazy("Enough clothing (不愁穿)"), required=False)
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class InsuranceForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2013, max_value=2100)
    insured = forms.MultipleChoiceField(
        label=gettext_lazy("Members insured (参保)"), required=False, widget=forms.CheckboxSelectMultiple
    )
    serious_illness_covered = forms.BooleanField(
        label=gettext_lazy("Serious-illness cover (大病保险)"), required=False
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["insured"].choices = [(str(m.pk), m.name) for m in members]


class ExemptionForm(forms.Form):
    member = forms.ChoiceField(label=gettext_lazy("Member"))
    date = forms.DateField(label=gettext_lazy("Date of the decision"), widget=DateInput())
    reason = forms.CharField(label=gettext_lazy("Reason for the exemption"), max_length=200)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [(str(m.pk), m.name) for m in members]


class AppraisalForm(forms.Form):
    grade = forms.ChoiceField(label=gettext_lazy("Grade"), choices=HousingGrade.choices)
    date = forms.DateField(label=gettext_lazy("Date of the appraisal"), widget=DateInput())
    appraiser = forms.CharField(label=gettext_lazy("Appraiser"), max_length=100)
    photo = forms.FileField(label=gettext_lazy("Photo"), required=False)


RECORDS = {
    "statement": (StatementForm, gettext_lazy("Record a food and clothing statement")),
    "insurance": (InsuranceForm, gettext_lazy("Record medical insurance")),
    "exemption": (ExemptionForm, gettext_lazy("Record a schooling exemption")),
    "appraisal": (AppraisalForm, gettext_lazy("Record a housing safety appraisal")),
}


class GuaranteeRecordView(PageMixin, View):
    """One page per kind of fact: statement, insurance, exemption, appraisal (with its photo)."""

    permission_required = "households.change_household"
    upload_fields = ("photo",)  # the appraisal photo: checked and stored by core.uploads

    def _form(self, what, household, data=None, files=None):
        form_class, _title = RECORDS[what]
        kwargs = {}
        if what in ("insurance", "exemption"):
            kwargs["members"] = list(household.members.filter(is_active=True).order_by("id"))
        form = form_class(data, files, **kwargs)
        if data is None:
            today = timezone.localdate()
            form.initial = {"date": today, "year": today.year}
        return form

    def _render(self, request, household, what, form, status=200):
        return render(
            request,
            "households/simple_form.html",
            {"household": household, "form": form, "title": RECORDS[what][1]},
            status=status,
        )

    def get(self, request, pk: int, what: str):
        household = selectors.household_get(actor=request.user, pk=pk)
        if what not in RECORDS:
            raise Http404
        return self._render(request, household, what, self._form(what, household))

    def post(self, request, pk: int, what: str):
        household = selectors.household_get(actor=request.user, pk=pk)
        if what not in RECORDS:
            raise Http404
        form = self._form(what, household, request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            try:
                if what == "statement":
                    services.livelihood_statement_record(household=household, actor=request.user, **d)
                elif what == "insurance":
                    services.medical_cover_record(
                        household=household, actor=request.user, year=d["year"],
                        insured_member_ids=d["insured"], serious_illness_covered=d["serious_illness_covered"],
                    )  # fmt: skip
                elif what == "exemption":
                    services.schooling_exemption_record(
                        household=household, actor=request.user, member_id=int(d["member"]), reason=d["reason"],
                        date=d["date"],
                    )  # fmt: skip
                else:
                    services.housing_appraisal_record(
                        household=household, actor=request.user, grade=d["grade"], date=d["date"],
                        appraiser=d["appraiser"], photo=d.get("photo"),
                    )  # fmt: skip
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Recorded."))
                return redirect("households:detail", pk=household.pk)
        return self._render(request, household, what, form, status=400)


class AppraisalPhotoView(PageMixin, View):
    """The appraisal's photo, to those who may see the household (core.uploads.serve_upload)."""

    permission_required = "households.view_household"

    def get(self, request, pk: int, appraisal_pk: int):
        household = selectors.household_get(actor=request.user, pk=pk)
        appraisal = get_object_or_404(HousingAppraisal, pk=appraisal_pk, household=household)
        if not appraisal.photo:
            raise Http404
        return serve_upload(appraisal.photo.name, download_name=appraisal.photo_name or "photo")


class GuaranteesToConfirmView(PageMixin, View):
    """The county's households whose guarantees rest on missing evidence (待确认), page by page."""

    permission_required = "households.view_household"

    def get(self, request):
        # `region`: a village, township or county code narrowing the list (core.scoping: garbage → no rows).
        within = (request.GET.get("region") or "").strip() or None
        page = paginate(request, guarantees_to_confirm(actor=request.user, within=within))
        return render(request, "households/guarantees_to_confirm.html", {"page": page})
