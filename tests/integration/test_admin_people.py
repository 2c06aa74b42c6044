"""People and organisation: personnel (or the court's administrator) create accounts, divisions and grants in
their own courts only; a new account's password is set from a one-time link, never by an administrator; a
deactivated account stays (never deleted) and can no longer log in; grants end on a date; all of it traced."""
from datetime import timedelta

from sqlmodel import select

from store.models import Invitation, RoleGrant, TraceEntry, User
from tests.factories import add_user, small_world
from tests.integration.conftest import login

NEW_PASSWORD = "Court-2025-pass"


def _world(db):
    world = small_world(db)
    with db.write() as s:
        add_user(s, world, "personnel_hp", "hp", ["personnel"])
        add_user(s, world, "admin_sh", "sh", ["court_admin"])
    return world


def _actions(db, subject_id=None) -> list[str]:
    with db.read() as s:
        stmt = select(TraceEntry.action).order_by(TraceEntry.seq)
        if subject_id is not None:
            stmt = stmt.where(TraceEntry.subject_kind == "users", TraceEntry.subject_id == subject_id)
        return list(s.exec(stmt).all())


def _invite(client, world, headers, **extra):
    body = {"username": "assistant_new", "display_name": "新助理", "court_id": world.courts["hp"].id,
            "division_id": world.divisions["hp_civil"].id, "staff_no": "J0102099", **extra}
    return client.post("/api/v1/admin/users", json=body, headers=headers)


def test_an_invited_assistant_sets_a_password_from_the_link_and_logs_in(client, any_db):
    world = _world(any_db)
    headers = login(client, "personnel_hp")
    r = _invite(client, world, headers)
    assert r.status_code == 201, r.text
    user_id, link = r.json()["id"], r.json()["invitation_link"]
    r = client.post(f"/api/v1/admin/users/{user_id}/grants", headers=headers,
                    json={"role": "assistant", "court_id": world.courts["hp"].id,
                          "division_id": world.divisions["hp_civil"].id})
    assert r.status_code == 201, r.text
    with any_db.read() as s:
        stored = s.exec(select(Invitation).where(Invitation.user_id == user_id)).one()
        assert link.split("/")[-1] not in stored.token_sha256  # only the hash is kept
        assert s.get(User, user_id).password_hash == ""
    token = link.split("/")[-1]
    assert client.post("/api/v1/auth/token", data={"username": "assistant_new", "password": "anything"}).status_code == 401
    weak = client.post(f"/api/v1/auth/invitations/{token}", json={"password": "short"})
    assert weak.status_code == 422 and "min_length" in weak.text
    assert client.post(f"/api/v1/auth/invitations/{token}", json={"password": NEW_PASSWORD}).status_code == 200
    again = client.post(f"/api/v1/auth/invitations/{token}", json={"password": NEW_PASSWORD + "x"})
    assert again.status_code == 404  # one time only
    r = client.post("/api/v1/auth/token", data={"username": "assistant_new", "password": NEW_PASSWORD})
    assert r.status_code == 200
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {r.json()['access_token']}"}).json()
    assert [g["role"] for g in me["grants"]] == ["assistant"]
    assert _actions(any_db, user_id) == ["user.create", "password.invite_link", "role.grant", "refused:login",
                                      "password.set", "login"]


def test_keepers_act_only_in_their_own_courts(client, any_db):
    world = _world(any_db)
    sh_admin = login(client, "admin_sh")
    chief = login(client, "chief")
    hp, sh = world.courts["hp"].id, world.courts["sh"].id
    judge_a = world.users["judge_a"].id
    outside = client.post(f"/api/v1/admin/users/{judge_a}/grants", headers=sh_admin,
                          json={"role": "division_chief", "court_id": hp})
    assert outside.status_code == 404  # another court's people look absent
    assert client.post(f"/api/v1/admin/users/{judge_a}/grants", headers=chief,
                       json={"role": "division_chief", "court_id": hp}).status_code == 403
    assert _invite(client, world, sh_admin).status_code == 404
    assert client.get(f"/api/v1/admin/courts/{hp}/people", headers=sh_admin).status_code == 404
    assert client.get(f"/api/v1/admin/courts/{sh}/people", headers=sh_admin).status_code == 200
    with any_db.read() as s:
        assert not s.exec(select(RoleGrant).where(RoleGrant.user_id == judge_a,
                                                  RoleGrant.role == "division_chief")).first()


def test_a_deactivated_account_is_kept_and_cannot_log_in(client, any_db):
    world = _world(any_db)
    headers = login(client, "personnel_hp")
    judge = world.users["judge_b"].id
    assert client.post(f"/api/v1/admin/users/{judge}/deactivate", headers=headers, json={"why": ""}).status_code == 422
    r = client.post(f"/api/v1/admin/users/{judge}/deactivate", headers=headers, json={"why": "调离"})
    assert r.status_code == 200 and r.json()["active"] is False
    assert client.post("/api/v1/auth/token", data={"username": "judge_b", "password": "pass-1234"}).status_code == 401
    people = client.get(f"/api/v1/admin/courts/{world.courts['hp'].id}/people", headers=headers).json()
    assert [p["active"] for p in people if p["username"] == "judge_b"] == [False]
    assert "user.deactivate" in _actions(any_db, judge)


def test_a_grant_ends_on_its_date_and_never_in_the_past(client, any_db, now):
    world = _world(any_db)
    headers = login(client, "personnel_hp")
    judge = world.users["judge_c"].id
    grant = client.post(f"/api/v1/admin/users/{judge}/grants", headers=headers,
                        json={"role": "trial_office", "court_id": world.courts["hp"].id}).json()
    past = client.post(f"/api/v1/admin/grants/{grant['id']}/end", headers=headers,
                       json={"ends_on": (now.date() - timedelta(days=1)).isoformat(), "why": "x"})
    assert past.status_code == 422
    # ended yesterday by the real calendar (the actor's grants are read on the real day): it no longer counts
    with any_db.write() as s:
        row = s.get(RoleGrant, grant["id"])
        row.ends_on = now.date() - timedelta(days=1)
        s.add(row)
    token = login(client, "judge_c")
    assert "trial_office" not in [g["role"] for g in client.get("/api/v1/auth/me", headers=token).json()["grants"]]


def test_a_reset_link_replaces_the_earlier_one_and_the_first_login_change(client, any_db):
    world = _world(any_db)
    headers = login(client, "personnel_hp")
    judge = world.users["judge_a"].id
    first = client.post(f"/api/v1/admin/users/{judge}/password-link", headers=headers, json={}).json()["link"]
    second = client.post(f"/api/v1/admin/users/{judge}/password-link", headers=headers, json={}).json()["link"]
    assert client.post(f"/api/v1/auth/invitations/{first.split('/')[-1]}",
                       json={"password": NEW_PASSWORD}).status_code == 404
    assert client.post(f"/api/v1/auth/invitations/{second.split('/')[-1]}",
                       json={"password": NEW_PASSWORD}).status_code == 200
    assert client.post(f"/api/v1/admin/users/{judge}/require-password-change", headers=headers).status_code == 200
    page = client.post("/login", data={"username": "judge_a", "password": NEW_PASSWORD,
                                       "csrf_token": _csrf(client)})
    assert page.status_code == 303 and page.headers["location"] == "/password"
    assert client.get("/tasks").headers["location"] == "/password"  # nothing else before the change
    changed = client.post("/password", data={"current_password": NEW_PASSWORD, "password": "Another-2025-pw",
                                             "csrf_token": _csrf(client)})
    assert changed.status_code == 303 and changed.headers["location"] == "/tasks"
    assert client.get("/tasks").status_code == 200
    assert _actions(any_db, judge)[-2:] == ["login", "password.change"]


def test_the_api_refuses_every_call_but_the_change_while_a_change_is_required(client, any_db):
    world = _world(any_db)
    headers = login(client, "personnel_hp")
    judge = world.users["judge_a"].id
    link = client.post(f"/api/v1/admin/users/{judge}/password-link", headers=headers, json={}).json()["link"]
    assert client.post(f"/api/v1/auth/invitations/{link.split('/')[-1]}", json={"password": NEW_PASSWORD}).status_code == 200
    token = client.post("/api/v1/auth/token", data={"username": "judge_a", "password": NEW_PASSWORD}).json()
    bearer = {"Authorization": f"Bearer {token['access_token']}"}
    assert client.get("/api/v1/tasks", headers=bearer).status_code == 200
    assert client.post(f"/api/v1/admin/users/{judge}/require-password-change", headers=headers).status_code == 200
    for method, path in (("get", "/api/v1/tasks"), ("get", "/api/v1/auth/me"), ("get", "/api/v1/cases")):
        refused = getattr(client, method)(path, headers={**bearer, "Accept-Language": "zh"})
        assert refused.status_code == 409, path  # the token still good: the reset stands in the way
        assert "须先修改密码" in refused.text
    wrong = client.post("/api/v1/auth/password", headers=bearer,
                        json={"current_password": "not-it", "password": "Another-2025-pw"})
    assert wrong.status_code == 422  # the change itself is still open to the holder of the token
    changed = client.post("/api/v1/auth/password", headers=bearer,
                          json={"current_password": NEW_PASSWORD, "password": "Another-2025-pw"})
    assert changed.status_code == 200
    assert client.get("/api/v1/tasks", headers=bearer).status_code == 200


def _csrf(client) -> str:
    import re
    page = client.get("/login")
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def test_the_daily_monitor_writes_to_the_holders_of_grants_in_force_that_day(any_db):
    from datetime import date

    from services.kernel.sweeps import run_daily_monitor
    from store.models import Notice
    from tests.case_helpers import at, case_row, designate, file

    world = _world(any_db)
    case_id = file(any_db, world)
    designate(any_db, world, case_id)
    overdue_day = case_row(any_db, case_id).deadline + timedelta(days=1)
    with any_db.write() as s:
        grant = s.exec(select(RoleGrant).where(RoleGrant.user_id == world.users["chief"].id,
                                               RoleGrant.role == "division_chief")).one()
        grant.ends_on = overdue_day - timedelta(days=1)  # the chief left the post the day before
        s.add(grant)
    run_daily_monitor(any_db, overdue_day, at(overdue_day.isoformat()))
    with any_db.read() as s:
        told = set(s.exec(select(Notice.recipient_user_id).where(Notice.kind == "deadline_overdue")).all())
    assert told == {world.users["judge_a"].id}
    assert overdue_day > date(2025, 1, 1)


def test_a_notice_goes_to_the_holders_of_grants_in_force_that_day_not_before_nor_after(any_db):
    """store.recipients.holders: who receives a role's notices and tasks counts only grants in force on the day."""
    from datetime import date

    from store.recipients import holders

    world = _world(any_db)
    hp = world.courts["hp"].id
    with any_db.write() as s:
        for name, starts, ends in (("judge_a", date(2025, 3, 10), None), ("judge_b", None, date(2025, 3, 4)),
                                   ("judge_c", date(2025, 3, 1), date(2025, 3, 31))):
            s.add(RoleGrant(user_id=world.users[name].id, role="inspection", court_id=hp, starts_on=starts,
                            ends_on=ends))
    ids = {world.users[n].id: n for n in ("judge_a", "judge_b", "judge_c")}
    with any_db.read() as s:
        def on(day):
            return {ids[u] for u in holders(s, "inspection", hp, on=day) if u in ids}
        assert on(date(2025, 3, 4)) == {"judge_b", "judge_c"}  # judge_a's has not started; judge_b's last day
        assert on(date(2025, 3, 5)) == {"judge_c"}  # judge_b's ended the day before
        assert on(date(2025, 3, 10)) == {"judge_a", "judge_c"}  # judge_a's first day
        assert on(date(2025, 4, 1)) == {"judge_a"}  # judge_c's ended with March
