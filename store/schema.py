"""Migrations are the only way the schema changes outside tests: `ensure_schema` runs Alembic to head."""
from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def ensure_schema(db) -> None:
    """Upgrade the database to the newest migrations (creates it when empty); every branch head is applied."""
    command.upgrade(alembic_config(db.url), "heads")


def new_revision(db, message: str) -> None:
    """Autogenerate a migration from the models' difference to the database (developers only)."""
    command.revision(alembic_config(db.url), message=message, autogenerate=True)
