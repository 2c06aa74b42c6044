"""The `courtflow` command: each subcommand lives in its own module as `<name>_command(argv) -> int`."""
import importlib
import sys

COMMANDS = {
    "init": ("cli.init", "init_command", "create or upgrade the database schema (Alembic)"),
    "serve": ("cli.serve", "serve_command", "run the web app and the scheduled flows (the main job)"),
    "cluster": ("cli.cluster", "cluster_command", "run the production topology: PostgreSQL, Prefect workers, API processes behind HAProxy"),
    "seed": ("cli.seed", "seed_command", "load the demo court (--demo) or the province data set (--scale province)"),
    "deadline": ("cli.deadline", "deadline_command", "compute a statutory deadline (审限)"),
    "trace": ("cli.trace", "trace_command", "verify the hash-chained trace: courtflow trace verify"),
    "flow": ("cli.flows", "flow_command", "run a flow once: courtflow flow run NAME --as-of YYYY-MM-DD"),
    "import": ("cli.importing", "import_command", "import cases or judges from a CSV or Excel export"),
    "assignment": ("cli.assignment", "assignment_command", "re-run a stored random draw: assignment verify CASE"),
    "status": ("cli.status", "status_command", "the scheduled flows' health and undeliverable notices"),
    "i18n": ("cli.i18n", "i18n_command", "check the text catalogs: courtflow i18n check"),
}


def usage() -> str:
    lines = ["usage: courtflow COMMAND [options]", "", "commands:"]
    lines += [f"  {name:<11} {help_}" for name, (_, _, help_) in COMMANDS.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in ("-h", "--help"):
        print(usage())
        return 0 if argv else 2
    if argv[0] not in COMMANDS:
        print(f"courtflow: unknown command '{argv[0]}'\n\n{usage()}", file=sys.stderr)
        return 2
    if refusal := settings_refusal():
        print(f"courtflow: refusing to start: {refusal}", file=sys.stderr)
        return 2
    module, function, _ = COMMANDS[argv[0]]
    from services.bootstrap import build_registry

    build_registry()  # once, at start-up: a bad policy file stops here, naming file and key
    return getattr(importlib.import_module(module), function)(argv[1:])


def settings_refusal() -> str | None:
    """Why the environment's settings are unusable (e.g. a short secret key in production), if they are."""
    from pydantic import ValidationError

    from store.config import get_settings

    try:
        get_settings()
    except ValidationError as exc:
        return "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
    return None


if __name__ == "__main__":
    sys.exit(main())
