"""`courtflow seed`: load the demo province (--demo) or the province data set (--scale province).

Bad arguments exit 2; a database that already has courts exits 1, or 0 with --if-empty
(for scripts that load data only into a fresh database).
"""
import argparse
import sys
from datetime import date

from sqlalchemy import func, select

from cli.common import database, moment_of
from services.demo.seed import print_logins, seed_demo
from services.demo.scale import SeedRefused, seed_province
from store.models import Court
from store.schema import ensure_schema

PROG = "courtflow seed"


class UsageError(Exception):
    """Bad command-line input: one line on stderr, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def _day(text: str) -> date:
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"invalid date {text!r} (expected YYYY-MM-DD)")


def _count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"invalid number {text!r} (expected a whole number ≥ 1)")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog=PROG, description="Load demo or benchmark data into an empty database.")
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--demo", action="store_true", help="a small Liaoning province with one login per role")
    mode.add_argument("--scale", choices=["province"], help="the province data set (see bench/RESULTS.md)")
    p.add_argument("--cases", type=_count, metavar="N", help="cases for --scale (default 1200000)")
    p.add_argument("--judges", type=_count, metavar="N", help="quota judges for --scale (default 6000)")
    p.add_argument("--now", type=_day, metavar="YYYY-MM-DD", help="the day the data is as of (default today)")
    p.add_argument("--if-empty", action="store_true", help="do nothing and exit 0 when courts already exist")
    return p


def seed_command(argv: list[str]) -> int:
    """Run `courtflow seed` with `argv`; returns the exit code."""
    try:
        args = build_parser().parse_args(argv)
        if args.demo and (args.cases or args.judges):
            raise UsageError("--cases and --judges apply to --scale province only")
    except SystemExit as done:  # --help
        return done.code or 0
    except UsageError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    db = database()
    ensure_schema(db)
    if args.if_empty and court_count(db):
        print(f"{PROG}: the database already has courts; nothing to do (--if-empty)")
        return 0
    try:
        return _seed(db, args)
    except SeedRefused as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 1


def _seed(db, args) -> int:
    now = moment_of(args.now)
    if args.demo:
        print_logins(seed_demo(db, now))
        return 0
    counts = seed_province(db, now, cases=args.cases or 1_200_000, judges=args.judges or 6_000, progress=True)
    print("\n".join(f"{name:<14} {n:>10,}" for name, n in counts.items()))
    return 0


def court_count(db) -> int:
    with db.read() as session:
        return session.exec(select(func.count()).select_from(Court)).one()


if __name__ == "__main__":
    sys.exit(seed_command(sys.argv[1:]))
