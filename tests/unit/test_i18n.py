"""The catalogs and the one way to read them: languages, parameters, the words for codes, and the check."""
from pathlib import Path

import i18n
from cli.i18n import add, catalog_problems, i18n_command, keys_in_sources
from services.kernel.errors import Invalid, Refused


def test_the_language_is_chosen_from_how_people_and_browsers_name_it():
    assert [i18n.language(x) for x in ("en", "en-GB", "EN", "zh", "zh-CN", "fr", None)] == \
        ["en", "en", "en", "zh_CN", "zh_CN", "zh_CN", "zh_CN"]
    assert i18n.from_accept_language("fr-CH, fr;q=0.9, en;q=0.8") == "en"
    assert i18n.from_accept_language("zh-CN,zh;q=0.9,en;q=0.8") == "zh_CN"
    assert i18n.from_accept_language("fr, de") is None and i18n.from_accept_language(None) is None


def test_a_text_in_each_language_with_its_parameters():
    assert i18n.gettext("overdue_n", "zh_CN", n=3) == "已超审限 3 天"
    assert i18n.gettext("overdue_n", "en", n=3) == "3 days overdue"
    with i18n.use("en"):
        assert i18n.gettext("overdue_n", n=1) == "1 days overdue"
    assert i18n.current() == "zh_CN"
    assert i18n.gettext("no.such.key", "en") == "no.such.key"


def test_codes_are_shown_as_words_the_kind_s_own_first():
    assert i18n.label("state", "requested", "zh_CN") == "待审批"
    assert i18n.label("state", "requested", "en") == "Requested"
    assert i18n.label("event", "withdraw", "zh_CN", within="extensions") == "撤回申请"
    assert i18n.label("event", "withdraw", "zh_CN", within="required_reports") == "撤回要求"
    assert i18n.label("state", "closed", "zh_CN", within="petitions") == "已办结"
    assert i18n.label("state", "closed", "zh_CN", within="cases") == "已结案"
    assert i18n.label("task", "file_explanation", "zh_CN") == "提交书面说明"
    assert i18n.label("procedure", "civil-first-ordinary", "zh_CN") == "民事一审普通程序"
    assert i18n.label("state", "unheard_of", "zh_CN") == "unheard_of" and i18n.label("state", None) == ""


def test_a_timeline_action_reads_as_the_event_or_its_own_words():
    assert i18n.action_label("extensions.approve", "zh_CN") == "批准"
    assert i18n.action_label("refused:tasks.complete", "zh_CN") == "被拒绝：办结"
    assert i18n.action_label("cases.file", "en") == "Filed"
    assert i18n.action_label("something.unknown", "en") == "something.unknown"


def test_a_refusal_carries_its_id_and_parameters_and_speaks_each_language():
    refusal = Refused("refused.kernel.not_allowed_while", ["cancel"], event="complete", subject_kind="tasks",
                      state="done")
    assert str(refusal) == refusal.reason == "'complete' is not allowed while the tasks is 'done'"
    assert refusal.text("zh_CN") == "当前状态为“已完成”，不能“办结”"
    assert refusal.text("en") == "'Complete' is not allowed while the Task is 'Done'"
    assert refusal.message_id == "refused.kernel.not_allowed_while" and refusal.allowed_events == ["cancel"]
    roles = Refused("refused.kernel.your_roles_here_do_not_allow", event="approve", subject_kind="extensions",
                    roles="president, vice_president")
    assert roles.text("zh_CN") == "您在此处的角色不能“批准”（需要：院长、副院长）"
    assert roles.text("en").endswith("(needs one of: president, vice president)")


def test_pydantic_errors_become_catalog_messages_with_their_context():
    short = Invalid.from_pydantic({"type": "string_too_short", "loc": ("reason",), "msg": "String should have at "
                                   "least 2 characters", "ctx": {"min_length": 2}}, "payload")
    assert short.field == "payload.reason" and short.message_id == "validation.string_too_short"
    assert short.text("zh_CN") == "至少需要 2 个字符" and short.message == "String should have at least 2 characters"
    odd = Invalid.from_pydantic({"type": "something_new", "loc": ("x",), "msg": "odd"})
    assert odd.message_id == "validation.invalid" and odd.text("en") == "odd" and odd.text("zh_CN") == "该项输入无效"


def test_a_policy_message_reads_as_english_and_keeps_its_id():
    message = i18n.Message("refused.quota_exit.reentry_within_years", years=5)
    assert "within 5 years" in message and message.key == "refused.quota_exit.reentry_within_years"


def test_the_shipped_catalogs_pass_the_check(capsys):
    assert i18n_command(["check"]) == 0, capsys.readouterr().out
    assert i18n_command(["nonsense"]) == 2


def _po(path: Path, entries: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f'msgid "{k}"\nmsgstr "{v}"\n\n' for k, v in entries.items()), encoding="utf-8")


def test_the_check_finds_a_key_in_one_language_an_empty_text_and_a_parameter_the_english_lacks(tmp_path):
    _po(tmp_path / "zh_CN/LC_MESSAGES/a.po", {"both": "两者", "zh_only": "只有中文", "empty": "", "n": "%(n)s 天"})
    _po(tmp_path / "en/LC_MESSAGES/a.po", {"both": "Both", "en_only": "English only", "empty": "x", "n": "days"})
    problems = catalog_problems(tmp_path)
    assert "'zh_only' is in zh_CN only" in problems and "'en_only' is in en only" in problems
    assert "zh_CN: 'empty' has no text (a.po)" in problems
    assert "'n': the Chinese uses ['n'], which the English does not name" in problems
    assert not any("'both'" in p for p in problems)


def test_the_check_reads_the_keys_templates_and_code_use(tmp_path):
    (tmp_path / "api/templates").mkdir(parents=True)
    (tmp_path / "api/templates/page.html").write_text("<p>{{ _('page.title') }}</p>{% trans %}page.block{% endtrans %}")
    (tmp_path / "services").mkdir()
    (tmp_path / "services/rule.py").write_text('def f(field):\n    raise Invalid(field, "invalid.x.bad", n=1)\n\n'
                                               'REASONS = {"uq": "refused.unique.twice"}\n'
                                               'def g():\n    return Refused("refused.x.no")\n')
    used = keys_in_sources(tmp_path)
    assert {"page.title", "page.block", "invalid.x.bad", "refused.unique.twice", "refused.x.no"} <= set(used)
    assert used["invalid.x.bad"] == "services/rule.py"


def test_adding_a_text_writes_both_languages_in_key_order(tmp_path):
    _po(tmp_path / "zh_CN/LC_MESSAGES/cases.po", {"b.key": "乙"})
    _po(tmp_path / "en/LC_MESSAGES/cases.po", {"b.key": "B"})
    add("cases", "a.key", {"zh_CN": "甲 %(n)s", "en": "A %(n)s"}, tmp_path)
    text = (tmp_path / "en/LC_MESSAGES/cases.po").read_text(encoding="utf-8")
    assert text.index('msgid "a.key"') < text.index('msgid "b.key"') and 'msgstr "A %(n)s"' in text
    assert catalog_problems(tmp_path) == []
    add("cases", "b.key", {"zh_CN": "乙二", "en": "B2"}, tmp_path)
    assert 'msgstr "B2"' in (tmp_path / "en/LC_MESSAGES/cases.po").read_text(encoding="utf-8")


def test_lengths_are_written_in_words():
    from i18n.words import chinese_number, length_words

    assert [chinese_number(n) for n in (1, 6, 10, 15, 20, 30, 105, 110)] == \
        ["一", "六", "十", "十五", "二十", "三十", "一百零五", "一百一十"]
    assert [length_words(x, "zh_CN") for x in ("6m", "1m", "30d", "3m")] == ["六个月", "一个月", "三十日", "三个月"]
    assert length_words("10d", "zh_CN", working=True) == "十个工作日"
    assert [length_words(x, "en") for x in ("6m", "1m", "30d")] == ["6 months", "1 month", "30 days"]
    assert length_words("", "zh_CN") == "" and length_words("soon", "zh_CN") == "soon"


def test_dates_are_written_the_chinese_way_on_chinese_pages():
    from datetime import date, datetime

    from i18n.words import date_words, datetime_words

    assert date_words(date(2025, 3, 4), "zh_CN") == "2025年3月4日" and date_words(date(2025, 3, 4), "en") == "2025-03-04"
    assert datetime_words(datetime(2025, 3, 4, 9, 30), "zh_CN") == "2025年3月4日 09:30"
    assert datetime_words(datetime(2025, 3, 4, 9, 30), "en") == "2025-03-04 09:30" and date_words(None) == ""


def test_periods_are_written_the_chinese_way_on_chinese_pages():
    from i18n.words import period_words
    from policies.periods import Period

    assert [period_words(p, "zh_CN") for p in ("2026-08", "2025-Q1", "2025-H2", "2025")] == \
        ["2026年8月", "2025年第一季度", "2025年下半年", "2025年"]
    assert period_words(Period.parse("2025-Q4"), "zh_CN") == "2025年第四季度"
    assert period_words("2026-08", "en") == "2026-08" and period_words("2026-13", "zh_CN") == "2026-13"
    assert period_words(None, "zh_CN") == ""



def test_the_exit_notice_writes_its_windows_in_words():
    from services.quota_exit.documents import render_document

    context = dict(court_name="沈阳市和平区人民法院", on_zh="2025年3月4日", proceeding_id=7, title="员额退出程序告知书",
                   year=2025, evidence=[], staff_no=None, ground_zh="考核不合格", grounds_text="连续两年考核不称职",
                   judge_name="王某", statement_length=10, statement_days="calendar", reconsideration_length=7,
                   higher_length=15)
    calendar = render_document("notice", context)
    assert "之日起十日内" in calendar and "七日内申请复议" in calendar and "十五日内向上一级" in calendar
    assert "个日内" not in calendar and "10" not in calendar.split("之日起")[1][:4]
    assert "十个工作日内" in render_document("notice", {**context, "statement_days": "working"})
