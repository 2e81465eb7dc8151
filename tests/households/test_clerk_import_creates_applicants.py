"""应进则进 (issue 17.2): a clerk's Excel import creates applicants, each with its entry procedure open
at the application step (written set-based with the households), who then go through the reviews,
the notice and the county's approval. Loading an existing register as it stands (the migration) is
the county administrator's mode only: a clerk choosing it is refused, on the page and the API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.exceptions import DomainError
from core.models import Role
from households.models import (
    CaseState,
    Household,
    HouseholdImport,
    HouseholdStatus,
    HouseholdStatusChange,
    ImportKind,
    ProcedureCase,
    ProcedureCaseStatusChange,
    ProcedureKind,
    ProcedureStep,
    Step,
)
from households.services import import_start, procedure_step_record
from households.tasks import run_import
from tests.conftest import XIUWU, make_user

from .test_excel_import import household_row, id_numbers, workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def county_admin(regions):
    """修武县's county administrator (县级管理员)."""
    return make_user(Role.COUNTY_ADMIN, XIUWU, username="countyadmin_xiuwu")


def three_households(village: str, prefix: str) -> bytes:
    numbers = id_numbers(4, seed=17 if prefix == "AP" else 23)
    return workbook([
        household_row(f"{prefix}001", village, "申请一", numbers[0]),
        household_row(f"{prefix}001", village, "申请一妻", numbers[1], relation="配偶"),
        household_row(f"{prefix}002", village, "申请二", numbers[2]),
        household_row(f"{prefix}003", village, "申请三", numbers[3]),
    ])  # fmt: skip


def run(actor, data: bytes, kind: str = ImportKind.APPLICATIONS) -> HouseholdImport:
    job = import_start(actor=actor, upload=SimpleUploadedFile("v.xlsx", data), mode="valid_rows", kind=kind)
    run_import(job.pk)
    job.refresh_from_db()
    return job


def test_the_clerks_import_creates_applicants_each_with_its_entry_procedure_and_registers_nobody(
    clerk, xiuwu_village, minutes, days_ago
):
    job = run(clerk, three_households(xiuwu_village.code, "AP"))
    assert (job.kind, job.households_created, job.members_created) == (ImportKind.APPLICATIONS, 3, 4)
    households = Household.objects.filter(file_number__startswith="AP")
    assert set(households.values_list("status", flat=True)) == {HouseholdStatus.APPLYING}
    assert not households.filter(status=HouseholdStatus.REGISTERED).exists()
    cases = ProcedureCase.objects.filter(household__in=households)
    assert cases.count() == 3
    assert set(cases.values_list("kind", "state", "last_step", "started_by")) == {
        (ProcedureKind.ENTRY, CaseState.OPEN, Step.APPLICATION, clerk.pk)
    }
    assert ProcedureStep.objects.filter(case__in=cases, step=Step.APPLICATION, actor=clerk).count() == 3
    assert set(
        ProcedureCaseStatusChange.objects.filter(case__in=cases).values_list(
            "from_status", "to_status", "actor"
        )
    ) == {("", CaseState.OPEN, clerk.pk)}
    change = HouseholdStatusChange.objects.get(household__file_number="AP002")
    assert (change.from_status, change.to_status, change.actor_id) == ("", HouseholdStatus.APPLYING, clerk.pk)
    assert "第 4 行" in change.note

    # Each applicant then goes through the entry procedure: the next step is the village review.
    applicant = households.get(file_number="AP002")
    assert applicant.procedures.get().next_step == Step.VILLAGE_REVIEW
    procedure_step_record(
        household=applicant, kind="entry", step=Step.VILLAGE_REVIEW, actor=clerk,
        data={"date": days_ago(0), "attendance": 30, "votes_for": 25, "votes_against": 1}, files=[minutes()],
    )  # fmt: skip
    assert applicant.procedures.get().next_step == Step.TOWNSHIP_REVIEW


def test_a_clerk_choosing_the_migration_is_refused_by_the_service_naming_the_field(clerk, xiuwu_village):
    with pytest.raises(DomainError) as refused:
        import_start(
            actor=clerk,
            upload=SimpleUploadedFile("v.xlsx", three_households(xiuwu_village.code, "MG")),
            mode="valid_rows",
            kind=ImportKind.MIGRATION,
        )
    assert refused.value.status_code == 403
    assert "kind" in refused.value.as_dict()
    assert not HouseholdImport.objects.exists()


def test_a_clerk_choosing_the_migration_on_the_page_gets_403_beside_the_field(client, clerk, xiuwu_village):
    client.force_login(clerk)
    page = client.get(reverse("households:import"))
    assert 'value="migration"' not in page.content.decode()  # not offered
    data = three_households(xiuwu_village.code, "MG")
    response = client.post(
        reverse("households:import"),
        {"file": SimpleUploadedFile("v.xlsx", data), "mode": "valid_rows", "kind": "migration"},
    )
    assert response.status_code == 403
    assert "县级管理员" in response.content.decode() or "county administrator" in response.content.decode()
    assert not HouseholdImport.objects.exists()


def test_a_clerk_choosing_the_migration_through_the_api_gets_403_naming_the_field(
    api_as, clerk, xiuwu_village
):
    api = api_as(clerk)
    response = api.post(
        "/api/v1/households/imports/",
        {
            "file": SimpleUploadedFile("v.xlsx", three_households(xiuwu_village.code, "MG")),
            "kind": "migration",
        },
        format="multipart",
    )
    assert response.status_code == 403, response.content
    assert response.json()["errors"].keys() == {"kind"}
    assert not HouseholdImport.objects.exists()


def test_the_county_administrator_migrates_an_existing_register_as_registered_households(
    client, county_admin, xiuwu_village
):
    client.force_login(county_admin)
    assert 'value="migration"' in client.get(reverse("households:import")).content.decode()
    job = run(county_admin, three_households(xiuwu_village.code, "MG"), kind=ImportKind.MIGRATION)
    assert (job.kind, job.households_created) == (ImportKind.MIGRATION, 3)
    households = Household.objects.filter(file_number__startswith="MG")
    assert set(households.values_list("status", flat=True)) == {HouseholdStatus.REGISTERED}
    assert not ProcedureCase.objects.filter(household__in=households).exists()
    change = HouseholdStatusChange.objects.get(household__file_number="MG002")
    assert (change.to_status, change.actor_id) == (HouseholdStatus.REGISTERED, county_admin.pk)


def test_the_county_administrator_role_is_county_level_and_manages_the_countys_accounts(county_admin, clerk):
    from core.services import assignable_roles

    assert county_admin.has_perm("households.migrate_register")
    assert not clerk.has_perm("households.migrate_register")
    assert county_admin.has_perm("core.add_user")
    assert county_admin.has_perm("core.change_officer")
    assert county_admin.region_id == XIUWU
    # Least privilege: it runs the county's cross-checks and imports but does not edit the register
    # by hand (the clerks do), record procedure steps or the guarantees' facts.
    assert county_admin.has_perm("households.run_crosscheck")
    for perm in ("change_household", "change_member", "add_household", "run_procedure"):
        assert not county_admin.has_perm(f"households.{perm}"), perm
    # Never makes administrators, of the city or of a county.
    assert {Role.ADMIN, Role.COUNTY_ADMIN}.isdisjoint(assignable_roles(county_admin))
