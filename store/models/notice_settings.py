"""A user's own notice settings: quiet hours, when non-urgent external deliveries wait; the daily digest."""
from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel


class NoticePreference(SQLModel, table=True):
    """Quiet hours as minutes of the court's day (Asia/Shanghai); both set or neither, never equal."""

    __tablename__ = "notice_preference"
    __table_args__ = (
        CheckConstraint("(quiet_start IS NULL) = (quiet_end IS NULL)", name="ck_quiet_hours_both_or_neither"),
        CheckConstraint("quiet_start IS NULL OR (quiet_start BETWEEN 0 AND 1439 AND quiet_end BETWEEN 0 AND 1439 "
                        "AND quiet_start <> quiet_end)", name="ck_quiet_hours_range"),
    )
    user_id: int = Field(foreign_key="users.id", primary_key=True)
    quiet_start: int | None = Field(default=None, description="minute of the day quiet hours begin, e.g. 1320 = 22:00")
    quiet_end: int | None = Field(default=None, description="minute of the day they end, e.g. 420 = 07:00")
    daily_digest: bool = Field(default=False, description="non-urgent notices go out as one message a day")
