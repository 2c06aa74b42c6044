"""No input answers 5xx: schemathesis over the whole OpenAPI, and a deterministic probe of hostile values.

Both walk the app's own OpenAPI document, so a route added later is fuzzed without touching this file.
They run against the demo province (services/demo/seed.py), once unauthenticated and once as the
province trial office (a bearer token for the JSON routes, a cookie session for the pages).
"""
import itertools
import os
from datetime import datetime, timezone
from urllib.parse import quote

import pytest
import schemathesis
from schemathesis import GenerationMode
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from sqlmodel import select

from api.app import create_app
from api.deps import get_now
from services.demo.seed import seed_demo
from services.kernel.registry import current
from services.demo.scale import DEMO_PASSWORD
from store.models import (AssessmentRecord, Case, Division, ExitDocument, ExitProceeding, ExitSubmission, Petition,
                          Report, Review, ReviewDraw, RoleGrant, Supervision, User)
from tests.conftest import module_database

NOW = datetime(2025, 3, 3, 2, 0, tzinfo=timezone.utc)
OFFICE = "ln_trial_office"  # the province trial office: sees every court of the demo
EXAMPLES = int(os.environ.get("COURTFLOW_FUZZ_EXAMPLES", "15"))  # per operation and identity, on SQLite
# PostgreSQL's run looks for what only a server database refuses (the hostile probe below sends those values to
# every parameter): fewer generated examples there keep the suite within its time
EXAMPLES_ON_POSTGRES = int(os.environ.get("COURTFLOW_FUZZ_EXAMPLES_POSTGRES", "6"))
HOSTILE = (2**64, 2**63, -1, 0, 10**30, "9999-12", "0000-01", "2025-13", "9999-12-31", "0001-01-01", "10000-01-01", "1e999", "NaN", "",
           "x" * 5000, "法院\u202e𝔘", "\x00", "%", "../..")
# what a server database answers differently from SQLite: integers past 64 bits, dates past its range, NUL in text
HOSTILE_ON_POSTGRES = (2**64, 2**63, 10**30, "9999-12-31", "0001-01-01", "10000-01-01", "1e999", "NaN", "\x00",
                       "x" * 5000)
# filters pages read from the query string themselves (undeclared in the document), probed on every page's GET
# (the JSON routes declare every parameter they read: FastAPI ignores an undeclared one)
PAGE_FILTERS = ("state", "month", "grade", "page", "judge_id", "days_left_max", "court_id", "next")
HOSTILE_FILTERS = (2**64, -1, "9999-12", "1e999", "x" * 5000, "\x00")
# The office logs in from an address of its own: the fuzzing of /api/v1/auth/token from "testclient" makes
# enough failed logins to lock that address (the login throttle, services/kernel/auth.py).
OFFICE_ADDRESS = ("10.0.0.1", 50000)
HOSTILE_BODIES = ("1e999", "-1e999", "NaN", "[]", '"x"', "{}", '{"a": 1e999}', "null", "{", "9" * 5000)


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def demo_db(request, tmp_path_factory):
    """The demo province, seeded once per module and database."""
    database = module_database(request, tmp_path_factory, "fuzz")
    seed_demo(database, NOW)
    yield database
    database.dispose()


@pytest.fixture(scope="module")
def demo_app(demo_db):
    app = create_app(demo_db)
    app.dependency_overrides[get_now] = lambda: NOW
    return app


def office_client(app, username: str = OFFICE) -> TestClient:
    """A client logged in twice over (the trial office by default): a bearer token and a page session."""
    client = TestClient(app, follow_redirects=False, raise_server_exceptions=False, client=OFFICE_ADDRESS)
    r = client.post("/api/v1/auth/token", data={"username": username, "password": DEMO_PASSWORD})
    assert r.status_code == 200, r.text
    client.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
    page = client.get("/login").text
    csrf = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    assert client.post("/login", data={"username": username, "password": DEMO_PASSWORD,
                                       "csrf_token": csrf}).status_code == 303
    return client


# --- what the attacker found, refused at the edge with the field named ------------------------------------------

@pytest.mark.parametrize(("method", "url", "body", "field"), [
    ("GET", f"/api/v1/cases/{2**64}/draws", None, ["path", "case_id"]),
    ("GET", f"/api/v1/cases?judge_id={2**63}", None, ["query", "judge_id"]),
    ("GET", "/api/v1/cases?days_left_max=100000000", None, ["query", "days_left_max"]),
    ("GET", f"/api/v1/petitions?case_id={10**30}", None, ["query", "case_id"]),
    ("GET", "/api/v1/indicators?period=9999-12", None, ["query", "period"]),
    ("GET", "/api/v1/indicators?period=0000-01", None, ["query", "period"]),
    ("GET", "/api/v1/indicators?period=2025-13", None, ["query", "period"]),
    ("GET", "/api/v1/assessment/1/162010", None, ["path", "year"]),
    ("GET", "/api/v1/dossier/1/0", None, ["path", "year"]),
    ("GET", "/api/v1/petitions/counts?start=0001-01-01&end=9999-12-31", None, ["query", "start"]),
    ("GET", "/api/v1/reviews?month=2025-13", None, ["query", "month"]),
    ("POST", "/api/v1/cases", "1e999", ["body"]),
    ("POST", "/api/v1/petitions", "NaN", ["body"]),
    ("POST", "/api/v1/commitments", '{"week_start": "9999-12-27", "promised": 1e999}', ["body", "week_start"]),
    ("POST", "/api/v1/cases", '{"case_number": "x", "division_id": 1e999}', ["body", "case_number"]),
    ("POST", "/api/v1/appeal-outcomes", '{"case_id": 18446744073709551616}', ["body", "case_id"]),
    ("GET", "/dashboard?period=9999-12", None, ["query", "period"]),
    ("GET", f"/cases/{2**64}", None, ["path", "case_id"]),
])
def test_out_of_bounds_input_is_a_422_naming_the_field(demo_app, method, url, body, field):
    client = office_client(demo_app)
    r = client.request(method, url, content=body, headers={"Content-Type": "application/json"} if body else {})
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["loc"][:len(field)] == field, r.text


# --- schemathesis over the whole document ---------------------------------------------------------------------

def fuzz(operation, mode: GenerationMode, token: str, examples: int) -> None:
    """`examples` generated requests of one operation, each sent unauthenticated and as the trial office."""
    checks = [not_a_server_error, response_schema_conformance]

    @given(case=operation.as_strategy(mode))
    @settings(max_examples=examples, derandomize=True, deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def run(case):
        case.call_and_validate(checks=checks)
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=checks)

    try:
        run()
    except Unsatisfiable:  # no parameter or body to make invalid: the operation has no negative cases
        pass


def test_no_operation_answers_5xx_or_breaks_its_response_schema(demo_app, demo_db):
    """schemathesis's valid and invalid requests for every operation of the OpenAPI document: no 5xx, and every
    response as the document describes it. (Driven by hand: its pytest loader needs a node id pytest 9 dropped.)"""
    token = TestClient(demo_app, client=OFFICE_ADDRESS).post("/api/v1/auth/token",
                                      data={"username": OFFICE, "password": DEMO_PASSWORD}).json()["access_token"]
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", demo_app)
    failures, operations = [], 0
    examples = EXAMPLES if demo_db.writer.dialect.name == "sqlite" else EXAMPLES_ON_POSTGRES
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                fuzz(operation, mode, token, examples)
            except (Exception, BaseExceptionGroup) as exc:  # every failing operation is reported
                failures.append(f"{operation.label} [{mode.value}]: {str(exc)[:600]}")
    print(f"schemathesis: {operations} operations, {examples} examples per mode and identity")
    assert not failures, f"{len(failures)} failing:\n" + "\n".join(failures)


# --- every GET on real subjects of the demo, checked against its documented response ---------------------------

def first_id(session, table, *where) -> int | None:
    return session.exec(select(table.id).where(*where).order_by(table.id).limit(1)).first()


def real_values(db) -> dict[str, list]:
    """For each path parameter's name, values that name real rows of the demo (kinds with their first subject)."""
    with db.read() as s:
        proceeding = s.exec(select(ExitSubmission.proceeding_id, ExitSubmission.id)
                            .where(ExitSubmission.filename.is_not(None)).limit(1)).first()
        kinds = [(name, first_id(s, kind.model)) for name, kind in sorted(current().subjects.items())]
        return {"case_id": [s.exec(select(Supervision.case_id).limit(1)).first(), first_id(s, Case)],
                "proceeding_id": [proceeding[0] if proceeding else first_id(s, ExitProceeding)],
                "submission_id": [proceeding[1] if proceeding else 1],
                "kind": [s.exec(select(ExitDocument.kind).limit(1)).first() or "notice"],
                "petition_id": [first_id(s, Petition)], "review_id": [first_id(s, Review)],
                "draw_id": [first_id(s, ReviewDraw)], "report_id": [first_id(s, Report)],
                "user_id": [s.exec(select(AssessmentRecord.user_id).limit(1)).first()],
                "division_id": [first_id(s, Division)], "year": [NOW.year], "lang": ["en"],
                "court_id": [s.exec(select(User.court_id).where(User.username == OFFICE)).first()],
                "name": ["monitoring"], "token": ["an-unknown-one-time-link-token"],
                "role": ["division_chief"], "kind_name": ["tasks"], "state": ["open"],
                "subjects": [(name, subject_id) for name, subject_id in kinds if subject_id]}


def personnel_of_an_exit(db) -> str:
    """The personnel officer of the court of the demo's first quota exit (who sees it)."""
    with db.read() as s:
        court_id = s.exec(select(ExitProceeding.court_id).order_by(ExitProceeding.id).limit(1)).one()
        return s.exec(select(User.username).join(RoleGrant, RoleGrant.user_id == User.id)
                      .where(RoleGrant.role == "personnel", RoleGrant.court_id == court_id)).first()


def real_requests(spec: dict, values: dict):
    """(path, method, path parameters) of every GET, once per real subject that fits its parameters."""
    for path, operations in spec["paths"].items():
        if "get" not in operations:
            continue
        names = [p["name"] for p in operations["get"].get("parameters", []) if p["in"] == "path"]
        if "subject_id" in names:
            kind = "kind" if "kind" in names else "kind_name"
            for name, subject_id in values["subjects"]:
                yield path, {kind: name, "subject_id": subject_id}
        elif all(values[n][0] is not None for n in names):
            yield path, {n: values[n][0] for n in names}


def test_real_subjects_answer_every_get_as_documented(demo_app, demo_db):
    """The generated requests above mostly miss: here every GET names real rows, so 200s are checked too. Quota
    exits are personnel's, so personnel asks as well."""
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", demo_app)
    spec = demo_app.openapi()
    checked, answered = 0, set()
    requests = list(real_requests(spec, real_values(demo_db)))
    for client, (path, path_parameters) in itertools.product(
            (office_client(demo_app), office_client(demo_app, personnel_of_an_exit(demo_db))), requests):
        operation = schema[path]["GET"]
        query = {p["name"]: baseline(p) for p in spec["paths"][path]["get"].get("parameters", [])
                 if p["in"] == "query" and p.get("required")}
        case = operation.Case(path_parameters=path_parameters, query=query or None)
        response = case.call_and_validate(headers=dict(client.headers), cookies=dict(client.cookies),
                                          checks=[not_a_server_error, response_schema_conformance])
        checked += 1
        answered.add(response.status_code)
    print(f"real subjects: {checked} GET requests, statuses {sorted(answered)}")
    assert 200 in answered


# --- the deterministic hostile probe -----------------------------------------------------------------------------

def baseline(param: dict):
    """A plausible value for a parameter, so each probe changes one thing at a time."""
    s = param.get("schema", {})
    s = next((o for o in s.get("anyOf", [s]) if o.get("type") != "null"), s)
    if "enum" in s:
        return s["enum"][0]
    if s.get("format") == "date":
        return "2025-03-01"
    if param["name"] == "period":
        return "2025-02"
    if param["name"] in ("kind", "kind_name"):
        return "cases"
    return 1 if s.get("type") == "integer" else "x"


def probes(spec: dict, hostile: tuple):
    """(method, url, body) for every operation: each hostile value in each parameter, each hostile body."""
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            params = [p for p in op.get("parameters", []) if p["in"] in ("path", "query")]
            base = {p["name"]: baseline(p) for p in params}
            yield method, path, base, None
            for p in params:
                for value in hostile:
                    yield method, path, {**base, p["name"]: value}, None
            if method in ("post", "put", "patch"):
                for body in HOSTILE_BODIES:
                    yield method, path, base, body
            if method == "get" and "{" not in path and not path.startswith("/api/"):
                for name in set(PAGE_FILTERS) - set(base):
                    for value in HOSTILE_FILTERS:
                        yield method, path, {**base, name: value}, None


def url_of(path: str, op_params: list[dict], values: dict) -> str:
    """The path with its parameters filled in; every other value goes in the query string."""
    in_path = {p["name"] for p in op_params if p["in"] == "path"}
    url = path
    for name in in_path:
        url = url.replace("{" + name + "}", quote(str(values[name]), safe=""))
    query = "&".join(f"{quote(k)}={quote(str(v), safe='')}" for k, v in values.items() if k not in in_path)
    return url + ("?" + query if query else "")


def probe(client: TestClient, spec: dict, hostile: tuple) -> tuple[set, int, list]:
    operations, requests, errors = set(), 0, []
    for method, path, values, body in probes(spec, hostile):
        op = spec["paths"][path][method]
        params = [p for p in op.get("parameters", []) if p["in"] in ("path", "query")]
        url = url_of(path, params, values)
        headers = {"Content-Type": "application/json"} if body is not None else {}
        r = client.request(method.upper(), url, content=body, headers=headers)
        operations.add((method, path))
        requests += 1
        if r.status_code >= 500:
            errors.append((r.status_code, method.upper(), url[:120], (body or "")[:20], r.text[:200]))
    return operations, requests, errors


def test_hostile_values_in_every_parameter_and_body_never_answer_5xx(demo_app, demo_db):
    spec = demo_app.openapi()
    hostile = HOSTILE if demo_db.writer.dialect.name == "sqlite" else HOSTILE_ON_POSTGRES
    anonymous = TestClient(demo_app, follow_redirects=False, raise_server_exceptions=False)
    report, errors = [], []
    for name, client in (("anonymous", anonymous), ("trial office", office_client(demo_app))):
        operations, requests, found = probe(client, spec, hostile)
        report.append(f"{name}: {len(operations)} operations, {requests} requests, {len(found)} 5xx")
        errors += found
    print("\n".join(report))
    assert not errors, "\n".join(report + [repr(e) for e in errors[:400]] + [f"… {len(errors)} in all"])
