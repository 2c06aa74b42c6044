"""courtflow flow run NAME --as-of YYYY-MM-DD: run one flow once, as a real Prefect flow run."""
import argparse
import inspect

from cli.common import fail, moment_of, parse_day
from flows.registry import deployments


def flow_command(argv: list[str]) -> int:
    known = deployments()
    parser = argparse.ArgumentParser(prog="courtflow flow", description="run a scheduled flow once")
    parser.add_argument("action", choices=["run", "list"])
    parser.add_argument("name", nargs="?", help=", ".join(known))
    parser.add_argument("--as-of", help="the court day to run for (YYYY-MM-DD); default today")
    args = parser.parse_args(argv)
    if args.action == "list":
        for d in known.values():
            print(f"{d.name:<20} {d.cron:<12} {d.timezone}  {d.description}")
        return 0
    if args.name not in known:
        return fail(f"unknown flow {args.name!r}; known: {', '.join(known)}")
    try:
        day = parse_day(args.as_of) if args.as_of else None
    except ValueError as exc:
        return fail(str(exc))
    flow = known[args.name].load()
    result = flow(**_time_argument(flow, day))
    print(result)
    return 0


def _time_argument(flow, day) -> dict:
    params = inspect.signature(flow.fn).parameters
    if "as_of" in params:
        return {"as_of": day} if day else {}
    return {"now": moment_of(day)} if day and "now" in params else {}
