"""The facts the seeds draw from: Liaoning's courts, divisions, names, procedure and outcome mixes.

Pure data and pure functions (no database), shared by the demo seed and the province seed.
Weights are relative, not percentages.
"""
import itertools
import random
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Iterable, Iterator

from policies.deadline import Duration, compute_deadline

# 辽宁省: (city, intermediate court digits, [(district, basic court digits)])
CITIES = (
    ("沈阳", "01", (("和平区", "02"), ("沈河区", "03"), ("大东区", "04"), ("皇姑区", "05"), ("铁西区", "06"),
                   ("苏家屯区", "11"), ("浑南区", "12"), ("沈北新区", "13"), ("于洪区", "14"), ("辽中区", "15"),
                   ("康平县", "23"), ("法库县", "24"), ("新民市", "81"))),
    ("大连", "02", (("中山区", "02"), ("西岗区", "03"), ("沙河口区", "04"), ("甘井子区", "11"), ("旅顺口区", "12"),
                   ("金州区", "13"), ("普兰店区", "14"), ("长海县", "24"), ("瓦房店市", "81"), ("庄河市", "83"))),
    ("鞍山", "03", (("铁东区", "02"), ("铁西区", "03"), ("立山区", "04"), ("千山区", "11"), ("台安县", "21"),
                   ("岫岩满族自治县", "23"), ("海城市", "81"))),
    ("抚顺", "04", (("新抚区", "02"), ("东洲区", "03"), ("望花区", "04"), ("顺城区", "11"), ("抚顺县", "21"),
                   ("新宾满族自治县", "22"), ("清原满族自治县", "23"))),
    ("本溪", "05", (("平山区", "02"), ("溪湖区", "03"), ("明山区", "04"), ("南芬区", "05"),
                   ("本溪满族自治县", "21"), ("桓仁满族自治县", "22"))),
    ("丹东", "06", (("元宝区", "02"), ("振兴区", "03"), ("振安区", "04"), ("宽甸满族自治县", "24"),
                   ("东港市", "81"), ("凤城市", "82"))),
    ("锦州", "07", (("古塔区", "02"), ("凌河区", "03"), ("太和区", "11"), ("黑山县", "26"), ("义县", "27"),
                   ("凌海市", "81"), ("北镇市", "82"))),
    ("营口", "08", (("站前区", "02"), ("西市区", "03"), ("鲅鱼圈区", "04"), ("老边区", "11"), ("盖州市", "81"),
                   ("大石桥市", "82"))),
    ("阜新", "09", (("海州区", "02"), ("新邱区", "03"), ("太平区", "04"), ("清河门区", "05"), ("细河区", "11"),
                   ("阜新蒙古族自治县", "21"), ("彰武县", "22"))),
    ("辽阳", "10", (("白塔区", "02"), ("文圣区", "03"), ("宏伟区", "04"), ("弓长岭区", "05"), ("太子河区", "11"),
                   ("辽阳县", "21"), ("灯塔市", "81"))),
    ("盘锦", "11", (("双台子区", "02"), ("兴隆台区", "03"), ("大洼区", "04"), ("盘山县", "22"))),
    ("铁岭", "12", (("银州区", "02"), ("清河区", "04"), ("铁岭县", "21"), ("西丰县", "23"), ("昌图县", "24"),
                   ("调兵山市", "81"), ("开原市", "82"))),
    ("朝阳", "13", (("双塔区", "02"), ("龙城区", "03"), ("朝阳县", "21"), ("建平县", "22"),
                   ("喀喇沁左翼蒙古族自治县", "24"), ("北票市", "81"), ("凌源市", "82"))),
    ("葫芦岛", "14", (("连山区", "02"), ("龙港区", "03"), ("南票区", "04"), ("绥中县", "21"), ("建昌县", "22"),
                    ("兴城市", "81"))),
)
HIGH_COURT = ("辽", "辽宁省高级人民法院")

# per level: (division name, username key, category, share of the court's judges)
DIVISIONS = {
    "high": (("民事审判庭", "civil", "civil", 5), ("刑事审判庭", "criminal", "criminal", 2.5),
             ("行政审判庭", "admin", "admin", 2.5)),
    "intermediate": (("民事审判第一庭", "civil1", "civil", 3.5), ("民事审判第二庭", "civil2", "civil", 3),
                     ("刑事审判庭", "criminal", "criminal", 2), ("行政审判庭", "admin", "admin", 1.5)),
    "basic": (("民事审判第一庭", "civil1", "civil", 2.8), ("民事审判第二庭", "civil2", "civil", 2.2),
              ("刑事审判庭", "criminal", "criminal", 1.5), ("行政审判庭", "admin", "admin", 0.5),
              ("执行局", "enforcement", "enforcement", 3)),
}
FAST_TRACK_DIVISION = "civil1"  # the basic courts' 速裁团队 sits in 民事审判第一庭

# cases a judge of this level and category files relative to a basic civil judge (案件负荷)
CASELOAD = {("basic", "civil"): 1.0, ("basic", "criminal"): 0.6, ("basic", "admin"): 0.5,
            ("basic", "enforcement"): 1.6, ("intermediate", "civil"): 0.6, ("intermediate", "criminal"): 0.4,
            ("intermediate", "admin"): 0.4, ("high", "civil"): 0.25, ("high", "criminal"): 0.2, ("high", "admin"): 0.2}

PROCEDURE_MIX = {
    ("basic", "civil"): (("civil-first-ordinary", 30), ("civil-first-simplified", 42), ("civil-small-claims", 20),
                         ("civil-special", 6), ("foreign-civil", 1)),
    ("basic", "criminal"): (("criminal-first-public", 45), ("criminal-first-simplified", 25),
                            ("criminal-fast-track", 25), ("criminal-private", 5)),
    ("basic", "admin"): (("admin-first", 55), ("admin-simplified", 45)),
    ("basic", "enforcement"): (("enforcement", 88), ("enforcement-non-litigation", 12)),
    ("intermediate", "civil"): (("civil-appeal-judgment", 70), ("civil-appeal-ruling", 15),
                                ("civil-first-ordinary", 8), ("civil-retrial-review", 5), ("foreign-civil", 2)),
    ("intermediate", "criminal"): (("criminal-appeal", 70), ("criminal-first-public", 25), ("criminal-retrial", 5)),
    ("intermediate", "admin"): (("admin-appeal", 70), ("admin-first", 30)),
    ("high", "civil"): (("civil-appeal-judgment", 40), ("civil-retrial-review", 50), ("civil-appeal-ruling", 10)),
    ("high", "criminal"): (("criminal-appeal", 70), ("criminal-retrial", 30)),
    ("high", "admin"): (("admin-appeal", 100),),
}
# 案件类型代字 in the case number, per procedure
TYPE_CODE = {
    "civil-first-ordinary": "民初", "civil-first-simplified": "民初", "civil-small-claims": "民初",
    "foreign-civil": "民初", "civil-special": "民特", "civil-appeal-judgment": "民终", "civil-appeal-ruling": "民终",
    "civil-retrial-review": "民申", "criminal-first-public": "刑初", "criminal-first-simplified": "刑初",
    "criminal-fast-track": "刑初", "criminal-private": "刑初", "criminal-appeal": "刑终", "criminal-retrial": "刑再",
    "admin-first": "行初", "admin-simplified": "行初", "admin-appeal": "行终",
    "enforcement": "执", "enforcement-non-litigation": "执",
}
OVERDUE_SUSPENDED = 0.6
ASSESSORS_PER_JUDGE = 3  # 人民陪审员法 第八条: a court's people's assessors number at least three times its judges
ASSESSOR_SHARE = 0.35    # of the first-instance cases that may sit with assessors (assignment.yaml panels.assessors)
SEVEN_SHARE = 0.01       # of those, the seven-person panels (第十六条)
SEVEN_GROUNDS = {"criminal": ("grave_crime", "major_impact"),  # the 第十六条 grounds a case of the category may have
                 "civil": ("public_interest_suit", "land_environment_food", "major_impact"),
                 "admin": ("public_interest_suit", "land_environment_food", "major_impact")}
SIMPLE_TRACK = frozenset({"civil-first-simplified", "civil-small-claims", "criminal-fast-track",
                          "criminal-first-simplified", "admin-simplified"})
LONG_SENTENCE_SHARE = {"criminal-first-simplified": 0.3, "criminal-fast-track": 0.2}

CAUSES = {
    "civil": ("民间借贷纠纷", "买卖合同纠纷", "离婚纠纷", "物业服务合同纠纷", "机动车交通事故责任纠纷", "劳动争议",
              "房屋租赁合同纠纷", "金融借款合同纠纷", "信用卡纠纷", "继承纠纷", "建设工程施工合同纠纷"),
    "criminal": ("盗窃罪", "危险驾驶罪", "诈骗罪", "故意伤害罪", "帮助信息网络犯罪活动罪", "交通肇事罪",
                 "非法吸收公众存款罪", "寻衅滋事罪"),
    "admin": ("行政处罚", "行政许可", "房屋征收补偿", "工伤认定", "政府信息公开", "行政强制"),
    "enforcement": ("借款合同纠纷执行", "买卖合同纠纷执行", "劳动争议执行", "离婚后财产纠纷执行", "公证债权文书执行"),
}
CLOSING_MIX = {
    "civil": (("判决", 40), ("调解", 28), ("撤诉", 22), ("裁定", 10)),
    "criminal": (("判决", 88), ("裁定", 8), ("撤诉", 4)),
    "admin": (("判决", 45), ("裁定", 30), ("撤诉", 25)),
    "enforcement": (("裁定", 70), ("调解", 15), ("撤诉", 15)),
}
CLOSING_STATE = {"调解": "mediated", "撤诉": "withdrawn", "判决": "closed", "裁定": "closed"}
DOCUMENT = {"判决": "判决书", "裁定": "裁定书", "撤诉": "裁定书", "调解": "调解书"}
DOC_PREFIX = {"civil": "民事", "criminal": "刑事", "admin": "行政", "enforcement": "执行"}

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰萍红娟建国志辉凤鹏宇博文斌晶颖浩婷雪琳慧海燕新峰亮欣瑞丹飞春晓宁健东梅"


def court_name(city: str, district: str) -> str:
    """沈阳市和平区人民法院; a county or county-level city court goes by its own name (海城市人民法院)."""
    return f"{city}市{district}人民法院" if district.endswith("区") else f"{district}人民法院"


def person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


class Mix:
    """A weighted choice prepared once: drawing from it is one bisect, not a list rebuild. It draws what
    `rng.choices(keys, cum_weights=…)[0]` draws, from the same one random(), without its checks per call."""

    def __init__(self, pairs):
        self.keys = [k for k, _ in pairs]
        self.cum = list(itertools.accumulate(w for _, w in pairs))
        self.total, self.last = self.cum[-1] + 0.0, len(self.keys) - 1

    def draw(self, rng: random.Random):
        return self.keys[bisect_right(self.cum, rng.random() * self.total, 0, self.last)]


# ---- cases -------------------------------------------------------------------------------

@dataclass
class Slot:
    """A division that takes cases, with the judges a case there can go to."""

    court_id: int
    court_code: str
    level: str
    division_id: int
    category: str
    president_id: int
    judges: list[int]
    team_id: int | None = None
    team_judges: list[int] = field(default_factory=list)
    assessors: list[int] = field(default_factory=list)  # the court's pool of people's assessors

    @property
    def weight(self) -> float:
        return (len(self.judges) + len(self.team_judges)) * CASELOAD[(self.level, self.category)]


@dataclass
class Extras:
    """Rows that hang off the cases: open suspensions, approved extensions and the panels' seats."""

    excluded: list[dict] = field(default_factory=list)
    extensions: list[dict] = field(default_factory=list)
    seats: list[dict] = field(default_factory=list)

    def clear(self) -> None:
        for rows in (self.excluded, self.extensions, self.seats):
            rows.clear()


def chunks(rows: Iterable, size: int) -> Iterator[list]:
    it = iter(rows)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def assigned_on(filed_on: date, today: date) -> date:
    """The day a seeded case was assigned and its panel fixed: the day after its filing, today at the latest."""
    return min(filed_on + timedelta(days=1), today)


def filing_days(total: int, today: date, calendar, days: int = 730) -> Iterator[tuple[date, int]]:
    """How many cases are filed on each of the last `days` days: few on days off, a slow rise."""
    span = [today - timedelta(days=days - 1 - i) for i in range(days)]
    weights = [(1.0 if calendar.is_working_day(d) else 0.05) * (1 + 0.5 * i / days) for i, d in enumerate(span)]
    scale, running, given = total / sum(weights), 0.0, 0
    for d, w in zip(span, weights):
        running += w * scale
        n = round(running) - given
        given += n
        yield d, n


class CaseMaker:
    """Case rows in filing order (so case numbers rise with the date), every draw from one Random.

    Each case gets a duration drawn as a multiple of its procedure's limit; if that much time
    has passed it is finished (closed, archived, mediated, …), else pending, so overdue and
    long-pending cases arise the way they do in a court, not by quota.
    """

    def __init__(self, rng: random.Random, slots: list[Slot], today: date, first_id: int, calendar, policy, panels):
        self.rng, self.slots, self.today, self.next_id = rng, slots, today, first_id
        self.calendar, self.policy, self.panels = calendar, policy, panels
        self.seat_rng = random.Random(first_id)  # the panels' own draws: the cases stay as they were without them
        self.slot_mix = Mix([(s, s.weight) for s in slots])
        self.procedures = {key: Mix(pairs) for key, pairs in PROCEDURE_MIX.items()}
        self.closings = {key: Mix(pairs) for key, pairs in CLOSING_MIX.items()}
        self.numbers: Counter = Counter()
        self.extras = Extras()
        for name in ("limit_days", "first_extension", "deadline", "working_day", "seats"):
            setattr(self, name, lru_cache(maxsize=None)(getattr(self, name)))

    def rows(self, total: int) -> Iterator[dict]:
        for day, n in filing_days(total, self.today, self.calendar):
            for _ in range(n):
                yield self.case(day)

    def case(self, day: date) -> dict:
        rng = self.rng
        slot = self.slot_mix.draw(rng)
        procedure = self.procedures[(slot.level, slot.category)].draw(rng)
        variant = "long_sentence" if rng.random() < LONG_SENTENCE_SHARE.get(procedure, 0) else None
        row = self.opened(day, slot, procedure, variant)
        limit_days = self.limit_days(procedure, variant)
        factor = self.duration_factor()
        end = self.working_day(day + timedelta(days=max(1, round(factor * limit_days))))
        ext = self.extend(row, slot, day, limit_days) if factor > 1 else None
        row["deadline"], row["unrolled_deadline"], row["calendar_complete"] = self.deadline(
            procedure, variant, day, ext)
        if end <= self.today:
            self.finish(row, end, slot.category)
        else:
            self.pend(row, day, procedure)
        if row["lead_judge_id"] is not None:
            self.seat(row, slot)
        return row

    def opened(self, day: date, slot: Slot, procedure: str, variant: str | None) -> dict:
        rng, code = self.rng, TYPE_CODE[procedure]
        key = (day.year, slot.court_code, code)
        self.numbers[key] += 1
        simple = procedure in SIMPLE_TRACK
        team = simple and bool(slot.team_judges)
        self.next_id += 1
        return dict(
            id=self.next_id - 1, case_number=f"（{day.year}）{slot.court_code}{code}{self.numbers[key]}号",
            cause=rng.choice(CAUSES[slot.category]), procedure=procedure, track="simple" if simple else "ordinary",
            court_id=slot.court_id, division_id=slot.division_id, team_id=slot.team_id if team else None,
            lead_judge_id=rng.choice(slot.team_judges if team else slot.judges), party_count=self.parties(),
            filed_on=day, state="filed", resume_state=None, deadline=None, unrolled_deadline=None,
            calendar_complete=True, clock_stopped=False, excluded_days=0, extension_count=0, adjournments=0,
            variant=variant, decided_on=None, closed_on=None, closing_method=None, decision_doc_ref=None,
            related_to_id=None, remanded=code.endswith("初") and rng.random() < 0.01, assessor_ground=None,
            created_at=_created_at(day), version=1)

    def seat(self, row: dict, slot: Slot) -> None:
        """The panel as the assignment seats it (services/cases/panels.py, by the policy's panels): the lead judge;
        a panel's other judges among the division's judges but its chief; for a first-instance case with an
        assessors' ground (ASSESSOR_SHARE of those the policy lets sit with them), assessors from the pool."""
        lead, case_id = row["lead_judge_id"], row["id"]
        since = assigned_on(row["filed_on"], self.today)
        ground = row["assessor_ground"] = self.ground(row["procedure"], slot)
        judges, assessors = self.seats(row["procedure"], ground)
        seats = self.extras.seats
        seats.append(dict(case_id=case_id, user_id=lead, role="lead", since=since))
        if judges > 1:
            others = [j for j in slot.judges[1:] + slot.team_judges if j != lead]
            seats += [dict(case_id=case_id, user_id=j, role="member", since=since)
                      for j in self.seat_rng.sample(others, min(judges - 1, len(others)))]
        if assessors:
            seats += [dict(case_id=case_id, user_id=a, role="assessor", since=since)
                      for a in self.seat_rng.sample(slot.assessors, assessors)]

    def ground(self, procedure: str, slot: Slot) -> str | None:
        rule = self.panels.assessors
        if procedure not in rule.procedures or len(slot.assessors) < rule.seven.assessors:
            return None
        r = self.seat_rng.random()
        if r >= ASSESSOR_SHARE:
            return None
        kind = "seven" if r < ASSESSOR_SHARE * SEVEN_SHARE else "three"
        grounds = [g for g, k in rule.grounds.items() if k == kind
                   and (kind == "three" or g in SEVEN_GROUNDS[slot.category])]
        return self.seat_rng.choice(grounds) if grounds else None

    def seats(self, procedure: str, ground: str | None) -> tuple[int, int]:
        return self.panels.seats(procedure, ground)

    def parties(self) -> int:
        r = self.rng.random()
        return 2 if r < 0.75 else 3 if r < 0.87 else self.rng.randint(4, 6) if r < 0.997 else self.rng.randint(10, 40)

    def duration_factor(self) -> float:
        """Time to close as a share of the limit: most well inside it, some extended, a long tail."""
        r, u = self.rng.random(), self.rng.random()
        return 0.4 + 0.5 * u if r < 0.40 else 0.9 + 0.1 * u if r < 0.80 else 1 + u if r < 0.95 else 2 + 4 * u

    def finish(self, row: dict, end: date, category: str) -> None:
        method = self.closings[category].draw(self.rng)
        state, r = CLOSING_STATE[method], self.rng.random()
        if r < 0.015:
            state, method = "transferred", "裁定"
        elif state == "closed" and (self.today - end).days > 60 and r < 0.85:
            state = "archived"
        elif state == "closed" and (self.today - end).days <= 10 and r < 0.6:
            state = "decided"
        document = f"{row['case_number']}{DOC_PREFIX[category]}{DOCUMENT[method]}"
        row.update(state=state, decided_on=end, decision_doc_ref=document)
        if state != "decided":
            row.update(closed_on=end, closing_method=method)

    def pend(self, row: dict, day: date, procedure: str) -> None:
        age, r = (self.today - day).days, self.rng.random()
        if age <= 7:
            state = "filed" if r < (0.7 if age <= 2 else 0.15) else "assigned" if r < 0.6 or age <= 2 else "in_trial"
        elif row["deadline"] and row["deadline"] < self.today and r < OVERDUE_SUSPENDED:
            state = "suspended"  # most cases pending past their limit wait on something (中止)
        else:
            state = "assigned" if r < 0.05 else "in_trial" if r < 0.83 else "under_review" if r < 0.93 else "suspended"
        row["state"] = state
        if state == "filed":
            row.update(lead_judge_id=None, team_id=None)
        elif state == "suspended":
            row.update(clock_stopped=True, resume_state="in_trial")
            start = day + timedelta(days=self.rng.randint(age // 3, age - 1))
            self.extras.excluded.append(dict(case_id=row["id"], kind="suspension", start=start, end=None,
                                             reason="中止诉讼：等待另案审理结果"))
        elif self.rng.random() < 0.25:
            row["adjournments"] = min(1, self.policy.procedure(procedure).max_adjournments)

    def extend(self, row: dict, slot: Slot, day: date, limit_days: float) -> str | None:
        """An approved first extension (the president's), for most cases that needed one."""
        length = self.first_extension(row["procedure"])
        requested = day + timedelta(days=max(1, round(limit_days) - 20))
        decided = requested + timedelta(days=3)
        if not length or row["lead_judge_id"] is None or decided > self.today or self.rng.random() > 0.7:
            return None
        row["extension_count"] = 1
        self.extras.extensions.append(dict(
            case_id=row["id"], court_id=slot.court_id, division_id=slot.division_id, ordinal=1, length=length,
            reason="案情复杂，需要延长审理期限", state="approved", requested_by=row["lead_judge_id"],
            requested_on=requested, decide_by=None, approver_role="president", approver_court_id=slot.court_id,
            late=False, decided_by=slot.president_id, decided_on=decided, override_reason=None,
            decision_note="同意延长", version=1))
        return length

    def limit_days(self, procedure: str, variant: str | None) -> float:
        """The limit in days, roughly (a month is 30.4 days); a procedure with no limit gets ten months."""
        limit = self.policy.limit(procedure, variant)
        return 300.0 if limit is None else limit.value * (30.4 if limit.unit == "m" else 1)

    def first_extension(self, procedure: str) -> str | None:
        steps = self.policy.procedure(procedure).extensions
        return str(steps[0].length) if steps and steps[0].length and steps[0].approver == "president" else None

    def deadline(self, procedure: str, variant: str | None, day: date, ext: str | None):
        """compute_deadline, cached in __init__: a province has only ~730 filing days × 19 procedures."""
        extensions = [Duration.parse(ext)] if ext else []
        result = compute_deadline(day, self.policy.limit(procedure, variant), extensions, [], self.calendar)
        return result.deadline, result.unrolled_deadline, result.calendar_complete

    def working_day(self, d: date) -> date:
        return self.calendar.next_working_day(d)[0]


@lru_cache(maxsize=None)
def _created_at(day: date) -> datetime:
    return datetime.combine(day, time(1, 30), tzinfo=timezone.utc)
