"""The demo shows each consequence of issue 19 (its acceptance: "a unit graded 一般 with its talk and
an appeal, a failed acceptance, a group that missed a month, an "absent" answer under review, an
overdue proposed case"), each where the person who acts on it works: the organisation department
(`zuzhibu`), the leading group's reviewer (`reviewer`), the supervision group (`dudao`), the city's
inspector who reviews answers (`inspector`) and the discipline commission (`jiwei`).

The demo is seeded once for the module (only the apps these consequences come from, in
settings.DOMAIN_APPS order) and rolled back after it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accountability.models import (
    AccountabilityCase,
    AccountabilitySettings,
    AnnualGrade,
    AppealStatus,
    Bulletin,
    CaseRule,
    CaseStatus,
    CaseType,
    GradeAppeal,
    RectificationReview,
)
from accountability.periods import today
from core.models import User
from inspections.models import AnswerStatus, GroupKind, InspectionGroup, MissedVisitMonth, ProblemAnswer
from inspections.services.supervision import add_months

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(demo_database):
    """The run's demo (tests/demo_db.py), copied for this module."""


def _as(client, username: str):
    client.force_login(User.objects.get(username=username))
    return client


def _section(page: str, marker: str) -> str:
    """The part of `page` from `marker` to the end of its <section>."""
    assert marker in page
    return page.split(marker, 1)[1].split("</section>", 1)[0]


def _last_month() -> dt.date:
    return add_months(timezone.localdate().replace(day=1), -1)


def test_a_unit_graded_average_with_its_talk_and_an_appeal(demo, client, api_as):
    """组织部 sees the county graded 一般, the talk (约谈) of its 党政正职 it opened, and the appeal it
    has to decide; 纪委 has the talks among its cases."""
    grade = AnnualGrade.objects.get(grade="average", unit__isnull=False)
    talks = grade.cases.filter(rule=CaseRule.GRADE_AVERAGE, case_type=CaseType.ADMONITION_TALK)
    # 考评办法 covers 县乡党政正职: the talk is for the unit's heads, not its deputies.
    assert sorted(talks.values_list("subject_officer__position", flat=True)) == ["县委书记", "县长"]
    appeal = GradeAppeal.objects.get(grade=grade)
    assert appeal.status == AppealStatus.LODGED
    assert appeal.original_grade == "average"

    org = _as(client, "zuzhibu")
    home = org.get(reverse("home")).content.decode()
    panel = _section(home, 'id="appeals-to-decide"')
    assert "待决定的年度等次申诉" in panel
    assert reverse("accountability:grade_detail", args=[grade.pk]) + "#appeal" in panel

    page = org.get(reverse("accountability:grade_detail", args=[grade.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert ">一般</span>" in html.split('id="grade"', 1)[1].split("</p>", 1)[0]
    consequences = _section(html, 'id="consequences"')
    for talk in talks:
        assert reverse("accountability:case_detail", args=[talk.pk]) in consequences
    assert "约谈" in consequences
    appeal_part = _section(html, 'id="appeal"')
    assert appeal.grounds in appeal_part
    assert "已提出" in appeal_part
    # The department may decide it here.
    assert reverse("accountability:appeal_decide", args=[appeal.pk]) in appeal_part

    api = api_as(User.objects.get(username="zuzhibu"))
    body = api.get(reverse("api:accountability_grade_detail", args=[grade.pk])).json()
    assert body["grade"] == "average"
    assert set(talks.values_list("pk", flat=True)) <= set(body["cases"])
    assert [(a["id"], a["status"]) for a in body["appeals"]] == [(appeal.pk, "lodged")]

    # 纪委 decides the talks.
    jiwei = api_as(User.objects.get(username="jiwei"))
    listed = jiwei.get(reverse("api:accountability_case_list"), {"rule": CaseRule.GRADE_AVERAGE}).json()
    assert {c["id"] for c in listed["results"]} == set(talks.values_list("pk", flat=True))


def test_a_failed_rectification_acceptance(demo, client, api_as):
    """The leading group's reviewer sees the county that failed its acceptance, with the cases it
    opened: its 党政正职 and 分管副职 barred from promotion, which 纪委 holds."""
    review = RectificationReview.objects.get(passed=False)
    county = review.region
    cases = review.cases.all()
    assert cases.count() == 4
    assert set(cases.values_list("case_type", flat=True)) == {CaseType.PROMOTION_BAN}
    assert set(cases.values_list("region_id", flat=True)) == {county.pk}

    reviewer = _as(client, "reviewer")
    page = reviewer.get(reverse("accountability:review_list"), {"year": review.year})
    assert page.status_code == 200
    html = page.content.decode()
    assert "整改评估验收" in html
    row = next(r for r in html.split("<tr>") if f"<td>{county.name}</td>" in r)
    badge = row.split('<span class="badge badge-bad">', 1)[1].split("</span>", 1)[0]
    # An acceptance 未通过 (pgettext "acceptance"): not households' 失败 of an import that failed.
    assert badge == "未通过"
    assert '<td class="num">4</td>' in row
    # Who checked, what they checked on site and why it failed, as a person records them.
    assert review.recorded_by.username == "reviewer"
    for text in (review.reviewers, review.items_checked, review.reasons):
        assert text.strip()
        assert text in row

    api = api_as(User.objects.get(username="reviewer"))
    rows = api.get(reverse("api:accountability_review_list")).json()["results"]
    (row,) = [r for r in rows if r["id"] == review.pk]
    assert row["passed"] is False
    assert (row["reviewers"], row["items_checked"], row["reasons"]) == (
        review.reviewers,
        review.items_checked,
        review.reasons,
    )
    assert sorted(row["cases"]) == sorted(cases.values_list("pk", flat=True))

    jiwei = api_as(User.objects.get(username="jiwei"))
    listed = jiwei.get(reverse("api:accountability_case_list"), {"rule": CaseRule.REVIEW_FAILED}).json()
    assert {c["id"] for c in listed["results"]} == set(cases.values_list("pk", flat=True))


def test_a_supervision_group_that_missed_a_month(demo, client, api_as):
    """一月一暗访: the city supervision group filed no covert visit last month; the daily job flagged it,
    the supervision group sees it on its home page and the month's bulletin carries the line."""
    group = InspectionGroup.objects.get(kind=GroupKind.SUPERVISION)
    last_month = _last_month()
    assert list(MissedVisitMonth.objects.filter(group=group).values_list("month", flat=True)) == [last_month]

    home = _as(client, "dudao").get(reverse("home")).content.decode()
    panel = _section(home, 'id="h-supervision-visits"')
    assert "一月一暗访（市委督导组）" in panel
    row = next(r for r in panel.split("<tr>") if group.name in r)
    assert f"{last_month.year}年{last_month.month}月" in row
    assert "badge-danger" in row

    bulletin = Bulletin.objects.get(region_id="410800000000", month=last_month)
    api = api_as(User.objects.get(username="dudao"))
    content = api.get(reverse("api:accountability_bulletin_detail", args=[bulletin.pk])).json()["content"]
    assert [(m["group"], m["month"]) for m in content["supervision"]["missed_visits"]] == [
        (group.name, last_month.isoformat())
    ]


def test_an_absent_answer_under_the_citys_review(demo, client, api_as):
    """A county answered problems of the province list "not present here", with a note and evidence:
    the city's inspector sees them awaiting review, with the form to accept or return each; the one
    already accepted has none."""
    pending = list(ProblemAnswer.objects.filter(status=AnswerStatus.ABSENT).order_by("pk"))
    assert pending
    recipient = pending[0].recipient
    assert {a.recipient_id for a in pending} == {recipient.pk}
    for answer in pending:
        assert answer.note
        assert answer.evidence_files.exists()
    accepted = ProblemAnswer.objects.get(recipient=recipient, status=AnswerStatus.ABSENT_ACCEPTED)

    page = _as(client, "inspector").get(reverse("inspections:recipient_detail", args=[recipient.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    review_forms = [
        part.split('name="answer" value="', 1)[1].split('"', 1)[0]
        for part in html.split('<form method="post" class="review">')[1:]
    ]
    assert review_forms == [str(a.pk) for a in pending]
    assert str(accepted.pk) not in review_forms
    row = next(r for r in html.split("<tr ") if f'value="{pending[0].pk}"' in r)
    assert "不存在" in row
    assert 'name="decision" value="accept">认可</button>' in row  # not households' 接收 of a transfer
    assert 'name="decision" value="return"' in row
    assert "退回" in row

    api = api_as(User.objects.get(username="inspector"))
    url = reverse("api:inspections_api:recipient_answers", args=[recipient.pk])
    rows = api.get(url).json()["results"]
    awaiting = [(r["id"], r["evidence_count"] > 0) for r in rows if r["status"] == AnswerStatus.ABSENT]
    assert awaiting == [(a.pk, True) for a in pending]


def test_an_overdue_proposed_case(demo, client):
    """Proposed cases not decided within the set days are flagged to 纪委 on its home page, in the list of
    overdue cases and in last month's bulletin; a recently proposed case is not."""
    days = AccountabilitySettings.current().case_decision_days
    proposed = AccountabilityCase.objects.filter(status=CaseStatus.PROPOSED)
    overdue = proposed.filter(opened_on__lt=today() - dt.timedelta(days=days)).order_by("opened_on", "id")
    assert overdue.exists()
    recent = AccountabilityCase.objects.get(dedupe_key="demo:manual:1")
    assert recent.status == CaseStatus.PROPOSED
    assert recent.opened_on >= today() - dt.timedelta(days=days)
    oldest = overdue.first()

    jiwei = _as(client, "jiwei")
    home = jiwei.get(reverse("home")).content.decode()
    panel = _section(home, 'id="overdue-cases"')
    assert f"{overdue.count()}起拟问责案件已逾决定期限" in panel
    assert reverse("accountability:case_detail", args=[oldest.pk]) in panel
    assert reverse("accountability:case_detail", args=[recent.pk]) not in panel

    listed = jiwei.get(reverse("accountability:case_list"), {"overdue": "1"}).content.decode()
    assert reverse("accountability:case_detail", args=[oldest.pk]) in listed
    assert reverse("accountability:case_detail", args=[recent.pk]) not in listed

    case_page = jiwei.get(reverse("accountability:case_detail", args=[oldest.pk])).content.decode()
    assert "badge-bad" in case_page.split('id="decision-due"', 1)[1].split("</dd>", 1)[0]

    # Last month's bulletin: the cases still undecided when the month ended past their days.
    bulletin = Bulletin.objects.get(region_id="410800000000", month=_last_month())
    after = add_months(_last_month(), 1)  # the bulletin counts as of the day after the month
    late_then = proposed.filter(opened_on__lt=after - dt.timedelta(days=days))
    assert late_then.exists()
    assert bulletin.content["cases"]["totals"]["overdue_proposed"] == late_then.count()
    page = jiwei.get(reverse("accountability:bulletin_detail", args=[bulletin.pk])).content.decode()
    heading = page.split('id="overdue-proposed"', 1)[1].split("</h3>", 1)[0]
    assert f"{late_then.count()}" in heading


def _inbox_item(page: str, key: str) -> str:
    """The inbox line `key` on a home page (core.inbox), or "" when the page has none."""
    inbox = _section(page, 'id="inbox"')
    if f'id="w-{key}"' not in inbox:
        return ""
    return inbox.split(f'id="w-{key}"', 1)[1].split("</li>", 1)[0]


def test_the_work_inbox_of_the_commission_the_department_and_the_inspectors(demo, client):
    """What waits for each body is on its home page, counted and linked (issue 21): 纪委's proposed
    cases past their deadline first, 组织部's appeal, the city reviewer's 不存在 answers, and the
    inspector's report to file; no body sees another's work."""
    from accountability.models import AppealStatus, CaseStatus
    from accountability.selectors import case_list, decision_deadline_passed
    from accountability.selectors.annual import appeal_list

    jiwei_user = User.objects.get(username="jiwei")
    late = case_list(actor=jiwei_user, status=CaseStatus.PROPOSED).filter(decision_deadline_passed(today()))
    assert late.count() > 0
    page = _as(client, "jiwei").get(reverse("home")).content.decode()
    line = _inbox_item(page, "cases-late")
    assert "逾期未决定的拟问责案件" in line
    assert f">{late.count()}</span>" in line
    assert f'href="{reverse("accountability:case_list")}?overdue=1"' in line
    proposed = _inbox_item(page, "cases-proposed")  # the rest, after the late ones
    if proposed:
        assert page.index('id="w-cases-late"') < page.index('id="w-cases-proposed"')
    assert not _inbox_item(page, "appeals")

    lodged = appeal_list(actor=User.objects.get(username="zuzhibu"), status=AppealStatus.LODGED).count()
    assert lodged == 1
    page = _as(client, "zuzhibu").get(reverse("home")).content.decode()
    line = _inbox_item(page, "appeals")
    assert "待决定的年度考核等次申诉" in line
    assert ">1</span>" in line
    assert 'href="#appeals-to-decide"' in line
    assert 'id="appeals-to-decide"' in page  # the link's target, with each appeal's form
    assert not _inbox_item(page, "cases-late")

    absent = ProblemAnswer.objects.filter(status=AnswerStatus.ABSENT).count()
    page = _as(client, "inspector").get(reverse("home")).content.decode()
    line = _inbox_item(page, "inspections-absent")
    assert "待审核的“本地不存在”答复" in line
    assert f">{absent}</span>" in line
    line = _inbox_item(page, "inspections-file")
    assert "填报督查报告" in line
    assert f'href="{reverse("inspections:report_file")}"' in line
