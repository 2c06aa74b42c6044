"""The yearly dossier files each record once, per person and year, on SQLite and PostgreSQL."""
from datetime import date

from services.kernel.dossier import dossier_entries, record_in_dossier
from tests.factories import small_world


def test_a_record_is_filed_once_in_the_year_of_its_date(any_db):
    world = small_world(any_db)
    judge = world.users["judge_a"].id
    with any_db.write() as s:
        first = record_in_dossier(s, user_id=judge, on=date(2025, 1, 31), kind="monthly_record", title="2025年1月考核",
                                  dedupe_key="assessment:2025-01:judge_a", detail={"met": False})
        again = record_in_dossier(s, user_id=judge, on=date(2025, 1, 31), kind="monthly_record", title="2025年1月考核",
                                  dedupe_key="assessment:2025-01:judge_a")
        record_in_dossier(s, user_id=judge, on=date(2024, 12, 31), kind="grade", title="2024年度考评：称职",
                          dedupe_key="grade:2024:judge_a")

    with any_db.read() as s:
        year_2025 = dossier_entries(s, judge, 2025)
        year_2024 = dossier_entries(s, judge, 2024)
    assert (first, again) == (True, False)
    assert [(e.kind, e.detail) for e in year_2025] == [("monthly_record", {"met": False})]
    assert [e.title for e in year_2024] == ["2024年度考评：称职"]
