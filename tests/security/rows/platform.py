"""Routes that come from the framework: log-in, log-out, language switch, health, API docs, admin."""

from __future__ import annotations

from tests.security.authz_matrix import (
    ADMIN_LOGIN,
    ANONYMOUS,
    FORBIDDEN,
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    REDIRECT,
    ROLES,
    Answer,
    Route,
    Rule,
    expect,
    fixed,
    row,
)

PUBLIC = expect(default=OK)
TO_HOME = Answer(302, location="/", exact=True, name="302→home")

ROWS = [
    row(
        "home",
        GET=expect(anonymous=LOGIN, default=OK),
        note="every role has a home page; a visitor is sent to log in",
    ),
    row("healthz", GET=PUBLIC, note="public for load balancers; says only ok/down"),
    row(
        "set_language",
        case=fixed(data={"language": "en", "next": "/"}),
        GET=expect(default=TO_HOME),
        POST=expect(default=TO_HOME),
    ),
    row(
        "login",
        case=fixed(data={"username": "nobody", "password": "wrong-password"}),
        GET=expect(anonymous=OK, default=TO_HOME),
        POST=expect(anonymous=OK, default=TO_HOME),
        note="a wrong password re-shows the form (200); axes counts it",
    ),
    row(
        "logout",
        GET=expect(default=NOT_ALLOWED),
        POST=expect(default=LOGIN),
        note="log-out is POST only (no log-out by a cross-site link)",
    ),
    row("schema", GET=PUBLIC, note="the schema is public: it describes, it holds no data"),
    row("swagger-ui", GET=PUBLIC),
    row("redoc", GET=PUBLIC),
]


# --- The admin site: every route under /admin/, whatever models the apps register. ---------
ADMIN_INDEX = Answer(302, location="/admin/", name="302→admin")
NO_SUCH_OBJECT = "999999999"
# Their model admins refuse adding (axes, pghistory) or deleting (pghistory, the public-board
# switch of inspections, a single row) rows; the check is
# on the permission, before the object is looked up.
NO_ADDING = ("admin/axes/", "admin/pghistory/")
NO_DELETING = ("admin/pghistory/", "admin/inspections/publicboardsettings/")


def _refused_by_model_admin(route: Route) -> bool:
    name = route.name or ""
    return (name.endswith("_add") and route.pattern.startswith(NO_ADDING)) or (
        name.endswith("_delete") and route.pattern.startswith(NO_DELETING)
    )


def _admin_answers(route: Route) -> dict[str, dict]:
    name = route.name or ""
    if name == "admin:login":
        outsider, admin = OK, ADMIN_INDEX
        anonymous = OK
    elif name == "admin:logout":
        outsider, admin, anonymous = ADMIN_INDEX, NOT_ALLOWED, ADMIN_INDEX
    else:
        outsider = anonymous = ADMIN_LOGIN
        if route.name is None and route.pattern.endswith("(?P<url>.*)$"):
            admin = NOT_FOUND  # the catch-all: an unknown admin page
        elif route.name is None:
            admin = REDIRECT  # <object_id>/ → <object_id>/change/
        elif name == "admin:view_on_site":
            admin = NOT_FOUND
        elif name == "admin:autocomplete":
            admin = FORBIDDEN  # without a field to complete
        elif _refused_by_model_admin(route):
            admin = FORBIDDEN
        elif "object_id" in route.params:
            admin = ADMIN_INDEX  # change / delete / history of a missing object: back to the index
        else:
            admin = OK
    by_role = dict.fromkeys(ROLES, outsider)
    by_role[ANONYMOUS] = anonymous
    by_role["admin"] = admin
    return {"GET": expect(**by_role)}


def _admin_kwargs(route: Route) -> dict:
    values = {"object_id": NO_SUCH_OBJECT, "content_type_id": NO_SUCH_OBJECT, "url": "no-such-page/"}
    values["app_label"] = "auth"
    return {k: v for k, v in values.items() if k in route.params}


RULES = [
    Rule(
        prefix="admin/",
        methods=_admin_answers,
        kwargs=_admin_kwargs,
        summary={
            **dict.fromkeys(ROLES, "302→admin login"),
            "admin": "200 (403 where the model admin refuses adding; 302/404 for missing objects)",
        },
        note="only staff (the admin role) passes the admin site's own check; everyone else is sent "
        "to the admin log-in, whatever the object",
    )
]
