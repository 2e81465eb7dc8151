from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import timedelta

from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.indexes import OpClass
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .audit import tracked
from .grants import grants_for


class TimeStampedModel(models.Model):
    """Every row carries created/updated times so API clients can pull changes incrementally."""

    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        abstract = True


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("province")
    CITY = "city", _("city")
    COUNTY = "county", _("county")
    TOWNSHIP = "township", _("township")
    VILLAGE = "village", _("village")


# Significant digits of the 12-digit 统计用区划代码 at each level: a region's scope is
# every code starting with its significant prefix.
LEVEL_DIGITS = {
    RegionLevel.PROVINCE: 2,
    RegionLevel.CITY: 4,
    RegionLevel.COUNTY: 6,
    RegionLevel.TOWNSHIP: 9,
    RegionLevel.VILLAGE: 12,
}
CHILD_LEVEL = {
    RegionLevel.PROVINCE: RegionLevel.CITY,
    RegionLevel.CITY: RegionLevel.COUNTY,
    RegionLevel.COUNTY: RegionLevel.TOWNSHIP,
    RegionLevel.TOWNSHIP: RegionLevel.VILLAGE,
}


class Region(models.Model):
    """An administrative region keyed by its 12-digit statistical division code."""

    code = models.CharField(_("division code"), max_length=12, primary_key=True)
    name = models.CharField(_("name"), max_length=64)
    level = models.CharField(_("level"), max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_poor_village = models.BooleanField(_("poor village"), default=False)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{12}$"), name="region_code_12_digits"
            ),
        ]
        indexes = [
            # Scope filters: code LIKE '410821%' (prefix search whatever the DB collation).
            models.Index(OpClass("code", name="varchar_pattern_ops"), name="region_code_prefix_idx"),
            models.Index(fields=["level", "code"], name="region_level_code_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def prefix(self) -> str:
        return self.code[: LEVEL_DIGITS[self.level]]

    def contains(self, code: str | None) -> bool:
        return bool(code) and code.startswith(self.prefix)

    def ancestors(self) -> list[Region]:
        """From the top (province or city) down to this region, for breadcrumbs."""
        chain: list[Region] = []
        node: Region | None = self
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    @staticmethod
    def prefix_of(code: str, level: str) -> str:
        return code[: LEVEL_DIGITS[level]]


class UnitKind(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("party committee")
    GOVERNMENT = "government", _("government")
    DEPARTMENT = "department", _("department")
    TOWNSHIP = "township", _("township party committee and government")
    VILLAGE = "village", _("village committee")
    DISPATCHING = "dispatching", _("dispatching unit")
    INSPECTION_GROUP = "inspection_group", _("inspection group")
    POVERTY_OFFICE = "poverty_office", _("poverty alleviation office")


class Department(models.TextChoices):
    """Departments the document names for coordination duties."""

    DEVELOPMENT = "development", _("development and reform")
    FINANCE = "finance", _("finance")
    CIVIL_AFFAIRS = "civil_affairs", _("civil affairs")
    HEALTH = "health", _("health and family planning")
    EDUCATION = "education", _("education")
    TRANSPORT = "transport", _("transport")
    AUDIT = "audit", _("audit")
    SUPERVISION = "supervision", _("supervision")
    ORGANISATION = "organisation", _("organisation")
    OTHER = "other", _("other")


@tracked()
class Unit(TimeStampedModel):
    """A unit (单位) of the organisation chart: committees, governments, departments, teams."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=32, choices=UnitKind.choices)
    department = models.CharField(_("department"), max_length=32, choices=Department.choices, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="units"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["region_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="unit_unique_name_per_region"),
        ]
        indexes = [
            models.Index(OpClass("region_id", name="varchar_pattern_ops"), name="unit_region_prefix_idx")
        ]

    def __str__(self) -> str:
        return self.name


@tracked()
class Officer(TimeStampedModel):
    """An officer (干部): who can be held responsible, scored and assigned."""

    name = models.CharField(_("name"), max_length=50)
    position = models.CharField(_("position"), max_length=100)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="officers")
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="officers"
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        ordering = ["region_id", "name", "id"]
        indexes = [
            models.Index(OpClass("region_id", name="varchar_pattern_ops"), name="officer_region_prefix_idx"),
            models.Index(Upper("name"), name="officer_name_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.position}）"


class Role(models.TextChoices):
    """Roles are Django groups with these names; each app grants permissions to them."""

    COUNTY_CLERK = "county_clerk", _("county / township clerk")
    ASSISTANCE_OFFICER = "assistance_officer", _("assistance officer")
    FIRST_SECRETARY = "first_secretary", _("village first secretary")
    FINANCE_OFFICER = "finance_officer", _("finance officer")
    AUDITOR = "auditor", _("auditor")
    INSPECTOR = "inspector", _("inspector")
    LEADER = "leader", _("city leader")
    # Reviews what no county may see whole: possible duplicates across counties (issue 15.5).
    CITY_REVIEWER = "city_reviewer", _("city reviewer")
    ADMIN = "admin", _("administrator")
    # 县级管理员: the county's officers, accounts and settings, migrations of existing registers
    # (issue 17.2), registry cross-checks (issue 17.6). County-level: their region is a county.
    COUNTY_ADMIN = "county_admin", _("county administrator")
    # 乡镇: signs off the township's data each month (issue 18.6). Their region is a township.
    TOWNSHIP_OFFICER = "township_officer", _("township officer")
    # A service account of an integrator: reads its region through API tokens, never logs in.
    INTEGRATION = "integration", _("integration (read-only service account)")
    # The bodies the source gives each job (issue 19.4): 市县组织部门 spot-check first secretaries and
    # work teams and run the annual assessment; 纪委 decides and follows up accountability cases;
    # 市委督导组 publishes the monthly bulletin and proposes the month's cases (一月一通报、一月一问责).
    ORGANISATION_DEPARTMENT = "organisation_department", _("organisation department")
    DISCIPLINE_COMMISSION = "discipline_commission", _("discipline commission")
    SUPERVISION_GROUP = "supervision_group", _("city supervision group")


@tracked(exclude=["password", "last_login", "authz_stamp"])
class User(AbstractUser):
    """A person who logs in. Sees rows under `region` only; roles are groups."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    officer = models.OneToOneField(
        Officer,
        verbose_name=_("officer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("The user sees only rows under this region."),
    )
    # Renewed whenever the user's roles or a role's permissions change (core.authz), so that
    # every process's cache of roles and permissions is keyed by something the request loads anyway.
    authz_stamp = models.UUIDField(default=uuid.uuid4, editable=False)
    # Set when an administrator creates the account or resets its password: the user must
    # choose their own before anything else (core.accounts.PasswordChangeRequiredMiddleware).
    must_change_password = models.BooleanField(_("must change password"), default=False)
    # An integrator's account: API tokens only, no password and no session (core.authz).
    is_service_account = models.BooleanField(_("service account"), default=False, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    @cached_property
    def role_codes(self) -> frozenset[str]:
        return grants_for(self).roles

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_codes.intersection(roles))

    @property
    def is_read_only(self) -> bool:
        """Leaders read everything in their region and change nothing."""
        if self.is_service_account:
            return True
        if self.is_superuser or Role.ADMIN in self.role_codes:
            return False
        return bool(self.role_codes.intersection((Role.LEADER, Role.INTEGRATION)))


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(TimeStampedModel):
    """A revocable, expiring API token. Only its hash is stored; the key is shown once."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(_("key prefix"), max_length=12, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @classmethod
    def issue(cls, *, user: User, name: str, days: int = 90) -> tuple[ApiToken, str]:
        raw = "fp_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            key_hash=_token_hash(raw),
            key_prefix=raw[:10],
            expires_at=timezone.now() + timedelta(days=days),
        )
        return token, raw

    @classmethod
    def find(cls, raw: str) -> ApiToken | None:
        return cls.objects.usable().select_related("user").filter(key_hash=_token_hash(raw)).first()


class SensitiveAccess(models.Model):
    """Every display of a full ID number (PIPL art. 51): who, when, which record, why."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    object_type = models.CharField(_("object type"), max_length=50)
    object_id = models.CharField(_("object id"), max_length=50)
    field = models.CharField(_("field"), max_length=50)
    channel = models.CharField(_("channel"), max_length=20)  # page, api, export
    path = models.CharField(_("path"), max_length=300, blank=True)
    # Where the record lies (its village), so the reveal log is scoped like the record itself,
    # and the household it belongs to (an id: core does not import households). Null on rows
    # written before they were recorded: those are scoped by the revealing user's region.
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    household_id = models.BigIntegerField(_("household"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("sensitive data access")
        verbose_name_plural = _("sensitive data accesses")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="sensitive_access_object_idx"),
            # The reveal log filtered by person (core.reveals.reveal_list).
            models.Index(fields=["user", "at"], name="sensitive_access_user_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.object_type}#{self.object_id} {self.field}"


class IdProbeCount(models.Model):
    """How many times a user without the reveal permission asked, today, whether an ID number
    exists (an exact search by a full number): one row per user and day, counted by one
    conditional upsert in `core.pii.count_probe`, so concurrent requests cannot pass the cap."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("ID number probe count")
        verbose_name_plural = _("ID number probe counts")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="id_probe_one_row_per_user_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}: {self.count}"
