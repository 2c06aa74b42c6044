"""a division's policy override: policyoverride and policy_override_version gain division_id; one row in force
and one version sequence per place (court-wide or division), kept by partial unique indexes

Revision ID: admin02division
Revises: s6merge01
Create Date: 2026-11-24 15:40:00

The court-wide unique constraints give way to partial unique indexes (court-wide rows: court and name;
a division's rows: division and name). PostgreSQL drops its named constraints; SQLite rebuilds each table
from a copy of its definition without the unnamed constraint.
"""
from alembic import op
import sqlalchemy as sa


revision = 'admin02division'
down_revision = 's6merge01'
branch_labels = None
depends_on = None

INDEXES = [
    ("uq_policy_override_court", "policyoverride", ["court_id", "name"], "division_id IS NULL"),
    ("uq_policy_override_division", "policyoverride", ["division_id", "name"], "division_id IS NOT NULL"),
    ("uq_policy_version_court", "policy_override_version", ["court_id", "name", "version"], "division_id IS NULL"),
    ("uq_policy_version_division", "policy_override_version", ["division_id", "name", "version"],
     "division_id IS NOT NULL"),
]
OLD_UNIQUE = {"policyoverride": ("policyoverride_court_id_name_key", ["court_id", "name"]),
              "policy_override_version": ("policy_override_version_court_id_name_version_key",
                                          ["court_id", "name", "version"])}


def _columns(table: str) -> list:
    common = [sa.Column('id', sa.Integer(), primary_key=True), sa.Column('court_id', sa.Integer(),
                                                                         sa.ForeignKey('court.id'), nullable=False),
              sa.Column('name', sa.String(), nullable=False), sa.Column('data', sa.JSON(), nullable=False)]
    if table == "policyoverride":
        return common + [sa.Column('updated_by', sa.Integer(), sa.ForeignKey('users.id'), nullable=True),
                         sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
                         sa.Column('version', sa.Integer(), nullable=False)]
    return common + [sa.Column('version', sa.Integer(), nullable=False),
                     sa.Column('locked_keys', sa.JSON(), nullable=False),
                     sa.Column('effective_from', sa.Date(), nullable=False),
                     sa.Column('why', sa.String(), nullable=False),
                     sa.Column('created_by', sa.Integer(), sa.ForeignKey('users.id'), nullable=True),
                     sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
                     sa.Column('applied_at', sa.DateTime(timezone=True), nullable=True)]


def _without_unique(table: str) -> sa.Table:
    """The table as it stands, minus the unnamed unique constraint SQLite cannot name to drop."""
    return sa.Table(table, _metadata(), *_columns(table))


def _metadata() -> sa.MetaData:
    meta = sa.MetaData()
    sa.Table('court', meta, sa.Column('id', sa.Integer(), primary_key=True))
    sa.Table('users', meta, sa.Column('id', sa.Integer(), primary_key=True))
    sa.Table('division', meta, sa.Column('id', sa.Integer(), primary_key=True))
    return meta


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in ("policyoverride", "policy_override_version"):
        if sqlite:
            with op.batch_alter_table(table, copy_from=_without_unique(table), recreate="always") as batch:
                batch.add_column(sa.Column('division_id', sa.Integer(), nullable=True))
                batch.create_foreign_key(f'fk_{table}_division_id', 'division', ['division_id'], ['id'])
        else:
            op.drop_constraint(OLD_UNIQUE[table][0], table, type_='unique')
            op.add_column(table, sa.Column('division_id', sa.Integer(), nullable=True))
            op.create_foreign_key(f'fk_{table}_division_id', table, 'division', ['division_id'], ['id'])
    if sqlite:  # the rebuilt version table lost its court index with the copy
        op.create_index('ix_policy_override_version_court_id', 'policy_override_version', ['court_id'])
    for name, table, columns, where in INDEXES:
        op.create_index(name, table, columns, unique=True, sqlite_where=sa.text(where),
                        postgresql_where=sa.text(where))


def downgrade() -> None:
    for name, table, _, _ in INDEXES:
        op.drop_index(name, table_name=table)
    op.execute("DELETE FROM policyoverride WHERE division_id IS NOT NULL")
    op.execute("DELETE FROM policy_override_version WHERE division_id IS NOT NULL")
    for table, (constraint, columns) in OLD_UNIQUE.items():
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(f'fk_{table}_division_id', type_='foreignkey')
            batch.drop_column('division_id')
            batch.create_unique_constraint(constraint, columns)
