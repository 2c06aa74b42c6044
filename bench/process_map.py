"""Benchmark: the court process map (流程全景) and the lists behind its counts, at province scale.

    PYTHONPATH=. .venv/bin/python bench/process_map.py --file bench/out/map.db [--users 3,11,17] [--runs 3]

Reads a copy of bench/out/province.db (never the file itself: copy it first, bench/sqlite_copy.py). For each
reader (by default the high court's trial office, an intermediate court's trial office and a basic court's
president) it times `process_map`, then `subjects_in_state` for the reader's largest count of each kind (its
first page), each in a fresh session, and prints the CPU time (`time.process_time()`, the SQLite work runs in
this process) of the fastest of --runs runs, and the wall time of that run.
"""
import argparse
import time

from services.bootstrap import build_registry
from services.kernel.actor import actor_by_id
from services.kernel.process_map import process_map, subjects_in_state
from store.db import Database


def main() -> None:
    args = _args()
    build_registry()  # every lifecycle plugged in, as at start-up
    db = Database(f"sqlite:///{args.file}")
    for user_id in [int(u) for u in args.users.split(",")]:
        with db.read() as session:
            actor = actor_by_id(session, user_id)
        lifecycles, cpu, wall = _best(args.runs, lambda: _map(db, actor))
        print(f"{actor.username}: process_map {cpu * 1000:.0f} ms CPU ({wall * 1000:.0f} ms wall), "
              f"{sum(lc.total for lc in lifecycles)} subjects counted")
        for lc in lifecycles:
            if not lc.counts:
                continue
            state, n = max(lc.counts.items(), key=lambda kv: kv[1])
            listed, cpu, wall = _best(args.runs, lambda: _list(db, actor, lc.kind, state, lc.variant))
            assert listed.total == n, (lc.kind, state, listed.total, n)
            print(f"    {lc.kind}{'/' + lc.variant if lc.variant else ''} {state} ({n}): list page 1 "
                  f"{cpu * 1000:.0f} ms CPU ({wall * 1000:.0f} ms wall)")
    db.dispose()


def _map(db, actor):
    with db.read() as session:
        return process_map(session, actor)


def _list(db, actor, kind, state, variant):
    with db.read() as session:
        return subjects_in_state(session, actor, kind, state, variant)


def _best(runs: int, work):
    """The answer, and the CPU and wall seconds of the run with the least CPU."""
    best = None
    for _ in range(runs):
        cpu, wall = time.process_time(), time.perf_counter()
        answer = work()
        took = (time.process_time() - cpu, time.perf_counter() - wall)
        if best is None or took[0] < best[1][0]:
            best = (answer, took)
    return best[0], *best[1]


def _args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--file", required=True, help="a copy of the province SQLite file")
    parser.add_argument("--users", default="3,11,17", help="readers by user id")
    parser.add_argument("--runs", type=int, default=3)
    return parser.parse_args()


if __name__ == "__main__":
    main()
