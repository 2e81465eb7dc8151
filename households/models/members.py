"""The people of a household: ID number (encrypted, hashed, masked), relation, health, schooling, labour."""

from __future__ import annotations

from django.contrib.postgres.indexes import OpClass
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.audit import tracked
from core.models import TimeStampedModel

from .household import Household


class Relation(models.TextChoices):
    HEAD = "head", _("head of household")  # 户主
    SPOUSE = "spouse", _("spouse")
    SON = "son", _("son")
    DAUGHTER = "daughter", _("daughter")
    SON_IN_LAW = "son_in_law", _("son-in-law")
    DAUGHTER_IN_LAW = "daughter_in_law", _("daughter-in-law")
    GRANDCHILD = "grandchild", _("grandchild")
    PARENT = "parent", pgettext_lazy("relation", "parent")
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
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
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
    education = models.CharField(
        pgettext_lazy("member", "education"), max_length=16, choices=Education.choices
    )
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
