"""courtflow policy: show, check, what-if and save a court's policy overrides (as the operator: traced as
`system`, with the reason given).

    courtflow policy show NAME --court CODE
    courtflow policy check FILE --court CODE                 (FILE: an override YAML named after its policy,
    courtflow policy what-if FILE --court CODE --months 12    e.g. monitoring.yaml, or --policy NAME)
    courtflow policy save FILE --court CODE --from YYYY-MM-DD --why TEXT [--lock KEY ...]
"""
import argparse
import json
import time
from pathlib import Path

from sqlmodel import select

from cli.common import database, fail, moment_of, parse_day
from policies.errors import PolicyError
from services.admin import overrides
from services.admin.what_if import WhatIf, what_if
from services.kernel.actor import Actor
from services.kernel.clock import local_today
from services.kernel.errors import Forbidden, Invalid, NotFound
from store.models import Court, Division


def policy_command(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    try:
        return ACTIONS[args.action](args)
    except (Invalid, NotFound, Forbidden, PolicyError) as exc:
        return fail(str(exc))
    except OSError as exc:
        return fail(f"cannot read {args.target}: {exc.strerror}")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="courtflow policy", description="a court's policy overrides")
    p.add_argument("action", choices=["show", "check", "what-if", "save"])
    p.add_argument("target", help="the policy's name (show) or an override YAML file")
    p.add_argument("--court", required=True, help="the court's code, e.g. 辽0102")
    p.add_argument("--division", help="the name of one of the court's divisions: its own override, where the "
                                      "policy allows division scope (assignment, monitoring, supervision)")
    p.add_argument("--policy", help="the policy the file overrides (default: the file's name)")
    p.add_argument("--months", type=int, default=12, help="what-if: how many past months to replay (1–36)")
    p.add_argument("--as-of", type=parse_day, help="what-if: replay the months before this day (default today)")
    p.add_argument("--from", dest="effective_from", type=parse_day, help="save: the day it takes effect")
    p.add_argument("--why", default="", help="save: the reason, traced")
    p.add_argument("--lock", action="append", default=[], help="save: a key the lower courts may not override")
    return p


def _court(session, code: str) -> Court:
    court = session.exec(select(Court).where(Court.code == code)).first()
    if court is None:
        raise NotFound("not_found.admin.court_code", code=code)
    return court


def _place(session, args) -> tuple[int, int | None]:
    """(court id, division id or None) the command is about."""
    court = _court(session, args.court)
    if not args.division:
        return court.id, None
    division = session.exec(select(Division.id).where(Division.court_id == court.id,
                                                      Division.name == args.division)).first()
    if division is None:
        raise NotFound("not_found.admin.division_name", code=args.court, name=args.division)
    return court.id, division


def _read(args) -> tuple[str, dict]:
    name = args.policy or Path(args.target).stem
    return name, overrides.parse(Path(args.target).read_text(encoding="utf-8"), name)


def _show(args) -> int:
    with database().read() as session:
        court_id, division_id = _place(session, args)
        v = overrides.view(session, Actor.system(), court_id, args.target, division_id)
    print(json.dumps({"effective": v.effective, "override": v.own, "locked_keys": v.locked,
                      "versions": [{"version": x.version, "effective_from": x.effective_from.isoformat(),
                                    "why": x.why, "data": x.data, "applied": x.applied_at is not None}
                                   for x in v.versions]}, ensure_ascii=False, indent=2))
    return 0


def _check(args) -> int:
    name, data = _read(args)
    with database().read() as session:
        court_id, division_id = _place(session, args)
        proposal = overrides.propose(session, Actor.system(), court_id, name, data, division_id)
    _print_changes(proposal.changes)
    return 0


def _print_changes(changes) -> None:
    if not changes:
        print("same as the policy in force")
    for c in changes:
        print(f"  {c.key}: {json.dumps(c.before, ensure_ascii=False)} -> {json.dumps(c.after, ensure_ascii=False)}")


def _what_if(args) -> int:
    name, data = _read(args)
    started = time.perf_counter()
    with database().read() as session:
        court_id, division_id = _place(session, args)
        result = what_if(session, Actor.system(), court_id, name, data, months=args.months,
                         as_of=args.as_of or local_today(moment_of(None)), division_id=division_id)
    print(render(result))
    print(f"(read-only replay in {time.perf_counter() - started:.2f} s: nothing written, no notice sent)")
    return 0


def render(result: WhatIf) -> str:
    place = f"{result.court_code} {result.division}" if result.division else result.court_code
    lines = [f"what-if {result.name} at {place}, {result.start} .. {result.end}", "changes:"]
    lines += [f"  {c.key}: {json.dumps(c.before, ensure_ascii=False)} -> {json.dumps(c.after, ensure_ascii=False)}"
              for c in result.changes]
    if not result.replayed:
        return "\n".join(lines + ["(no replay for this policy yet: the diff only)"])
    if len(result.courts) > 1:
        lines.append("whole subtree:")
        lines += [f"  {s.title}: {s.before} -> {s.after} (+{s.added} / -{s.removed})" for s in result.totals]
    for court in result.courts:
        lines.append(f"{court.court_name} ({court.court_code}):")
        for s in court.sections:
            lines.append(f"  {s.title}: {s.before} -> {s.after} (+{s.added} / -{s.removed})")
            lines += [f"    {r.label}: {r.before} -> {r.after}" for r in s.rows[:20]]
            if len(s.rows) > 20:
                lines.append(f"    … and {len(s.rows) - 20} more")
    return "\n".join(lines)


def _save(args) -> int:
    name, data = _read(args)
    if args.effective_from is None:
        return fail("save needs --from YYYY-MM-DD (the day it takes effect)")
    now = moment_of(None)
    with database().write() as session:
        court_id, division_id = _place(session, args)
        version = overrides.save(session, Actor.system(), court_id, name, data, effective_from=args.effective_from,
                                 why=args.why, now=now, locks=args.lock, division_id=division_id)
        place = f"{args.court} {args.division}" if args.division else args.court
        print(f"saved {name} v{version.version} for {place}, effective from {version.effective_from}")
    return 0


ACTIONS = {"show": _show, "check": _check, "what-if": _what_if, "save": _save}
