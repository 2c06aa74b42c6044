"""courtflow trace verify: walk the keyed hash chain, hold it against the signed checkpoints, name the first break;
then hold every sealed row (an interference record, …) against the trace entry that wrote it."""
import argparse

from cli.common import database
from services.kernel.sealed import problems
from store.trace import verify


def trace_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="courtflow trace", description="check the tamper-evident trace")
    parser.add_argument("action", choices=["verify"])
    parser.parse_args(argv)
    with database().read() as session:
        verdict = verify(session)
        edited = problems(session) if verdict.ok else []
    if not verdict.ok:
        print(f"TRACE BROKEN at entry {verdict.first_bad_seq}: {verdict.problem} ({verdict.checked} entries before it are intact)")
        return 1
    if edited:
        print(f"SEALED ROWS BROKEN: {len(edited)} differ from the trace that wrote them")
        for line in edited:
            print(f"  {line}")
        return 1
    print(f"trace intact: {verdict.checked} entries checked, {verdict.checkpoints} checkpoints held")
    return 0
