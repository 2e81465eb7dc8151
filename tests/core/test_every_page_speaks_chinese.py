"""Every page speaks Chinese (issue 21, acceptance 1): every GET route of the URL conf, rendered with
the demo data in zh-hans as a persona that may open it, shows no untranslated English and no raw enum
value or field name — in its text, and in the attributes a person reads (`title`, `placeholder`,
`aria-label`, `alt`, a phone card's `data-label`, a button's `value`) — outside <script> and <style>.

The demo data of every app is seeded once for the module (the accountability demo scores one month,
not three) and rolled back after it. The walk reuses the authorization matrix's route enumeration
(tests/security/authz_matrix.py, `url_routes`); a route's URL arguments name a real object of the
demo data (`ARGUMENTS` below). Each route is read by the personas in `PERSONAS` order until one gets
a 200 HTML page (the first persona that may open it); the home page, whose work list differs by role,
is read by every persona, and the superuser reads every page too (it sees what permissions hide). Every
(route, persona, text) found is reported at once.

A route of the URL conf that is neither walked nor listed in `NOT_WALKED` (with its reason) fails
`test_every_page_route_is_walked_or_listed`, so a new page cannot escape the walk.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.test import Client

from core.models import User
from tests.conftest import rolled_back_after_scope
from tests.security.authz_matrix import Route, url_routes

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"  # a visitor: the log-in page and the village's public board
# The order personas are tried in: the county's own roles first (who work in the pages), the city's
# bodies next, the leader and the superuser last (they may open nearly everything).
PERSONAS = (
    "clerk", "countyadmin", "township", "assist", "secretary", "finance", "auditor", "inspector",
    "reviewer", "zuzhibu", "jiwei", "dudao", "leader", "admin", ANONYMOUS,
)  # fmt: skip
# Each page is read by the first persona that gets a 200 and by the superuser, who also sees every part
# a permission hides from that persona (a section of the officer's page, an action). Pages whose content
# differs by role (the work list) are read by every persona that gets a 200.
SUPERUSER = "admin"
EVERY_PERSONA = {"home", "accountability:my_record"}

# A route that answers GET with 405 (to every persona it lets past its permission check) only changes
# data: it has no page.
NO_GET = 405
# Routes not walked, each with the reason. Prefixes first.
NOT_WALKED_PREFIXES = {
    "api/": "the JSON API (its texts are checked by the API's own tests; no page is shown)",
    "admin/": "Django's admin site: staff only, in Django's own translations",
}
NOT_WALKED = {
    "healthz": "a probe for the load balancer, plain text",
    "set_language": "POST only: switches the language",
    "logout": "POST only: logs out",
    "inspections:service_worker": "JavaScript (the offline filing's service worker), not a page",
    # Downloads: their contents are not HTML (tests/security/test_xlsx_exports.py reads the workbooks).
    "households:export": "an .xlsx download",
    "households:import_template": "an .xlsx download",
    "households:import_report": "an .xlsx download",
    "assistance:export": "an .xlsx download",
    "dashboard:rows_export": "an .xlsx download (tests/dashboard/test_drill_down_lists_export_their_rows.py)",
    "dashboard:board_rows_export": "an .xlsx download",
    "dashboard:board_target_rows_export": "an .xlsx download",
    "dashboard:target_rows_export": "an .xlsx download",
    "accountability:bulletin_xlsx": "an .xlsx download",
    "accountability:annual_bulletin_xlsx": "an .xlsx download",
    "accountability:veto_xlsx": "an .xlsx download",
    "funds:payment_file_download": "the bank's payment file (text for the bank), a download",
    "assistance:evidence_download": "an uploaded file, served as it was uploaded",
    "assistance:visit_photo": "an uploaded photo",
    "households:step_evidence": "an uploaded file",
    "households:appraisal_photo": "an uploaded photo",
    "households:village_exit_evidence": "an uploaded file",
    "inspections:photo": "an uploaded photo",
    "inspections:evidence_file": "an uploaded file",
    "policies:evidence_file": "an uploaded file",
    # Not pages of their own.
    "funds:pick_households": "JSON for the household picker (its labels are the households' data)",
    "funds:pick_measures": "JSON for the measure picker",
    "funds:pick_payees": "JSON for the payee picker",
    "inspections:pick_units": "JSON for the finding forms' unit picker",
    "inspections:pick_villages": "JSON for the finding form's village picker",
    "inspections:pick_households": "JSON for the finding form's household picker",
    "accountability:pick_officers": "JSON for the case form's officer picker",
    "accountability:pick_units": "JSON for the case form's unit picker",
    "accountability:bulletin_latest": "a redirect to the latest bulletin's page (walked as bulletin_detail)",
}


# ---------------------------------------------------------------------------------------------
# The demo data, and a real object of it for each route's URL arguments.
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo(demo_database, django_db_blocker):
    """The run's demo (tests/demo_db.py), with a campaign and tokens of this module's own."""
    yield from rolled_back_after_scope(django_db_blocker, _seed)


def _seed() -> None:
    _campaign()
    _tokens()


def _campaign() -> None:
    """The demo starts no re-verification campaign: one over a village of 修武县, as a clerk would
    (its page and its checks' pages are walked)."""
    from households.models import Household
    from households.services.campaigns import campaign_create

    household = Household.objects.filter(village__code__startswith="410821").order_by("pk").first()
    clerk = User.objects.get(username="clerk")
    campaign_create(actor=clerk, name="2026年动态调整入户复查", region=household.village)


def _tokens() -> None:
    """The demo issues no API token and makes no service account: a clerk's token, and the county's
    data interface with one, as an administrator would."""
    from core.models import ApiToken, Region
    from core.services import service_account_create

    admin = User.objects.get(username="admin")
    interface = service_account_create(
        actor=admin,
        username="xiuwu_jiekou",
        full_name="修武县数据接口",
        region=Region.objects.get(code="410821000000"),
    )
    ApiToken.issue(user=interface, name="数据交换", days=30)
    ApiToken.issue(user=User.objects.get(username="clerk"), name="离线填报", days=30)


def _first(model_path: str, **filters):
    app, name = model_path.split(".")
    from django.apps import apps

    return apps.get_model(app, name).objects.filter(**filters).order_by("pk").first()


def _pk(model_path: str, kwarg: str = "pk", **filters) -> Callable[[], list[dict]]:
    def build() -> list[dict]:
        obj = _first(model_path, **filters)
        return [] if obj is None else [{kwarg: obj.pk}]

    return build


def _household(**extra) -> Callable[[], list[dict]]:
    """A registered household of 修武县 (the county personas' own), with `extra` URL arguments."""

    def build() -> list[dict]:
        household = _first(
            "households.Household", village__code__startswith="410821", assistance_plans__isnull=False
        )
        household = household or _first("households.Household", village__code__startswith="410821")
        return [] if household is None else [{"pk": household.pk, **extra}]

    return build


def _household_id() -> list[dict]:
    return [{"household_id": kw["pk"]} for kw in _household()()]


def _each(builder: Callable[[], list[dict]], name: str, values) -> Callable[[], list[dict]]:
    def build() -> list[dict]:
        return [{**kw, name: value} for kw in builder() for value in values]

    return build


def _county(**extra) -> Callable[[], list[dict]]:
    return lambda: [{"code": "410821000000", **extra}]


def _poor_village() -> list[dict]:
    pv = _first("households.PoorVillage", village__code__startswith="410821")
    return [] if pv is None else [{"code": pv.village_id}]


def _member() -> list[dict]:
    member = _first("households.Member", household__village__code__startswith="410821")
    return [] if member is None else [{"pk": member.household_id, "member_pk": member.pk}]


def _omission() -> list[dict]:
    """A household the clerk's list of possible omissions (漏评) holds (the route takes its id)."""
    from households.selectors.candidates import omission_candidates

    household = omission_candidates(actor=User.objects.get(username="clerk")).first()
    return [] if household is None else [{"pk": household.pk}]


def _service_account_token() -> list[dict]:
    token = _first("core.ApiToken", user__is_service_account=True)
    return [] if token is None else [{"pk": token.user_id, "token_pk": token.pk}]


def _batch_page() -> list[dict]:
    page = _first("funds.ReviewPage")
    return [] if page is None else [{"pk": page.batch_id, "number": page.number}]


def _batch_review() -> list[dict]:
    page = _first("funds.ReviewPage")
    return [] if page is None else [{"pk": page.batch_id, "page_pk": page.pk}]


def _team_check() -> list[dict]:
    check = _first("inspections.TeamCheck")
    return [] if check is None else [{"pk": check.plan_id, "team_id": check.team_id}]


def _board_lines() -> list[dict]:
    from accountability.selectors import sixones

    return [{"code": "410821000000", "line": line.code} for line in sixones.LINES]


def _board_targets() -> list[dict]:
    from accountability.selectors import sixones

    return [{"code": "410821000000", "target": code} for code, _label, _better in sixones.TARGETS]


def _metrics() -> list[dict]:
    """Every figure with rows behind it, with a key its rows are asked for (a status, a cause, a year,
    a month: the overview's links), which the rows' heading names."""
    from django.utils import timezone

    from dashboard.selectors import ROW_METRICS
    from households.models import HouseholdAttribute, PovertyCause
    from inspections.models import FindingCategory

    today = timezone.localdate()
    keys = {
        "households": "registered", "people": "registered", "cause": PovertyCause.values[0],
        "attribute": HouseholdAttribute.values[0], "poor_villages": "poor", "plan_coverage": "uncovered",
        "findings": FindingCategory.values[0], "rectification": "overdue", "cases": "proposed",
    }  # fmt: skip
    for metric in ROW_METRICS:
        if metric.endswith("_year"):
            keys[metric] = str(today.year)
        elif metric.endswith("_month"):
            keys[metric] = f"{today:%Y-%m}"
    return [
        {"code": "410821000000", "metric": metric, QUERY: {"key": keys[metric]} if metric in keys else {}}
        for metric in ROW_METRICS
    ]


def _procedure_steps() -> list[dict]:
    from households.models import PROCEDURE_STEPS

    household = _household()()
    return [
        {**kw, "kind": str(kind), "step": str(step)}
        for kw in household
        for kind, steps in PROCEDURE_STEPS.items()
        for step in steps
    ]


def _guarantees() -> list[dict]:
    from households.views.guarantees import RECORDS

    return [{**kw, "what": what} for kw in _household()() for what in RECORDS]


# A builder's URL arguments may carry a query string under this key.
QUERY = "?"
ARGUMENTS: dict[str, Callable[[], list[dict]]] = {
    "accounts:token_revoke": _pk("core.ApiToken", user__is_service_account=False),
    "core:officer_detail": _pk("core.Officer", unit__region__code__startswith="410821"),
    "core:officer_edit": _pk("core.Officer", unit__region__code__startswith="410821"),
    "core:user_detail": _pk("core.User", username="clerk"),
    "core:user_password_reset": _pk("core.User", username="clerk"),
    "core:user_active": _pk("core.User", username="clerk"),
    "core:service_account_detail": _pk("core.User", is_service_account=True),
    "core:service_account_token_revoke": _service_account_token,
    "households:detail": _household(),
    "households:card": _household(),
    "households:edit": _household(),
    "households:reveal": _member,
    "households:step": _procedure_steps,
    "households:status": _each(_household(), "action", ("return", "remove")),
    "households:move": _household(),
    "households:guarantee_record": _guarantees,
    "households:income": _household(),
    "households:omission_decide": _omission,
    "households:target_record": lambda: [{"code": "410821000000", "year": _target_year()}],
    "households:duplicate_review": _pk("households.DuplicateCandidate"),
    "households:duplicate_city_review": _pk("households.DuplicateCandidate"),
    "households:transfer_decide": _pk("households.HouseholdTransfer"),
    "households:campaign": _pk("households.VerificationCampaign"),
    "households:check": _pk("households.VerificationCheck"),
    "households:import_status": _pk("households.HouseholdImport"),
    "households:village_detail": _poor_village,
    "households:village_population": _poor_village,
    "households:village_exit_step": lambda: [
        {**kw, "step": step} for kw in _poor_village() for step in _village_steps()
    ],
    "households:signoff_township": lambda: [{"code": "410821100000"}],
    "households:signoff_detail": _pk("households.TownshipSignOff"),
    "households:signoff_withdraw": _pk("households.TownshipSignOff"),
    "households:crosscheck_run": _pk("households.CrossCheckRun"),
    "households:crosscheck_flag": _pk("households.CrossCheckFlag"),
    "assistance:plan": _household_id,
    "assistance:plan_create": lambda: [
        {"household_id": h.pk}
        for h in [
            _first("households.Household", village__code__startswith="410821", assistance_plans__isnull=True)
        ]
        if h is not None
    ],
    "assistance:plan_edit": _pk("assistance.AssistancePlan", household__village__code__startswith="410821"),
    "assistance:measure_add": _pk("assistance.AssistancePlan", household__village__code__startswith="410821"),
    "assistance:measure_transition": _pk("assistance.Measure"),
    "assistance:measure_details": _pk("assistance.Measure"),
    "assistance:evidence_upload": _pk("assistance.Measure"),
    "assistance:team_detail": _pk("assistance.VillageTeam"),
    "assistance:team_edit": _pk("assistance.VillageTeam"),
    "assistance:fit_review_decide": _pk("assistance.MeasureFitReview"),
    "assistance:household_officer": _household_id,
    "assistance:officer_reassign": _pk("core.Officer", unit__region__code__startswith="410821"),
    "funds:fund_detail": _pk("funds.Fund"),
    "funds:project_detail": _pk("funds.Project"),
    "funds:project_edit": _pk("funds.Project"),
    "funds:request_detail": _pk("funds.DisbursementRequest"),
    "funds:payee_detail": _pk("funds.Payee"),
    "funds:payee_household": _household(),
    "funds:request_withdraw": _pk("funds.DisbursementRequest"),
    "funds:request_approve": _pk("funds.DisbursementRequest"),
    "funds:request_reject": _pk("funds.DisbursementRequest"),
    "funds:request_reverse": _pk("funds.DisbursementRequest"),
    "funds:account_ledger": _pk("funds.Account"),
    "funds:entry_detail": _pk("funds.Entry"),
    "funds:batch_page": _batch_page,
    "funds:batch_confirm": _batch_review,
    "funds:batch_result": _batch_review,
    "funds:payment_file": _pk("funds.PaymentFile"),
    "funds:bank_return": _pk("funds.BankReturn"),
    "inspections:finding_detail": _pk("inspections.Finding"),
    "inspections:plan_detail": lambda: [
        *_pk("inspections.VisitPlan")(),
        *[{**kw, QUERY: {"verify": "1"}} for kw in _pk("inspections.VisitPlan")()],  # the draw re-run
    ],
    "inspections:report_detail": _pk("inspections.VisitReport"),
    "inspections:item_detail": _pk("inspections.RectificationItem"),
    "inspections:problem_list_detail": _pk("inspections.ProvinceProblemList"),
    "inspections:recipient_detail": _pk("inspections.ProblemListRecipient"),
    "inspections:report_surveys": _pk("inspections.VisitReport"),
    "inspections:team_check": _team_check,
    "inspections:board": lambda: [{"code": pv["code"]} for pv in _poor_village()],
    "policies:policy_detail": _pk("policies.Policy"),
    "policies:task_detail": _pk("policies.PolicyTask"),
    "accountability:case_detail": _pk("accountability.AccountabilityCase"),
    "accountability:case_confirm": _pk("accountability.AccountabilityCase"),
    "accountability:case_dismiss": _pk("accountability.AccountabilityCase"),
    "accountability:case_close": _pk("accountability.AccountabilityCase"),
    "accountability:score_detail": _pk("accountability.MonthlyScore"),
    "accountability:officer_record": _pk("core.Officer", unit__region__code__startswith="410821"),
    "accountability:bulletin_detail": _pk("accountability.Bulletin"),
    "accountability:bulletin_regenerate": _pk("accountability.Bulletin"),
    "accountability:bulletin_compare": _pk("accountability.Bulletin"),
    "accountability:grade_detail": _pk("accountability.AnnualGrade"),
    "accountability:grade_appeal": _pk("accountability.AnnualGrade"),
    "accountability:appeal_decide": _pk("accountability.GradeAppeal"),
    "accountability:annual_bulletin_detail": _pk("accountability.AnnualBulletin"),
    "dashboard:region": _county(),
    "dashboard:rows": _metrics,
    "dashboard:board_region": _county(),
    "dashboard:board_rows": _board_lines,
    "dashboard:board_target_rows": _board_targets,
    "dashboard:targets_region": _county(),
    "dashboard:target_rows": lambda: [
        {"code": "410821000000", "kind": kind} for kind in ("households", "villages")
    ],
    "dashboard:trend_region": _county(),
}


def _target_year() -> int:
    target = _first("households.ExitTarget")
    from django.utils import timezone

    return target.year if target is not None else timezone.localdate().year


def _village_steps() -> list[str]:
    from households.views.village_exits import STEPS

    return [str(step) for step in STEPS]


# ---------------------------------------------------------------------------------------------
# What a person reads on a page.
# ---------------------------------------------------------------------------------------------
# `data-label`: a table cell's column name, shown before the cell on a phone (CSS `attr(data-label)`).
READ_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt", "data-label")
BUTTON_TYPES = ("submit", "button", "reset")
INVISIBLE = ("script", "style")


class _Visible(HTMLParser):
    """The text nodes outside <script>/<style> (an <option>'s text among them) and the attributes
    a person reads, each as one string. An element marked in another language (`lang="en"`: the
    language switcher names each language in itself) is read as that language, not checked."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._hidden = 0
        self._foreign: list[str] = []  # tags opened with a non-Chinese `lang`

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag in INVISIBLE:
            self._hidden += 1
        lang = (values.get("lang") or "").lower()
        if lang and not lang.startswith("zh"):
            self._foreign.append(tag)
        if self._foreign:
            return
        for name in READ_ATTRIBUTES:
            if values.get(name):
                self.texts.append(values[name])
        if tag == "input" and (values.get("type") or "").lower() in BUTTON_TYPES and values.get("value"):
            self.texts.append(values["value"])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in INVISIBLE and self._hidden:
            self._hidden -= 1
        if self._foreign and self._foreign[-1] == tag:
            self._foreign.pop()

    def handle_data(self, data):
        if not self._hidden and not self._foreign and data.strip():
            self.texts.append(data.strip())


def visible_texts(html: str) -> list[str]:
    parser = _Visible()
    parser.feed(html)
    parser.close()
    return parser.texts


# Words that are not English UI text: proper nouns, file formats and encodings people know by their
# Latin names, a key's name on the keyboard, units. Keep this short; data is recognised below.
ALLOWED_WORDS = {
    "API", "Excel", "CSV", "csv", "xlsx", "xls", "PDF", "pdf", "JSON", "URL", "WPS", "ZIP", "zip",
    "JPEG", "jpg", "JPG", "png", "PNG", "UTF", "GBK", "HTTP", "HTTPS", "GPS", "Tab",
    "kg", "cm", "km",
}  # fmt: skip
# A raw enum value or field name: snake_case, colon-joined or slash-versioned lowercase tokens
# (`in_progress`, `findings:grave`, `weighted-es/v2`).
RAW_CODE = re.compile(r"(?<![\w./:-])[a-z][a-z0-9]*(?:(?:_|:)[a-z0-9]+)+(?![\w/])|[a-z]+(?:-[a-z]+)*/v\d+")
WORD = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z]{3,}(?![A-Za-z0-9_])")
# Data, whose letters are not words of the page: links, e-mail addresses, paths, and identifiers
# that join capitals and digits with hyphens (a fund's code `XW-2017-COUNTY`, a file number).
NOT_WORDS = re.compile(
    r"https?://\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|/[\w./?=&%-]*"
    r"|\b(?=[A-Z0-9-]*\d)[A-Z0-9]+(?:-[A-Z0-9]+)+\b"
)


def problems_in(text: str, data_words: frozenset[str] = frozenset()) -> list[str]:
    """`data_words`: values the data holds in Latin letters (the users' log-in names)."""
    found = []
    # Data strings made of several parts (an API key's random prefix, `fp_KM5-pea`) are taken out
    # whole first: their pieces would otherwise read as a raw code or an English word one run in a few.
    for value in sorted((w for w in data_words if not w.isalpha()), key=len, reverse=True):
        text = text.replace(value, " ")
    for code in RAW_CODE.findall(text):
        if code not in data_words:
            found.append(f"raw code {code!r}")
    rest = NOT_WORDS.sub(" ", RAW_CODE.sub(" ", text))
    words = [w for w in WORD.findall(rest) if w not in ALLOWED_WORDS and w not in data_words]
    if words:
        found.append(f"English {' '.join(dict.fromkeys(words))!r}")
    return found


def test_the_checker_finds_what_it_names():
    """The checker itself: English words and raw codes in text and read attributes are found;
    script, style, proper nouns and data are not."""
    html = (
        '<nav aria-label="breadcrumb"><a title="导出 Excel">导出</a></nav><script>var x = "hello world";</script>'
        '<style>.a{color:red}</style><p>状态：in_progress</p><input placeholder="Search">'
        "<p>评分项 findings:grave，方法 weighted-es/v2</p><option>planned</option><p>用户 clerk，API 令牌</p>"
        '<input type="submit" value="Save"><select><option lang="en">English</option></select>'
        '<table><tr><td data-label="Status">在册</td></tr></table>'
        "<p>资金 XW-2017-COUNTY，文件 验收.pdf，用户 xiuwu_shuji</p><p>令牌 <code>fp_KM5-pea…</code></p>"
    )
    data = frozenset({"clerk", "xiuwu_shuji", "fp_KM5-pea"})
    found = [p for text in visible_texts(html) for p in problems_in(text, data)]
    assert found == [
        "English 'breadcrumb'",
        "raw code 'in_progress'",
        "English 'Search'",
        "raw code 'findings:grave'",
        "raw code 'weighted-es/v2'",
        "English 'planned'",
        "English 'Save'",
        "English 'Status'",
    ]


# ---------------------------------------------------------------------------------------------
# The walk.
# ---------------------------------------------------------------------------------------------
def _page_routes() -> list[Route]:
    return [r for r in url_routes() if r.name and not r.pattern.startswith(tuple(NOT_WALKED_PREFIXES))]


def _not_walked(route: Route) -> str | None:
    if route.pattern.startswith(tuple(NOT_WALKED_PREFIXES)):
        return "prefix"
    return NOT_WALKED.get(route.key)


def test_every_page_route_is_walked_or_listed():
    unnamed = [r.pattern for r in url_routes() if not r.name and not _not_walked(r)]
    missing = [r.key for r in _page_routes() if not _not_walked(r) and r.params and r.key not in ARGUMENTS]
    stale = sorted((set(ARGUMENTS) | set(NOT_WALKED)) - {r.key for r in url_routes()})
    assert (unnamed, missing, stale) == ([], [], [])


def test_every_page_speaks_chinese(demo):
    clients: dict[str, Client] = {}
    for username in PERSONAS:
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        if username != ANONYMOUS:
            client.force_login(User.objects.get(username=username))
        clients[username] = client

    from core.models import ApiToken

    # Latin letters the data holds: log-in names, and API keys' random prefixes (`fp_4m_56wj` reads
    # like a snake_case code one run in a few).
    data_words = frozenset(User.objects.values_list("username", flat=True)) | frozenset(
        ApiToken.objects.values_list("key_prefix", flat=True)
    )
    found: list[str] = []
    unfilled: list[str] = []
    unopened: list[str] = []
    for route in _page_routes():
        if _not_walked(route):
            continue
        argument_sets = ARGUMENTS[route.key]() if route.params else [{}]
        if not argument_sets:
            unfilled.append(route.key)
            continue
        for kwargs in argument_sets:
            query = kwargs.pop(QUERY, {})
            url = route.url(kwargs) + (f"?{urlencode(query)}" if query else "")
            opened, answers = False, set()
            for username in PERSONAS:
                if opened and username != SUPERUSER and route.key not in EVERY_PERSONA:
                    continue
                response = clients[username].get(url)
                answers.add(response.status_code)
                if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
                    continue
                opened = True
                for text in visible_texts(response.content.decode()):
                    for problem in problems_in(text, data_words):
                        found.append(f"{url} [{username}] {problem} in {text[:120]!r}")
            if not opened and NO_GET not in answers:
                unopened.append(f"{url} {sorted(answers)}")

    report = "\n".join(dict.fromkeys(found))
    assert (found, unfilled, unopened) == ([], [], []), (
        f"{len(set(found))} texts not in Chinese:\n{report}\n"
        f"the demo holds no object for: {unfilled}\nno persona opens: {unopened}"
    )
