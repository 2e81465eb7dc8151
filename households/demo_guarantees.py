"""Demo data for issue 17.1 and 17.4 in 修武县 (called from households.demo.seed):

- 两不愁三保障 on facts: a registered household whose exit procedure has had its democratic review,
  every fact recorded, but a 12-year-old who dropped out of school (辍学) — the verification step is
  refused, naming 义务教育 and the child;
- 返贫: an exited household whose head fell seriously ill, its return procedure (因病) past the village
  and township reviews, waiting for the public notice.
"""

from __future__ import annotations

import datetime as dt
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.audit import actor_context
from core.idnumbers import make_id_number
from core.names import person_name

from .models import (
    CaseState,
    Education,
    Household,
    HouseholdStatus,
    LabourAbility,
    Member,
    ProcedureKind,
    Relation,
    Schooling,
    Sex,
    Step,
)

COUNTY6 = "410821"


def seed_guarantees_and_return(*, actor, prefix: str, stdout) -> None:
    households = Household.objects.filter(file_number__startswith=prefix, village__code__startswith=COUNTY6)
    _child_out_of_school(actor=actor, households=households, stdout=stdout)
    _return_case(actor=actor, households=households, stdout=stdout)


def _facts(*, household, actor, today: dt.date) -> None:
    from .services.guarantees import (
        housing_appraisal_record,
        livelihood_statement_record,
        medical_cover_record,
    )

    ids = list(household.members.filter(is_active=True).values_list("id", flat=True))
    livelihood_statement_record(
        household=household, actor=actor, date=today - dt.timedelta(days=40), food_secure=True,
        clothing_secure=True, stated_by=household.head_name, note="入户核实（演示数据）",
    )  # fmt: skip
    medical_cover_record(
        household=household,
        actor=actor,
        year=today.year,
        insured_member_ids=ids,
        serious_illness_covered=True,
    )
    housing_appraisal_record(
        household=household,
        actor=actor,
        grade="B",
        date=today - dt.timedelta(days=200),
        appraiser="修武县住建局",
    )


def _child_out_of_school(*, actor, households, stdout) -> None:
    household = (
        households.filter(status=HouseholdStatus.REGISTERED, procedures__kind=ProcedureKind.EXIT,
                          procedures__state=CaseState.OPEN, procedures__last_step=Step.DEMOCRATIC_REVIEW)
        .order_by("id")
        .first()
    )  # fmt: skip
    if household is None:
        return
    rng = random.Random(1712)
    today = timezone.localdate()
    birth = dt.date(today.year - 12, 3, 14)
    taken = set(Member.objects.values_list("id_number_hash", flat=True))
    from core import pii

    while True:
        number = make_id_number(rng, region6=COUNTY6, birth=birth, female=False)
        if pii.keyed_hash(number) not in taken:
            break
    child = Member(
        household=household, name=person_name(rng, female=False), sex=Sex.MALE, birth_date=birth,
        relation=Relation.SON, education=Education.PRIMARY, schooling=Schooling.DROPPED_OUT,
        labour_ability=LabourAbility.NONE,
    )  # fmt: skip
    child.set_id_number(number)
    with actor_context(actor, source="demo"):
        child.save()
        Household.objects.filter(pk=household.pk).update(
            member_count=household.members.filter(is_active=True).count()
        )
    _facts(household=household, actor=actor, today=today)
    stdout.write(f"households: {household} — a 12-year-old out of school blocks the exit verification")


def _return_case(*, actor, households, stdout) -> None:
    from .services import procedure_step_record
    from .services.returns import return_procedure_start

    household = (
        households.filter(status=HouseholdStatus.EXITED)
        .exclude(procedures__state=CaseState.OPEN)
        .order_by("id")
        .first()
    )
    if household is None:
        return
    today = timezone.localdate()
    return_procedure_start(
        household=household, actor=actor, cause="illness", date=today - dt.timedelta(days=12),
        reason="户主突发脑梗住院，医疗支出大，家庭收入骤降（演示数据）",
    )  # fmt: skip
    minutes = SimpleUploadedFile(
        "村民主评议记录.pdf", b"%PDF-1.4 demo minutes", content_type="application/pdf"
    )
    procedure_step_record(
        household=household, kind=ProcedureKind.RETURN, step=Step.VILLAGE_REVIEW, actor=actor,
        data={"date": today - dt.timedelta(days=8), "attendance": 34, "votes_for": 31, "votes_against": 1},
        files=[minutes],
    )  # fmt: skip
    procedure_step_record(
        household=household, kind=ProcedureKind.RETURN, step=Step.TOWNSHIP_REVIEW, actor=actor,
        data={"date": today - dt.timedelta(days=5), "approved": True, "note": "乡镇核实属实"},
    )  # fmt: skip
    stdout.write(f"households: {household} — a return to poverty (因病) waiting for its public notice")
