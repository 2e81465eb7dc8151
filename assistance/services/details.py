"""因人因户施策 checks of a measure: its kind answers the causes it claims (the kinds' table of the
household's county), and the facts of its kind — the member an employment measure employs, the loan
of a microcredit measure, the site and move-in date of a relocation — are right whenever given and
complete before the measure is done. Every refusal is a DomainError naming the field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from core.exceptions import DomainError
from households.models import Household, LabourAbility, Member, PovertyCause

from ..models import Measure, MeasureKind
from ..selectors.coverage import kind_answers, unanswered_by_kind

EMPLOYMENT_FIELDS = ("employed_member",)
LOAN_FIELDS = ("loan_amount", "loan_bank", "loan_date", "loan_due", "interest_subsidy")
RELOCATION_FIELDS = ("relocation_site", "move_in_date")
DETAIL_FIELDS = (*EMPLOYMENT_FIELDS, *LOAN_FIELDS, *RELOCATION_FIELDS)
# The kind each group of facts belongs to.
FIELDS_OF_KIND = {
    MeasureKind.EMPLOYMENT: EMPLOYMENT_FIELDS,
    MeasureKind.MICROCREDIT: LOAN_FIELDS,
    MeasureKind.RELOCATION: RELOCATION_FIELDS,
}
NOT_WORKING = (LabourAbility.LOST, LabourAbility.NONE)


def check_kind_answers(measure: Measure, household: Household) -> None:
    """A measure may claim only causes its kind answers in the household's county."""
    unanswered = unanswered_by_kind(measure, kind_answers(county=household.village_id))
    if unanswered:
        raise DomainError(
            _(
                "A measure of the kind “%(kind)s” does not answer “%(causes)s”: choose a kind that "
                "answers it, or ask the county to count this kind for that cause."
            )
            % {
                "kind": MeasureKind(measure.kind).label,
                "causes": "、".join(str(PovertyCause(c).label) for c in unanswered),
            },
            field="kind",
        )


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def check_details(measure: Measure, household: Household) -> None:
    """The facts given are those of the measure's kind, and right (all refusals at once)."""
    errors: dict[str, list[str]] = {}
    own = FIELDS_OF_KIND.get(measure.kind, ())
    for name in DETAIL_FIELDS:
        if name not in own and not _blank(getattr(measure, name)):
            errors[name] = [
                _("“%(field)s” belongs to a measure of the kind “%(kind)s” only.")
                % {
                    "field": Measure._meta.get_field(name).verbose_name,
                    "kind": next(k.label for k, fields in FIELDS_OF_KIND.items() if name in fields),
                }
            ]
    member = measure.employed_member
    if member is not None and "employed_member" not in errors:
        if member.household_id != household.pk or not member.is_active:
            errors["employed_member"] = [_("The member employed must be a member of this household.")]
        elif member.labour_ability in NOT_WORKING:
            errors["employed_member"] = [
                _("%(name)s has no labour ability (%(ability)s) and cannot be the member employed.")
                % {"name": member.name, "ability": LabourAbility(member.labour_ability).label}
            ]
    for name in ("loan_amount", "interest_subsidy"):
        value = getattr(measure, name)
        if value is None or name in errors:
            continue
        try:
            value = Decimal(value)
        except (InvalidOperation, TypeError, ValueError):
            errors[name] = [_("Enter an amount in yuan.")]
            continue
        if name == "loan_amount" and value <= 0:
            errors[name] = [_("The loan amount must be more than zero.")]
        elif value < 0:
            errors[name] = [_("The interest subsidy must not be negative.")]
    if (
        measure.loan_amount is not None
        and measure.interest_subsidy is not None
        and not errors.keys() & {"loan_amount", "interest_subsidy"}
        and Decimal(measure.interest_subsidy) > Decimal(measure.loan_amount)
    ):
        errors["interest_subsidy"] = [_("The interest subsidy cannot exceed the loan amount.")]
    if measure.loan_date and measure.loan_due and measure.loan_due <= measure.loan_date:
        errors.setdefault("loan_due", []).append(_("The loan due date must be after the loan date."))
    for name in ("loan_bank", "relocation_site"):
        value = getattr(measure, name)
        setattr(measure, name, (value or "").strip())
    if errors:
        raise DomainError(errors=errors)


def check_details_complete(measure: Measure, on: dt.date) -> None:
    """Before a measure is done, the facts of its kind are all recorded."""
    required = {
        MeasureKind.EMPLOYMENT: {"employed_member": _("Name the member this measure employs.")},
        MeasureKind.MICROCREDIT: {
            "loan_amount": _("Record the loan amount."),
            "loan_bank": _("Record the lending bank."),
            "loan_date": _("Record the loan date."),
            "loan_due": _("Record the loan due date."),
            "interest_subsidy": _("Record the interest subsidy (0 if none)."),
        },
        MeasureKind.RELOCATION: {
            "relocation_site": _("Record the resettlement site."),
            "move_in_date": _("Record the move-in date."),
        },
    }.get(measure.kind, {})
    errors = {name: [message] for name, message in required.items() if _blank(getattr(measure, name))}
    if measure.kind == MeasureKind.RELOCATION and measure.move_in_date and measure.move_in_date > on:
        errors["move_in_date"] = [_("A relocation is done only once the household has moved in.")]
    if errors:
        raise DomainError(errors=errors)


def member_choices(household: Household):
    """The members an employment measure may name: the household's own, still in it."""
    return Member.objects.filter(household=household, is_active=True).order_by("id")
