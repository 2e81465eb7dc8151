"""On-site visit reports, their findings (问题) and the findings' evidence photos."""

from __future__ import annotations

from django.contrib.postgres.indexes import OpClass
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.audit import tracked
from core.models import Officer, Region, TimeStampedModel, Unit, User
from core.transitions import StatusChange, Transitions
from core.uploads import KINDS as UPLOAD_KINDS
from core.uploads import PHOTOS
from households.models import Household

from .plans import InspectionGroup, VisitPlan


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    FILED = "filed", _("filed")


# A draft is filed once; filing confirms its findings and lets the county see the visit.
REPORT_TRANSITIONS: dict[str, set[str]] = {
    ReportStatus.DRAFT: {ReportStatus.FILED},
    ReportStatus.FILED: set(),
}


@tracked()
class VisitReport(TimeStampedModel):
    """An on-site report (督查巡查报告), usually written on a phone in the village."""

    client_uuid = models.UUIDField(
        _("client key"), unique=True, help_text=_("Idempotency key from the device.")
    )
    plan = models.ForeignKey(
        VisitPlan,
        verbose_name=pgettext_lazy("visit plan", "plan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    group = models.ForeignKey(
        InspectionGroup, verbose_name=_("inspection group"), on_delete=models.PROTECT, related_name="reports"
    )
    county = models.ForeignKey(Region, verbose_name=_("county"), on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(
        Region, verbose_name=_("village"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    visit_date = models.DateField(pgettext_lazy("covert visit", "visit date"))
    place = models.CharField(_("place"), max_length=200)
    households_visited = models.ManyToManyField(
        Household, verbose_name=_("households visited"), blank=True, related_name="+"
    )
    households_visited_count = models.PositiveIntegerField(_("number of households visited"), default=0)
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    author = models.ForeignKey(User, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+")

    transitions = Transitions(REPORT_TRANSITIONS, log="ReportStatusChange")

    class Meta:
        verbose_name = _("visit report")
        verbose_name_plural = _("visit reports")
        ordering = ["-visit_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="filed", filed_at__isnull=False)
                | Q(status="draft", filed_at__isnull=True),
                name="visitreport_filed_iff_time",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "county"], name="visitreport_status_county_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.visit_date} {self.place}"


class ReportStatusChange(StatusChange):
    """Every status change of a visit report. As secret as the report: read it through the selectors."""

    report = models.ForeignKey(
        VisitReport, verbose_name=_("visit report"), on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=16, choices=ReportStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=ReportStatus.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("report status change")
        verbose_name_plural = _("report status changes")


class FindingCategory(models.TextChoices):
    IDENTIFICATION = "identification", _("inaccurate identification")  # 识别不精准
    ASSISTANCE = "assistance", _("inaccurate assistance")  # 帮扶不精准
    EXIT = "exit", _("inaccurate exit")  # 退出不精准
    FUNDS = "funds", _("use of funds")  # 资金使用
    FILES = "files", _("irregular household files")  # 档卡不规范
    CONDUCT = "conduct", _("work style")  # 作风问题
    POLICY = "policy", _("policy implementation")  # 政策落实


class Severity(models.TextChoices):
    MINOR = "minor", _("minor")  # 一般
    SERIOUS = "serious", _("serious")  # 较重
    GRAVE = "grave", _("grave")  # 严重


class FindingSource(models.TextChoices):
    """Where a finding came from. The accountability app reads this: "三个一律" opens a case
    for PROVINCE_INSPECTION_NOTICE, PROVINCE_OFFICE_NOTICE, MEDIA_CENTRAL and MEDIA_PROVINCIAL."""

    CITY_COVERT_VISIT = "city_covert_visit", _("covert visit by a city inspection group")
    PROVINCE_INSPECTION_NOTICE = (
        "province_inspection_notice",
        _("notice of a province-level inspection group"),
    )
    PROVINCE_OFFICE_NOTICE = "province_office_notice", _("notice of a province-level poverty office")
    MEDIA_CENTRAL = "media_central", _("exposed by central media")
    MEDIA_PROVINCIAL = "media_provincial", _("exposed by provincial media")
    MEDIA_LOCAL = "media_local", _("exposed by local media")
    AUDIT = "audit", _("audit")
    PUBLIC_COMPLAINT = "public_complaint", _("public complaint")
    SELF_CHECK = "self_check", _("self-check against a province problem list")
    # 随机抽查、突击检查 of a work team that found its first secretary absent (services/absences.py).
    SPOT_CHECK = "spot_check", _("spot check of a village work team")


class FindingStatus(models.TextChoices):
    PENDING = "pending", _("pending")  # in an unfiled report, or a complaint not yet verified
    CONFIRMED = "confirmed", _("confirmed")  # filed: visible to the responsible county and unit
    DISMISSED = "dismissed", _("dismissed")


# pending → confirmed (its report filed, or a complaint verified) or → dismissed.
FINDING_TRANSITIONS: dict[str, set[str]] = {
    FindingStatus.PENDING: {FindingStatus.CONFIRMED, FindingStatus.DISMISSED},
    FindingStatus.CONFIRMED: set(),
    FindingStatus.DISMISSED: set(),
}


@tracked()
class Finding(TimeStampedModel):
    """A problem found (问题): what, where, who is responsible, and where it came from."""

    client_uuid = models.UUIDField(_("client key"), unique=True, null=True, blank=True)
    report = models.ForeignKey(
        VisitReport, verbose_name=_("visit report"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="findings",
    )  # fmt: skip
    source = models.CharField(_("source"), max_length=32, choices=FindingSource.choices)
    source_reference = models.CharField(_("source reference"), max_length=200, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=FindingCategory.choices)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.MINOR
    )
    description = models.TextField(pgettext_lazy("problem", "description"))
    # The most specific place (village, township or county): the scoping rule filters on it.
    region = models.ForeignKey(Region, verbose_name=_("place"), on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        Household, verbose_name=_("household"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="inspection_findings",
    )  # fmt: skip
    project = models.ForeignKey(
        "funds.Project", verbose_name=_("project"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="inspection_findings",
    )  # fmt: skip
    measure = models.ForeignKey(
        "assistance.Measure", verbose_name=_("assistance measure"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="inspection_findings",
    )  # fmt: skip
    responsible_unit = models.ForeignKey(
        Unit, verbose_name=_("responsible unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="inspection_findings",
    )  # fmt: skip
    responsible_officers = models.ManyToManyField(
        Officer, verbose_name=_("responsible officers"), blank=True, related_name="inspection_findings"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=FindingStatus.choices, default=FindingStatus.PENDING
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    reported_by = models.ForeignKey(
        User, verbose_name=_("reported by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # An objection from the public board against a household's entry/exit notice.
    procedure_case = models.ForeignKey(
        "households.ProcedureCase", verbose_name=_("public notice objected to"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="inspection_objections",
    )  # fmt: skip
    # Complaints from the public board: contact as given (never shown on the board).
    complainant_contact = models.CharField(_("complainant contact"), max_length=100, blank=True)
    # The spot check that found the first secretary absent (source spot_check): one finding per check.
    team_check = models.OneToOneField(
        "inspections.TeamCheck", verbose_name=_("work team spot check"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="absence_finding",
    )  # fmt: skip

    transitions = Transitions(FINDING_TRANSITIONS, log="FindingStatusChange")

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = pgettext_lazy("inspection", "findings")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="confirmed", confirmed_at__isnull=False) | ~Q(status="confirmed"),
                name="finding_confirmed_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(source="city_covert_visit") | Q(report__isnull=False),
                name="finding_covert_visit_has_report",
            ),
            models.CheckConstraint(
                condition=~Q(source="spot_check") | Q(team_check__isnull=False),
                name="finding_spot_check_has_check",
            ),
        ]
        indexes = [
            # Scoped lists: status = 'confirmed' AND region_id LIKE '410821%'.
            models.Index(OpClass("region_id", name="varchar_pattern_ops"), name="finding_region_prefix_idx"),
            models.Index(fields=["status", "-created_at"], name="finding_status_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.description[:30]}"


class FindingStatusChange(StatusChange):
    """Every status change of a finding. Pending findings are secret: read it through the selectors."""

    finding = models.ForeignKey(
        Finding, verbose_name=_("finding"), on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=16, choices=FindingStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=FindingStatus.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("finding status change")
        verbose_name_plural = _("finding status changes")


# What the bytes were (core.uploads decides; the constraint below only repeats it).
ALLOWED_PHOTO_TYPES = tuple(UPLOAD_KINDS[kind].content_type for kind in PHOTOS)
MAX_PHOTO_BYTES = 8 * 1024 * 1024


class FindingPhoto(models.Model):
    """Evidence photo of a finding, stored under MEDIA_ROOT and served through a checked view."""

    client_uuid = models.UUIDField(_("client key"), unique=True)
    finding = models.ForeignKey(
        Finding, verbose_name=_("finding"), on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(_("file"), upload_to="inspections/photos/%Y/%m/")
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        User, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("evidence photo")
        verbose_name_plural = _("evidence photos")
        ordering = ["finding_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(content_type__in=list(ALLOWED_PHOTO_TYPES)), name="findingphoto_allowed_type"
            ),
            models.CheckConstraint(condition=Q(size__lte=MAX_PHOTO_BYTES), name="findingphoto_max_size"),
        ]

    def __str__(self) -> str:
        return self.file.name
