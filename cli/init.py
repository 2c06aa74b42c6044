"""courtflow init: bring the database schema to the newest migration."""
import argparse

from cli.common import database
from store.schema import ensure_schema


def init_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="courtflow init", description="create or upgrade the database schema")
    parser.parse_args(argv)
    db = database()
    ensure_schema(db)
    print(f"schema is current: {db.url.split('@')[-1]}")
    return 0
