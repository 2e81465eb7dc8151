"""The plan page: make a plan, add measures quickly, mark progress, attach evidence.
Other counties' rows are 404 on every page; leaders read and cannot write."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assistance.models import AssistancePlan, Evidence, Measure, MeasureStatus
from tests.factories.assistance import MeasureFactory, PlanFactory, VillageTeamFactory

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def plan_url(household):
    return reverse("assistance:plan", args=[household.pk]) + f"?year={YEAR}"


def measure_post(household, causes, **extra):
    return {
        "kind": "employment", "title": "劳务输出", "causes": causes,
        "planned_end": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        "expected_income_gain": "3600", "funds_needed": "0", **extra,
    }  # fmt: skip


def test_officer_makes_a_plan_and_covers_every_cause(client, assist, household):
    client.force_login(assist)
    page = client.get(plan_url(household))
    assert page.status_code == 200
    assert 'data-flag="no-plan"' in page.content.decode()

    response = client.post(reverse("assistance:plan_create", args=[household.pk]), {"year": YEAR})
    assert response.status_code == 302
    plan = AssistancePlan.objects.get(household=household, year=YEAR)

    body = client.get(plan_url(household)).content.decode()
    assert 'data-flag="uncovered"' in body
    add = reverse("assistance:measure_add", args=[plan.pk])
    assert client.post(add, measure_post(household, ["illness", "lack_skills"])).status_code == 302
    assert 'data-flag="uncovered"' in client.get(plan_url(household)).content.decode()
    assert client.post(add, measure_post(household, ["lack_funds"], kind="microcredit")).status_code == 302
    body = client.get(plan_url(household)).content.decode()
    assert 'data-flag="uncovered"' not in body
    assert 'data-flag="none"' in body


def test_a_foreign_cause_is_refused_beside_the_field_and_input_is_kept(client, assist, household):
    plan = PlanFactory(household=household, year=YEAR)
    client.force_login(assist)
    response = client.post(
        reverse("assistance:measure_add", args=[plan.pk]), measure_post(household, ["disaster"])
    )
    assert response.status_code == 400
    assert "causes" in response.context["form"].errors
    assert 'value="劳务输出"' in response.content.decode()
    assert not Measure.objects.filter(plan=plan).exists()


def test_progress_is_marked_on_the_page(client, assist, household):
    # An industry measure: an employment measure is done only once it names the member employed.
    measure = MeasureFactory(plan=PlanFactory(household=household, year=YEAR), kind="industry")
    client.force_login(assist)
    url = reverse("assistance:measure_transition", args=[measure.pk])
    assert client.post(url, {"status": "in_progress"}).status_code == 302
    assert client.post(url, {"status": "done", "actual_income_gain": "800"}).status_code == 302
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.DONE
    # A refused move tells the user and changes nothing.
    response = client.post(url, {"status": "cancelled", "reason": "x"}, follow=True)
    assert "不能" in response.content.decode() or "cannot" in response.content.decode()
    assert Measure.objects.get(pk=measure.pk).status == MeasureStatus.DONE


def test_evidence_is_stored_and_served_only_through_the_checked_view(
    client, assist, other_clerk, household, settings
):
    measure = MeasureFactory(plan=PlanFactory(household=household, year=YEAR))
    client.force_login(assist)
    upload = SimpleUploadedFile("发票.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")
    assert (
        client.post(reverse("assistance:evidence_upload", args=[measure.pk]), {"file": upload}).status_code
        == 302
    )
    evidence = Evidence.objects.get(measure=measure)
    assert evidence.original_name == "发票.pdf"
    assert evidence.file.path.startswith(str(settings.MEDIA_ROOT))
    assert "发票" not in evidence.file.name  # stored under a random name

    response = client.get(reverse("assistance:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 evidence"
    assert response["Cache-Control"] == "private, no-store"

    client.force_login(other_clerk)
    assert client.get(reverse("assistance:evidence_download", args=[evidence.pk])).status_code == 404


def test_an_executable_is_not_accepted_as_evidence(client, assist, household):
    measure = MeasureFactory(plan=PlanFactory(household=household, year=YEAR))
    client.force_login(assist)
    upload = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    client.post(reverse("assistance:evidence_upload", args=[measure.pk]), {"file": upload})
    assert not Evidence.objects.filter(measure=measure).exists()


def test_html_disguised_as_a_photo_is_refused_and_never_served_as_html(client, assist, household):
    measure = MeasureFactory(plan=PlanFactory(household=household, year=YEAR))
    client.force_login(assist)
    fake = SimpleUploadedFile(
        "photo.jpg", b"<html><script>alert(1)</script></html>", content_type="text/html"
    )
    response = client.post(reverse("assistance:evidence_upload", args=[measure.pk]), {"file": fake})
    assert not Evidence.objects.filter(measure=measure).exists()
    assert "jpg" in response.content.decode() or response.status_code in (302, 400)

    photo = SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0fake-jpeg", content_type="text/html")
    client.post(reverse("assistance:evidence_upload", args=[measure.pk]), {"file": photo})
    evidence = Evidence.objects.get(measure=measure)
    served = client.get(reverse("assistance:evidence_download", args=[evidence.pk]))
    assert served["Content-Type"] == "image/jpeg"  # from the bytes, not the browser's claim
    assert "sandbox" in served["Content-Security-Policy"]


def test_other_county_gets_404_on_every_page(client, other_clerk, household, xiuwu_village):
    plan = PlanFactory(household=household, year=YEAR)
    measure = MeasureFactory(plan=plan)
    team = VillageTeamFactory(villages=[xiuwu_village])
    client.force_login(other_clerk)
    gets = [
        plan_url(household),
        reverse("assistance:team_detail", args=[team.pk]),
        reverse("assistance:team_edit", args=[team.pk]),
        reverse("assistance:worklist") + f"?region={xiuwu_village.code}",
        reverse("assistance:export") + "?region=410821000000",
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = [
        (reverse("assistance:plan_create", args=[household.pk]), {"year": YEAR - 1}),
        (reverse("assistance:plan_edit", args=[plan.pk]), {"summary": "篡改"}),
        (reverse("assistance:measure_add", args=[plan.pk]), measure_post(household, ["illness"])),
        (reverse("assistance:measure_transition", args=[measure.pk]), {"status": "in_progress"}),
        (reverse("assistance:evidence_upload", args=[measure.pk]), {}),
        (reverse("assistance:team_edit", args=[team.pk]), {"name": "篡改"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    assert Measure.objects.filter(plan=plan).count() == 1
    assert AssistancePlan.objects.filter(household=household).count() == 1
    assert team.pk not in {t.pk for t in client.get(reverse("assistance:team_list")).context["page"]}


def test_leader_reads_every_page_but_cannot_write(client, leader, household, xiuwu_village):
    plan = PlanFactory(household=household, year=YEAR)
    measure = MeasureFactory(plan=plan)
    client.force_login(leader)
    page = client.get(plan_url(household))
    assert page.status_code == 200
    assert "add-measure" not in page.content.decode()
    assert client.get(reverse("assistance:worklist")).status_code == 200
    assert client.get(reverse("assistance:export") + "?region=410800000000").status_code == 200
    for url, data in [
        (reverse("assistance:measure_add", args=[plan.pk]), measure_post(household, ["illness"])),
        (reverse("assistance:measure_transition", args=[measure.pk]), {"status": "in_progress"}),
        (reverse("assistance:plan_create", args=[household.pk]), {"year": YEAR - 1}),
    ]:
        assert client.post(url, data).status_code == 403
    assert Measure.objects.get(pk=measure.pk).status == MeasureStatus.PLANNED
    assert Measure.objects.filter(plan=plan).count() == 1


def test_household_partial_shows_coverage(client, assist, household):
    from django.template import Context, Template
    from django.test import RequestFactory

    MeasureFactory(plan=PlanFactory(household=household, year=YEAR), causes=["illness"])
    request = RequestFactory().get("/")
    request.user = assist
    html = Template("{% load assistance_tags %}{% household_plan_summary household %}").render(
        Context({"request": request, "household": household})
    )
    assert 'data-cause="illness" data-covered="1"' in html
    assert 'data-cause="lack_funds" data-covered="0"' in html
    assert reverse("assistance:plan", args=[household.pk]) in html


def test_team_list_page_query_count_is_fixed(client, assist, xiuwu_village, django_assert_num_queries):
    from core.models import User

    for _ in range(2):
        VillageTeamFactory(villages=[xiuwu_village])

    def load():
        client.force_login(User.objects.get(pk=assist.pk))
        client.get(reverse("assistance:team_list"))  # roles read once per change (core.authz)
        # session, user, count, teams, their villages and members
        with django_assert_num_queries(6):
            response = client.get(reverse("assistance:team_list"))
        assert response.status_code == 200
        return len(response.context["page"])

    assert load() == 2
    for _ in range(5):
        VillageTeamFactory(villages=[xiuwu_village])
    assert load() == 7


def test_clerk_registers_and_changes_a_team_on_the_page(
    client, clerk, xiuwu, two_xiuwu_villages, boai_village
):
    from assistance.models import VillageTeam
    from core.models import Region
    from tests.factories.core import OfficerFactory, UnitFactory

    unit = UnitFactory(region=Region.objects.get(code="410800000000"), name="焦作市财政局", kind="department")
    leader_officer = OfficerFactory(unit=unit, region=unit.region, position="驻村第一书记")
    member = OfficerFactory(unit=unit, region=unit.region)
    client.force_login(clerk)
    assert client.get(reverse("assistance:team_create")).status_code == 200
    data = {"name": "市财政局驻村工作队", "dispatching_unit": unit.pk, "first_secretary": leader_officer.pk,
            "members": [member.pk], "villages": [two_xiuwu_villages[0].code], "start_date": "2017-03-01"}  # fmt: skip
    response = client.post(reverse("assistance:team_create"), data)
    assert response.status_code == 302
    team = VillageTeam.objects.get(name="市财政局驻村工作队")
    assert [tv.village_id for tv in team.served.all()] == [two_xiuwu_villages[0].code]

    # A village of another county is not offered, and refused if sent anyway.
    response = client.post(
        reverse("assistance:team_edit", args=[team.pk]), data | {"villages": [boai_village.code]}
    )
    assert response.status_code == 400
    assert "villages" in response.context["form"].errors
    response = client.post(
        reverse("assistance:team_edit", args=[team.pk]),
        data | {"villages": [v.code for v in two_xiuwu_villages]},
    )
    assert response.status_code == 302
    assert team.served.count() == 2


def test_team_form_is_refused_to_officers_and_leaders(client, assist, leader):
    client.force_login(assist)
    assert client.get(reverse("assistance:team_create")).status_code == 403
    client.force_login(leader)
    assert client.post(reverse("assistance:team_create"), {"name": "x"}).status_code == 403


def test_a_refused_evidence_file_shows_its_error_beside_that_measures_file_field(client, assist, household):
    plan = PlanFactory(household=household, year=YEAR)
    measure, other = MeasureFactory(plan=plan), MeasureFactory(plan=plan)
    client.force_login(assist)
    upload = SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="application/pdf")
    response = client.post(reverse("assistance:evidence_upload", args=[measure.pk]), {"file": upload})
    assert response.status_code == 400
    error = str(response.context["evidence_form"].errors["file"][0])
    html = response.content.decode()
    assert f'id="file-error-{measure.pk}"' in html
    assert f'id="file-error-{other.pk}"' not in html
    row = html[html.index(f'id="measure-{measure.pk}"') :]
    assert error in row[: row.index("</tr>")]
    assert not Evidence.objects.exists()
