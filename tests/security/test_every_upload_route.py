"""Every route that takes a file goes through core.uploads, and refuses each bad file in the request.

The routes are found from the URL conf: a view that accepts files declares its file fields
(`upload_fields`), core.uploads.UploadRoutesMiddleware refuses a file sent to any view or field that
did not, and a scan of the views finds one that reads files (request.FILES, a form or serializer
with a file field) without declaring them. Each declared route needs a row in ROUTES (a new route
without one fails), and each row is sent: a good file (accepted, stored encrypted) and every bad
one (an HTML page renamed, 26 MB of random bytes, a zip bomb, an SVG with a script, a renamed .exe),
each refused with 400 (a page re-renders its form with the error beside the field; `form=None` would
mark a page that redirects with an error message instead) naming the field, with nothing stored,
written or queued.
"""

from __future__ import annotations

import datetime as dt
import inspect
import io
import os
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import RequestFactory
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from openpyxl import Workbook
from rest_framework import serializers as drf

from core.models import Role
from core.uploads import UploadRoutesMiddleware, upload_fields_of
from core.uploads.routes import takes_multipart
from tests.conftest import XIUWU, make_user

pytestmark = pytest.mark.django_db


# --- the URL conf --------------------------------------------------------------------------------


def url_routes() -> list[tuple[str, str, Callable]]:
    """(name, pattern, view) of every route; the name is namespaced, or the pattern if unnamed."""

    def walk(patterns, prefix="", namespace=None):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = entry.namespace and (
                    f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                )
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner or namespace)
            else:
                route = prefix + str(entry.pattern)
                name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or route)
                yield name, route, entry.callback

    return list(walk(get_resolver().url_patterns))


def declared_routes() -> dict[str, tuple[str, ...]]:
    return {name: upload_fields_of(view) for name, _route, view in url_routes() if upload_fields_of(view)}


def _takes_files(cls) -> bool:
    if isinstance(cls, type) and issubclass(cls, forms.BaseForm):
        return any(isinstance(f, forms.FileField) for f in cls.base_fields.values())
    if isinstance(cls, type) and issubclass(cls, drf.Serializer):
        fields = cls._declared_fields.values()
        return any(
            isinstance(f, drf.FileField) or isinstance(getattr(f, "child", None), drf.FileField)
            for f in fields
        )
    return False


def reads_files(view) -> bool:
    """Static scan: the view's source reads request.FILES or names a form/serializer with a file field;
    an admin page, when its model has a file field."""
    model_admin = getattr(view, "model_admin", None)
    if model_admin is not None:
        return any(isinstance(f, models.FileField) for f in model_admin.model._meta.get_fields())
    owner = getattr(view, "view_class", None) or getattr(view, "cls", None) or view
    try:
        source = inspect.getsource(owner)
    except (OSError, TypeError):
        return False
    if "FILES" in source:
        return True
    module = inspect.getmodule(owner)
    for dotted in set(re.findall(r"\b[A-Za-z_]\w*(?:\.[A-Z]\w*)?", source)):
        target = module
        for part in dotted.split("."):
            target = getattr(target, part, None)
        if _takes_files(target):
            return True
    return False


# --- the rows ------------------------------------------------------------------------------------


@dataclass
class Route:
    persona: Callable  # world → user
    url: Callable  # world → path
    field: str
    good: Callable[[], tuple[str, bytes]]  # a file the route accepts
    data: Callable = lambda world: {}  # the other fields of a valid request
    api: bool = False
    form: str | None = "form"  # the page's form in the context; None: the page redirects with a message
    extra: dict = field(default_factory=dict)
    # The view's other file fields, declared beside `field` (a village's exit takes each infrastructure
    # item's evidence in its own field at the verification); the row sends `field`.
    also: tuple[str, ...] = ()


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def households_xlsx():
    return "households.xlsx", xlsx([["户编号", "村代码", "姓名", "身份证号"]])


def vehicles_csv():
    return "车管所.csv", "号牌号码,身份证号\r\n豫H12345,410821199001011234\r\n".encode("gbk")


def problems_xlsx():
    return "173.xlsx", xlsx([["序号", "类别", "问题描述"], [1, "识别不精准", "有的地方工作不扎实"]])


def pdf():
    return "minutes.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def jpeg():
    return "site.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 200


def appraisal(world):
    return {"grade": "C", "date": timezone.localdate().isoformat(), "appraiser": "县住建局"}


def vote(world):
    return {"date": timezone.localdate().isoformat(), "attendance": 40, "votes_for": 35, "votes_against": 2}


def problem_list(world):
    return {
        "title": "测试清单",
        "issued_on": "2017-05-01",
        "answer_deadline": "2017-06-10",
        "issued_by": "省扶贫办",
    }


VILLAGE_ITEM_FIELDS = ("evidence_road", "evidence_power", "evidence_water", "evidence_broadband", "evidence_clinic",
                       "evidence_culture")  # fmt: skip

ROUTES: dict[str, Route] = {
    "households:import": Route(
        lambda w: w.clerk, lambda w: reverse("households:import"), "file", households_xlsx,
        data=lambda w: {"mode": "valid_rows"},
    ),
    "api:import_create": Route(
        lambda w: w.clerk, lambda w: "/api/v1/households/imports/", "file", households_xlsx,
        data=lambda w: {"mode": "valid_rows"}, api=True,
    ),
    # 数据比对 (issue 17.6): another department's list, xlsx or CSV.
    "households:crosschecks": Route(
        lambda w: w.county_admin, lambda w: reverse("households:crosschecks"), "file", vehicles_csv,
        data=lambda w: {"source": "vehicles"},
    ),
    "api:crosscheck_create": Route(
        lambda w: w.county_admin, lambda w: "/api/v1/households/crosschecks/", "file", vehicles_csv,
        data=lambda w: {"source": "vehicles"}, api=True,
    ),
    "households:step": Route(
        lambda w: w.clerk, lambda w: reverse("households:step", args=[w.applicant.pk, "entry", "village_review"]),
        "files", pdf, data=vote,
    ),
    "api:procedure_step": Route(
        lambda w: w.clerk, lambda w: f"/api/v1/households/{w.applicant.pk}/procedures/entry/", "files", pdf,
        data=lambda w: {**vote(w), "step": "village_review"}, api=True,
    ),
    # 危房鉴定's photo (issue 17.1).
    "households:guarantee_record": Route(
        lambda w: w.clerk, lambda w: reverse("households:guarantee_record", args=[w.applicant.pk, "appraisal"]),
        "photo", jpeg, data=appraisal,
    ),
    "api:guarantee_appraisal": Route(
        lambda w: w.clerk, lambda w: f"/api/v1/households/{w.applicant.pk}/guarantees/appraisal/", "photo", jpeg,
        data=appraisal, api=True,
    ),
    "inspections:item_detail": Route(
        lambda w: w.clerk, lambda w: reverse("inspections:item_detail", args=[w.item.pk]), "files", pdf,
        data=lambda w: {"action": "submit", "evidence_note": "已补齐档卡"}, form="submit_form",
    ),
    "api:inspections_api:item_submit": Route(
        lambda w: w.clerk, lambda w: f"/api/v1/inspections/items/{w.item.pk}/submit/", "files", pdf,
        data=lambda w: {"evidence_note": "已补齐档卡"}, api=True,
    ),
    "api:inspections_api:finding_photo_upload": Route(
        lambda w: w.inspector, lambda w: f"/api/v1/inspections/findings/{w.finding.pk}/photos/", "photo", jpeg,
        data=lambda w: {"client_uuid": "6f1c3f4e-8a57-4c0e-9a3b-6d1e2f3a4b5c"}, api=True,
    ),
    # Evidence of an answer "not present here" (issue 19.6).
    "inspections:recipient_detail": Route(
        lambda w: w.clerk, lambda w: reverse("inspections:recipient_detail", args=[w.answer.recipient_id]),
        "files", pdf, data=lambda w: {"answer": w.answer.pk, "status": "absent", "note": "经自查不存在"},
    ),
    "api:inspections_api:answer_absent": Route(
        lambda w: w.clerk, lambda w: f"/api/v1/inspections/answers/{w.answer.pk}/absent/", "files", pdf,
        data=lambda w: {"note": "经自查不存在"}, api=True,
    ),
    "inspections:problem_list_import": Route(
        lambda w: w.admin, lambda w: reverse("inspections:problem_list_import"), "file", problems_xlsx,
        data=problem_list,
    ),
    "api:inspections_api:problem_list_import": Route(
        lambda w: w.admin, lambda w: "/api/v1/inspections/problem-lists/import/", "file", problems_xlsx,
        data=problem_list, api=True,
    ),
    "policies:task_detail": Route(
        lambda w: w.clerk, lambda w: reverse("policies:task_detail", args=[w.task.pk]), "file", pdf,
        data=lambda w: {"title": "配套办法", "url": ""},
    ),
    "api:policies_task_evidence": Route(
        lambda w: w.clerk, lambda w: f"/api/v1/policies/tasks/{w.task.pk}/evidence/", "file", pdf,
        data=lambda w: {"title": "配套办法"}, api=True,
    ),
    "assistance:evidence_upload": Route(
        lambda w: w.assist, lambda w: reverse("assistance:evidence_upload", args=[w.measure.pk]), "file", pdf,
        form="evidence_form",
    ),
    "api:assistance_measure_evidence": Route(
        lambda w: w.assist, lambda w: f"/api/v1/assistance/measures/{w.measure.pk}/evidence/", "file", pdf,
        api=True,
    ),
    # The photo of a visit, sent by the phone after the visit (issue 18.2).
    "api:assistance_visit_photo": Route(
        lambda w: w.assist, lambda w: f"/api/v1/assistance/visits/{w.visit.pk}/photo/", "photo", jpeg, api=True,
    ),
    "funds:bank_home": Route(
        lambda w: w.finance, lambda w: reverse("funds:bank_home"), "file", lambda: bank_return_xlsx(),
        data=lambda w: {"action": "return", "bank": w.bank.pk, "county": XIUWU},
    ),
    # The bank's return file through the API (issue 20.4), the same service: a CSV file here.
    "api:funds_bank_return_list": Route(
        lambda w: w.finance, lambda w: "/api/v1/funds/bank/returns/", "file", lambda: bank_return_csv(),
        data=lambda w: {"bank": w.bank.pk, "county": XIUWU}, api=True,
    ),
    # 贫困村退出 (issue 18.4): the township review's papers on a village whose criteria are verified.
    "households:village_exit_step": Route(
        lambda w: w.clerk, lambda w: reverse("households:village_exit_step", args=[w.exit_village, "township_review"]),
        "files", pdf, data=lambda w: {"date": timezone.localdate().isoformat(), "approved": "on"},
        also=VILLAGE_ITEM_FIELDS,
    ),
    "api:village_exit": Route(
        lambda w: w.clerk, lambda w: f"/api/v1/households/villages/{w.exit_village}/exit/", "files", pdf,
        data=lambda w: {"step": "township_review", "approved": "true"}, api=True, also=VILLAGE_ITEM_FIELDS,
    ),
}  # fmt: skip


def bank_return_xlsx():
    return "回盘文件.xlsx", xlsx(
        [["业务编号", "金额", "处理结果", "失败原因"], ["FP000001-1", "1.00", "成功", ""]]
    )


def bank_return_csv():
    return "回盘文件.csv", "业务编号,金额,处理结果,失败原因\r\nFP000001-1,1.00,成功,\r\n".encode("gbk")


# --- the bad files -------------------------------------------------------------------------------


@cache
def random_26mb() -> bytes:
    return os.urandom(26 * 1024 * 1024)


@cache
def zip_bomb() -> bytes:
    """A workbook's parts and 200 MB of zeros: about 200 KB on the wire."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("word/document.xml", "<document/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            for _ in range(200):
                sheet.write(b"\0" * (1024 * 1024))
    return buffer.getvalue()


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.cookie)</script></svg>'
)
HTML = b"<!DOCTYPE html><html><body><script>fetch('/api/v1/households/').then(r=>r.text())</script></body></html>"
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + b"PE\x00\x00"
    + b"\x00" * 200
)

BAD_FILES: dict[str, Callable[[str], tuple[str, bytes]]] = {
    "html renamed": lambda ext: (f"report{ext}", HTML),
    "26 MB of random bytes": lambda ext: (f"big{ext}", random_26mb()),
    "zip bomb": lambda ext: (f"bomb{ext}", zip_bomb()),
    "svg with a script": lambda ext: ("drawing.svg", SVG),
    "exe renamed": lambda ext: (f"setup{ext}", EXE),
}


# --- the world the rows act in -------------------------------------------------------------------


class World:
    def __init__(self):
        from assistance.models import Measure  # noqa: F401 - the app's factories below need it
        from households.services import household_register
        from inspections import services as inspections
        from policies import services as policies
        from tests.factories.assistance import MeasureFactory, PlanFactory
        from tests.factories.households import HouseholdFactory, first_village, household_data, member_data
        from tests.factories.inspections import (
            FindingFactory,
            county_office,
            inspection_group,
            inspector_user,
        )

        self.clerk = make_user(Role.COUNTY_CLERK, XIUWU, username="clerk_uploads")
        self.county_admin = make_user(Role.COUNTY_ADMIN, XIUWU, username="county_admin_uploads")
        self.admin = make_user(Role.ADMIN, "410800000000", username="admin_uploads", is_superuser=True)
        self.assist = make_user(Role.ASSISTANCE_OFFICER, XIUWU, username="assist_uploads")
        self.inspector = inspector_user(inspection_group("上传"), username="inspector_uploads")
        self.applicant = household_register(
            actor=self.clerk, village=first_village(), data=household_data(), members=[member_data()]
        )
        office = county_office(XIUWU)
        self.finding = FindingFactory(responsible_unit=office)
        self.item = inspections.rectification_item_create(
            actor=self.inspector, finding=self.finding, responsible_unit=office,
            deadline=timezone.localdate() + dt.timedelta(days=10), description="补齐档卡资料",
        )  # fmt: skip
        from core.models import Region, UnitKind
        from tests.factories.core import UnitFactory

        policy = policies.policy_create(
            system="1+16", number=1, title="转移就业脱贫实施方案", issued_on=dt.date(2016, 3, 1),
            region=Region.objects.get(code="410800000000"), actor=self.admin,
        )  # fmt: skip
        self.task = policies.policy_task_assign(
            policy=policy, recipient=UnitFactory(region=Region.objects.get(code=XIUWU), kind=UnitKind.GOVERNMENT),
            requirement="出台县级配套实施办法", deadline=timezone.localdate() + dt.timedelta(days=10), actor=self.admin,
        )  # fmt: skip
        from funds.services import bank_create

        self.finance = make_user(Role.FINANCE_OFFICER, XIUWU, username="finance_uploads")
        self.bank = bank_create(name="上传测试银行")
        # A province list sent to the county's government: the clerk answers its first problem.
        plist = inspections.problem_list_import(
            actor=self.admin, upload=SimpleUploadedFile(*problems_xlsx()), title="上传测试清单",
            issued_on=dt.date(2017, 5, 1), answer_deadline=dt.date(2099, 6, 10),
        )  # fmt: skip
        government = UnitFactory(region=Region.objects.get(code=XIUWU), kind=UnitKind.GOVERNMENT)
        inspections.problem_list_send(actor=self.admin, problem_list=plist, units=[government])
        self.answer = plist.recipients.get().answers.get()
        household = HouseholdFactory(village=first_village(), main_cause="illness")
        self.measure = MeasureFactory(plan=PlanFactory(household=household, year=timezone.localdate().year))
        # The assistance officer is the household's responsible officer and has visited it (issue 18.2).
        import uuid

        from assistance.models import Visit
        from tests.factories.core import OfficerFactory

        self.assist.officer = OfficerFactory(unit=UnitFactory(region=Region.objects.get(code=XIUWU)))
        self.assist.save(update_fields=["officer"])
        household.assistance_officer = self.assist.officer
        household.save(update_fields=["assistance_officer"])
        self.visit = Visit.objects.create(
            client_uuid=uuid.uuid4(), household=household, officer=self.assist.officer,
            visited_on=timezone.localdate(), activities="走访", satisfaction="satisfied", recorded_by=self.assist,
        )  # fmt: skip
        # A poor village whose exit criteria are verified (recorded here without files: the media stays empty).
        from households.models import PoorVillage, VillageExitCase

        village = PoorVillage.objects.create(village=first_village(), identified_year=2014)
        case = VillageExitCase.objects.create(
            poor_village=village,
            year=timezone.localdate().year,
            started_by=self.clerk,
            last_step="verification",
        )
        case.steps.create(step="verification", actor=self.clerk, date=timezone.localdate())
        self.exit_village = village.village_id

    @staticmethod
    def written() -> dict:
        """What a refused upload must leave as it was."""
        from assistance.models import Evidence, Visit
        from funds.models import BankReturn
        from households.models import (
            CrossCheckRun,
            HouseholdImport,
            HousingAppraisal,
            ProcedureStep,
            StepEvidence,
            VillageExitEvidence,
            VillageExitStep,
        )
        from inspections.models import (
            AnswerEvidence,
            FindingPhoto,
            ProblemAnswer,
            ProvinceProblemList,
            RectificationEvidence,
            RectificationItem,
        )
        from policies.models import PolicyEvidence, PolicyTask

        return {
            "imports": HouseholdImport.objects.count(),
            "steps": ProcedureStep.objects.count(),
            "step evidence": StepEvidence.objects.count(),
            "photos": FindingPhoto.objects.count(),
            "item evidence": RectificationEvidence.objects.count(),
            "items submitted": RectificationItem.objects.exclude(status="open").count(),
            "problem lists": ProvinceProblemList.objects.count(),
            "answer evidence": AnswerEvidence.objects.count(),
            "answers given": ProblemAnswer.objects.exclude(status="unanswered").count(),
            "policy evidence": PolicyEvidence.objects.count(),
            "tasks implemented": PolicyTask.objects.filter(status="implemented").count(),
            "assistance evidence": Evidence.objects.count(),
            "visit photos": Visit.objects.exclude(photo="").count(),
            "cross-check runs": CrossCheckRun.objects.count(),
            "bank return files": BankReturn.objects.count(),
            "housing appraisals": HousingAppraisal.objects.count(),
            "village exit steps": VillageExitStep.objects.count(),
            "village exit evidence": VillageExitEvidence.objects.count(),
        }


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def world(regions, media):
    return World()


def stored_files(media: Path) -> list[Path]:
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


def send(client, api_client, route: Route, world: World, name: str, data: bytes):
    user = route.persona(world)
    body = {
        **route.data(world),
        route.field: SimpleUploadedFile(name, data, content_type="application/octet-stream"),
    }
    if route.api:
        api_client.force_authenticate(user=user)
        return api_client.post(route.url(world), body, format="multipart")
    client.force_login(user)
    return client.post(route.url(world), body)


# --- the tests -----------------------------------------------------------------------------------


def test_every_route_that_takes_files_has_a_row():
    declared = declared_routes()
    assert set(declared) == set(ROUTES), "declare upload_fields on the view and add a row here"
    for name, fields in declared.items():
        assert fields == (ROUTES[name].field, *ROUTES[name].also), name


def test_no_view_reads_files_without_declaring_them():
    undeclared = sorted(
        name for name, _route, view in url_routes() if not upload_fields_of(view) and reads_files(view)
    )
    assert undeclared == []


def test_the_route_scan_sees_a_view_that_reads_files():
    """The scan is not vacuous: each kind of upload view it must catch is caught."""
    from django.views import View

    class ReadsFiles(View):
        def post(self, request):
            return request.FILES.get("x")

    class WithForm(View):
        def post(self, request):
            return ExampleForm(request.POST)

    assert reads_files(ReadsFiles.as_view())
    assert reads_files(WithForm.as_view())
    assert all(reads_files(view) for name, _r, view in url_routes() if name in ROUTES)


class ExampleForm(forms.Form):
    attachment = forms.FileField()


@pytest.mark.parametrize("name", sorted({n for n, _r, _v in url_routes()} - set(ROUTES)))
def test_a_file_sent_to_any_other_route_is_refused(name):
    view = next(v for n, _r, v in url_routes() if n == name)
    request = RequestFactory().post("/x/", {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")})
    response = UploadRoutesMiddleware(lambda r: None).process_view(request, view, (), {})
    if not takes_multipart(view):
        # An API view whose bodies are JSON: no parser of its reads a file, and DRF answers the multipart
        # body 415 once the caller is authenticated (tests/core/test_generated_client.py); unread here.
        assert response is None, name
        return
    assert response is not None, name
    assert response.status_code == 400, name


def test_the_middleware_is_installed_and_refuses_a_stray_field(client, api_client, world, media, settings):
    assert "core.uploads.UploadRoutesMiddleware" in settings.MIDDLEWARE
    before = World.written()
    # A page that takes no file.
    client.force_login(world.clerk)
    response = client.post(
        reverse("households:income", args=[world.applicant.pk]), {"x": SimpleUploadedFile(*pdf())}
    )
    assert response.status_code == 400
    assert "x" in response.content.decode()
    # An upload route, the file under another field name.
    api_client.force_authenticate(user=world.clerk)
    response = api_client.post(
        "/api/v1/households/imports/", {"other": SimpleUploadedFile(*households_xlsx())}, format="multipart"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["other"]
    assert World.written() == before
    assert stored_files(media) == []


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_a_good_file_is_accepted_and_stored_encrypted(name, client, api_client, world, media):
    route = ROUTES[name]
    before = World.written()
    file_name, data = route.good()
    response = send(client, api_client, route, world, file_name, data)
    assert response.status_code in (200, 201, 202, 302), (
        response.status_code,
        getattr(response, "content", b"")[:500],
    )
    if route.form is None:
        assert not [m for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
    after = World.written()
    if name.endswith("problem_list_import"):
        assert after["problem lists"] == before["problem lists"] + 1  # read in the request, not kept
    else:
        assert after != before
        files = stored_files(media)
        assert len(files) == 1
        assert files[0].read_bytes().startswith(b"gAAAAA")  # encrypted with the PII key
        assert data not in files[0].read_bytes()


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_each_bad_file_is_refused_naming_the_field_and_nothing_is_stored_or_queued(
    name, client, api_client, world, media, django_capture_on_commit_callbacks
):
    """One world per route, every bad file sent in turn (a refusal leaves nothing behind)."""
    route = ROUTES[name]
    ext = Path(route.good()[0]).suffix
    before = World.written()
    for bad, make in BAD_FILES.items():
        file_name, data = make(ext)
        with django_capture_on_commit_callbacks() as queued:
            response = send(client, api_client, route, world, file_name, data)
        if route.api:
            assert response.status_code == 400, (bad, response.content[:300])
            body = response.json()
            assert list(body["errors"]) == [route.field], (bad, body)
            assert body["errors"][route.field][0], bad
        elif route.form is None:
            assert response.status_code == 302, bad
            errors = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
            assert errors, (bad, "no error message")
            assert "文件" in errors[-1], (bad, errors)
        else:
            assert response.status_code == 400, bad
            form = response.context[route.form]
            assert route.field in form.errors, (bad, form.errors)
            assert str(form.errors[route.field][0]) in response.content.decode(), bad
        assert World.written() == before, bad
        assert stored_files(media) == [], bad
        assert queued == [], bad
