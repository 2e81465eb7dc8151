"""建档立卡: poor villages, households and their members."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import OpClass
from django.db import models
from django.db.models import Q
from django.db.models.functions import Left
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import tracked
from core.models import Officer, Region, TimeStampedModel
from core.transitions import StatusChange, Transitions


class PovertyCause(models.TextChoices):
    """The eleven national categories of poverty causes (致贫原因)."""

    ILLNESS = "illness", _("illness")  # 因病
    DISABILITY = "disability", _("disability")  # 因残
    SCHOOLING = "schooling", _("schooling costs")  # 因学
    DISASTER = "disaster", _("disaster")  # 因灾
    LACK_LAND = "lack_land", _("lack of land")  # 缺土地
    LACK_WATER = "lack_water", _("lack of water")  # 缺水
    LACK_SKILLS = "lack_skills", _("lack of skills")  # 缺技术
    LACK_LABOUR = "lack_labour", _("lack of labour")  # 缺劳力
    LACK_FUNDS = "lack_funds", _("lack of funds")  # 缺资金
    POOR_TRANSPORT = "poor_transport", _("poor transport")  # 交通条件落后
    LACK_MOTIVATION = "lack_motivation", _("lack of motivation")  # 自身发展动力不足


def choice_labels(choices) -> dict[str, str]:
    """{value: label} of a choices class, translated once (the list page and the export write
    thousands of labels; get_*_display() per row and column translated each one again)."""
    return {value: str(label) for value, label in choices.choices}


class HouseholdAttribute(models.TextChoices):
    GENERAL = "general", _("general poor household")  # 一般贫困户
    SUBSISTENCE = "subsistence", _("subsistence allowance household")  # 低保贫困户
    DESTITUTE = "destitute", _("destitute supported household")  # 特困供养户


class HouseholdStatus(models.TextChoices):
    APPLYING = "applying", _("applying")  # 识别中: entry procedure under way
    REGISTERED = "registered", _("registered")  # 在册
    EXITED = "exited", _("exited poverty")  # 已脱贫
    RETURNED = "returned", _("returned to poverty")  # 返贫
    REMOVED = "removed", _("removed (wrongly identified)")  # 清退
    REJECTED = "rejected", _("application rejected")


# The only moves a household's status may make; the transition service enforces it.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    HouseholdStatus.APPLYING: {HouseholdStatus.REGISTERED, HouseholdStatus.REJECTED},
    HouseholdStatus.REGISTERED: {HouseholdStatus.EXITED, HouseholdStatus.REMOVED},
    HouseholdStatus.EXITED: {HouseholdStatus.RETURNED, HouseholdStatus.REMOVED},
    HouseholdStatus.RETURNED: {HouseholdStatus.EXITED, HouseholdStatus.REMOVED},
    HouseholdStatus.REMOVED: set(),
    HouseholdStatus.REJECTED: set(),
}
# A person may belong to one household in these statuses only.
ACTIVE_STATUSES = (
    HouseholdStatus.APPLYING,
    HouseholdStatus.REGISTERED,
    HouseholdStatus.EXITED,
    HouseholdStatus.RETURNED,
)


class PoorVillageStatus(models.TextChoices):
    POOR = "poor", _("poor village")
    EXITED = "exited", _("exited poverty")


# A poor village leaves the list once (its exit year is set with the move).
POOR_VILLAGE_TRANSITIONS: dict[str, set[str]] = {
    PoorVillageStatus.POOR: {PoorVillageStatus.EXITED},
    PoorVillageStatus.EXITED: set(),
}


@tracked()
class PoorVillage(TimeStampedModel):
    """A village on the poor-village list (贫困村), with its exit year once it leaves."""

    village = models.OneToOneField(
        Region,
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="poor_village",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PoorVillageStatus.choices, default=PoorVillageStatus.POOR
    )
    identified_year = models.PositiveSmallIntegerField(_("identified in"))
    exit_year = models.PositiveSmallIntegerField(_("exit year"), null=True, blank=True)

    transitions = Transitions(POOR_VILLAGE_TRANSITIONS, log="PoorVillageStatusChange")

    class Meta:
        verbose_name = _("poor village")
        verbose_name_plural = _("poor villages")
        ordering = ["village_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="poor", exit_year__isnull=True)
                | Q(status="exited", exit_year__isnull=False),
                name="poor_village_exit_year_iff_exited",
            ),
            models.CheckConstraint(
                condition=Q(exit_year__isnull=True) | Q(exit_year__gte=models.F("identified_year")),
                name="poor_village_exit_after_identification",
            ),
        ]

    def __str__(self) -> str:
        return str(self.village)


@tracked()
class Household(TimeStampedModel):
    """A registered poor household (贫困户) and its file (档卡)."""

    file_number = models.CharField(_("file number"), max_length=32, unique=True)
    village = models.ForeignKey(
        Region, verbose_name=_("village"), on_delete=models.PROTECT, related_name="households",
        limit_choices_to={"level": "village"},
    )  # fmt: skip
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    # The head's name is kept on the household for the list page (maintained by the services).
    head_name = models.CharField(_("head of household"), max_length=50)
    member_count = models.PositiveSmallIntegerField(_("members"), default=0)
    attribute = models.CharField(_("household attribute"), max_length=16, choices=HouseholdAttribute.choices)
    identified_year = models.PositiveSmallIntegerField(_("identified in"))
    status = models.CharField(
        _("status"), max_length=16, choices=HouseholdStatus.choices, default=HouseholdStatus.APPLYING
    )
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    main_cause = models.CharField(_("main poverty cause"), max_length=20, choices=PovertyCause.choices)
    secondary_causes = ArrayField(
        models.CharField(max_length=20, choices=PovertyCause.choices),
        verbose_name=_("secondary poverty causes"), default=list, blank=True,
    )  # fmt: skip
    assistance_officer = models.ForeignKey(
        Officer, verbose_name=_("assistance officer"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="assisted_households",
    )  # fmt: skip
    # 两不愁三保障: the five guarantees, as last checked.
    food_secure = models.BooleanField(_("enough food (不愁吃)"), default=False)
    clothing_secure = models.BooleanField(_("enough clothing (不愁穿)"), default=False)
    education_secured = models.BooleanField(_("compulsory education secured"), default=False)
    medical_secured = models.BooleanField(_("basic medical care secured"), default=False)
    housing_secured = models.BooleanField(_("safe housing secured"), default=False)

    transitions = Transitions(ALLOWED_TRANSITIONS, log="HouseholdStatusChange")

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["village_id", "file_number"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(secondary_causes__contains=[models.F("main_cause")]),
                name="household_main_cause_not_secondary",
            ),
            models.CheckConstraint(
                condition=Q(identified_year__gte=2013) & Q(identified_year__lte=2100),
                name="household_identified_year_range",
            ),
        ]
        permissions = [
            ("view_full_id_number", _("Can view full ID numbers")),
            ("run_procedure", _("Can run entry and exit procedures")),
            ("import_households", _("Can import households from Excel")),
            ("export_households", _("Can export household lists")),
        ]
        indexes = [
            # Scope and region filters: village_id LIKE '410821%'.
            models.Index(
                OpClass("village_id", name="varchar_pattern_ops"), name="household_village_prefix_idx"
            ),
            # Household list filtered by status within a region, newest changes first.
            models.Index(fields=["status", "village"], name="household_status_village_idx"),
            # Name search on the head of household (exact and prefix).
            models.Index(OpClass("head_name", name="varchar_pattern_ops"), name="household_head_name_idx"),
            # A county's list in keyset order (API, `updated_after` pulls): household_base(keyset=True) says
            # WHERE left(village_id, 6) = '411525' … ORDER BY updated_at, id LIMIT 51 for county users.
            models.Index(
                Left("village", 6),
                models.F("updated_at"),
                models.F("id"),
                name="household_county_updated_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.head_name}（{self.file_number}）"

    @property
    def causes(self) -> list[str]:
        return [self.main_cause, *self.secondary_causes]

    @property
    def guarantees_met(self) -> bool:
        return all(
            (
                self.food_secure,
                self.clothing_secure,
                self.education_secured,
                self.medical_secured,
                self.housing_secured,
            )
        )


class Relation(models.TextChoices):
    HEAD = "head", _("head of household")  # 户主
    SPOUSE = "spouse", _("spouse")
    SON = "son", _("son")
    DAUGHTER = "daughter", _("daughter")
    SON_IN_LAW = "son_in_law", _("son-in-law")
    DAUGHTER_IN_LAW = "daughter_in_law", _("daughter-in-law")
    GRANDCHILD = "grandchild", _("grandchild")
    PARENT = "parent", _("parent")
    GRANDPARENT = "grandparent", _("grandparent")
    SIBLING = "sibling", _("sibling")
    OTHER = "other", _("other relative")


class Health(models.TextChoices):
    HEALTHY = "healthy", _("healthy")
    CHRONIC = "chronic", _("long-term chronic illness")
    SERIOUS = "serious", _("serious illness")
    DISABLED = "disabled", _("disabled")


class Disability(models.TextChoices):
    NONE = "none", _("none")
    GRADE_1 = "grade_1", _("grade 1")
    GRADE_2 = "grade_2", _("grade 2")
    GRADE_3 = "grade_3", _("grade 3")
    GRADE_4 = "grade_4", _("grade 4")


class Education(models.TextChoices):
    PRESCHOOL = "preschool", _("pre-school")
    ILLITERATE = "illiterate", _("illiterate or semi-literate")
    PRIMARY = "primary", _("primary school")
    JUNIOR = "junior", _("junior secondary")
    SENIOR = "senior", _("senior secondary")
    COLLEGE = "college", _("college or above")


class Schooling(models.TextChoices):
    NOT_IN_SCHOOL = "none", _("not in school")
    PRESCHOOL = "preschool", _("pre-school education")
    PRIMARY = "primary", _("primary school")
    JUNIOR = "junior", _("junior secondary")
    SENIOR = "senior", _("senior secondary")
    VOCATIONAL = "vocational", _("secondary vocational")
    COLLEGE = "college", _("college or university")
    DROPPED_OUT = "dropped_out", _("dropped out")


class LabourAbility(models.TextChoices):
    SKILLED = "skilled", _("skilled labour")
    ORDINARY = "ordinary", _("ordinary labour")
    WEAK = "weak", _("weak or partial labour")
    LOST = "lost", _("lost labour ability")
    NONE = "none", _("no labour (child or elderly)")


class Sex(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")


@tracked(exclude=["id_number_cipher"])
class Member(TimeStampedModel):
    """A member of a household. The ID number is encrypted; the hash serves search and uniqueness."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="members"
    )
    name = models.CharField(_("name"), max_length=50)
    id_number_cipher = models.TextField(_("ID number (encrypted)"), editable=False)
    id_number_hash = models.CharField(max_length=64, editable=False, db_index=True)
    # The PII key version (core.pii.key_version) the hash and the cipher were made with. During a
    # key rotation old and new hashes coexist: searches and the uniqueness check look for the hash
    # under every configured key (pii.keyed_hashes), and rotate_pii_key moves rows to the newest.
    id_number_key_version = models.PositiveSmallIntegerField(editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=18, editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    relation = models.CharField(_("relation to head"), max_length=20, choices=Relation.choices)
    health = models.CharField(_("health"), max_length=16, choices=Health.choices, default=Health.HEALTHY)
    disability = models.CharField(
        _("disability"), max_length=16, choices=Disability.choices, default=Disability.NONE
    )
    education = models.CharField(_("education"), max_length=16, choices=Education.choices)
    schooling = models.CharField(
        _("schooling"), max_length=16, choices=Schooling.choices, default=Schooling.NOT_IN_SCHOOL
    )
    labour_ability = models.CharField(_("labour ability"), max_length=16, choices=LabourAbility.choices)
    migrant_worker = models.BooleanField(_("migrant worker"), default=False)
    migrant_months = models.PositiveSmallIntegerField(_("months of migrant work a year"), default=0)
    is_active = models.BooleanField(_("in the household"), default=True)
    left_reason = models.CharField(_("reason for leaving"), max_length=100, blank=True)
    # True while the member is in the household and the household is in an active status:
    # the one-person-one-household constraint below is on this flag (kept by the services).
    is_current = models.BooleanField(default=True, editable=False)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["household_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_hash"], condition=Q(is_current=True), name="member_one_active_household",
                violation_error_message=_("This person is already registered in another household."),
            ),
            models.UniqueConstraint(
                fields=["household"], condition=Q(relation="head", is_active=True), name="member_one_head_per_household",
                violation_error_message=_("A household has exactly one head."),
            ),
            models.CheckConstraint(condition=Q(migrant_months__lte=12), name="member_migrant_months_max_12"),
            models.CheckConstraint(condition=Q(sex__in=["M", "F"]), name="member_sex_valid"),
            models.CheckConstraint(condition=Q(is_current=False) | Q(is_active=True), name="member_current_only_if_active"),
        ]  # fmt: skip
        indexes = [
            # Name search across members (exact and prefix).
            models.Index(OpClass("name", name="varchar_pattern_ops"), name="member_name_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.id_number_masked}"

    def set_id_number(self, number: str) -> None:
        """Store an (already validated) ID number: encrypted, keyed hash, masked."""
        from core import pii

        number = pii.normalise_id(number)
        self.id_number_cipher = pii.encrypt(number)
        self.id_number_hash = pii.keyed_hash(number)
        self.id_number_key_version = pii.key_version()
        self.id_number_masked = pii.mask_id(number)

    def reveal_id_number(self) -> str:
        """The full number. Callers must check the permission and log the access."""
        from core import pii

        return pii.decrypt(self.id_number_cipher)

    def id_number_current_hash(self) -> str:
        """The number's keyed hash under the key in use, whatever key version the row is at:
        compare this, not id_number_hash, with a number just hashed (pii.keyed_hash)."""
        from core import pii

        if self.id_number_key_version == pii.key_version():
            return self.id_number_hash
        return pii.keyed_hash(pii.decrypt(self.id_number_cipher))


@tracked()
class Income(TimeStampedModel):
    """A household's yearly income (the exit check compares it with the year's poverty line)."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="incomes"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    per_capita_net_income = models.DecimalField(
        _("per-capita net income (yuan)"), max_digits=12, decimal_places=2
    )
    wage_income = models.DecimalField(_("wage income"), max_digits=12, decimal_places=2, default=0)
    production_income = models.DecimalField(
        _("production income"), max_digits=12, decimal_places=2, default=0
    )
    transfer_income = models.DecimalField(_("transfer income"), max_digits=12, decimal_places=2, default=0)
    property_income = models.DecimalField(_("property income"), max_digits=12, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("income")
        verbose_name_plural = _("incomes")
        ordering = ["household_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["household", "year"], name="income_one_per_household_year"),
            models.CheckConstraint(
                condition=Q(per_capita_net_income__gte=0), name="income_per_capita_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.year}: {self.per_capita_net_income}"


class PovertyLine(models.Model):
    """The national poverty line per year (e.g. 2016: 3,146 yuan per person)."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    amount = models.DecimalField(
        _("poverty line (yuan per person per year)"), max_digits=10, decimal_places=2
    )

    class Meta:
        verbose_name = _("poverty line")
        verbose_name_plural = _("poverty lines")
        ordering = ["-year"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="poverty_line_positive")]

    def __str__(self) -> str:
        return f"{self.year}: {self.amount}"


class HouseholdStatusChange(StatusChange):
    """One row per status change of a household: the procedure or decision behind it."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=16, choices=HouseholdStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=HouseholdStatus.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["household_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.household_id}: {self.from_status} → {self.to_status}"


class PoorVillageStatusChange(StatusChange):
    poor_village = models.ForeignKey(
        PoorVillage, verbose_name=_("poor village"), on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=16, choices=PoorVillageStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=PoorVillageStatus.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("poor village status change")
        verbose_name_plural = _("poor village status changes")


class ProcedureKind(models.TextChoices):
    ENTRY = "entry", _("entry (identification)")  # 识别
    EXIT = "exit", _("exit")  # 退出


class CaseState(models.TextChoices):
    OPEN = "open", _("in progress")
    COMPLETED = "completed", _("completed")
    STOPPED = "stopped", _("stopped")  # objection during notice, or rejected at a review


CASE_TRANSITIONS: dict[str, set[str]] = {
    CaseState.OPEN: {CaseState.COMPLETED, CaseState.STOPPED},
    CaseState.COMPLETED: set(),
    CaseState.STOPPED: set(),
}


class Step(models.TextChoices):
    # Entry (识别): application → village democratic review → township review → public notice → county approval
    APPLICATION = "application", _("application")
    VILLAGE_REVIEW = "village_review", _("village democratic review")
    TOWNSHIP_REVIEW = "township_review", _("township review")
    ENTRY_NOTICE = "entry_notice", _("public notice")
    COUNTY_APPROVAL = "county_approval", _("county approval")
    # Exit (退出): 民主评议 → 核实认可 → 公告公示 → 脱贫销号
    DEMOCRATIC_REVIEW = "democratic_review", _("democratic review")
    VERIFICATION = "verification", _("verification")
    EXIT_NOTICE = "exit_notice", _("public notice")
    DEREGISTRATION = "deregistration", _("removal from the register")
    # Either procedure: an objection during the public notice stops the case.
    OBJECTION = "objection", _("objection")
    REJECTION = "rejection", _("rejected")


# The steps of each procedure in order: each step may follow only the one before it.
PROCEDURE_STEPS: dict[str, list[str]] = {
    ProcedureKind.ENTRY: [
        Step.APPLICATION,
        Step.VILLAGE_REVIEW,
        Step.TOWNSHIP_REVIEW,
        Step.ENTRY_NOTICE,
        Step.COUNTY_APPROVAL,
    ],
    ProcedureKind.EXIT: [Step.DEMOCRATIC_REVIEW, Step.VERIFICATION, Step.EXIT_NOTICE, Step.DEREGISTRATION],
}
NOTICE_STEPS = (Step.ENTRY_NOTICE, Step.EXIT_NOTICE)
MIN_NOTICE_DAYS = 7  # 公告公示 at least 7 calendar days, first and last day included


class ProcedureCase(TimeStampedModel):
    """One run of the entry or exit procedure for a household."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="procedures"
    )
    kind = models.CharField(_("procedure"), max_length=8, choices=ProcedureKind.choices)
    state = models.CharField(_("state"), max_length=12, choices=CaseState.choices, default=CaseState.OPEN)
    last_step = models.CharField(_("last step"), max_length=20, choices=Step.choices, blank=True)
    stop_reason = models.TextField(_("why it stopped"), blank=True)
    # Public notice period, set by the notice step.
    notice_start = models.DateField(_("notice from"), null=True, blank=True)
    notice_end = models.DateField(_("notice until"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.PROTECT, related_name="+"
    )

    transitions = Transitions(CASE_TRANSITIONS, log="ProcedureCaseStatusChange", field="state")

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["household_id", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"], condition=Q(state="open"), name="procedure_one_open_case_per_household",
                violation_error_message=_("This household already has a procedure in progress."),
            ),
            models.CheckConstraint(
                condition=Q(notice_start__isnull=True) | Q(notice_end__gte=models.F("notice_start") + timezone.timedelta(days=MIN_NOTICE_DAYS - 1)),
                name="procedure_notice_at_least_7_days",
            ),
            models.CheckConstraint(condition=Q(state="stopped") | Q(stop_reason=""), name="procedure_stop_reason_only_if_stopped"),
        ]  # fmt: skip
        indexes = [
            # Daily job: open cases whose notice period ended (WHERE state='open' AND notice_end < today).
            models.Index(fields=["notice_end"], condition=Q(state="open"), name="procedure_open_notice_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def steps_order(self) -> list[str]:
        return PROCEDURE_STEPS[self.kind]

    @property
    def next_step(self) -> str | None:
        if self.state != CaseState.OPEN:
            return None
        order = self.steps_order
        if not self.last_step:
            return order[0]
        index = order.index(self.last_step)
        return order[index + 1] if index + 1 < len(order) else None


class ProcedureCaseStatusChange(StatusChange):
    case = models.ForeignKey(
        ProcedureCase, verbose_name=_("procedure"), on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=12, choices=CaseState.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=CaseState.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("procedure status change")
        verbose_name_plural = _("procedure status changes")


def evidence_path(instance, filename: str) -> str:
    return f"households/evidence/{timezone.now():%Y/%m}/{filename}"


class ProcedureStep(models.Model):
    """A step taken in a procedure: who, when, what was decided, the evidence."""

    case = models.ForeignKey(
        ProcedureCase, verbose_name=_("procedure"), on_delete=models.PROTECT, related_name="steps"
    )
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("recorded at"), default=timezone.now)
    date = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    # Step-specific facts (attendance and votes, income and poverty line, notice period, ...).
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("procedure step")
        verbose_name_plural = _("procedure steps")
        ordering = ["case_id", "at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "step"], name="procedure_step_once_per_case"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.step}"


class StepEvidence(models.Model):
    step = models.ForeignKey(
        ProcedureStep, verbose_name=_("step"), on_delete=models.PROTECT, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=evidence_path)
    name = models.CharField(_("file name"), max_length=200)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["step_id", "id"]

    def __str__(self) -> str:
        return self.name


class MoveReason(models.TextChoices):
    RELOCATION = "relocation", _("relocation (易地搬迁)")
    MARRIAGE = "marriage", _("marriage")
    ADMINISTRATIVE = "administrative", _("administrative change")
    OTHER = "other", _("other")


class HouseholdMove(models.Model):
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="moves"
    )
    from_village = models.ForeignKey(
        Region, verbose_name=_("from village"), on_delete=models.PROTECT, related_name="+"
    )
    to_village = models.ForeignKey(
        Region, verbose_name=_("to village"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=16, choices=MoveReason.choices)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("household move")
        verbose_name_plural = _("household moves")
        ordering = ["household_id", "at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_village=models.F("to_village")), name="move_changes_village"
            )
        ]

    def __str__(self) -> str:
        return f"{self.household_id}: {self.from_village_id} → {self.to_village_id}"


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("awaiting the receiving county")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    CANCELLED = "cancelled", _("withdrawn")


TRANSFER_TRANSITIONS: dict[str, set[str]] = {
    TransferStatus.PENDING: {TransferStatus.ACCEPTED, TransferStatus.DECLINED, TransferStatus.CANCELLED},
    TransferStatus.ACCEPTED: set(),
    TransferStatus.DECLINED: set(),
    TransferStatus.CANCELLED: set(),
}


class HouseholdTransfer(TimeStampedModel):
    """A move into a village outside the mover's region: the source releases the household, a clerk
    of the destination accepts (then the household moves) or declines. Both steps stay here."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="transfers"
    )
    from_village = models.ForeignKey(
        Region, verbose_name=_("from village"), on_delete=models.PROTECT, related_name="+"
    )
    to_village = models.ForeignKey(
        Region, verbose_name=_("to village"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=16, choices=MoveReason.choices)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=TransferStatus.choices, default=TransferStatus.PENDING
    )
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("released by"), on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(_("released at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    transitions = Transitions(TRANSFER_TRANSITIONS, log="HouseholdTransferStatusChange")

    class Meta:
        verbose_name = _("household transfer")
        verbose_name_plural = _("household transfers")
        ordering = ["-released_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_village=models.F("to_village")), name="transfer_changes_village"
            ),
            # One open transfer per household: a second release waits for the first decision.
            models.UniqueConstraint(
                fields=["household"], condition=Q(status="pending"), name="transfer_one_pending"
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False, decided_by__isnull=False)),
                name="transfer_decided_has_who_and_when",
            ),
        ]
        indexes = [
            # The receiving county's inbox: transfer_list filters pending rows by to_village prefix.
            models.Index(
                OpClass("to_village_id", name="varchar_pattern_ops"),
                condition=Q(status="pending"),
                name="transfer_pending_to_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id}: {self.from_village_id} → {self.to_village_id} ({self.status})"


class HouseholdTransferStatusChange(StatusChange):
    transfer = models.ForeignKey(
        HouseholdTransfer,
        verbose_name=_("household transfer"),
        on_delete=models.PROTECT,
        related_name="status_changes",
    )
    from_status = models.CharField(_("from"), max_length=12, choices=TransferStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=TransferStatus.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("household transfer status change")
        verbose_name_plural = _("household transfer status changes")


class DuplicateReason(models.TextChoices):
    NAME_BIRTH = "name_birth", _("same name and birth date")
    PHONE = "phone", _("same head's phone")


class DuplicateStatus(models.TextChoices):
    OPEN = "open", _("to review")
    DIFFERENT = "different", _("different people")
    MERGED = "merged", _("merged")
    # Decided by the city for a pair in two counties: the person stays in `keep_household`;
    # the other county takes them off its file.
    SAME_PERSON = "same_person", _("same person (decided by the city)")


# A pair is decided once: by its county (different / merged) or by the city (different / same person).
DUPLICATE_TRANSITIONS: dict[str, set[str]] = {
    DuplicateStatus.OPEN: {DuplicateStatus.DIFFERENT, DuplicateStatus.MERGED, DuplicateStatus.SAME_PERSON},
    DuplicateStatus.DIFFERENT: set(),
    DuplicateStatus.MERGED: set(),
    DuplicateStatus.SAME_PERSON: set(),
}


@tracked()
class DuplicateCandidate(TimeStampedModel):
    """Two households that may hold the same person (beyond the ID number), for a clerk to review."""

    household_a = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    household_b = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=16, choices=DuplicateReason.choices)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=DuplicateStatus.choices, default=DuplicateStatus.OPEN
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    keep_household = models.ForeignKey(
        Household, verbose_name=_("household that keeps the person"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip

    transitions = Transitions(DUPLICATE_TRANSITIONS, log="DuplicateCandidateStatusChange")

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        permissions = [
            ("view_cross_county_duplicates", "Can see possible duplicates across counties"),
            ("review_cross_county_duplicates", "Can decide possible duplicates across counties"),
        ]
        ordering = ["status", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["household_a", "household_b", "reason"], name="duplicate_pair_once"),
            models.CheckConstraint(condition=Q(household_a__lt=models.F("household_b")), name="duplicate_pair_ordered"),
            models.CheckConstraint(
                condition=~Q(status="same_person")
                | Q(keep_household=models.F("household_a")) | Q(keep_household=models.F("household_b")),
                name="duplicate_same_person_keeps_one_of_the_pair",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.household_a_id} ~ {self.household_b_id} ({self.reason})"


class DuplicateCandidateStatusChange(StatusChange):
    candidate = models.ForeignKey(
        DuplicateCandidate,
        verbose_name=_("possible duplicate"),
        on_delete=models.PROTECT,
        related_name="status_changes",
    )
    from_status = models.CharField(_("from"), max_length=12, choices=DuplicateStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=DuplicateStatus.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("possible duplicate status change")
        verbose_name_plural = _("possible duplicate status changes")


class CampaignStatus(models.TextChoices):
    OPEN = "open", _("in progress")
    CLOSED = "closed", _("closed")


CAMPAIGN_TRANSITIONS: dict[str, set[str]] = {
    CampaignStatus.OPEN: {CampaignStatus.CLOSED},
    CampaignStatus.CLOSED: set(),
}


class VerificationCampaign(TimeStampedModel):
    """A re-verification campaign (再核实、再复查): every household file in a region checked once."""

    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=8, choices=CampaignStatus.choices, default=CampaignStatus.OPEN
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )

    transitions = Transitions(CAMPAIGN_TRANSITIONS, log="VerificationCampaignStatusChange")

    class Meta:
        verbose_name = _("re-verification campaign")
        verbose_name_plural = _("re-verification campaigns")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class VerificationCampaignStatusChange(StatusChange):
    campaign = models.ForeignKey(
        VerificationCampaign,
        verbose_name=_("re-verification campaign"),
        on_delete=models.PROTECT,
        related_name="status_changes",
    )
    from_status = models.CharField(_("from"), max_length=8, choices=CampaignStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=8, choices=CampaignStatus.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("campaign status change")
        verbose_name_plural = _("campaign status changes")


class CheckStatus(models.TextChoices):
    PENDING = "pending", _("to check")
    CONFIRMED = "confirmed", _("confirmed as is")
    CORRECTED = "corrected", _("corrected")


# A check may be recorded again while its campaign is open (a second visit finds more or less).
CHECK_TRANSITIONS: dict[str, set[str]] = {
    CheckStatus.PENDING: {CheckStatus.CONFIRMED, CheckStatus.CORRECTED},
    CheckStatus.CONFIRMED: {CheckStatus.CORRECTED},
    CheckStatus.CORRECTED: {CheckStatus.CONFIRMED},
}


@tracked()
class VerificationCheck(TimeStampedModel):
    campaign = models.ForeignKey(
        VerificationCampaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="checks"
    )
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="checks"
    )
    # Copied from the household when the campaign starts, so progress per village needs no join.
    village = models.ForeignKey(Region, verbose_name=_("village"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=12, choices=CheckStatus.choices, default=CheckStatus.PENDING
    )
    findings = models.TextField(_("findings"), blank=True)
    corrections = models.JSONField(_("corrections"), default=dict, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("checked by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)

    transitions = Transitions(CHECK_TRANSITIONS, log="VerificationCheckStatusChange")

    class Meta:
        verbose_name = _("household check")
        verbose_name_plural = _("household checks")
        ordering = ["campaign_id", "village_id", "household_id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "household"], name="check_once_per_campaign"),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(checked_at__isnull=False), name="check_done_has_time"
            ),
        ]
        indexes = [models.Index(fields=["campaign", "village", "status"], name="check_progress_idx")]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.household_id}"


class VerificationCheckStatusChange(StatusChange):
    household_check = models.ForeignKey(
        VerificationCheck, verbose_name=_("household check"), on_delete=models.PROTECT,
        related_name="status_changes",
    )  # fmt: skip
    from_status = models.CharField(_("from"), max_length=12, choices=CheckStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=CheckStatus.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("household check status change")
        verbose_name_plural = _("household check status changes")


class ImportMode(models.TextChoices):
    VALID_ROWS = "valid_rows", _("commit valid rows, report the others")
    ALL_OR_NOTHING = "all_or_nothing", _("all or nothing")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    RUNNING = "running", _("running")
    DONE = "done", _("finished")
    FAILED = "failed", _("failed")


def import_path(instance, filename: str) -> str:
    return f"households/imports/{timezone.now():%Y/%m}/{filename}"


class HouseholdImport(TimeStampedModel):
    """An Excel upload of households with members, processed by a Celery task."""

    file = models.FileField(_("file"), upload_to=import_path)
    file_name = models.CharField(_("file name"), max_length=200)
    mode = models.CharField(
        _("mode"), max_length=16, choices=ImportMode.choices, default=ImportMode.VALID_ROWS
    )
    status = models.CharField(
        _("status"), max_length=8, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    households_created = models.PositiveIntegerField(_("households created"), default=0)
    members_created = models.PositiveIntegerField(_("members created"), default=0)
    error_rows = models.PositiveIntegerField(_("rows with errors"), default=0)
    error_report = models.FileField(_("error report"), upload_to=import_path, blank=True)
    message = models.TextField(_("message"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    # The uploader's region: every row must lie under it.
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("household import")
        verbose_name_plural = _("household imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status in (ImportStatus.DONE, ImportStatus.FAILED) else 0
        return min(100, int(self.processed_rows * 100 / self.total_rows))
