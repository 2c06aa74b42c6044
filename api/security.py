"""Signed, expiring bearer tokens for the API and CSRF tokens for the pages."""
import secrets

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from store.config import get_settings


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(get_settings().secret_key, salt="courtflow-token")


def issue_token(user_id: int) -> str:
    return _serializer().dumps({"uid": user_id})


def read_token(token: str) -> int | None:
    """The token's user id, or None when it is forged or expired."""
    try:
        return _serializer().loads(token, max_age=get_settings().token_max_age_seconds)["uid"]
    except (BadSignature, SignatureExpired, KeyError, TypeError):
        return None


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)
