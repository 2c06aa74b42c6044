"""Courts and divisions named in a judges export, created when the database lacks them.

A court code (法院代字) encodes its place in the tree: 辽 is the high court of a
province, 辽01 an intermediate court under it, 辽0102 a basic court under 辽01. A
parent that the file does not list is created too, named from the province table
or, for an intermediate court, from its child's name (辽宁省抚顺市新抚区人民法院 →
辽宁省抚顺市中级人民法院).
"""
import re

from sqlmodel import Session, select

from store.models import Court, Division

COURT_CODE = re.compile(r"[\u4e00-\u9fff](\d{2}){0,2}")
LEVELS = {1: "high", 3: "intermediate", 5: "basic"}
PROVINCES = dict(zip(
    "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新",
    ("北京市 天津市 河北省 山西省 内蒙古自治区 辽宁省 吉林省 黑龙江省 上海市 江苏省 浙江省 安徽省 福建省 "
     "江西省 山东省 河南省 湖北省 湖南省 广东省 广西壮族自治区 海南省 重庆市 四川省 贵州省 云南省 "
     "西藏自治区 陕西省 甘肃省 青海省 宁夏回族自治区 新疆维吾尔自治区").split(),
))
CATEGORIES = (("民事", "civil"), ("刑事", "criminal"), ("行政", "admin"), ("执行", "enforcement"),
              ("立案", "filing"))


def court_chain(code: str) -> list[str]:
    """The codes from the high court down to `code`: 辽0102 → [辽, 辽01, 辽0102]."""
    return [code[:n] for n in (1, 3, 5) if n <= len(code)]


def division_category(name: str) -> str:
    """民事审判第一庭 → civil, 刑事… → criminal, 行政… → admin, 执行局 → enforcement, else other."""
    return next((category for word, category in CATEGORIES if word in name), "other")


def inferred_name(code: str, child_name: str = "") -> str:
    """A name for a court the file does not list (only ever a parent of one it does)."""
    province = PROVINCES.get(code[0], code[0])
    if len(code) == 1:
        return f"{province}高级人民法院"
    city = re.match(rf"{re.escape(province)}(.+?[市州盟])", child_name)
    return f"{city.group(0)}中级人民法院" if city else f"{province}{code}中级人民法院"


def ensure_courts(session: Session, names: dict[str, str]) -> tuple[dict[str, Court], int]:
    """Every court in `names` (code → name) and its ancestors; returns them by code and how many were new."""
    wanted = _with_ancestors(names)
    courts = {c.code: c for c in session.exec(select(Court).where(Court.code.in_(list(wanted))))}
    created = 0
    for code in sorted(wanted, key=len):  # parents before children
        if code not in courts:
            courts[code] = _add_court(session, code, wanted[code], courts.get(code[:len(code) - 2]))
            created += 1
    return courts, created


def _with_ancestors(names: dict[str, str]) -> dict[str, str]:
    wanted: dict[str, str] = {}
    for code, name in names.items():
        for ancestor in court_chain(code):
            wanted.setdefault(ancestor, names.get(ancestor) or inferred_name(ancestor, name))
    return wanted


def _add_court(session: Session, code: str, name: str, parent: Court | None) -> Court:
    court = Court(code=code, name=name, level=LEVELS[len(code)], parent_id=parent.id if parent else None)
    session.add(court)
    session.flush()
    court.path = f"{parent.path if parent else '/'}{court.id}/"
    return court


def ensure_divisions(session: Session, keys: set[tuple[int, str]]) -> tuple[dict[tuple[int, str], int], int]:
    """Division ids by (court id, name), creating the missing ones; returns them and how many were new."""
    court_ids = list({court_id for court_id, _ in keys})
    rows = session.exec(select(Division).where(Division.court_id.in_(court_ids))).all()
    ids = {(d.court_id, d.name): d.id for d in rows}
    missing = sorted(keys - ids.keys())
    for court_id, name in missing:
        division = Division(court_id=court_id, name=name, category=division_category(name))
        session.add(division)
        session.flush()
        ids[(court_id, name)] = division.id
    return ids, len(missing)
