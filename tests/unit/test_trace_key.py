"""The trace key lives outside the database: required and long in production, a private file in development."""
import stat

import pytest
from pydantic import ValidationError

from store.config import Settings

PRODUCTION = {"environment": "production", "secret_key": "a-production-secret-key-of-some-length"}


@pytest.mark.parametrize("key", ["", "short", "x" * 31])
def test_production_refuses_a_missing_or_short_trace_key(key):
    with pytest.raises(ValidationError, match="COURTFLOW_TRACE_KEY must be set outside development, at least 32"):
        Settings(**PRODUCTION, trace_key=key)


def test_production_takes_a_long_enough_trace_key():
    assert Settings(**PRODUCTION, trace_key="k" * 32).trace_key_bytes() == b"k" * 32


def test_development_keeps_a_random_key_in_a_private_file_under_the_data_dir(tmp_path):
    first = Settings(environment="development", data_dir=tmp_path / "data", trace_key="").trace_key_bytes()
    path = tmp_path / "data" / "trace.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and len(first) == 64
    assert path.read_bytes() == first and [p.name for p in path.parent.iterdir()] == ["trace.key"]


def test_the_development_key_file_is_read_never_replaced(tmp_path):
    (tmp_path / "trace.key").write_bytes(b"an-existing-development-trace-key\n")
    assert Settings(environment="test", data_dir=tmp_path, trace_key="").trace_key_bytes() == \
        b"an-existing-development-trace-key"
