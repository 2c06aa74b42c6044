"""Benchmark: case commands through the service layer (engine.fire), on SQLite or PostgreSQL.

Loads the demo court into a fresh database, then fires `serve` (送达, a step that keeps the case in
trial) on the demo's in-trial cases, each command by the case's lead judge in its own transaction
(check, machine, effects, trace, commit, answer). Prints commands per second in one process and the
CPU each command costs; with --processes N, N processes fire at once on distinct cases and the total rate
is printed, timed from when every process is ready (imports, registry and actors loaded) to the last one's end.
"""
import argparse
import multiprocessing
import os
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from sqlmodel import SQLModel, select

OUT = Path(__file__).resolve().parent / "out"


def prepare(url: str) -> list[tuple[int, int]]:
    """A fresh demo court; the (case id, lead judge id) of every case in trial."""
    from services.demo.seed import seed_demo
    from store.db import Database
    from store.models import Case

    db = Database(url)
    SQLModel.metadata.drop_all(db.writer)
    SQLModel.metadata.create_all(db.writer)
    seed_demo(db, datetime.now(timezone.utc))
    with db.read() as s:
        found = s.exec(select(Case.id, Case.lead_judge_id).where(Case.state == "in_trial")).all()
    db.dispose()
    return [tuple(r) for r in found]


def fire_many(url: str, cases: list[tuple[int, int]], count: int, queue=None, ready=None) -> tuple[int, float, float]:
    """Fire `count` commands round-robin over `cases`: (commands, wall seconds, CPU seconds); with `ready` (a
    barrier), only once every process is ready."""
    from services.bootstrap import build_registry
    from services.kernel.auth import actor_for
    from services.kernel.engine import fire
    from store.db import Database

    build_registry()
    db = Database(url)
    actors = {judge: actor_for(db, judge) for _, judge in cases}
    now = datetime.now(timezone.utc)
    if ready is not None:
        ready.wait()
    wall, cpu = time.perf_counter(), time.process_time()
    for n in range(count):
        case_id, judge = cases[n % len(cases)]
        fire(db, actors[judge], "cases", case_id, "serve", {"note": f"bench {n}"}, now)
    result = (count, time.perf_counter() - wall, time.process_time() - cpu)
    db.dispose()
    if queue is not None:
        queue.put(result)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=f"sqlite:///{OUT / 'case_commands.db'}")
    parser.add_argument("--commands", type=int, default=2000)
    parser.add_argument("--processes", type=int, default=1)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    from services.bootstrap import build_registry

    build_registry()
    cases = prepare(args.database_url)
    per = args.commands // args.processes
    if args.processes == 1:
        done, wall, cpu = fire_many(args.database_url, cases, per)
        print(f"{done} commands on {len(cases)} cases: {done / wall:.0f}/s wall, {1000 * cpu / done:.2f} ms CPU each; "
              f"load average {os.getloadavg()[0]:.1f}")
        return
    spawn = multiprocessing.get_context("spawn")
    queue, ready = spawn.Queue(), spawn.Barrier(args.processes + 1)
    workers = [spawn.Process(target=fire_many, args=(args.database_url, cases[i::args.processes], per, queue, ready))
               for i in range(args.processes)]
    for w in workers:
        w.start()
    ready.wait()
    started = time.perf_counter()
    results = [queue.get() for _ in workers]
    wall = time.perf_counter() - started
    for w in workers:
        w.join()
    done = sum(r[0] for r in results)
    print(f"{done} commands in {args.processes} processes on {len(cases)} cases: {done / wall:.0f}/s, "
          f"{1000 * sum(r[2] for r in results) / done:.2f} ms CPU each; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    main()
