"""courtflow trace verify: walk the hash chain and name the first broken entry."""
import argparse

from cli.common import database
from store.trace import verify


def trace_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="courtflow trace", description="check the tamper-evident trace")
    parser.add_argument("action", choices=["verify"])
    parser.parse_args(argv)
    with database().read() as session:
        verdict = verify(session)
    if verdict.ok:
        print(f"trace intact: {verdict.checked} entries checked")
        return 0
    print(f"TRACE BROKEN at entry {verdict.first_bad_seq}: {verdict.problem} ({verdict.checked} entries before it are intact)")
    return 1
