"""Visit reports and findings: idempotent submission from phones, photos, filing, confirmation."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import uploads
from core.audit import actor_context
from core.exceptions import DomainError, TransitionNotAllowed, full_clean
from core.models import Officer, Region, Unit, UnitKind
from core.regions import in_line, pad_code
from core.scoping import ensure_can_write, in_scope
from core.transitions import can_transition, record_created, transition
from households.models import Household

from ..models import (
    MAX_PHOTO_BYTES,
    Finding,
    FindingCategory,
    FindingPhoto,
    FindingSource,
    FindingStatus,
    InspectionGroup,
    NotificationKind,
    ReportStatus,
    Severity,
    VisitPlan,
    VisitReport,
)
from ..selectors import is_inspector, sees_secrets
from .notify import notify
from .plans import plan_mark_filed


def _require_inspector(actor) -> None:
    if not (is_inspector(actor) and sees_secrets(actor)) and not getattr(actor, "is_superuser", False):
        raise DomainError(_("Only inspectors of the city inspection groups may do this."), field="actor")
    ensure_can_write(actor)


def _region(code, *, field: str, level: str | None = None) -> Region | None:
    if not code:
        return None
    region = Region.objects.filter(code=str(code)).first()
    if region is None or (level and region.level != level):
        raise DomainError(_("Unknown region code %(code)s.") % {"code": code}, field=field)
    return region


def _actor_group(actor) -> InspectionGroup | None:
    if actor.officer_id:
        return InspectionGroup.objects.filter(inspectors=actor.officer_id).first()
    return None


def _project(pk, *, county_prefix: str, field: str):
    if not pk:
        return None
    from funds.models import Project

    project = Project.objects.filter(pk=pk, region__code__startswith=county_prefix).first()
    if project is None:
        raise DomainError(_("Unknown project in this county."), field=field)
    return project


def _measure(pk, *, county_prefix: str, field: str):
    if not pk:
        return None
    from assistance.models import Measure

    measure = Measure.objects.filter(pk=pk, plan__household__village__code__startswith=county_prefix).first()
    if measure is None:
        raise DomainError(_("Unknown assistance measure in this county."), field=field)
    return measure


def _finding_fields(data: dict, *, field_prefix: str, default_region: Region) -> dict:
    """Validate one finding's input; raise DomainError naming the field."""

    def f(name):
        return f"{field_prefix}{name}"

    if data.get("category") not in FindingCategory.values:
        raise DomainError(_("Choose a category."), field=f("category"))
    if data.get("severity", Severity.MINOR) not in Severity.values:
        raise DomainError(_("Choose a severity."), field=f("severity"))
    description = (data.get("description") or "").strip()
    if not description:
        raise DomainError(_("Describe the problem."), field=f("description"))
    region = _region(data.get("village") or data.get("region"), field=f("village")) or default_region
    household = None
    if data.get("household"):
        household = Household.objects.filter(pk=data["household"]).first()
        if household is None:
            raise DomainError(_("Unknown household."), field=f("household"))
        region = household.village
    if not region.code.startswith(default_region.prefix[:6]):
        raise DomainError(_("The place must lie in the inspected county."), field=f("village"))
    # Who answers for the finding touches a region too (issue 15.4): a unit or officer of the
    # inspected county or of a region above it (a city department), never of another county.
    county_code = pad_code(default_region.prefix[:6])
    unit = None
    if data.get("responsible_unit"):
        unit = Unit.objects.filter(pk=data["responsible_unit"], is_active=True).first()
        if unit is None:
            raise DomainError(_("Unknown responsible unit."), field=f("responsible_unit"))
        if not in_line(unit.region_id, county_code):
            raise DomainError(
                _("The responsible unit must belong to the inspected county or a region above it."),
                field=f("responsible_unit"),
            )
    officer_ids = [int(x) for x in data.get("responsible_officers") or []]
    if officer_ids:
        officers = list(Officer.objects.filter(pk__in=officer_ids).only("pk", "region_id"))
        if len(officers) != len(set(officer_ids)):
            raise DomainError(_("Unknown responsible officer."), field=f("responsible_officers"))
        if not all(in_line(o.region_id, county_code) for o in officers):
            raise DomainError(
                _("A responsible officer must belong to the inspected county or a region above it."),
                field=f("responsible_officers"),
            )
    return {
        "category": data["category"],
        "severity": data.get("severity") or Severity.MINOR,
        "description": description,
        "region": region,
        "household": household,
        "responsible_unit": unit,
        "officer_ids": officer_ids,
        "project": _project(data.get("project"), county_prefix=default_region.code[:6], field=f("project")),
        "measure": _measure(data.get("measure"), county_prefix=default_region.code[:6], field=f("measure")),
    }


def _upsert_finding(*, report: VisitReport, data: dict, index: int, actor) -> Finding:
    key = data.get("client_uuid") or uuid.uuid4()
    fields = _finding_fields(
        data, field_prefix=f"findings.{index}.", default_region=report.village or report.county
    )
    officer_ids = fields.pop("officer_ids")
    finding = Finding.objects.select_for_update().filter(client_uuid=key).first()
    if finding is not None and finding.report_id != report.pk:
        raise DomainError(
            _("This finding key belongs to another report."), field=f"findings.{index}.client_uuid"
        )
    created = finding is None
    if created:
        finding = Finding(
            client_uuid=key, report=report, source=FindingSource.CITY_COVERT_VISIT, reported_by=actor
        )
    for name, value in fields.items():
        setattr(finding, name, value)
    full_clean(
        finding,
        exclude=["report", "reported_by", "household", "responsible_unit", "region", "project", "measure"],
    )
    finding.save()
    if created:
        record_created(finding, actor=actor)
    if officer_ids or data.get("responsible_officers") is not None:
        finding.responsible_officers.set(officer_ids)
    return finding


@transaction.atomic
def visit_report_submit(*, actor, data: dict) -> tuple[VisitReport, bool]:
    """Create or update a report with its findings. Idempotent on `client_uuid`.

    A retry of the same submission returns the same report (created=False); a filed report
    is never changed by a late retry. Returns (report, created).
    """
    _require_inspector(actor)
    try:
        key = uuid.UUID(str(data.get("client_uuid")))
    except ValueError:
        raise DomainError(_("A client key (UUID) is required."), field="client_uuid") from None

    existing = VisitReport.objects.select_for_update().filter(client_uuid=key).first()
    if existing is not None and existing.status == ReportStatus.FILED:
        return existing, False

    plan = None
    if data.get("plan"):
        plan = VisitPlan.objects.filter(pk=data["plan"]).select_related("group", "county").first()
        if plan is None:
            raise DomainError(_("Unknown plan."), field="plan")
    village = _region(data.get("village"), field="village", level="village")
    county = _region(data.get("county"), field="county", level="county")
    if county is None and village is not None:
        county = Region.objects.get(code=village.code[:6] + "000000")
    if county is None and plan is not None:
        county = plan.county
    if county is None:
        raise DomainError(_("Choose the county or village visited."), field="village")
    if village is not None and not village.code.startswith(county.prefix):
        raise DomainError(_("The village is not in the county."), field="village")
    if not in_scope(actor, county.code):
        raise DomainError(_("Unknown region code %(code)s.") % {"code": county.code}, field="county")
    group = plan.group if plan else None
    if group is None and data.get("group"):
        group = InspectionGroup.objects.filter(pk=data["group"]).first()
    group = group or _actor_group(actor) or InspectionGroup.objects.order_by("id").first()
    if group is None:
        raise DomainError(_("Choose an inspection group."), field="group")
    try:
        visit_date = dt.date.fromisoformat(str(data.get("visit_date")))
    except ValueError:
        raise DomainError(_("Enter the visit date (YYYY-MM-DD)."), field="visit_date") from None
    if visit_date > timezone.localdate():
        raise DomainError(_("The visit date cannot be in the future."), field="visit_date")
    place = (data.get("place") or "").strip()
    if not place:
        raise DomainError(_("Enter the place visited."), field="place")
    household_ids = [int(x) for x in data.get("households_visited") or []]
    households = list(Household.objects.filter(pk__in=household_ids, village__code__startswith=county.prefix))
    if len(households) != len(set(household_ids)):
        raise DomainError(_("A household visited is not in the county."), field="households_visited")

    with actor_context(actor):
        report = existing or VisitReport(client_uuid=key, author=actor)
        report.plan, report.group, report.county, report.village = plan, group, county, village
        report.visit_date, report.place = visit_date, place
        report.summary = (data.get("summary") or "").strip()
        report.households_visited_count = max(int(data.get("households_visited_count") or 0), len(households))
        full_clean(
            report, exclude=["author", "plan", "group", "county", "village"], validate_constraints=False
        )
        created = existing is None
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:
            # The same key arrived twice at once: the other request created it.
            return VisitReport.objects.get(client_uuid=key), False
        if created:
            record_created(report, actor=actor)
        report.households_visited.set(households)
        for i, finding_data in enumerate(data.get("findings") or []):
            _upsert_finding(report=report, data=finding_data, index=i, actor=actor)
        if data.get("file"):
            visit_report_file(actor=actor, report=report)
    return report, created


@transaction.atomic
def finding_photo_add(*, actor, finding: Finding, client_uuid, upload) -> tuple[FindingPhoto, bool]:
    """Attach an evidence photo. Idempotent on `client_uuid`: a retried upload is stored once."""
    _require_inspector(actor)
    try:
        key = uuid.UUID(str(client_uuid))
    except ValueError:
        raise DomainError(_("A client key (UUID) is required."), field="client_uuid") from None
    existing = FindingPhoto.objects.filter(client_uuid=key).first()
    if existing is not None:
        if existing.finding_id != finding.pk:
            raise DomainError(_("This photo key belongs to another finding."), field="client_uuid")
        return existing, False
    if upload is None:
        raise DomainError(_("Choose a photo."), field="photo")
    # Type from the bytes, size, encrypted at rest: core.uploads (the row's constraint keeps 8 MB).
    stored = uploads.store_upload(
        upload, kinds=uploads.PHOTOS, folder=f"inspections/photos/{timezone.now():%Y/%m}", field="photo",
        max_size=MAX_PHOTO_BYTES,
    )  # fmt: skip
    try:
        with transaction.atomic():
            photo = FindingPhoto.objects.create(
                client_uuid=key, finding=finding, file=stored.path, content_type=stored.content_type,
                size=stored.size, uploaded_by=actor,
            )  # fmt: skip
    except IntegrityError:
        uploads.delete_stored(stored.path)
        return FindingPhoto.objects.get(client_uuid=key), False
    except Exception:
        uploads.delete_stored(stored.path)
        raise
    return photo, True


def _county_office(county: Region) -> Unit | None:
    units = Unit.objects.filter(region=county, is_active=True)
    return (
        units.filter(kind=UnitKind.POVERTY_OFFICE).first() or units.filter(kind=UnitKind.GOVERNMENT).first()
    )


@transaction.atomic
def visit_report_file(*, actor, report: VisitReport) -> VisitReport:
    """File a report: its findings are confirmed and the county may now see the visit. Idempotent."""
    _require_inspector(actor)
    report = VisitReport.objects.select_for_update().get(pk=report.pk)
    if report.status == ReportStatus.FILED:
        return report
    now = timezone.now()
    report = transition(report, ReportStatus.FILED, actor=actor, updates={"filed_at": now})
    # One at a time (a report has a handful): each confirmed finding is saved, so the
    # accountability rules, which listen to a finding's save, run for every one.
    for finding in report.findings.filter(status=FindingStatus.PENDING).order_by("id"):
        transition(finding, FindingStatus.CONFIRMED, actor=actor, updates={"confirmed_at": now})
    if report.plan_id:
        plan_mark_filed(plan=VisitPlan.objects.get(pk=report.plan_id), at=now, actor=actor)
    office = _county_office(report.county)
    if office is not None:
        notify(
            unit=office, kind=NotificationKind.VISIT_FILED, plan=report.plan,
            message=_("Inspection visit filed: %(place)s on %(date)s, %(n)s finding(s).")
            % {"place": report.place, "date": report.visit_date, "n": report.findings.count()},
            url=reverse("inspections:report_detail", args=[report.pk]),
        )  # fmt: skip
    return report


@transaction.atomic
def finding_create(*, actor, data: dict) -> Finding:
    """A finding outside a covert visit (province notice, media, audit): confirmed at once."""
    _require_inspector(actor)
    source = data.get("source")
    if source not in FindingSource.values or source in (
        FindingSource.CITY_COVERT_VISIT,
        FindingSource.PUBLIC_COMPLAINT,
    ):
        raise DomainError(_("Choose the source of the finding."), field="source")
    county = _region(data.get("county"), field="county", level="county")
    if county is None:
        raise DomainError(_("Choose the county."), field="county")
    ensure_can_write(actor, county.code)
    fields = _finding_fields(data, field_prefix="", default_region=county)
    officer_ids = fields.pop("officer_ids")
    with actor_context(actor):
        finding = Finding(
            client_uuid=data.get("client_uuid") or None, source=source,
            source_reference=(data.get("source_reference") or "").strip(), reported_by=actor,
            status=FindingStatus.CONFIRMED, confirmed_at=timezone.now(), **fields,
        )  # fmt: skip
        full_clean(
            finding, exclude=["reported_by", "household", "responsible_unit", "region", "project", "measure"]
        )
        finding.save()
        finding.responsible_officers.set(officer_ids)
    record_created(finding, actor=actor)
    return finding


@transaction.atomic
def finding_confirm(*, actor, finding: Finding, responsible_unit: Unit | None = None) -> Finding:
    """Confirm a pending finding outside a visit (e.g. a verified public complaint)."""
    _require_inspector(actor)
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if not can_transition(finding, FindingStatus.CONFIRMED) or (
        finding.report_id and finding.report.status != ReportStatus.FILED
    ):
        raise TransitionNotAllowed(
            _("Only a pending finding outside an unfiled report can be confirmed."), field="status"
        )
    updates: dict = {"confirmed_at": timezone.now()}
    if responsible_unit is not None:
        if not in_line(responsible_unit.region_id, pad_code(finding.region_id[:6])):
            raise DomainError(
                _("The responsible unit must belong to the inspected county or a region above it."),
                field="responsible_unit",
            )
        updates["responsible_unit"] = responsible_unit
    return transition(finding, FindingStatus.CONFIRMED, actor=actor, updates=updates)


@transaction.atomic
def finding_dismiss(*, actor, finding: Finding, reason: str) -> Finding:
    _require_inspector(actor)
    if not (reason or "").strip():
        raise DomainError(_("Give the reason for dismissing."), field="reason")
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if not can_transition(finding, FindingStatus.DISMISSED):
        raise TransitionNotAllowed(_("Only a pending finding can be dismissed."), field="status")
    reference = (finding.source_reference + " " + _("Dismissed: %(r)s") % {"r": reason}).strip()[:200]
    return transition(
        finding,
        FindingStatus.DISMISSED,
        actor=actor,
        note=reason.strip(),
        updates={"source_reference": reference},
    )
