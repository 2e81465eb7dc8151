"""数据比对 as the county administrator of 修武县: upload the vehicle administration's list (a CSV in
GBK saved by LibreOffice, and an xlsx), find the members it names flagged with the rule they break,
confirm one (the household's removal starts) and dismiss one with its reason. A clerk is refused,
another county's members are never matched, and the uploaded file is gone after the run."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core import xlsx
from core.exceptions import DomainError
from core.models import Role
from households.models import (
    CrossCheckFlag,
    CrossCheckRule,
    CrossCheckRun,
    CrossCheckRunStatus,
    CrossCheckSource,
    FlagAction,
    FlagStatus,
    HouseholdStatus,
)
from households.selectors.crosschecks import confirmed_crosscheck_flags, crosscheck_identification_errors
from households.services.crosschecks import crosscheck_flag_decide, crosscheck_start
from households.tasks import run_crosscheck
from tests.conftest import XIUWU, make_user
from tests.factories.households import household_with_members, valid_id_number

pytestmark = pytest.mark.django_db
HEADER = ["号牌号码", "车辆类型", "所有人", "身份证号", "登记日期"]


@pytest.fixture(autouse=True)
def eager(monkeypatch):
    """The run is queued on commit; here the worker's task runs in-process."""
    from config.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)


@pytest.fixture
def county_admin(regions):
    return make_user(Role.COUNTY_ADMIN, XIUWU, username="admin_xiuwu")


@pytest.fixture
def world(regions, xiuwu_village, boai_village):
    """A registered household of 修武县 whose head owns a car, one whose spouse owns a van, an
    exited household with a car (not poor now: no flag), and a 博爱县 household on the same list."""
    car = household_with_members(village=xiuwu_village, members=2)
    van = household_with_members(village=xiuwu_village, members=2)
    exited = household_with_members(village=xiuwu_village, members=1, status=HouseholdStatus.EXITED)
    boai = household_with_members(village=boai_village, members=1)
    numbers = {}
    for name, household, relation in (("car", car, "head"), ("van", van, "spouse"), ("exited", exited, "head"),
                                      ("boai", boai, "head")):  # fmt: skip
        member = household.members.get(relation=relation)
        number = valid_id_number(region6=household.village_id[:6])
        member.set_id_number(number)
        member.save()
        numbers[name] = (household, member, number)
    return numbers


def vehicle_rows(world) -> list[list]:
    return [
        ["豫H12345", "小型轿车", "车主一", world["car"][2], "2019-05-12"],
        ["豫H67890", "小型普通客车", "车主二", world["van"][2].lower(), "2020-01-02"],
        ["豫H00001", "小型轿车", "车主三", world["exited"][2], "2018-03-03"],
        ["豫H00002", "小型轿车", "车主四", world["boai"][2], "2018-03-03"],
        ["豫H00003", "小型轿车", "车主五", valid_id_number(), "2018-03-03"],  # nobody registered
        ["豫H00004", "小型轿车", "车主六", "41082119900101123", "2018-03-03"],  # 17 characters
    ]


def vehicle_xlsx(world) -> bytes:
    book = xlsx.Workbook()
    sheet = book.sheet("机动车登记", headers=HEADER)
    for row in vehicle_rows(world):
        sheet.append(row)
    return book.content()


def office_gbk_csv(world, tmp_path: Path) -> bytes:
    """The list as the vehicle administration saves it: LibreOffice, CSV, GBK (character set 85)."""
    source = tmp_path / "vehicles.xlsx"
    source.write_bytes(vehicle_xlsx(world))
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.fail("LibreOffice is missing: scripts/sysdeps.sh office (Debian: libreoffice-calc-nogui)")
    subprocess.run(  # noqa: S603 - LibreOffice on our own temporary file
        [soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,85", "--outdir", str(tmp_path / "out"), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    data = (tmp_path / "out" / "vehicles.csv").read_bytes()
    assert "号牌号码".encode("gbk") in data
    return data


def upload(client, name: str, data: bytes, source=CrossCheckSource.VEHICLES, capture=None):
    with capture(execute=True):
        return client.post(
            reverse("households:crosschecks"), {"source": source, "file": SimpleUploadedFile(name, data)}
        )


def stored_path(run: CrossCheckRun) -> Path:
    return Path(settings.MEDIA_ROOT) / run.file.name


@pytest.mark.parametrize("kind", ["csv-gbk", "xlsx"])
def test_vehicle_list_flags_the_county_s_registered_owners_and_the_file_is_gone(
    client, county_admin, world, tmp_path, kind, django_capture_on_commit_callbacks, monkeypatch
):
    data = office_gbk_csv(world, tmp_path) if kind == "csv-gbk" else vehicle_xlsx(world)
    name = "车管所机动车.csv" if kind == "csv-gbk" else "车管所机动车.xlsx"
    kept = []
    original = CrossCheckRun.objects.get  # the stored file, seen by the worker before the run

    def spy(*args, **kwargs):
        run = original(*args, **kwargs)
        if run.file:
            kept.append((stored_path(run), stored_path(run).exists()))
        return run

    monkeypatch.setattr(CrossCheckRun.objects, "get", spy)
    client.force_login(county_admin)
    response = upload(client, name, data, capture=django_capture_on_commit_callbacks)
    run = CrossCheckRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("households:crosscheck_run", args=[run.pk])
    assert [found for _path, found in kept] == [True]  # the worker found the file…
    assert run.status == CrossCheckRunStatus.DONE
    assert not run.file  # …and it is gone: the row forgets it and the bytes are deleted
    assert not kept[0][0].exists()
    assert (run.total_rows, run.matched_rows, run.unreadable_rows, run.flags_raised) == (6, 3, 1, 2)
    flags = {f.member_id: f for f in CrossCheckFlag.objects.all()}
    assert set(flags) == {world["car"][1].pk, world["van"][1].pk}  # not the exited one, not 博爱县
    car = flags[world["car"][1].pk]
    assert (car.rule, car.status, car.row_number) == (CrossCheckRule.OWNS_VEHICLE, FlagStatus.OPEN, 2)
    assert car.facts["号牌号码"] == "豫H12345"
    assert world["car"][2] not in str(car.facts)  # the ID number is never kept

    page = client.get(reverse("households:crosscheck_run", args=[run.pk]), {"format": "json"})
    assert (page.json()["finished"], page.json()["percent"]) == (True, 100)
    listed = client.get(reverse("households:crosscheck_flags"), {"rule": CrossCheckRule.OWNS_VEHICLE})
    assert listed.status_code == 200
    assert [f.pk for f in listed.context["page"]] == sorted((f.pk for f in flags.values()), reverse=True)


def test_a_flag_confirmed_removes_the_household_and_one_dismissed_keeps_its_reason(
    client, county_admin, world, django_capture_on_commit_callbacks
):
    client.force_login(county_admin)
    upload(client, "vehicles.xlsx", vehicle_xlsx(world), capture=django_capture_on_commit_callbacks)
    car = CrossCheckFlag.objects.get(member=world["car"][1])
    van = CrossCheckFlag.objects.get(member=world["van"][1])

    url = reverse("households:crosscheck_flag", args=[van.pk])
    refused = client.post(url, {"decision": FlagStatus.DISMISSED, "note": ""})
    assert refused.status_code == 400
    assert refused.context["form"].errors["note"]
    client.post(url, {"decision": FlagStatus.DISMISSED, "note": "车辆已于2019年过户他人，有转让证明"})
    van.refresh_from_db()
    assert (van.status, van.decided_by, van.action) == (FlagStatus.DISMISSED, county_admin, FlagAction.NONE)
    assert van.decision_note.startswith("车辆已于2019年过户")

    response = client.post(
        reverse("households:crosscheck_flag", args=[car.pk]),
        {"decision": FlagStatus.CONFIRMED, "note": "入户核实，车辆为本人所有"},
    )
    assert response.status_code == 302
    car.refresh_from_db()
    household = world["car"][0]
    household.refresh_from_db()
    assert (car.status, car.action) == (FlagStatus.CONFIRMED, FlagAction.HOUSEHOLD_REMOVED)
    assert household.status == HouseholdStatus.REMOVED
    change = household.status_changes.order_by("-pk").first()
    assert change.actor == county_admin
    assert "入户核实" in change.note
    assert [(c.from_status, c.to_status) for c in car.status_changes.all()] == [("open", "confirmed")]

    # Decided is decided: neither flag moves again.
    with pytest.raises(DomainError):
        crosscheck_flag_decide(flag=van, actor=county_admin, decision=FlagStatus.CONFIRMED)
    # The bulletin reads the confirmed one; the error rate counts its household once.
    assert list(confirmed_crosscheck_flags(prefix="410821")) == [car]
    assert crosscheck_identification_errors(prefix="410821") == {CrossCheckRule.OWNS_VEHICLE: 1}
    assert crosscheck_identification_errors(prefix="410822") == {}


def test_the_same_household_found_twice_counts_once_per_kind_of_error(county_admin, world):
    _household, _member, number = world["car"]
    for _ in range(2):
        data = xlsx.csv_bytes([[number, "豫H1"]], headers=["身份证号", "号牌号码"])
        run = crosscheck_start(
            actor=county_admin, upload=SimpleUploadedFile("v.csv", data), source=CrossCheckSource.VEHICLES
        )
        run_crosscheck(run.pk)
    first, second = CrossCheckFlag.objects.order_by("pk")
    crosscheck_flag_decide(flag=first, actor=county_admin, decision=FlagStatus.CONFIRMED, note="核实")
    crosscheck_flag_decide(flag=second, actor=county_admin, decision=FlagStatus.CONFIRMED, note="核实")
    second.refresh_from_db()
    assert second.action == FlagAction.ALREADY_DONE
    assert crosscheck_identification_errors(prefix="410821") == {CrossCheckRule.OWNS_VEHICLE: 1}


def test_deaths_list_flags_a_deceased_member_still_counted_and_confirming_records_the_departure(
    county_admin, world
):
    _household, member, number = world["van"]
    data = xlsx.csv_bytes([[number, "死亡", "2021-03-04"]], headers=["公民身份号码", "注销原因", "死亡日期"])
    run = crosscheck_start(
        actor=county_admin, upload=SimpleUploadedFile("deaths.csv", data), source=CrossCheckSource.DEATHS
    )
    run_crosscheck(run.pk)
    flag = CrossCheckFlag.objects.get()
    assert (flag.rule, flag.event_date) == (CrossCheckRule.DECEASED_COUNTED, dt.date(2021, 3, 4))
    crosscheck_flag_decide(flag=flag, actor=county_admin, decision=FlagStatus.CONFIRMED, note="")
    member.refresh_from_db()
    assert not member.is_active
    assert "2021-03-04" in member.left_reason
    flag.refresh_from_db()
    assert flag.action == FlagAction.MEMBER_LEFT


def test_a_payment_after_the_death_is_flagged_from_the_apps_that_pay(county_admin, world, monkeypatch):
    """Households reads payments through the readers the paying apps name (funds names one)."""
    from django.apps import apps

    household, _member, number = world["van"]
    seen = {}

    def reader(deaths):
        seen.update(deaths)
        return {
            household.pk: [{"date": "2021-04-01", "amount": "800.00", "purpose": "产业补贴", "request": 1}]
        }

    monkeypatch.setattr("tests.households.test_registry_cross_checks.fake_reader", reader, raising=False)
    monkeypatch.setattr(
        apps.get_app_config("funds"), "crosscheck_payment_readers",
        ["tests.households.test_registry_cross_checks.fake_reader"],
    )  # fmt: skip
    data = xlsx.csv_bytes([[number, "2021-03-04"]], headers=["身份证号", "死亡日期"])
    run = crosscheck_start(
        actor=county_admin, upload=SimpleUploadedFile("deaths.csv", data), source=CrossCheckSource.DEATHS
    )
    run_crosscheck(run.pk)
    assert seen == {household.pk: dt.date(2021, 3, 4)}
    paid = CrossCheckFlag.objects.get(rule=CrossCheckRule.PAID_AFTER_DEATH)
    assert paid.facts["payments"][0]["amount"] == "800.00"


def test_a_clerk_is_refused_and_another_county_never_sees_the_flags(
    client, county_admin, world, persona, django_capture_on_commit_callbacks
):
    clerk = make_user(Role.COUNTY_CLERK, XIUWU, username="clerk_x")
    client.force_login(clerk)
    for url in (reverse("households:crosschecks"), reverse("households:crosscheck_flags")):
        assert client.get(url).status_code == 403
    refused = client.post(
        reverse("households:crosschecks"),
        {"source": "vehicles", "file": SimpleUploadedFile("v.xlsx", vehicle_xlsx(world))},
    )
    assert refused.status_code == 403
    assert not CrossCheckRun.objects.exists()

    client.force_login(county_admin)
    upload(client, "v.xlsx", vehicle_xlsx(world), capture=django_capture_on_commit_callbacks)
    flag = CrossCheckFlag.objects.first()
    run = CrossCheckRun.objects.get()
    other = make_user(Role.COUNTY_ADMIN, "410822000000", username="admin_boai")
    client.force_login(other)
    assert client.get(reverse("households:crosscheck_flag", args=[flag.pk])).status_code == 404
    assert client.get(reverse("households:crosscheck_run", args=[run.pk])).status_code == 404
    assert not client.get(reverse("households:crosscheck_flags")).context["page"].object_list
    assert (
        client.post(
            reverse("households:crosscheck_flag", args=[flag.pk]), {"decision": "dismissed", "note": "不是"}
        ).status_code
        == 404
    )


def test_api_upload_progress_list_and_decision(
    api_as, county_admin, world, django_capture_on_commit_callbacks
):
    api = api_as(county_admin)
    data = xlsx.csv_bytes(vehicle_rows(world), headers=HEADER)
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post(
            "/api/v1/households/crosschecks/",
            {"source": "vehicles", "file": SimpleUploadedFile("v.csv", data)},
            format="multipart",
        )
    assert created.status_code == 202, created.json()
    run = api.get(f"/api/v1/households/crosschecks/{created.json()['id']}/").json()
    assert (run["status"], run["flags_raised"], run["file_kept"]) == ("done", 2, False)
    flags = api.get("/api/v1/households/crosschecks/flags/", {"rule": "owns_vehicle"}).json()["results"]
    assert len(flags) == 2
    assert all("*" in f["id_number"] for f in flags)
    refused = api.post(
        f"/api/v1/households/crosschecks/flags/{flags[0]['id']}/", {"decision": "dismissed"}, format="json"
    )
    assert refused.status_code == 400
    assert "note" in refused.json()["errors"]
    done = api.post(
        f"/api/v1/households/crosschecks/flags/{flags[0]['id']}/",
        {"decision": "dismissed", "note": "已过户"},
        format="json",
    )
    assert done.status_code == 200
    assert done.json()["status"] == "dismissed"


def test_a_file_that_is_not_a_list_is_refused_in_the_request(client, county_admin, world):
    client.force_login(county_admin)
    response = client.post(
        reverse("households:crosschecks"),
        {"source": "vehicles", "file": SimpleUploadedFile("v.csv", b"<html><script>x()</script></html>")},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert not CrossCheckRun.objects.exists()


def test_a_list_without_an_id_number_column_fails_and_its_file_is_deleted(county_admin, world):
    data = xlsx.csv_bytes([["豫H1", "张三"]], headers=["号牌号码", "所有人"])
    run = crosscheck_start(actor=county_admin, upload=SimpleUploadedFile("v.csv", data), source="vehicles")
    path = stored_path(run)
    assert path.exists()
    run_crosscheck(run.pk)
    run.refresh_from_db()
    assert run.status == CrossCheckRunStatus.FAILED
    assert "身份证号" in run.message
    assert not run.file
    assert not path.exists()
    assert run_crosscheck(run.pk)["claimed"] is False  # a redelivery finds it finished


def test_the_demo_shows_a_vehicle_list_match_under_review(regions, xiuwu_village):
    import io

    from households import demo

    make_user(Role.COUNTY_ADMIN, XIUWU, username="countyadmin")  # core's demo administrator of 修武县
    household_with_members(village=xiuwu_village, members=2, file_number=f"{demo.PREFIX}41082100001")
    out = io.StringIO()
    demo._vehicle_list(stdout=out)
    flag = CrossCheckFlag.objects.get()
    assert (flag.rule, flag.status, flag.run.status) == (CrossCheckRule.OWNS_VEHICLE, FlagStatus.OPEN, "done")
    assert not flag.run.file
    assert "1 flag under review" in out.getvalue()


def test_the_flag_list_page_and_endpoint_take_a_fixed_number_of_queries(
    client, api_as, county_admin, xiuwu_village, django_assert_max_num_queries
):
    run = CrossCheckRun.objects.create(
        source="vehicles", file_name="v.csv", region_id=XIUWU, created_by=county_admin, status="done"
    )
    for i in range(30):
        household = household_with_members(village=xiuwu_village, members=1)
        CrossCheckFlag.objects.create(
            run=run, rule=CrossCheckRule.OWNS_VEHICLE, household=household, member=household.members.get(),
            row_number=i + 2, facts={"号牌号码": f"豫H{i:05d}"},
        )  # fmt: skip
    client.force_login(county_admin)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("households:crosscheck_flags"))
    assert len(response.context["page"].object_list) == 30
    api = api_as(county_admin)
    with django_assert_max_num_queries(12):
        assert len(api.get("/api/v1/households/crosschecks/flags/").json()["results"]) == 30


def test_the_funds_reader_answers_for_the_households_it_is_asked_about(world):
    from funds.selectors.crosschecks import payments_after_death

    household = world["van"][0]
    assert payments_after_death({}) == {}
    assert payments_after_death({household.pk: dt.date(2021, 3, 4)}) == {}  # nothing paid to it
