"""courtflow assignment verify CASE: re-run the case's stored random draws and compare."""
import argparse

from sqlmodel import select

from cli.common import database, fail
from services.cases.assignment import verify_draws
from store.models import Case


def assignment_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="courtflow assignment", description="check stored assignment draws")
    parser.add_argument("action", choices=["verify"])
    parser.add_argument("case", help="the case number (案号) or id")
    args = parser.parse_args(argv)
    with database().read() as session:
        case = session.exec(select(Case).where(Case.case_number == args.case)).first()
        if case is None and args.case.isdigit():
            case = session.get(Case, int(args.case))
        if case is None:
            return fail(f"no case {args.case!r}")
        results = verify_draws(session, case.id)
    for draw, same in results:
        print(f"{draw.method:<12} candidates={draw.candidates} seed={draw.seed or '-'} "
              f"judge={draw.result_judge_id} {'OK' if same else 'MISMATCH'}")
    if not results:
        return fail(f"case {case.case_number} has no assignment on record", 1)
    return 0 if all(same for _, same in results) else 1
