"""The pictures pages draw from the machines (statemachines/diagrams.steps, path_taken) and the marking of a
court's Chinese data on English pages (api/pages/other_language)."""
import i18n
from api.pages.other_language import marked, spans
from markupsafe import Markup
from statemachines.case import CaseMachine
from statemachines.diagrams import path_taken, steps
from statemachines.extension import ExtensionMachine


def test_steps_follow_the_machines_declaration_with_where_each_leads():
    drawn = steps(ExtensionMachine)
    assert [s.state for s in drawn] == ["requested", "approved", "refused", "withdrawn"]
    assert drawn[0].initial and dict(drawn[0].leads_to) == {"approve": "approved", "refuse": "refused",
                                                             "withdraw": "withdrawn"}
    assert all(s.final and not s.leads_to for s in drawn[1:])


def test_the_path_replays_the_events_and_ignores_what_does_not_move_the_machine():
    assert path_taken(CaseMachine, ["assign", "extend", "start_trial", "suspend", "resume"]) == [
        "filed", "assigned", "in_trial", "suspended", "in_trial"]
    assert path_taken(CaseMachine, ["decide"]) == ["filed"]  # not a move from 立案: kept where it was


def test_on_an_english_page_only_data_is_marked_and_never_inside_a_tag_or_the_title():
    with i18n.use("en"):
        number = marked("（2025）辽0102民初1号")
        assert marked(Markup("结案率")) == "结案率"  # a catalog's words are the page's own
        assert marked("Wang Fang") == "Wang Fang"
        mixed = marked("Assessment follow-up: 庭长约谈 (2026-10)")
    with i18n.use("zh_CN"):
        assert marked("庭长约谈") == "庭长约谈"
    page = (f'<title>{number}</title><input value="{number}"><option value="1">{number}</option>'
            f'<textarea>{number}</textarea><td>{number}</td><p>{mixed}</p>')
    assert spans(page) == ('<title>（2025）辽0102民初1号</title><input value="（2025）辽0102民初1号">'
                           '<option value="1" lang="zh-CN">（2025）辽0102民初1号</option>'
                           '<textarea>（2025）辽0102民初1号</textarea><td><span lang="zh-CN">（2025）辽0102民初1号</span></td>'
                           '<p>Assessment follow-up: <span lang="zh-CN">庭长约谈</span> (2026-10)</p>')


def test_the_navigation_groups_links_by_job_in_a_fixed_order_and_leaves_empty_menus_out():
    import pytest

    from api.pages.slots import Shell
    from services.kernel.actor import Actor, Grant

    shell = Shell()
    shell.add_nav_link("admin", "/admin", {"court_admin"}, group="manage")
    shell.add_nav_link("supervision_board", "/supervision", {"division_chief"}, group="oversight")
    with pytest.raises(ValueError, match="nav group"):
        shell.add_nav_link("x", "/x", group="elsewhere")
    chief = Actor(1, "chief", "庭长", grants=(Grant("division_chief", 1, "/1/", None, False),))
    groups = shell.nav_groups(chief)
    assert [g.key for g in groups] == ["casework", "oversight", "quality"]
    assert [link.href for link in groups[1].links] == ["/supervision"]
