"""The bodies that do each job (issue 19.4): the members of the two groups that did all of accountability
move to the roles of the bodies, and the groups go.

- `organisation_department_assessment` (the annual assessment, 19.1) → the organisation department role.
- `accountability_officer` ("组织部/纪委") → by the unit of the user's officer: an organisation department
  (组织部) → the organisation department; a discipline commission or supervision bureau (纪委, 监察) → the
  discipline commission; the supervision group (督导组) → the supervision group. A member whose unit says
  nothing (no officer, another unit) gets all three roles, so that nobody loses a task the group gave them
  before an administrator narrows it; only the two grants no body keeps go (the monthly score's
  `add_monthlyscore`, which no code checks, and the rectification acceptance, the city reviewers' task).

The roles' permissions are written after the migration (core.roles.sync_roles); the users moved get a new
`authz_stamp` so no process keeps their old grants. Going back leaves the roles as they are.
"""

import uuid

from django.db import migrations

ORGANISATION, DISCIPLINE, SUPERVISION = (
    "organisation_department",
    "discipline_commission",
    "supervision_group",
)


def _roles_for(officer) -> list[str]:
    unit = officer.unit if officer is not None else None
    if unit is None:
        return [ORGANISATION, DISCIPLINE, SUPERVISION]
    name = unit.name or ""
    if "督导" in name:
        return [SUPERVISION]
    if unit.department == "organisation" or "组织部" in name:
        return [ORGANISATION]
    if unit.department == "supervision" or "纪" in name or "监察" in name:
        return [DISCIPLINE]
    return [ORGANISATION, DISCIPLINE, SUPERVISION]


def move_members(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("core", "User")
    roles = {
        name: Group.objects.get_or_create(name=name)[0] for name in (ORGANISATION, DISCIPLINE, SUPERVISION)
    }
    moved = set()
    assessment = Group.objects.filter(name="organisation_department_assessment").first()
    if assessment is not None:
        for user in User.objects.filter(groups=assessment):
            user.groups.add(roles[ORGANISATION])
            moved.add(user.pk)
        assessment.delete()
    officers = Group.objects.filter(name="accountability_officer").first()
    if officers is not None:
        for user in User.objects.filter(groups=officers).select_related("officer__unit"):
            user.groups.add(*(roles[name] for name in _roles_for(user.officer)))
            moved.add(user.pk)
        officers.delete()
    if moved:
        User.objects.filter(pk__in=moved).update(authz_stamp=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("accountability", "0004_annual_assessment_appeals_vetoes"),
        ("core", "0004_id_probe_count"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(move_members, migrations.RunPython.noop)]
