"""The work inbox on the demo data, in a browser (issue 21, acceptance): the county clerk, the finance
officer who checks, the inspector on a 390×844 phone and the organisation department's officer each log
in as the demo user of their role and find on the home page what the demo holds for them — each line's
count equal to what the database says for that user (counted with the apps' selectors) — and one click
takes them to the rows counted.

The demo is the run's (tests/demo_db.py), copied for this module: a browser test reads committed data
through the live server, and the copy is flushed after the test and dropped."""

import pytest
from django.urls import reverse

from accountability.models import AppealStatus
from accountability.selectors.annual import appeal_list
from core.demo import DEMO_PASSWORD
from core.models import User
from funds.models import RequestStatus
from funds.selectors import request_list
from households.selectors.candidates import exit_due_count
from inspections.models import ItemStatus, ProblemListRecipient
from inspections.models.problem_lists import OWED_STATUSES
from inspections.selectors import answers_awaiting_review, item_list

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
# What each line says, in the words a person reads (a line not listed here fails: name it first).
LABELS = {
    "households-exit-due": "达到退出标准、尚未启动退出程序的户",
    "assistance-no-officer": "未落实帮扶责任人的户",
    "funds-check": "待您审核的拨付申请",
    "funds-returned": "银行退回的到户资金",
    "inspections-file": "填报督查报告",
    "inspections-overdue": "逾期整改事项",
    "inspections-due": "7天内到期的整改事项",
    "inspections-answer": "待答复的问题清单",
    "inspections-absent": "待审核的“本地不存在”答复",
    "appeals": "待决定的年度考核等次申诉",
}
READ_INBOX = """() => [...document.querySelectorAll('#inbox li[id^="w-"]')].map((li) => {
    const a = li.querySelector('a'), badge = li.querySelector('.badge');
    return {key: li.id.slice(2), label: a.textContent.trim(), href: a.getAttribute('href'),
            count: badge ? Number(badge.textContent.trim()) : null};
})"""


def _expected(keys: dict) -> dict:
    """The lines the home page must show: those whose count is above zero (a task to start, None, always)."""
    return {key: count for key, count in keys.items() if count is None or count > 0}


def _inbox(page) -> dict:
    lines = page.evaluate(READ_INBOX)
    for line in lines:
        assert line["label"] == LABELS.get(line["key"]), line
    return {line["key"]: line["count"] for line in lines}


def _open(page, live_server, key: str, url: str) -> None:
    """Click the inbox line `key` on the home page and land on `url`."""
    page.goto(f"{live_server.url}/")
    page.locator(f"#inbox #w-{key} a").click()
    page.wait_for_url(f"{live_server.url}{url}")


def _owed_recipients(user):
    """Recipients of sent problem lists in the user's region with answers still owed (not answered or
    returned): the lists their units must answer."""
    return (
        ProblemListRecipient.objects.filter(
            region__code__startswith=user.region.prefix, problem_list__sent_at__isnull=False
        )
        .filter(answers__status__in=OWED_STATUSES)
        .distinct()
    )


def _hrefs(locator) -> set[str]:
    return {locator.nth(i).get_attribute("href") for i in range(locator.count())}


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= 390")


def _clerk(page, live_server, login, screenshot):
    """县乡工作人员: 应退未退 households, the county's overdue items and the province list to answer."""
    clerk = User.objects.get(username="clerk")
    overdue = item_list(actor=clerk, filters={"status": ItemStatus.OPEN}).filter(overdue_since__isnull=False)
    owed = _owed_recipients(clerk)
    due = exit_due_count(actor=clerk)
    assert due > 0  # the demo's 应退未退 household (households.demo._should_enter_and_exit)
    assert owed.exists()  # the demo's province list, partly answered by 修武县
    login(page, "clerk", DEMO_PASSWORD)
    assert _inbox(page) == _expected(
        {
            "households-exit-due": due,
            "inspections-overdue": overdue.count(),
            "inspections-answer": owed.count(),
        }
    )
    screenshot(page, "home_inbox_clerk")

    _open(page, live_server, "households-exit-due", reverse("households:exit_due"))
    rows = page.locator("table#exit-due tbody tr")
    assert rows.count() == due
    assert rows.locator("td:first-child a").count() == due  # each one to its household's page
    if overdue.exists():  # which county's items the demo makes overdue depends on its draw
        _open(page, live_server, "inspections-overdue", f"{reverse('inspections:item_list')}?overdue=1")
        cards = page.locator("table.cards tbody tr")
        assert cards.count() == overdue.count()
        assert cards.locator(".badge-bad").count() == overdue.count()
    _open(page, live_server, "inspections-answer", reverse("inspections:problem_list_list"))
    assert {reverse("inspections:recipient_detail", args=[r.pk]) for r in owed} <= _hrefs(
        page.locator("h2 + ul > li a")
    )


def _finance_officer(page, live_server, login):
    """财政: the requests another officer made, waiting for this one's check (the demo's five pending
    requests are `finance`'s; `finance2` checks them)."""
    checker = User.objects.get(username="finance2")
    pending = request_list(actor=checker, status=RequestStatus.PENDING)
    waiting = pending.exclude(maker=checker).count()
    assert waiting > 0
    returned = request_list(actor=checker, status=RequestStatus.FAILED).count()
    login(page, "finance2", DEMO_PASSWORD)
    assert _inbox(page) == _expected({"funds-check": waiting, "funds-returned": returned})
    _open(page, live_server, "funds-check", f"{reverse('funds:request_list')}?status=pending")
    assert page.locator("table tbody tr").count() == pending.count()


def _inspector_on_a_phone(page, live_server, login, screenshot):
    """督查巡查组 on a phone in a village: the report to file, overdue items, "not present here" answers
    to review — each page without horizontal scroll."""
    inspector = User.objects.get(username="inspector")
    overdue = item_list(actor=inspector, filters={"status": ItemStatus.OPEN}).filter(
        overdue_since__isnull=False
    )
    to_review = answers_awaiting_review(actor=inspector)
    assert overdue.exists()
    assert to_review.exists()
    login(page, "inspector", DEMO_PASSWORD)
    shown = _inbox(page)
    assert shown["inspections-file"] is None  # 填报督查报告 is on the inspector's home
    assert shown["inspections-overdue"] == overdue.count()
    assert shown["inspections-absent"] == to_review.count()
    assert _no_horizontal_scroll(page)
    screenshot(page, "home_inbox_inspector_phone")

    _open(page, live_server, "inspections-overdue", f"{reverse('inspections:item_list')}?overdue=1")
    cards = page.locator("table.cards tbody tr")
    assert cards.count() == overdue.count()
    assert cards.locator(".badge-bad").count() == overdue.count()
    assert _hrefs(cards.locator("td:first-child a")) == {
        reverse("inspections:item_detail", args=[pk]) for pk in overdue.values_list("pk", flat=True)
    }
    assert _no_horizontal_scroll(page)

    # The answers to review: the list, then each recipient with its review forms.
    _open(page, live_server, "inspections-absent", reverse("inspections:problem_list_list"))
    assert _no_horizontal_scroll(page)
    reviewed = 0
    for recipient in {a.recipient for a in to_review}:
        _open(page, live_server, "inspections-absent", reverse("inspections:problem_list_list"))
        page.get_by_role("link", name=recipient.problem_list.title).first.click()
        page.locator(f"a[href='{reverse('inspections:recipient_detail', args=[recipient.pk])}']").click()
        page.wait_for_url(f"**{reverse('inspections:recipient_detail', args=[recipient.pk])}")
        forms = page.locator("form.review").count()
        assert forms == to_review.filter(recipient=recipient).count()
        reviewed += forms
        assert _no_horizontal_scroll(page)
    assert reviewed == to_review.count()

    _open(page, live_server, "inspections-file", reverse("inspections:report_file"))
    assert _no_horizontal_scroll(page)


def _organisation_department(page, live_server, login, screenshot):
    """组织部门: the appeals against annual grades, listed on the home page, each to its grade's page."""
    org = User.objects.get(username="zuzhibu")
    lodged = list(appeal_list(actor=org, status=AppealStatus.LODGED))
    assert lodged
    login(page, "zuzhibu", DEMO_PASSWORD)
    assert _inbox(page) == _expected({"appeals": len(lodged)})
    screenshot(page, "home_inbox_orgdept")
    page.locator("#inbox #w-appeals a").click()
    page.wait_for_url("**/#appeals-to-decide")
    panel = page.locator("#appeals-to-decide")
    assert panel.is_visible()
    links = panel.locator("li a")
    assert _hrefs(links) == {
        reverse("accountability:grade_detail", args=[a.grade_id]) + "#appeal" for a in lodged
    }
    links.first.click()
    page.wait_for_url("**/#appeal")
    assert page.locator("#appeal").is_visible()


def test_each_role_finds_its_demo_work_on_the_home_page_and_one_click_away(
    demo_database, new_context, live_server, login, screenshot
):
    # Each person on their own device: a browser context of their own.
    _clerk(new_context(viewport=DESKTOP).new_page(), live_server, login, screenshot)
    _finance_officer(new_context(viewport=DESKTOP).new_page(), live_server, login)
    _inspector_on_a_phone(new_context(viewport=PHONE).new_page(), live_server, login, screenshot)
    _organisation_department(new_context(viewport=DESKTOP).new_page(), live_server, login, screenshot)
