"""Funds and projects: creating them and keeping their review, procurement and tender records."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import actor_context
from core.exceptions import DomainError, full_clean
from core.models import Region, RegionLevel
from core.scoping import ensure_can_write, in_scope

from ..models import TENDER_METHODS, Fund, Project
from .ledger import money, pool_account, source_account
from .rules import contractor_record

MIN_BIDDERS = 3  # 招标投标法: fewer than three bidders means the tender must be held again

PROJECT_FIELDS = (
    "code", "name", "kind", "county", "village", "budget", "start_date", "review_agency",
    "review_approved_amount", "review_date", "procurement_method", "bidders", "winner",
    "contract_amount", "bid_opening_date", "contract_date", "measures",
)  # fmt: skip


def _set_measures(project: Project, measures, actor) -> None:
    if measures is None:
        return
    measures = list(measures)
    for measure in measures:
        village = measure.plan.household.village_id
        if not village.startswith(project.county.prefix) or not in_scope(actor, village):
            raise DomainError(
                _("A measure must belong to a household in the project's county."), field="measures"
            )
    project.measures.set(measures)


@transaction.atomic
def fund_create(
    *, actor, code: str, name: str, source: str, fiscal_year: int, region: Region, note: str = ""
) -> Fund:
    ensure_can_write(actor, region.code)
    if region.level not in (RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.PROVINCE):
        raise DomainError(_("A fund is held by a province, city or county."), field="region")
    fund = Fund(
        code=code.strip(), name=name.strip(), source=source, fiscal_year=fiscal_year, region=region, note=note
    )
    full_clean(fund)
    with actor_context(actor):
        fund.save()
    source_account(fund)
    pool_account(fund)
    return fund


def _check_project(project: Project) -> None:
    if project.county.level != RegionLevel.COUNTY:
        raise DomainError(_("Choose a county."), field="county")
    if project.village_id and (
        project.village.level != RegionLevel.VILLAGE
        or not project.village_id.startswith(project.county.prefix)
    ):
        raise DomainError(_("The village must lie in the project's county."), field="village")
    project.region_id = project.village_id or project.county_id
    for field in ("budget", "review_approved_amount", "contract_amount"):
        value = getattr(project, field)
        if value not in (None, ""):
            setattr(project, field, money(value, field=field))
    project.bidders = [b.strip() for b in project.bidders if b and b.strip()]
    if len(set(project.bidders)) != len(project.bidders):
        raise DomainError(_("A bidder is listed twice."), field="bidders")
    if project.winner and project.bidders and project.winner not in project.bidders:
        raise DomainError(_("The winning bidder must be one of the bidders."), field="winner")
    if project.contract_amount is not None:
        if not project.winner:
            raise DomainError(_("A contract needs the winning bidder or supplier."), field="winner")
        if not project.procurement_method:
            raise DomainError(
                _("Record the procurement method before the contract."), field="procurement_method"
            )
        if project.procurement_method in TENDER_METHODS and len(project.bidders) < MIN_BIDDERS:
            raise DomainError(
                _("A tender needs at least %(n)d bidders.") % {"n": MIN_BIDDERS}, field="bidders"
            )
        if (
            project.review_approved_amount is not None
            and project.contract_amount > project.review_approved_amount
        ):
            raise DomainError(
                _("The contract amount exceeds the amount approved by the investment review."),
                field="contract_amount",
            )
    if project.review_approved_amount is not None and not project.review_agency:
        raise DomainError(_("Name who carried out the investment review."), field="review_agency")


@transaction.atomic
def project_create(*, actor, data: dict) -> Project:
    unknown = set(data) - set(PROJECT_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be set: %s") % ", ".join(sorted(unknown)))
    data = dict(data)
    measures = data.pop("measures", None)
    project = Project(**data)
    if not project.county_id:
        raise DomainError(_("Choose a county."), field="county")
    _check_project(project)
    ensure_can_write(actor, project.region_id)
    full_clean(project)
    with actor_context(actor):
        project.save()
        contractor_record(project)  # the winner recorded as the payee contractor payments go to
    _set_measures(project, measures, actor)
    return project


@transaction.atomic
def project_update(*, actor, project: Project, data: dict) -> Project:
    project = Project.objects.select_for_update().get(pk=project.pk)
    ensure_can_write(actor, project.region_id)
    unknown = set(data) - set(PROJECT_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    if project.accounts.exists() and any(
        f in data and data[f] != getattr(project, f) for f in ("county", "village")
    ):
        raise DomainError(
            _("A project that has received money cannot move to another place."), field="village"
        )
    data = dict(data)
    measures = data.pop("measures", None)
    for field, value in data.items():
        setattr(project, field, value)
    _check_project(project)
    ensure_can_write(actor, project.region_id)
    full_clean(project)
    with actor_context(actor):
        project.save()
        contractor_record(project)  # the winner recorded as the payee contractor payments go to
    _set_measures(project, measures, actor)
    return project
