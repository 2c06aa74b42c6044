"""Production refuses to start with a short secret key: sessions and tokens are signed with it."""
import pytest
from pydantic import ValidationError

from store.config import MIN_PRODUCTION_SECRET, Settings


def test_production_refuses_a_one_character_secret_key_naming_the_setting_and_the_minimum():
    with pytest.raises(ValidationError) as refused:
        Settings(environment="production", secret_key="x")
    message = str(refused.value)
    assert "COURTFLOW_SECRET_KEY" in message and f"at least {MIN_PRODUCTION_SECRET}" in message


def test_production_refuses_a_key_one_character_short_and_accepts_the_minimum():
    with pytest.raises(ValidationError):
        Settings(environment="production", secret_key="k" * (MIN_PRODUCTION_SECRET - 1))
    assert Settings(environment="production", secret_key="k" * MIN_PRODUCTION_SECRET).environment == "production"


def test_the_app_does_not_start_in_production_with_a_short_key(monkeypatch):
    from api.app import create_app
    from store.config import get_settings

    monkeypatch.setenv("COURTFLOW_ENVIRONMENT", "production")
    monkeypatch.setenv("COURTFLOW_SECRET_KEY", "short")
    get_settings.cache_clear()
    try:
        with pytest.raises(ValidationError, match="COURTFLOW_SECRET_KEY"):
            create_app(db=object())
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def test_development_keeps_working_with_its_default_key():
    assert Settings(environment="development").secret_key


def test_the_command_refuses_to_start_with_one_clear_line(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "COURTFLOW_ENVIRONMENT": "production", "COURTFLOW_SECRET_KEY": "x",
           "COURTFLOW_DATA_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "cli.main", "serve"], env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip() == ("courtflow: refusing to start: COURTFLOW_SECRET_KEY is 1 characters long; "
                                   "production needs at least 32 (e.g. python -c 'import secrets; "
                                   "print(secrets.token_urlsafe(48))')")
    assert not (tmp_path / "courtflow.db").exists()  # nothing was started or created
