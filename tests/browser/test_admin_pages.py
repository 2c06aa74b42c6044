"""Administration in chromium: personnel invite a new assistant, who sets a password from the one-time link and
logs in; another court's administrator cannot grant a role in this court, nor a division chief at all; every
step is in the trace."""
import re

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from store.models import RoleGrant, TraceEntry, User
from tests.browser.conftest import login
from tests.factories import PASSWORD, add_user

pytestmark = pytest.mark.browser

CHOSEN = "Assistant-2025-pw"


def _trace(db, action_prefix: str = "") -> list[tuple[str, str]]:
    with db.read() as s:
        rows = s.exec(select(TraceEntry.actor, TraceEntry.action).order_by(TraceEntry.seq)).all()
    return [(a, b) for a, b in rows if b.startswith(action_prefix) or not action_prefix]


def test_personnel_invite_an_assistant_who_sets_a_password_and_logs_in(page, browser, live_server, world):
    db, base = live_server.db, live_server.base_url
    with db.write() as s:
        add_user(s, world, "personnel_hp", "hp", ["personnel"])
    hp = world.courts["hp"].id

    login(page, base, "personnel_hp", PASSWORD)
    page.goto(f"{base}/admin")
    page.locator("#people-courts a", has_text="辽0102").click()
    form = page.locator("#new-user")
    form.locator("input[name=username]").fill("assistant_new")
    form.locator("input[name=display_name]").fill("新助理")
    form.locator("select[name=division_id]").select_option(label="hp_civil")
    form.locator("select[name=role]").select_option("assistant")
    with page.expect_navigation():
        page.locator("#create-user").click()
    link = page.locator("#invitation-link").inner_text()
    assert re.fullmatch(rf"{re.escape(base)}/invitation/[\w-]+", link)
    expect(page.locator("tr.person[data-username=assistant_new]")).to_contain_text("法官助理@hp_civil")

    newcomer = browser.new_context(locale="zh-CN").new_page()
    newcomer.goto(link)
    expect(newcomer.locator("#invited-username")).to_have_text("assistant_new")
    newcomer.locator("input[name=password]").fill("short")
    with newcomer.expect_navigation():
        newcomer.locator("#set-password-button").click()
    expect(newcomer.locator(".flash.error")).to_contain_text("密码：至少须有")
    newcomer.locator("input[name=password]").fill(CHOSEN)
    with newcomer.expect_navigation():
        newcomer.locator("#set-password-button").click()
    expect(newcomer.locator("#login-notice")).to_be_visible()
    login(newcomer, base, "assistant_new", CHOSEN)
    expect(newcomer).to_have_url(f"{base}/tasks")
    newcomer.goto(link)  # the link was for one use
    expect(newcomer.locator(".flash.error")).to_be_visible()

    with db.read() as s:
        user = s.exec(select(User).where(User.username == "assistant_new")).one()
        assert user.court_id == hp and user.password_hash.startswith("$argon2")
    assert [t for t in _trace(db) if t[1] in ("user.create", "role.grant", "password.invite_link", "password.set",
                                              "login")][-5:] == [
        ("personnel_hp", "user.create"), ("personnel_hp", "role.grant"), ("personnel_hp", "password.invite_link"),
        ("assistant_new", "password.set"), ("assistant_new", "login")]


def test_a_chief_cannot_grant_roles_outside_their_court(page, live_server, world):
    db, base = live_server.db, live_server.base_url
    with db.write() as s:
        add_user(s, world, "admin_sh", "sh", ["court_admin"])
    hp, sh = world.courts["hp"].id, world.courts["sh"].id
    judge_sh = world.users["judge_sh"].id

    login(page, base, "admin_sh", PASSWORD)
    page.goto(f"{base}/admin/courts/{hp}/people")
    expect(page.locator(".flash.error")).to_be_visible()
    expect(page.locator("#people")).to_have_count(0)

    page.goto(f"{base}/admin/courts/{sh}/people")
    row = page.locator(f"tr.person[data-username=judge_sh]")
    row.locator("summary").click()
    grant = row.locator("form.grant-form")
    grant.locator("select[name=role]").select_option("president")
    grant.locator("input[name=court_id]").fill(str(hp))
    with page.expect_navigation():
        grant.locator("button[type=submit]").click()
    expect(page.locator(".flash.error")).to_be_visible()

    page.context.clear_cookies()
    login(page, base, "chief", PASSWORD)  # the hp division chief keeps no one
    page.goto(f"{base}/admin/courts/{hp}/people")
    expect(page.locator(".flash.error")).to_be_visible()

    with db.read() as s:
        assert not s.exec(select(RoleGrant).where(RoleGrant.user_id == judge_sh, RoleGrant.role == "president")).first()
    assert ("admin_sh", "refused:role.grant") in _trace(db, "refused:")
