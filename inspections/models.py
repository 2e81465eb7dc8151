"""督查巡查: inspection groups, covert visit plans, visit reports, findings, the rectification
ledger (整改台账), province problem lists and in-app notifications."""

from __future__ import annotations

from django.contrib.postgres.indexes import OpClass
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import tracked
from core.models import Officer, Region, TimeStampedModel, Unit, User
from core.uploads import KINDS as UPLOAD_KINDS
from core.uploads import PHOTOS
from households.models import Household


@tracked()
class InspectionGroup(TimeStampedModel):
    """One of the city's dedicated inspection groups (专职督查巡查组), backed by a core.Unit."""

    unit = models.OneToOneField(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="inspection_group",
        limit_choices_to={"kind": "inspection_group"},
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    leader = models.ForeignKey(
        Officer,
        verbose_name=_("group leader"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    inspectors = models.ManyToManyField(
        Officer, verbose_name=_("inspectors"), blank=True, related_name="inspection_groups"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("inspection group")
        verbose_name_plural = _("inspection groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PlanStatus(models.TextChoices):
    PLANNED = "planned", _("planned")  # secret: only city inspectors, leaders and admins see it
    FILED = "filed", _("visit filed")  # the county may now see the visit
    CANCELLED = "cancelled", _("cancelled")


@tracked()
class VisitPlan(TimeStampedModel):
    """A group's covert visit (暗访) of one county in one month, with targets drawn at random.

    The draw's seed and every input (candidate snapshot, weights, counts, algorithm version)
    are stored in `draw_inputs`, so `inspections.draw.redraw(plan)` reproduces the targets.
    """

    group = models.ForeignKey(
        InspectionGroup, verbose_name=_("inspection group"), on_delete=models.PROTECT, related_name="plans"
    )
    month = models.DateField(_("month"), help_text=_("First day of the month of the visit."))
    county = models.ForeignKey(
        Region, verbose_name=_("inspected county"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.PLANNED
    )
    seed = models.CharField(_("draw seed"), max_length=64)
    algorithm_version = models.CharField(_("draw algorithm"), max_length=64)
    draw_inputs = models.JSONField(_("draw inputs"), default=dict)
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("drawn by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("covert visit plan")
        verbose_name_plural = _("covert visit plans")
        ordering = ["-month", "group_id", "county_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "month", "county"], name="visitplan_one_per_group_month_county"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="visitplan_month_first_day"),
            models.CheckConstraint(
                condition=Q(status="filed", filed_at__isnull=False) | ~Q(status="filed"),
                name="visitplan_filed_has_time",
            ),
        ]
        indexes = [
            # Secrecy filter for county users: status = 'filed' AND county_id LIKE '410821%'.
            models.Index(fields=["status", "county"], name="visitplan_status_county_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.month:%Y-%m} {self.county}"


class TargetKind(models.TextChoices):
    TOWNSHIP = "township", _("township")
    VILLAGE = "village", _("village")
    HOUSEHOLD = "household", _("household")
    # 随机抽查、突击检查: a village work team (its first secretary), drawn by draw algorithm v2.
    TEAM = "team", _("village work team")


class VisitTarget(models.Model):
    """A drawn target of a plan, in draw order."""

    plan = models.ForeignKey(
        VisitPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="targets"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=TargetKind.choices)
    position = models.PositiveIntegerField(_("position"))
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    team = models.ForeignKey(
        "assistance.VillageTeam", verbose_name=_("village work team"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("visit target")
        verbose_name_plural = _("visit targets")
        ordering = ["plan_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="visittarget_unique_position"),
            models.CheckConstraint(
                condition=Q(kind="household", household__isnull=False) | (~Q(kind="household") & Q(household__isnull=True)),
                name="visittarget_household_iff_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind="team", team__isnull=False) | (~Q(kind="team") & Q(team__isnull=True)),
                name="visittarget_team_iff_kind",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.household or self.team or self.region}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    FILED = "filed", _("filed")


@tracked()
class VisitReport(TimeStampedModel):
    """An on-site report (督查巡查报告), usually written on a phone in the village."""

    client_uuid = models.UUIDField(
        _("client key"), unique=True, help_text=_("Idempotency key from the device.")
    )
    plan = models.ForeignKey(
        VisitPlan,
        verbose_name=_("plan"),
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
    visit_date = models.DateField(_("visit date"))
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


class FindingStatus(models.TextChoices):
    PENDING = "pending", _("pending")  # in an unfiled report, or a complaint not yet verified
    CONFIRMED = "confirmed", _("confirmed")  # filed: visible to the responsible county and unit
    DISMISSED = "dismissed", _("dismissed")


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
    description = models.TextField(_("description"))
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

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
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
        ]
        indexes = [
            # Scoped lists: status = 'confirmed' AND region_id LIKE '410821%'.
            models.Index(OpClass("region_id", name="varchar_pattern_ops"), name="finding_region_prefix_idx"),
            models.Index(fields=["status", "-created_at"], name="finding_status_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.description[:30]}"


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


class ItemKind(models.TextChoices):
    KEY = "key", _("key (province notice)")  # 重点整改
    COMMON = "common", _("common (all-round)")  # 全面整改
    SYSTEM = "system", _("system-wide (sector)")  # 系统整改


class ItemStatus(models.TextChoices):
    OPEN = "open", _("open")
    SUBMITTED = "submitted", _("submitted for verification")
    CLOSED = "closed", _("verified and closed")


# open → submitted (with evidence) → closed (an inspector verifies), or → open (sent back).
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    ItemStatus.OPEN: {ItemStatus.SUBMITTED},
    ItemStatus.SUBMITTED: {ItemStatus.CLOSED, ItemStatus.OPEN},
    ItemStatus.CLOSED: set(),
}


@tracked()
class RectificationItem(TimeStampedModel):
    """A line of the rectification ledger (整改台账), closed one by one (逐项销号)."""

    finding = models.ForeignKey(
        Finding, verbose_name=_("finding"), on_delete=models.PROTECT, related_name="rectification_items"
    )
    description = models.TextField(_("rectification required"))
    responsible_unit = models.ForeignKey(
        Unit, verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="rectification_items"
    )
    # The responsible unit's region (copied by the service): the scoping rule filters on it.
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices, default=ItemKind.COMMON)
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    evidence_note = models.TextField(_("evidence of rectification"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        User, verbose_name=_("verified by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_back_reason = models.TextField(_("reason sent back"), blank=True)
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)

    class Meta:
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(evidence_note=""),
                name="rectification_submitted_needs_evidence",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_by__isnull=False, closed_at__isnull=False),
                name="rectification_closed_has_verifier",
            ),
        ]
        indexes = [
            models.Index(OpClass("region_id", name="varchar_pattern_ops"), name="rectification_region_idx"),
            # Daily overdue job: status = 'open' AND deadline < today AND overdue_since IS NULL.
            models.Index(
                fields=["deadline"], name="rectification_overdue_idx",
                condition=Q(status="open", overdue_since__isnull=True),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"#{self.pk} {self.description[:30]}"


class RectificationEvidence(models.Model):
    """A file attached as evidence when an item is submitted."""

    item = models.ForeignKey(
        RectificationItem, verbose_name=_("item"), on_delete=models.CASCADE, related_name="evidence_files"
    )
    file = models.FileField(_("file"), upload_to="inspections/evidence/%Y/%m/")
    content_type = models.CharField(_("content type"), max_length=100)  # a .docx's is 71 characters
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        User, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["item_id", "id"]

    def __str__(self) -> str:
        return self.file.name


class ItemStatusChange(models.Model):
    """Every status change of a ledger item: who, when, from, to and why."""

    item = models.ForeignKey(
        RectificationItem, verbose_name=_("item"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=16, choices=ItemStatus.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=ItemStatus.choices)
    actor = models.ForeignKey(User, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["item_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.from_status} → {self.to_status}"


class NotificationKind(models.TextChoices):
    ASSIGNED = "assigned", _("rectification assigned")
    SENT_BACK = "sent_back", _("rectification sent back")
    OVERDUE = "overdue", _("rectification overdue")
    CLOSED = "closed", _("rectification closed")
    VISIT_FILED = "visit_filed", _("visit report filed")
    PLAN_DRAWN = "plan_drawn", _("covert visit plan drawn")
    PROBLEM_LIST = "problem_list", _("province problem list to answer")
    COMPLAINT = "complaint", _("public complaint received")


class Notification(models.Model):
    """An in-app message to a unit (every user of the unit's region with the permission sees it)."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    message = models.TextField(_("message"))
    url = models.CharField(_("link"), max_length=300, blank=True)
    item = models.ForeignKey(
        RectificationItem, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    # Notifications about a plan stay as secret as the plan (see selectors.notification_list).
    plan = models.ForeignKey(VisitPlan, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # Set for events that must be notified once (e.g. "overdue:<item id>"): a re-run adds nothing.
    dedupe_key = models.CharField(max_length=100, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(OpClass("region_id", name="varchar_pattern_ops"), name="notification_region_idx"),
        ]

    def __str__(self) -> str:
        return self.message[:40]


@tracked()
class ProvinceProblemList(TimeStampedModel):
    """A list of common problems notified by the province (e.g. the 173 共性问题)."""

    title = models.CharField(_("title"), max_length=200)
    issued_by = models.CharField(_("issued by"), max_length=100, blank=True)
    issued_on = models.DateField(_("issued on"))
    answer_deadline = models.DateField(_("answer by"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("imported by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("province problem list")
        verbose_name_plural = _("province problem lists")
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return self.title


class ProvinceProblem(models.Model):
    problem_list = models.ForeignKey(
        ProvinceProblemList, verbose_name=_("list"), on_delete=models.CASCADE, related_name="problems"
    )
    number = models.PositiveIntegerField(_("number"))
    category = models.CharField(_("category"), max_length=20, choices=FindingCategory.choices)
    description = models.TextField(_("description"))

    class Meta:
        verbose_name = _("province problem")
        verbose_name_plural = _("province problems")
        ordering = ["problem_list_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["problem_list", "number"], name="provinceproblem_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.description[:40]}"


class ProblemListRecipient(TimeStampedModel):
    """A county or department that must answer every problem of a list."""

    problem_list = models.ForeignKey(
        ProvinceProblemList, verbose_name=_("list"), on_delete=models.CASCADE, related_name="recipients"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("problem list recipient")
        verbose_name_plural = _("problem list recipients")
        ordering = ["problem_list_id", "region_id", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["problem_list", "unit"], name="problemrecipient_unique_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.problem_list} → {self.unit}"


class AnswerStatus(models.TextChoices):
    UNANSWERED = "unanswered", _("not answered")
    ABSENT = "absent", _("not present here")
    PRESENT = "present", _("present here")


@tracked()
class ProblemAnswer(TimeStampedModel):
    """A recipient's self-check answer on one problem; if present, a finding with its items."""

    recipient = models.ForeignKey(
        ProblemListRecipient, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="answers"
    )
    problem = models.ForeignKey(
        ProvinceProblem, verbose_name=_("problem"), on_delete=models.CASCADE, related_name="answers"
    )
    status = models.CharField(
        _("answer"), max_length=16, choices=AnswerStatus.choices, default=AnswerStatus.UNANSWERED
    )
    note = models.TextField(_("note"), blank=True)
    finding = models.OneToOneField(
        Finding,
        verbose_name=_("finding"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problem_answer",
    )
    answered_by = models.ForeignKey(
        User, verbose_name=_("answered by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("problem answer")
        verbose_name_plural = _("problem answers")
        ordering = ["recipient_id", "problem__number"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "problem"], name="problemanswer_unique"),
            models.CheckConstraint(
                condition=~Q(status="present") | Q(finding__isnull=False), name="problemanswer_present_has_finding"
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.recipient_id}/{self.problem_id}: {self.status}"


class PublicBoardSettings(models.Model):
    """The administrator's switch for the public notice board (公示栏). One row."""

    enabled = models.BooleanField(_("public notice board enabled"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("public notice board settings")
        verbose_name_plural = _("public notice board settings")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="publicboard_single_row")]

    def __str__(self) -> str:
        return str(_("on")) if self.enabled else str(_("off"))

    @classmethod
    def current(cls) -> PublicBoardSettings:
        obj, _created = cls.objects.get_or_create(id=1)
        return obj


# --- 群众认同度和满意度: the short survey asked of each household on a covert visit ---------


class SurveyResult(models.TextChoices):
    IDENTIFICATION = "identification", _("identification as poor")  # 识别结果
    EXIT = "exit", _("exit from poverty")  # 退出结果


class Satisfaction(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("very satisfied")
    SATISFIED = "satisfied", _("satisfied")
    NEUTRAL = "neutral", _("neither")
    DISSATISFIED = "dissatisfied", _("dissatisfied")


# Answers counted as satisfied in the satisfaction rate.
SATISFIED_ANSWERS = (Satisfaction.VERY_SATISFIED, Satisfaction.SATISFIED)


@tracked()
class SurveyResponse(TimeStampedModel):
    """One household's answers on a covert visit: does it recognise the result (its identification,
    or its exit), and how satisfied is it with the assistance? The household's village is copied,
    so rates aggregate by village, township and county without a join."""

    report = models.ForeignKey(
        VisitReport, verbose_name=_("visit report"), on_delete=models.PROTECT, related_name="surveys"
    )
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="surveys"
    )
    village = models.ForeignKey(Region, verbose_name=_("village"), on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("result asked about"), max_length=16, choices=SurveyResult.choices)
    recognises = models.BooleanField(_("recognises the result"))
    satisfaction = models.CharField(
        _("satisfaction with the assistance"), max_length=16, choices=Satisfaction.choices
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    answered_on = models.DateField(_("answered on"))
    recorded_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        ordering = ["-answered_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "household"], name="survey_once_per_visit_household"),
        ]
        indexes = [
            # Rates by county and month: village_id LIKE '410821%' AND answered_on in a month.
            models.Index(OpClass("village_id", name="varchar_pattern_ops"), name="survey_village_prefix_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}/{self.household_id}"


# --- 随机抽查、突击检查 of first secretaries and village work teams ----------------------------


class RecordsState(models.TextChoices):
    COMPLETE = "complete", _("complete and up to date")
    INCOMPLETE = "incomplete", _("incomplete or out of date")
    MISSING = "missing", _("missing")


@tracked()
class TeamCheck(TimeStampedModel):
    """A spot check of a village work team: is the first secretary on duty, are the records kept?"""

    plan = models.ForeignKey(
        VisitPlan,
        verbose_name=_("plan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="team_checks",
    )
    team = models.ForeignKey(
        "assistance.VillageTeam", verbose_name=_("village work team"), on_delete=models.PROTECT,
        related_name="spot_checks",
    )  # fmt: skip
    first_secretary = models.ForeignKey(
        Officer, verbose_name=_("first secretary"), on_delete=models.PROTECT, related_name="spot_checks"
    )
    # The village where the team was checked: the scoping rule filters on it.
    village = models.ForeignKey(Region, verbose_name=_("village"), on_delete=models.PROTECT, related_name="+")
    checked_on = models.DateField(_("checked on"))
    secretary_present = models.BooleanField(_("first secretary on duty"))
    members_present = models.PositiveSmallIntegerField(_("team members on duty"), default=0)
    records_state = models.CharField(_("state of records"), max_length=12, choices=RecordsState.choices)
    note = models.TextField(_("note"), blank=True)
    checked_by = models.ForeignKey(
        User, verbose_name=_("checked by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("work team spot check")
        verbose_name_plural = _("work team spot checks")
        ordering = ["-checked_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["team", "checked_on"], name="teamcheck_once_per_team_day"),
        ]
        indexes = [
            models.Index(OpClass("village_id", name="varchar_pattern_ops"), name="teamcheck_village_prefix_idx"),
            # Repeated absences: first_secretary_id = … AND secretary_present = false, by date.
            models.Index(fields=["first_secretary", "checked_on"], name="teamcheck_secretary_idx",
                         condition=Q(secretary_present=False)),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.team} {self.checked_on}"
