"""Dates and lengths as people write them: 2025年3月4日, 2025年3月4日 09:30, 六个月, 三十日, 十日内 on Chinese
pages, notices and documents; 2025-03-04, 6 months, 30 days in English. Times are given already in the
court's zone (the callers convert: services/kernel/clock.COURT_TZ)."""
import re
from datetime import date, datetime

from i18n import DEFAULT, current, language

DIGITS = "零一二三四五六七八九"
UNITS = ((1000, "千"), (100, "百"), (10, "十"))
LENGTH = re.compile(r"^\s*(\d+)\s*([md])\s*$")
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
PERIOD = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2])|-Q([1-4])|-H([12]))?$")


def chinese_number(n: int) -> str:
    """0–9999 in Chinese numerals as a length is written: 6 → 六, 10 → 十, 15 → 十五, 30 → 三十, 105 → 一百零五."""
    if not 0 <= n < 10000:
        return str(n)
    if n < 10:
        return DIGITS[n]
    words, zero = "", False
    for size, unit in UNITS:
        digit, n = divmod(n, size)
        if digit:
            words += ("零" if zero else "") + ("" if (size == 10 and digit == 1 and not words) else DIGITS[digit]) + unit
            zero = False
        elif words:
            zero = True
    if n:
        words += ("零" if zero else "") + DIGITS[n]
    return words


def length_words(length, lang: str | None = None, working: bool = False) -> str:
    """A statutory length (`Duration`, "6m" or "30d") in words: 六个月 / 6 months, 三十日 / 30 days,
    with `working` 十个工作日 / 10 working days. Anything else is shown as it is."""
    match = LENGTH.match(str(length or ""))
    if not match:
        return str(length or "")
    n, unit = int(match.group(1)), match.group(2)
    if _code(lang) == DEFAULT:
        if unit == "m":
            return f"{chinese_number(n)}个月"
        return f"{chinese_number(n)}个工作日" if working else f"{chinese_number(n)}日"
    word = "month" if unit == "m" else "working day" if working else "day"
    return f"{n} {word}{'' if n == 1 else 's'}"


def days_words(n: int, lang: str | None = None, working: bool = False) -> str:
    """十日 / 十个工作日 / 10 days: a window's length (write 内 after it for "within")."""
    return length_words(f"{int(n)}d", lang, working)


def months_words(n: int, lang: str | None = None) -> str:
    """六个月 / 6 months."""
    return length_words(f"{int(n)}m", lang)


def install(env) -> None:
    """The filters every Jinja2 environment of the house writes dates and lengths with, in the language in use:
    `{{ d|day }}`, `{{ at|day_time }}` (a time already on the court's clock), `{{ n|days }}` (`{{ n|days(True) }}`
    working days), `{{ n|months }}`, `{{ '6m'|length_words }}`, `{{ '2025-Q1'|period_words }}`."""
    env.filters["day"] = lambda d: date_words(d)
    env.filters["day_time"] = lambda at: datetime_words(at)
    env.filters["days"] = lambda n, working=False: days_words(n, working=working)
    env.filters["months"] = lambda n: months_words(n)
    env.filters["length_words"] = lambda length: length_words(length)
    env.filters["period_words"] = lambda period: period_words(period)


def date_words(day: date | str | None, lang: str | None = None) -> str:
    """2025年3月4日 in Chinese, 2025-03-04 in English; a datetime loses its time. A date as ISO text (JSON
    contexts carry dates as text) is read as that date; other text is given back as it is."""
    day = _as_date(day)
    if day is None or day == "":
        return ""
    if isinstance(day, str):
        return day
    if isinstance(day, datetime):
        day = day.date()
    return f"{day.year}年{day.month}月{day.day}日" if _code(lang) == DEFAULT else day.isoformat()


def datetime_words(at: datetime | str | None, lang: str | None = None) -> str:
    """2025年3月4日 09:30 in Chinese, 2025-03-04 09:30 in English (the time as given: the court's clock); ISO text
    is read as that time, other text given back as it is."""
    at = _as_date(at)
    if at is None or at == "":
        return ""
    if not isinstance(at, datetime):
        return at if isinstance(at, str) else date_words(at, lang)
    return f"{date_words(at.date(), lang)} {at:%H:%M}"


def period_words(period, lang: str | None = None) -> str:
    """An assessment or report period (`Period` or its label) as people write it: 2025年2月, 2025年第一季度,
    2025年上半年, 2025年 in Chinese; its label (2025-02, 2025-Q1, 2025-H1, 2025) in English. Other text as it is."""
    text = str(getattr(period, "label", period) or "")
    match = PERIOD.match(text)
    if not match or _code(lang) != DEFAULT:
        return text
    year, month, quarter, half = match.groups()
    if month:
        return f"{year}年{int(month)}月"
    if quarter:
        return f"{year}年第{DIGITS[int(quarter)]}季度"
    if half:
        return f"{year}年{'上' if half == '1' else '下'}半年"
    return f"{year}年"


def _as_date(value):
    """A date as given, or parsed from its whole ISO text (a date, or an instant whose day is meant); other text
    as it is, so a note that merely starts with a date keeps its words."""
    if isinstance(value, str) and ISO_DAY.match(value):
        try:
            return datetime.fromisoformat(value) if len(value) > 10 else date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _code(lang: str | None) -> str:
    return language(lang) if lang is not None else current()
