"""`courtflow import cases FILE` / `courtflow import judges FILE` [--dry-run].

Exit 0 when the file was imported (or, with --dry-run, would be), 1 when it was refused
(the report lists every bad row by line number), 2 on bad arguments or a file that
cannot be read at all.
"""
import argparse
import sys

from services.importing import UnreadableFile, import_cases, import_judges
from store.db import get_database
from store.schema import ensure_schema

PROG = "courtflow import"
IMPORTS = {"cases": import_cases, "judges": import_judges}


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise ValueError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Import cases or judges from a CSV (UTF-8 or GB18030) or .xlsx export.")
    parser.add_argument("kind", choices=sorted(IMPORTS), help="judges first, then cases")
    parser.add_argument("file", help="the export: .csv or .xlsx, header row first")
    parser.add_argument("--dry-run", action="store_true", help="validate only; write nothing (with --update: "
                                                                 "list what would change)")
    parser.add_argument("--update", action="store_true", help="a row whose 工号 or 案号 is stored updates it "
                                                                "instead of being refused")
    return parser


def import_command(argv: list[str]) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as done:  # --help
        return done.code or 0
    except ValueError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    db = get_database()
    ensure_schema(db)
    try:
        report = IMPORTS[args.kind](db, args.file, dry_run=args.dry_run, update=args.update)
    except UnreadableFile as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    print(report.render())
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(import_command(sys.argv[1:]))
