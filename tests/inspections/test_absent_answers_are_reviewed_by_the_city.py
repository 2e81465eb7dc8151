"""Problem-list answers are reviewed (issue 19.6): "not present here" (本地不存在) needs a note and
evidence and is accepted or returned by the city; the city marks problems to be accepted as listed
(照单全收) and "absent" is refused for them; a problem accepted as present carries its root cause
and rectification plan (追根溯源); answers after the deadline are flagged, for the bulletin;
townships can be recipients."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from core.exceptions import DomainError
from core.models import Region, Role, Unit, UnitKind
from core.transitions import can_transition
from inspections import selectors, services
from inspections.models import AnswerEvidence, AnswerStatus, Notification, ProblemAnswer, ProblemListRecipient
from tests.conftest import make_user
from tests.factories.core import UnitFactory

pytestmark = pytest.mark.django_db


def _pdf(name="自查佐证.pdf"):
    f = io.BytesIO(b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n")
    f.name = name
    return f


def _workbook(n):
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "类别", "问题描述"])
    for i in range(1, n + 1):
        ws.append([i, "识别不精准", f"共性问题{i}"])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "173.xlsx"
    return buf


@pytest.fixture
def city_reviewer(group):
    """The city's reviewer of self-check answers: a city-level inspector."""
    from tests.factories.inspections import inspector_user

    return inspector_user(group, username="city_reviewer")


@pytest.fixture
def county_gov(regions):
    return UnitFactory(region_id="410821000000", name="修武县人民政府", kind=UnitKind.GOVERNMENT)


def _send(inspector, units, n=3, deadline=None):
    plist = services.problem_list_import(
        actor=inspector, upload=_workbook(n), title="省通报的共性问题", issued_on=dt.date(2026, 11, 1),
        answer_deadline=deadline or dt.date(2099, 6, 10), issued_by="省扶贫办",
    )  # fmt: skip
    services.problem_list_send(actor=inspector, problem_list=plist, units=units)
    return plist


def _answers(unit):
    return list(ProblemAnswer.objects.filter(recipient__unit=unit).order_by("problem__number"))


def test_absent_needs_a_note_and_evidence(clerk, inspector, county_gov):
    _send(inspector, [county_gov])
    answer = _answers(county_gov)[0]
    with pytest.raises(DomainError) as exc:
        services.problem_answer_set(actor=clerk, answer=answer, status=AnswerStatus.ABSENT, files=[_pdf()])
    assert exc.value.field == "note"
    with pytest.raises(DomainError) as exc:
        services.problem_answer_set(
            actor=clerk, answer=answer, status=AnswerStatus.ABSENT, note="经自查不存在"
        )
    assert exc.value.field == "files"
    assert "佐证" in str(exc.value.message) or "证据" in str(exc.value.message)
    answer.refresh_from_db()
    assert answer.status == AnswerStatus.UNANSWERED
    services.problem_answer_set(
        actor=clerk, answer=answer, status=AnswerStatus.ABSENT, note="经自查不存在", files=[_pdf()]
    )
    answer.refresh_from_db()
    assert answer.status == AnswerStatus.ABSENT
    assert AnswerEvidence.objects.get(answer=answer).uploaded_by == clerk


def test_the_city_returns_an_absent_answer_with_its_reason_and_accepts_another(
    client, clerk, city_reviewer, inspector, county_gov
):
    _send(inspector, [county_gov])
    a1, a2, _a3 = _answers(county_gov)
    for a in (a1, a2):
        services.problem_answer_set(
            actor=clerk, answer=a, status=AnswerStatus.ABSENT, note="不存在", files=[_pdf()]
        )
    a1.refresh_from_db()
    # The county cannot review its own answer; the city can.
    assert not can_transition(a1, AnswerStatus.ABSENT_ACCEPTED, clerk)
    assert can_transition(a1, AnswerStatus.ABSENT_ACCEPTED, city_reviewer)
    with pytest.raises(DomainError):
        services.problem_answer_review(actor=clerk, answer=a1, accept=True)
    client.force_login(city_reviewer)
    url = reverse("inspections:recipient_detail", args=[a1.recipient_id])
    # Returning needs the reason.
    assert client.post(url, {"answer": a1.pk, "action": "review", "decision": "return"}).status_code == 400
    response = client.post(url, {
        "answer": a1.pk, "action": "review", "decision": "return", "review_note": "佐证只有说明，缺入户核查记录",
    })  # fmt: skip
    assert response.status_code == 302
    response = client.post(url, {"answer": a2.pk, "action": "review", "decision": "accept"})
    assert response.status_code == 302
    a1.refresh_from_db()
    a2.refresh_from_db()
    assert (a1.status, a1.reviewed_by, a1.review_note) == (
        AnswerStatus.RETURNED,
        city_reviewer,
        "佐证只有说明，缺入户核查记录",
    )
    assert a2.status == AnswerStatus.ABSENT_ACCEPTED
    assert [(c.from_status, c.to_status) for c in a1.status_changes.order_by("id")][-1] == (
        "absent",
        "returned",
    )
    assert Notification.objects.filter(
        unit=county_gov, kind="answer_reviewed", message__contains="佐证只有说明"
    ).exists()
    # A returned answer is owed again: progress does not count it as answered.
    progress = selectors.recipient_progress(actor=clerk, problem_list=a1.problem.problem_list).get()
    assert progress.answered == 1


def test_the_city_reviews_through_the_api(api_as, clerk, city_reviewer, inspector, county_gov):
    _send(inspector, [county_gov])
    answer = _answers(county_gov)[0]
    api = api_as(clerk)
    response = api.post(
        f"/api/v1/inspections/answers/{answer.pk}/absent/", {"note": "不存在", "files": _pdf()}, format="multipart"
    )  # fmt: skip
    assert response.status_code == 200, response.json()
    assert response.json()["evidence_count"] == 1
    refused = api_as(clerk).post(
        f"/api/v1/inspections/answers/{answer.pk}/", {"decision": "accept"}, format="json"
    )
    assert refused.status_code == 400
    accepted = api_as(city_reviewer).post(
        f"/api/v1/inspections/answers/{answer.pk}/", {"decision": "accept"}, format="json"
    )
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "absent_accepted"


def test_a_must_accept_problem_cannot_be_answered_absent(client, clerk, city_reviewer, inspector, county_gov):
    plist = _send(inspector, [county_gov])
    a1, a2, _a3 = _answers(county_gov)
    services.problem_answer_set(
        actor=clerk, answer=a2, status=AnswerStatus.ABSENT, note="不存在", files=[_pdf()]
    )
    client.force_login(city_reviewer)
    for answer in (a1, a2):
        response = client.post(
            reverse("inspections:problem_list_detail", args=[plist.pk]),
            {"action": "must_accept", "problem": answer.problem_id, "value": "1"},
        )
        assert response.status_code == 302
    a1.problem.refresh_from_db()
    assert a1.problem.must_accept
    with pytest.raises(DomainError) as exc:
        services.problem_answer_set(
            actor=clerk, answer=a1, status=AnswerStatus.ABSENT, note="不存在", files=[_pdf()]
        )
    assert exc.value.field == "status"
    assert "照单全收" in str(exc.value.message)
    # The "absent" answer given before the mark goes back to the county to answer again.
    a2.refresh_from_db()
    assert a2.status == AnswerStatus.RETURNED
    client.force_login(clerk)
    page = client.post(reverse("inspections:recipient_detail", args=[a1.recipient_id]), {
        "answer": a1.pk, "status": "absent", "note": "不存在", "files": _pdf(),
    })  # fmt: skip
    assert page.status_code == 400
    assert "照单全收" in page.content.decode()


def test_a_present_problem_carries_its_root_cause_and_plan(clerk, inspector, county_gov):
    _send(inspector, [county_gov])
    answer = _answers(county_gov)[0]
    items = [{"description": "逐村复核", "deadline": dt.date(2099, 6, 10)}]
    with pytest.raises(DomainError) as exc:
        services.problem_answer_set(actor=clerk, answer=answer, status=AnswerStatus.PRESENT, items=items)
    assert set(exc.value.as_dict()) == {"root_cause", "rectification_plan"}
    services.problem_answer_set(
        actor=clerk, answer=answer, status=AnswerStatus.PRESENT, items=items,
        root_cause="乡镇审核流于形式", rectification_plan="乡镇逐村复核评议记录，县里抽查",
    )  # fmt: skip
    answer.refresh_from_db()
    assert (answer.status, answer.root_cause) == (AnswerStatus.PRESENT, "乡镇审核流于形式")
    assert answer.rectification_plan
    assert answer.finding.rectification_items.count() == 1


def test_late_and_missing_answers_are_flagged_for_the_bulletin(clerk, inspector, county_gov, regions):
    other = UnitFactory(region_id="410822000000", name="博爱县人民政府", kind=UnitKind.GOVERNMENT)
    plist = _send(inspector, [county_gov, other], n=2, deadline=dt.date(2026, 6, 10))  # already passed
    a1, _a2 = _answers(county_gov)
    services.problem_answer_set(
        actor=clerk, answer=a1, status=AnswerStatus.ABSENT, note="不存在", files=[_pdf()]
    )
    a1.refresh_from_db()
    assert a1.answered_late
    rows = {r.unit_id: (r.owed, r.late) for r in selectors.late_problem_answers(as_of=dt.date(2026, 12, 1))}
    assert rows == {county_gov.pk: (1, 1), other.pk: (2, 0)}
    # Before the deadline nothing is late; by region for a county's bulletin line.
    assert not selectors.late_problem_answers(as_of=dt.date(2026, 6, 10)).exists()
    assert [
        r.unit_id for r in selectors.late_problem_answers(as_of=dt.date(2026, 12, 1), prefix="410822")
    ] == [other.pk]
    assert plist.pk


def test_a_township_is_a_recipient_and_answers_for_itself(inspector, regions):
    township = Region.objects.filter(code__startswith="410821", level="township").order_by("code").first()
    unit = Unit.objects.create(region=township, name=f"{township.name}党委政府", kind=UnitKind.TOWNSHIP)
    township_clerk = make_user(Role.COUNTY_CLERK, township.code, username="clerk_township")
    plist = services.problem_list_import(
        actor=inspector, upload=_workbook(1), title="清单", issued_on=dt.date(2026, 11, 1),
        answer_deadline=dt.date(2099, 6, 10),
    )  # fmt: skip
    assert services.problem_list_send(actor=inspector, problem_list=plist, townships=True) >= 1
    recipient = ProblemListRecipient.objects.get(problem_list=plist, unit=unit)
    answer = recipient.answers.get()
    services.problem_answer_set(
        actor=township_clerk, answer=answer, status=AnswerStatus.ABSENT, note="本乡不存在", files=[_pdf()]
    )
    answer.refresh_from_db()
    assert answer.status == AnswerStatus.ABSENT
