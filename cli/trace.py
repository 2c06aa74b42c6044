"""courtflow trace verify: walk the keyed hash chain, hold it against the signed checkpoints, name the first break."""
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
        print(f"trace intact: {verdict.checked} entries checked, {verdict.checkpoints} checkpoints held")
        return 0
    print(f"TRACE BROKEN at entry {verdict.first_bad_seq}: {verdict.problem} ({verdict.checked} entries before it are intact)")
    return 1
