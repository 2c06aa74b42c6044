"""The yearly dossier files each record once, per person and year, on SQLite and PostgreSQL."""
from datetime import date, datetime, timezone

from services.kernel.dossier import dossier_entries, record_in_dossier
from tests.factories import small_world


def test_a_record_is_filed_once_in_the_year_of_its_date(any_db):
    world = small_world(any_db)
    judge = world.users["judge_a"].id
    with any_db.write() as s:
        first = record_in_dossier(s, at=datetime(2025, 3, 1, tzinfo=timezone.utc), user_id=judge, on=date(2025, 1, 31), kind="monthly_record", title="2025年1月考核",
                                  dedupe_key="assessment:2025-01:judge_a", detail={"met": False})
        again = record_in_dossier(s, at=datetime(2025, 3, 1, tzinfo=timezone.utc), user_id=judge, on=date(2025, 1, 31), kind="monthly_record", title="2025年1月考核",
                                  dedupe_key="assessment:2025-01:judge_a")
        record_in_dossier(s, at=datetime(2025, 3, 1, tzinfo=timezone.utc), user_id=judge, on=date(2024, 12, 31), kind="grade", title="2024年度考评：称职",
                          dedupe_key="grade:2024:judge_a")

    with any_db.read() as s:
        year_2025 = dossier_entries(s, judge, 2025)
        year_2024 = dossier_entries(s, judge, 2024)
    assert (first, again) == (True, False)
    assert [(e.kind, e.detail) for e in year_2025] == [("monthly_record", {"met": False})]
    assert [e.title for e in year_2024] == ["2024年度考评：称职"]


def test_the_dossier_document_labels_each_record_and_dates_it_on_the_courts_clock(any_db):
    from datetime import datetime, timezone

    from services.assessment.queries import dossier_document
    from store.models import User

    world = small_world(any_db)
    judge = world.users["judge_a"].id
    with any_db.write() as s:
        record_in_dossier(s, at=datetime(2025, 3, 1, tzinfo=timezone.utc), user_id=judge, on=date(2025, 2, 10), kind="petition_answered", title="答复信访件",
                          dedupe_key="petition:1", detail={"due_on": "2025-02-20", "late": False})
        record_in_dossier(s, at=datetime(2025, 3, 1, tzinfo=timezone.utc), user_id=judge, on=date(2025, 2, 28), kind="quota_exit", title="员额退出：退休",
                          dedupe_key="exit:1", detail={"ground": "retirement", "cases": ["（2025）辽0102民初1号"]})
    with any_db.read() as s:
        html = dossier_document(s, s.get(User, judge), 2025, datetime(2025, 3, 3, 18, 30, tzinfo=timezone.utc))

    assert "答复期限：2025年2月20日；逾期答复：否" in html
    assert "案件：（2025）辽0102民初1号" in html
    assert "due_on" not in html and "late" not in html and "retirement" not in html and "False" not in html
    assert "生成时间 2025年3月4日 02:30" in html and "UTC" not in html  # 18:30 UTC is 02:30 the next day in Shanghai
