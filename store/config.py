"""One Settings object for the whole product, read from the environment (prefix COURTFLOW_)."""
import os
import secrets
import tempfile
from functools import lru_cache
from pathlib import Path

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET = "courtflow-development-secret-change-me"
MIN_PRODUCTION_SECRET = 32  # characters: a short key signs sessions and tokens an attacker can brute-force
TRACE_KEY_MIN_LENGTH = 32


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COURTFLOW_", extra="ignore")

    environment: str = "development"
    data_dir: Path = Path("data")
    evidence_dir: Path | None = None  # where evidence files live; default <data_dir>/evidence (never in git)
    database_url: str = ""
    secret_key: str = DEV_SECRET
    trace_key: str = ""  # the HMAC key of the trace, kept outside the database; required in production
    timezone: str = "Asia/Shanghai"
    session_max_age_seconds: int = 8 * 3600
    token_max_age_seconds: int = 8 * 3600
    login_account_failures: int = 5  # wrong passwords for one username within the window lock it
    login_address_failures: int = 20  # … and for one client address, whatever usernames it tries
    login_window_seconds: int = 15 * 60
    login_lockout_seconds: int = 15 * 60

    @model_validator(mode="after")
    def _refuse_default_secret_outside_development(self):
        if self.environment not in ("development", "test") and self.secret_key == DEV_SECRET:
            raise ValueError("COURTFLOW_SECRET_KEY must be set outside development")
        if self.environment == "production" and len(self.secret_key) < MIN_PRODUCTION_SECRET:
            raise ValueError(f"COURTFLOW_SECRET_KEY is {len(self.secret_key)} characters long; production needs at "
                             f"least {MIN_PRODUCTION_SECRET} (e.g. python -c 'import secrets; "
                             f"print(secrets.token_urlsafe(48))')")
        return self

    @model_validator(mode="after")
    def _require_trace_key_outside_development(self):
        if self.environment not in ("development", "test") and len(self.trace_key) < TRACE_KEY_MIN_LENGTH:
            raise ValueError(f"COURTFLOW_TRACE_KEY must be set outside development, "
                             f"at least {TRACE_KEY_MIN_LENGTH} characters")
        return self

    def trace_key_bytes(self) -> bytes:
        """COURTFLOW_TRACE_KEY, or in development a random key kept in <data_dir>/trace.key (0600, never in git)."""
        if self.trace_key:
            return self.trace_key.encode("utf-8")
        return _development_trace_key(self.data_dir, os.getcwd())

    @property
    def evidence_root(self) -> Path:
        return self.evidence_dir or self.data_dir / "evidence"

    @property
    def db_url(self) -> str:
        """DATABASE_URL (also read unprefixed) or a SQLite file under the data directory."""
        url = self.database_url or os.environ.get("DATABASE_URL", "")
        if url:
            return url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{(self.data_dir / 'courtflow.db').resolve()}"


@lru_cache
def _development_trace_key(data_dir: Path, cwd: str) -> bytes:
    """Created on first use with owner-only permissions and linked into place whole, so two processes
    starting together agree on one key; an existing file is read, never replaced. Cached per directory as
    written and working directory (every trace entry asks; resolving the path each time cost a command 4%)."""
    data_dir = (Path(cwd) / data_dir).resolve()
    path = data_dir / "trace.key"
    data_dir.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        fd, staging = tempfile.mkstemp(dir=data_dir, prefix=".trace.key.")  # mkstemp creates it 0600
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(secrets.token_hex(32).encode("ascii"))
            os.link(staging, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(staging)
    return path.read_bytes().strip()


@lru_cache
def get_settings() -> Settings:
    return Settings()
