"""Every move of a case or a bulletin leaves one status-change row the database will not let anyone edit."""

import datetime as dt
import importlib

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.urls import reverse

from accountability.models import (
    AccountabilityCase,
    Bulletin,
    BulletinStatus,
    BulletinStatusChange,
    CaseRule,
    CaseStatus,
    CaseStatusChange,
    CaseType,
)
from accountability.services import (
    FindingFacts,
    bulletin_regenerate,
    case_close,
    case_confirm,
    case_open,
    close_ended_ban_cases,
    finding_filed,
)
from core.exceptions import DomainError, TransitionNotAllowed
from core.transitions import can_transition

pytestmark = pytest.mark.django_db


def proposed_case(org):
    facts = FindingFacts(pk=71, source="city_covert_visit", found_on=dt.date(2017, 5, 20),
                         region_code=org["village"].code, summary="档卡不一致")  # fmt: skip
    return next(c for c in finding_filed(finding=facts) if c.subject_officer_id)


def test_each_move_writes_one_row_with_who_and_why(xiuwu_org, decider):
    case = proposed_case(xiuwu_org)
    case_confirm(case=case, decision="对联系领导进行约谈", actor=decider)
    case_close(case=case, note="已约谈", actor=decider)
    rows = list(
        CaseStatusChange.objects.filter(case=case).values_list("from_status", "to_status", "actor", "note")
    )
    assert rows[1:] == [
        ("proposed", "confirmed", decider.pk, "对联系领导进行约谈"),
        ("confirmed", "closed", decider.pk, "已约谈"),
    ]
    assert rows[0][:2] == ("", "proposed")


def test_status_change_rows_cannot_be_edited_or_deleted_nor_their_case(xiuwu_org, decider):
    case = proposed_case(xiuwu_org)
    row = CaseStatusChange.objects.get(case=case)
    with pytest.raises(Exception, match="Cannot update or delete"), transaction.atomic():
        CaseStatusChange.objects.filter(pk=row.pk).update(note="改写")
    with pytest.raises(Exception, match="Cannot update or delete"), transaction.atomic():
        CaseStatusChange.objects.filter(pk=row.pk).delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        AccountabilityCase.objects.filter(pk=case.pk).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseStatusChange.objects.create(case=case, from_status="proposed", to_status="proposed")
    assert CaseStatusChange.objects.get(pk=row.pk).note == row.note


def test_a_refused_move_writes_nothing(xiuwu_org, decider):
    case = proposed_case(xiuwu_org)
    assert not can_transition(case, CaseStatus.CLOSED, decider)
    with pytest.raises(TransitionNotAllowed):
        case_close(case=case, note="", actor=decider)
    assert CaseStatusChange.objects.filter(case=case).count() == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.PROPOSED


def test_a_binding_case_offers_no_dismissal_and_outsiders_no_move(xiuwu_org, decider, leader):
    case, _created = case_open(case_type=CaseType.ADMONITION_TALK, grounds="年度考核为一般",
                               officer=xiuwu_org["secretary"], mandatory=True)  # fmt: skip
    assert case.status == CaseStatus.PROPOSED
    assert can_transition(case, CaseStatus.CONFIRMED, decider)
    assert not can_transition(case, CaseStatus.DISMISSED, decider)
    assert not can_transition(case, CaseStatus.CONFIRMED, leader)


def test_ended_bans_close_in_one_statement_with_a_row_each(xiuwu_org, decider, django_assert_max_num_queries):
    cases = [
        case_open(
            case_type=CaseType.PROMOTION_BAN,
            grounds="年度考核为差",
            officer=xiuwu_org[name],
            rule=CaseRule.GRADE_POOR,
            mandatory=True,
            confirmed=True,
            opened_on=dt.date(2015, 1, 1),
            ban_until=dt.date(2016, 12, 31),
            dedupe_key=f"ban:{name}",
        )[0]
        for name in ("secretary", "magistrate")
    ]
    with django_assert_max_num_queries(3):
        assert close_ended_ban_cases(on=dt.date(2017, 1, 1)) == 2
    assert close_ended_ban_cases(on=dt.date(2017, 1, 1)) == 0
    for case in cases:
        case.refresh_from_db()
        assert (case.status, case.closed_on) == (CaseStatus.CLOSED, dt.date(2017, 1, 1))
        moves = list(case.status_changes.values_list("from_status", "to_status", "actor"))
        assert moves == [("", "confirmed", None), ("confirmed", "closed", None)]


def test_the_case_page_shows_the_moves_in_words(client, xiuwu_org, decider):
    case = proposed_case(xiuwu_org)
    case_confirm(case=case, decision="对联系领导进行约谈", actor=decider)
    client.force_login(decider)
    page = client.get(reverse("accountability:case_detail", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = page.content.decode()
    assert "拟问责 → 已确认" in text
    assert "对联系领导进行约谈" in text
    # A confirmed case offers closing only.
    assert reverse("accountability:case_close", args=[case.pk]) in text
    assert reverse("accountability:case_confirm", args=[case.pk]) not in text


def test_regenerating_supersedes_through_the_transition_with_the_reason(xiuwu_org, supervisor):
    v1, _created = _bulletin(xiuwu_org)
    v2 = bulletin_regenerate(bulletin=v1, reason="补录两条省通报问题", actor=supervisor)
    assert list(v1.status_changes.values_list("from_status", "to_status", "actor", "note")) == [
        ("", "published", None, ""),
        ("published", "superseded", supervisor.pk, "补录两条省通报问题"),
    ]
    assert list(v2.status_changes.values_list("from_status", "to_status", "note")) == [
        ("", "published", "补录两条省通报问题")
    ]
    with pytest.raises(TransitionNotAllowed):
        bulletin_regenerate(bulletin=v1, reason="再来一次", actor=supervisor)


def _bulletin(org):
    from accountability.services import bulletin_generate

    return bulletin_generate(region=org["county"].parent, month=dt.date(2017, 5, 1))


def test_backfill_gives_old_bulletins_their_moves(xiuwu_org, decider):
    """Versions written before the status-change table get their rows from what each version records."""
    city = xiuwu_org["county"].parent
    month = dt.date(2017, 4, 1)
    may_1, may_3 = (dt.datetime(2017, 5, day, tzinfo=dt.UTC) for day in (1, 3))
    old = Bulletin.objects.create(
        region=city,
        month=month,
        version=1,
        status=BulletinStatus.SUPERSEDED,
        generated_at=may_1,
        superseded_at=may_3,
    )
    new = Bulletin.objects.create(
        region=city, month=month, version=2, reason="补录", generated_by=decider, generated_at=may_3
    )
    migration = importlib.import_module("accountability.migrations.0003_status_changes_on_core")
    with connection.cursor() as cursor:
        cursor.execute(migration.BACKFILL_BULLETINS)
    rows = BulletinStatusChange.objects.filter(bulletin__in=[old, new]).order_by("bulletin__version", "at")
    assert [(r.bulletin_id, r.from_status, r.to_status, r.actor_id, r.note) for r in rows] == [
        (old.pk, "", "published", None, ""),
        (old.pk, "published", "superseded", decider.pk, "补录"),
        (new.pk, "", "published", decider.pk, "补录"),
    ]


def test_a_model_check_reaches_the_caller_as_a_domain_error_naming_the_field(xiuwu_org, decider):
    case = proposed_case(xiuwu_org)
    with pytest.raises(DomainError) as refused:
        case_confirm(case=case, decision="确认", case_type="no_such_type", actor=decider)
    assert set(refused.value.as_dict()) == {"case_type"}
    case.refresh_from_db()
    assert case.status == CaseStatus.PROPOSED
