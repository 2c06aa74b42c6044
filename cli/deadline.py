"""`courtflow deadline`: a case's statutory deadline (审限届满日) from the command line.

Input errors (unknown procedure, malformed date or duration, reversed period) exit 2
with one line on stderr naming the bad value; a broken policy file exits 1.
"""

import argparse
import json
import sys

import i18n
from policies.calendar import load_calendar
from policies.deadline import DeadlineResult, Duration, Period, compute_deadline, parse_date
from policies.errors import PolicyError
from policies.time_limits import ProcedureLimit, load_time_limits

PROG = "courtflow deadline"
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class UsageError(Exception):
    """Bad command-line input; reported on one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def _typed(parse):
    """Let argparse report our ValueError message (it names the bad value) verbatim."""
    def convert(text):
        try:
            return parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    convert.__name__ = parse.__name__
    return convert


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog=PROG, description="Compute a case's statutory deadline (SPEC §1.1).")
    p.add_argument("--procedure", required=True, metavar="CODE", help="e.g. civil-first-ordinary")
    p.add_argument("--filed", required=True, type=_typed(parse_date), metavar="YYYY-MM-DD")
    p.add_argument("--exclude", action="append", default=[], type=_typed(Period.parse),
                   metavar="START:END", help="excluded period, both ends inclusive (repeatable)")
    p.add_argument("--extend", action="append", default=[], type=_typed(Duration.parse),
                   metavar="6m|30d", help="approved extension, in the order approved (repeatable)")
    p.add_argument("--variant", metavar="KEY", help="limit variant, e.g. long_sentence")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--time-limits", metavar="PATH", help="time_limits.yaml to use")
    p.add_argument("--calendar", metavar="PATH", help="calendar.yaml to use")
    return p


def deadline_command(argv: list[str]) -> int:
    """Run `courtflow deadline` with `argv`; returns the exit code."""
    try:
        args = build_parser().parse_args(argv)
        proc, result = _compute(args)
    except SystemExit as done:  # --help
        return done.code or 0
    except (UsageError, ValueError, LookupError) as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except PolicyError as exc:
        print(f"{PROG}: policy error: {exc}", file=sys.stderr)
        return 1
    output = _as_json(args, proc, result) if args.json else _as_text(args, proc, result)
    print(output)
    return 0


def _compute(args) -> tuple[ProcedureLimit, DeadlineResult]:
    policy = load_time_limits(args.time_limits)
    proc = policy.procedure(args.procedure)
    limit = policy.limit(args.procedure, args.variant)
    if args.extend and not proc.extensions:
        raise UsageError(
            f"procedure {args.procedure!r} allows no extensions (--extend {args.extend[0]})"
        )
    calendar = load_calendar(args.calendar)
    return proc, compute_deadline(args.filed, limit, args.extend, args.exclude, calendar)


def _as_json(args, proc: ProcedureLimit, result: DeadlineResult) -> str:
    data = {
        "procedure": args.procedure,
        "variant": args.variant,
        "name_zh": i18n.label("procedure", args.procedure, "zh_CN"),
        "name_en": i18n.label("procedure", args.procedure, "en"),
        **result.as_dict(),
        "excluded_periods": [{"start": p.start.isoformat(), "end": p.end.isoformat()}
                             for p in args.exclude],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def _as_text(args, proc: ProcedureLimit, result: DeadlineResult) -> str:
    variant = f", variant {args.variant}" if args.variant else ""
    lines = [
        f"{i18n.label('procedure', args.procedure, 'zh_CN')} {i18n.label('procedure', args.procedure, 'en')} "
        f"({args.procedure}{variant})",
        f"立案 filed:          {result.filed}",
        f"审限 limit:          {result.limit or 'none'}",
        f"延长 extensions:     {', '.join(map(str, result.extensions)) or 'none'}",
        f"扣除 excluded days:  {result.excluded_days}",
        f"届满 deadline:       {_deadline_text(result)}",
    ]
    if not result.calendar_complete:
        lines.append("注意 warning:        no official holiday data for that year; "
                     "rolled forward over weekends only")
    return "\n".join(lines)


def _deadline_text(result: DeadlineResult) -> str:
    if result.deadline is None:
        return "none — no statutory time limit (不受审限限制)"
    text = f"{result.deadline} ({WEEKDAYS[result.deadline.weekday()]})"
    if result.rolled_forward:
        text += f", rolled forward from {result.unrolled_deadline}, not a working day"
    return text


if __name__ == "__main__":
    sys.exit(deadline_command(sys.argv[1:]))
