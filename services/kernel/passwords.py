"""Password hashing with argon2 (pwdlib)."""
from functools import lru_cache

from pwdlib import PasswordHash


@lru_cache
def _hasher() -> PasswordHash:
    return PasswordHash.recommended()


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher().verify(password, password_hash)
    except ValueError:  # a malformed stored hash is a failed login, not a crash
        return False
