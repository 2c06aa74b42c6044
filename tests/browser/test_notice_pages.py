"""A judge sets up a webhook channel in chromium, sends a test notice that the real flow delivers,
sees the unread count in the header and marks the notice read."""
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from playwright.sync_api import expect

from flows.deliver_notices import deliver_notices
from tests.browser.conftest import login
from tests.factories import PASSWORD
from tests.integration.sinks import HttpSink

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("prefect_server")]
SECRET = "browser-hook-secret-42"


def test_a_judge_adds_a_webhook_sends_a_test_notice_and_reads_it(page, live_server, tmp_path):
    base = live_server.base_url
    shots = Path(os.environ.get("COURTFLOW_SCREENSHOTS", tmp_path))
    with HttpSink() as sink:
        login(page, base, "judge_a", PASSWORD)
        expect(page.locator("#notice-bell")).to_have_text("站内通知")
        page.goto(f"{base}/settings/notifications")
        expect(page.locator("#no-channels")).to_be_visible()

        form = page.locator("#add-channel")
        form.get_by_label("渠道类型").select_option("webhook")
        form.get_by_label("地址或令牌").fill("ftp://files.court.cn/hook")
        form.get_by_role("button", name="添加渠道").click()
        expect(page.get_by_role("alert")).to_have_text("地址或令牌：Webhook 地址须以 http:// 或 https:// 开头并含有主机名")

        form.get_by_label("地址或令牌").fill(f"{sink.url}/hook?token={SECRET}")
        form.get_by_label("备注名称").fill("本庭值班群")
        form.get_by_role("button", name="添加渠道").click()
        row = page.locator("#channels tr.channel")
        expect(page.locator("#settings-ok")).to_have_text("渠道已添加")
        expect(row).to_contain_text("本庭值班群")
        expect(row.locator("code.target")).to_have_text(f"{sink.url}/***")
        assert SECRET not in page.content()
        page.screenshot(path=str(shots / "notice_settings.png"), full_page=True)

        row.get_by_role("button", name="发送测试通知").click()
        expect(page.locator("#settings-ok")).to_have_text("测试通知已排队，将在一分钟内发出")
        assert deliver_notices(now=datetime.now(timezone.utc) + timedelta(seconds=1),
                               database_url=live_server.db.url) == {"sent": 1}
        assert [b["title"] for b in sink.received] == ["测试通知：通知渠道已可用"]

    page.reload()
    expect(page.locator("#unread-count")).to_have_text("1")
    page.locator("#notice-bell").click()
    notice = page.locator("#notices tr.notice.unread")
    expect(notice).to_contain_text("测试通知：通知渠道已可用")
    expect(notice).to_contain_text("已推送")
    page.screenshot(path=str(shots / "notices_unread.png"), full_page=True)

    notice.get_by_role("button", name="标为已读").click()
    expect(page.locator("#notices tr.notice.unread")).to_have_count(0)
    expect(page.locator("#unread-count")).to_have_count(0)
    expect(page.locator("#notices tr.notice")).to_contain_text("已读")
