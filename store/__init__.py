"""Persistence: SQLModel tables, engine and sessions, migrations, the trace and the outbox."""
