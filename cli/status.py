"""courtflow status: the flow-health table (the /flows page) in the terminal; exits 1 when a flow is late or failed
or a notice is undeliverable, so a cron job or a monitoring check can use it."""
import argparse
from datetime import datetime, timezone

from cli.common import COURT_TZ, database, fail
from flows.registry import deployments
from services.actor import Actor
from services.dead_letters import dead_letters
from services.flow_health import FlowHealth, flow_health

COLUMNS = ("FLOW", "LAST RUN", "STATE", "DURATION", "WROTE", "NEXT RUN", "FLAGS")


def status_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="courtflow status", description="the scheduled flows' health")
    parser.add_argument("--now", help="judge lateness as of this instant (ISO 8601); default now")
    args = parser.parse_args(argv)
    try:
        now = _instant(args.now) if args.now else datetime.now(timezone.utc)
    except ValueError:
        return fail(f"invalid --now {args.now!r} (expected an ISO 8601 instant, e.g. 2025-03-03T10:00+08:00)")
    with database().read() as session:
        flows = flow_health(session, list(deployments().values()), now)
        dead = dead_letters(session, Actor.system())
    print(table([COLUMNS, *(_row(f) for f in flows)]))
    print(f"\nundeliverable notices: {len(dead)}" + (f" (ids {', '.join(str(d.id) for d in dead[:20])})" if dead else ""))
    return 0 if all(f.healthy for f in flows) and not dead else 1


def _row(f: FlowHealth) -> tuple[str, ...]:
    flags = " ".join(name for name, on in (("LATE", f.late), ("FAILED", f.failed)) if on) or "ok"
    wrote = ", ".join(f"{k}={v}" for k, v in f.summary.items() if isinstance(v, (int, float, str)) and k != "as_of")
    duration = f"{f.duration.total_seconds():.1f}s" if f.duration is not None else ""
    return (f.name, _local(f.last_started_at) or "never", f.last_state, duration, wrote[:60], _local(f.next_run), flags)


def table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows)


def _local(at: datetime | None) -> str:
    return at.astimezone(COURT_TZ).strftime("%Y-%m-%d %H:%M") if at else ""


def _instant(text: str) -> datetime:
    at = datetime.fromisoformat(text)
    return at.astimezone(timezone.utc) if at.tzinfo else at.replace(tzinfo=COURT_TZ).astimezone(timezone.utc)
