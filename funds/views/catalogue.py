"""Pages of funds (budget, allocation) and projects (with their review, procurement and tender)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from core.exceptions import DomainError
from core.models import Region
from core.scoping import scope
from core.web import PageMixin, add_domain_error, paginate, querystring_without

from .. import selectors, services
from ..forms import (
    AllocationForm,
    AmountForm,
    ContractChangeForm,
    PaymentLimitForm,
    PaymentSettingsForm,
    ProjectForm,
)
from ..models import AccountKind, PaymentKind, PaymentSettings, ProjectKind


class HomeView(PageMixin, View):
    permission_required = "funds.view_fund"

    def get(self, request):
        year = request.GET.get("year", "")
        funds = selectors.fund_list(actor=request.user, year=int(year) if year.isdigit() else None)
        page = paginate(request, funds)
        recs = {f.pk: selectors.reconciliation(actor=request.user, fund=f) for f in page}
        return render(
            request,
            "funds/home.html",
            {
                "page": page,
                "rows": [(f, recs[f.pk]) for f in page],
                "year": year,
                "pending": selectors.pending_count(actor=request.user),
                "querystring": querystring_without(request, "page"),
            },
        )


class FundDetailView(PageMixin, View):
    permission_required = "funds.view_fund"

    def _context(self, request, fund, budget_form=None, allocation_form=None):
        return {
            "fund": fund,
            "rec": selectors.reconciliation(actor=request.user, fund=fund),
            "accounts": selectors.account_list(actor=request.user, fund=fund).exclude(kind=AccountKind.PAYEE),
            "budget_form": budget_form or AmountForm(prefix="budget"),
            "allocation_form": allocation_form or self._allocation_form(request, fund),
        }

    def _allocation_form(self, request, fund, data=None):
        return AllocationForm(
            data,
            prefix="alloc",
            counties=scope(
                Region.objects.filter(level="county"), actor=request.user, field="code", within=fund.region_id
            ),
            projects=selectors.project_list(actor=request.user),
            sources=selectors.account_list(actor=request.user, fund=fund, kinds=[AccountKind.COUNTY]),
        )

    def get(self, request, pk: int):
        fund = selectors.fund_get(actor=request.user, pk=pk)
        return render(request, "funds/fund_detail.html", self._context(request, fund))

    def post(self, request, pk: int):
        if not request.user.has_perm("funds.add_entry"):
            raise PermissionDenied  # inside the region without the permission: 403 (convention)
        fund = selectors.fund_get(actor=request.user, pk=pk)
        if "budget-amount" in request.POST:
            form = AmountForm(request.POST, prefix="budget")
            if form.is_valid():
                try:
                    services.budget_arrange(actor=request.user, fund=fund, **form.cleaned_data)
                except DomainError as error:
                    add_domain_error(form, error)
                else:
                    messages.success(request, _("Budget posted."))
                    return redirect("funds:fund_detail", pk=fund.pk)
            return render(
                request, "funds/fund_detail.html", self._context(request, fund, budget_form=form), status=400
            )
        form = self._allocation_form(request, fund, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            common = {"amount": data["amount"], "booked_on": data["booked_on"], "memo": data["memo"]}
            try:
                if data["county"]:
                    services.allocate_to_county(
                        actor=request.user, fund=fund, county=data["county"], **common
                    )
                else:
                    source = data["from_account"] or services.pool_account(fund)
                    services.allocate_to_project(
                        actor=request.user, from_account=source, project=data["project"], **common
                    )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Allocation posted."))
                return redirect("funds:fund_detail", pk=fund.pk)
        return render(
            request, "funds/fund_detail.html", self._context(request, fund, allocation_form=form), status=400
        )


class ProjectListView(PageMixin, View):
    permission_required = "funds.view_project"

    def get(self, request):
        q = request.GET.get("q", "").strip()
        kind = request.GET.get("kind", "")
        page = paginate(request, selectors.project_list(actor=request.user, search=q, kind=kind))
        paid = selectors.project_paid_totals([p.pk for p in page])
        return render(
            request,
            "funds/project_list.html",
            {
                "page": page,
                "rows": [(p, paid.get(p.pk)) for p in page],
                "q": q,
                "kind": kind,
                "kinds": ProjectKind.choices,
                "querystring": querystring_without(request, "page"),
            },
        )


class ProjectDetailView(PageMixin, View):
    permission_required = "funds.view_project"

    def get(self, request, pk: int, change_form=None, status=200):
        from core.history import history_for

        project = selectors.project_get(actor=request.user, pk=pk)
        return render(
            request,
            "funds/project_detail.html",
            {
                "project": project,
                "rec": selectors.reconciliation(actor=request.user, project=project),
                "accounts": selectors.account_list(actor=request.user).filter(project=project),
                "requests": selectors.request_list(actor=request.user, project=project)[:50],
                "history": history_for(project, limit=30),
                # What its payments still wait for (投资评审 → 采购 → 开标 → 中标 → 合同), and the caps.
                "missing_steps": selectors.project_chain_missing(project),
                "cap": selectors.project_cap(project),
                "contract_total": selectors.contract_total(project),
                "contract_changes": project.contract_changes.select_related("recorded_by"),
                "change_form": change_form or ContractChangeForm(),
            },
            status=status,
        )

    def post(self, request, pk: int):
        """Record a contract change (补充协议)."""
        if not request.user.has_perm("funds.change_project"):
            raise PermissionDenied
        project = selectors.project_get(actor=request.user, pk=pk)
        form = ContractChangeForm(request.POST)
        if form.is_valid():
            try:
                services.contract_change_record(actor=request.user, project=project, **form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Contract change recorded."))
                return redirect("funds:project_detail", pk=project.pk)
        return self.get(request, pk=pk, change_form=form, status=400)


class ProjectFormView(PageMixin, View):
    permission_required = "funds.add_project"

    def _form(self, request, data=None, instance=None):
        counties = scope(Region.objects.filter(level="county"), actor=request.user, field="code")
        villages = scope(Region.objects.filter(level="village"), actor=request.user, field="code")
        return ProjectForm(data, instance=instance, counties=counties, villages=villages)

    def get(self, request, pk: int | None = None):
        project = selectors.project_get(actor=request.user, pk=pk) if pk else None
        return render(
            request,
            "funds/project_form.html",
            {"form": self._form(request, instance=project), "project": project},
        )

    def post(self, request, pk: int | None = None):
        project = selectors.project_get(actor=request.user, pk=pk) if pk else None
        if project and not request.user.has_perm("funds.change_project"):
            raise Http404
        form = self._form(request, request.POST, instance=project)
        if form.is_valid():
            data = {f: form.cleaned_data[f] for f in form.Meta.fields}
            try:
                if project:
                    project = services.project_update(actor=request.user, project=project, data=data)
                else:
                    project = services.project_create(actor=request.user, data=data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Project saved."))
                return redirect("funds:project_detail", pk=project.pk)
        return render(request, "funds/project_form.html", {"form": form, "project": project}, status=400)


class PaymentSettingsView(PageMixin, View):
    """The city finance office's payment rules per county; the province's row holds the defaults."""

    permission_required = "funds.view_paymentsettings"

    def _regions(self, request):
        counties = scope(
            Region.objects.filter(level__in=["county", "province"]), actor=request.user, field="code"
        )
        return counties.order_by("code")

    def _context(self, request, settings_form=None, limit_form=None):
        regions = self._regions(request)
        codes = [r.code for r in regions]
        reads = selectors.RuleReads()  # the settings tables read once, not per region
        rows = [
            {
                "region": region,
                "threshold": reads.threshold(region.code),
                "limits": [
                    (PaymentKind(kind).label, *reads.limits(region.code, kind)) for kind in PaymentKind.values
                ],
            }
            for region in regions
        ]
        return {
            "rows": rows,
            "own_rows": set(
                PaymentSettings.objects.filter(region_id__in=codes).values_list("region_id", flat=True)
            ),
            "settings_form": settings_form or PaymentSettingsForm(prefix="s", regions=regions),
            "limit_form": limit_form or PaymentLimitForm(prefix="l", regions=regions),
            "can_edit": request.user.has_perm("funds.change_paymentsettings")
            and not request.user.is_read_only,
        }

    def get(self, request):
        return render(request, "funds/payment_settings.html", self._context(request))

    def post(self, request):
        if not request.user.has_perm("funds.change_paymentsettings"):
            raise PermissionDenied
        regions = self._regions(request)
        settings_form = limit_form = None
        if "s-region" in request.POST:
            form = settings_form = PaymentSettingsForm(request.POST, prefix="s", regions=regions)
            call = services.payment_settings_set
        else:
            form = limit_form = PaymentLimitForm(request.POST, prefix="l", regions=regions)
            call = services.payment_limit_set
        if form.is_valid():
            try:
                call(actor=request.user, **form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Payment rules saved."))
                return redirect("funds:payment_settings")
        return render(
            request,
            "funds/payment_settings.html",
            self._context(request, settings_form, limit_form),
            status=400,
        )
