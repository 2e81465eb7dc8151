"""Province problem lists: a bad row imports nothing; every recipient answers every item."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from inspections import selectors, services
from inspections.models import (
    AnswerStatus,
    FindingSource,
    ItemStatus,
    ProblemAnswer,
    ProblemListRecipient,
    ProvinceProblem,
    ProvinceProblemList,
)
from inspections.services.problem_lists import ImportRejected

pytestmark = pytest.mark.django_db

CATS = ["识别不精准", "帮扶不精准", "退出不精准", "资金使用", "档卡不规范", "作风问题", "政策落实"]


def workbook(rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "类别", "问题描述"])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "173.xlsx"
    return buf


def good_rows(n=173):
    return [[i, CATS[i % 7], f"共性问题{i}：有的地方工作不扎实"] for i in range(1, n + 1)]


def _import(inspector, rows):
    import datetime as dt

    return services.problem_list_import(
        actor=inspector, upload=workbook(rows), title="省脱贫攻坚第三次推进会议通报的173项共性问题",
        issued_on=dt.date(2017, 5, 1), answer_deadline=dt.date(2017, 6, 10), issued_by="省扶贫办",
    )  # fmt: skip


def test_a_bad_row_is_reported_and_nothing_is_imported(inspector):
    rows = good_rows()
    rows[99] = [100, "不存在的类别", "描述"]
    rows[140] = ["x", "资金使用", ""]
    with pytest.raises(ImportRejected) as exc:
        _import(inspector, rows)
    assert [(e.row, e.field) for e in exc.value.errors] == [(101, "类别"), (142, "序号"), (142, "问题描述")]
    assert "101" in str(exc.value.message)
    assert ProvinceProblemList.objects.count() == 0
    assert ProvinceProblem.objects.count() == 0


def test_import_page_lists_the_bad_rows(client, inspector):
    rows = good_rows(5)
    rows[2] = [3, "资金使用", ""]
    client.force_login(inspector)
    response = client.post(reverse("inspections:problem_list_import"), {
        "title": "测试清单", "issued_on": "2017-05-01", "answer_deadline": "2017-06-10", "file": workbook(rows),
    })  # fmt: skip
    assert response.status_code == 400
    assert [e.row for e in response.context["row_errors"]] == [4]
    assert ProvinceProblemList.objects.count() == 0


def test_every_recipient_has_every_item_to_answer(inspector, leader, clerk, xiuwu_office):
    from core.models import Unit, UnitKind
    from tests.factories.core import UnitFactory

    city_finance = UnitFactory(region_id="410800000000", name="焦作市财政局", kind=UnitKind.DEPARTMENT)
    govs = [
        UnitFactory(region_id=code, name=f"{code}人民政府", kind=UnitKind.GOVERNMENT)
        for code in ["410821000000", "410822000000", "410823000000"]
    ]
    plist = _import(inspector, good_rows())
    assert services.problem_list_send(actor=inspector, problem_list=plist) >= 4
    assert services.problem_list_send(actor=inspector, problem_list=plist) == 0  # sending again adds nothing
    recipients = ProblemListRecipient.objects.filter(problem_list=plist)
    assert {city_finance.pk, *(g.pk for g in govs)} <= set(recipients.values_list("unit_id", flat=True))
    for r in recipients:
        assert r.answers.count() == 173
    assert ProblemAnswer.objects.filter(recipient__problem_list=plist).count() == 173 * recipients.count()
    # leaders see the progress of every recipient; the county clerk only its own
    progress = {
        r.unit_id: (r.answered, r.total)
        for r in selectors.recipient_progress(actor=leader, problem_list=plist)
    }
    assert progress[govs[0].pk] == (0, 173)
    assert {r.unit_id for r in selectors.recipient_progress(actor=clerk, problem_list=plist)} == {govs[0].pk}
    assert Unit.objects.filter(pk=xiuwu_office.pk).exists()


def test_recipient_answers_present_with_items_and_absent(client, inspector, clerk):
    from core.models import UnitKind
    from tests.factories.core import UnitFactory

    gov = UnitFactory(region_id="410821000000", name="修武县人民政府", kind=UnitKind.GOVERNMENT)
    plist = _import(inspector, good_rows(3))
    services.problem_list_send(actor=inspector, problem_list=plist, units=[gov])
    recipient = ProblemListRecipient.objects.get(unit=gov)
    a1, a2, _a3 = recipient.answers.order_by("problem__number")
    # "Not present" carries its evidence (issue 19.6: the city reviews it).
    evidence = io.BytesIO(b"%PDF-1.4\n%%EOF\n")
    evidence.name = "自查佐证.pdf"
    services.problem_answer_set(
        actor=clerk, answer=a1, status=AnswerStatus.ABSENT, note="经自查不存在", files=[evidence]
    )
    from core.exceptions import DomainError

    with pytest.raises(DomainError):
        services.problem_answer_set(actor=clerk, answer=a2, status=AnswerStatus.PRESENT)  # no item
    client.force_login(clerk)
    response = client.post(reverse("inspections:recipient_detail", args=[recipient.pk]), {
        "answer": a2.pk, "status": "present", "note": "部分村存在", "item_description": "逐村核查整改",
        "item_deadline": "2099-06-10", "item_kind": "common",
        "root_cause": "民主评议把关不严", "rectification_plan": "逐村复核",  # 追根溯源 (issue 19.6)
    })  # fmt: skip
    assert response.status_code == 302
    a2.refresh_from_db()
    assert a2.status == AnswerStatus.PRESENT
    assert a2.finding.source == FindingSource.SELF_CHECK
    assert a2.finding.rectification_items.get().status == ItemStatus.OPEN
    progress = selectors.recipient_progress(actor=clerk, problem_list=plist).get()
    assert (progress.answered, progress.present, progress.total) == (2, 1, 3)


def test_other_county_cannot_answer(api_as, inspector, other_clerk):
    from core.models import UnitKind
    from tests.factories.core import UnitFactory

    gov = UnitFactory(region_id="410821000000", name="修武县人民政府", kind=UnitKind.GOVERNMENT)
    plist = _import(inspector, good_rows(2))
    services.problem_list_send(actor=inspector, problem_list=plist, units=[gov])
    answer = ProblemAnswer.objects.filter(recipient__unit=gov).first()
    api = api_as(other_clerk)
    assert (
        api.post(f"/api/v1/inspections/answers/{answer.pk}/", {"status": "absent"}, format="json").status_code
        == 404
    )
    recipient = answer.recipient
    assert api.get(f"/api/v1/inspections/recipients/{recipient.pk}/answers/").status_code == 404
