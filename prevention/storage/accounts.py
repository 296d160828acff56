"""Local accounts: argon2 password hashes in the database, roles, lock-out after repeated failures.

No Streamlit here: the sign-in page, the admin page and `python -m prevention.users` all call these."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb
import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

ROLES = ("viewer", "analyst", "admin")
LANGUAGES = ("ru", "kk", "en")
MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD_LENGTH = 8
_USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{3,64}$")
_hasher = PasswordHasher()


class AuthError(Exception):
    "A user could not be created, changed or signed in; the message says why in Russian."


@dataclass(frozen=True)
class User:
    username: str
    role: str
    display_name: str | None
    email: str | None
    language: str

    def can(self, role: str) -> bool:
        """True when this user's role includes `role` (admin ⊃ analyst ⊃ viewer)."""
        return ROLES.index(self.role) >= ROLES.index(role)


@dataclass(frozen=True)
class SignIn:
    user: User | None
    reason: str | None = None  # "bad-credentials", "locked", "inactive"
    locked_until: datetime | None = None


def has_accounts(con: duckdb.DuckDBPyConnection) -> bool:
    return con.cursor().execute("SELECT count(*) FROM app_user WHERE active").fetchone()[0] > 0


def _check(username: str, password: str | None, role: str) -> None:
    if not _USERNAME.match(username or ""):
        raise AuthError("Имя пользователя: 3–64 латинские буквы, цифры или символы . _ @ -")
    if role not in ROLES:
        raise AuthError(f"Роль должна быть одной из: {', '.join(ROLES)}")
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        raise AuthError(f"Пароль должен быть не короче {MIN_PASSWORD_LENGTH} символов")


def create_user(con, username: str, password: str | None, role: str = "viewer", *, display_name: str | None = None,
                email: str | None = None, language: str = "ru") -> User:
    """A new account. `password` may be None for an OpenID Connect account matched by e-mail."""
    _check(username, password, role)
    cur = con.cursor()
    if cur.execute("SELECT count(*) FROM app_user WHERE lower(username) = lower(?)", [username]).fetchone()[0]:
        raise AuthError(f"Пользователь «{username}» уже существует")
    hashed = _hasher.hash(password) if password is not None else None
    cur.execute("INSERT INTO app_user (username, password_hash, role, display_name, email, language) VALUES (?, ?, ?, ?, ?, ?)",
                [username, hashed, role, display_name, email.lower() if email else None,
                 language if language in LANGUAGES else "ru"])
    return User(username, role, display_name, email, language)


def set_password(con, username: str, password: str) -> None:
    _check(username, password, "viewer")
    cur = con.cursor()
    if not _exists(cur, username):
        raise AuthError(f"Пользователь «{username}» не найден")
    cur.execute("UPDATE app_user SET password_hash = ?, failed_attempts = 0, locked_until = NULL WHERE username = ?",
                [_hasher.hash(password), username])


def _exists(cur, username: str) -> bool:
    return cur.execute("SELECT count(*) FROM app_user WHERE username = ?", [username]).fetchone()[0] > 0


def update_user(con, username: str, *, role: str | None = None, active: bool | None = None,
                language: str | None = None, email: str | None = None, display_name: str | None = None) -> None:
    cur = con.cursor()
    if not _exists(cur, username):
        raise AuthError(f"Пользователь «{username}» не найден")
    if role is not None and role not in ROLES:
        raise AuthError(f"Роль должна быть одной из: {', '.join(ROLES)}")
    changes = {"role": role, "active": active, "language": language if language in LANGUAGES else None,
               "email": email.lower() if email else None, "display_name": display_name}
    for column, value in changes.items():
        if value is not None:
            cur.execute(f"UPDATE app_user SET {column} = ? WHERE username = ?", [value, username])


def _user(row) -> User:
    return User(row[0], row[1], row[2], row[3], row[4])


def get_user(con, username: str) -> User | None:
    row = con.cursor().execute(
        "SELECT username, role, display_name, email, language FROM app_user WHERE username = ? AND active",
        [username]).fetchone()
    return _user(row) if row else None


def user_by_email(con, email: str) -> User | None:
    """The active account an OpenID Connect identity maps to."""
    row = con.cursor().execute(
        "SELECT username, role, display_name, email, language FROM app_user WHERE email = ? AND active",
        [(email or "").lower()]).fetchone()
    return _user(row) if row else None


def authenticate(con, username: str, password: str, now: datetime | None = None) -> SignIn:
    """Check a password; five failures in a row lock the account for LOCK_MINUTES."""
    now = now or datetime.now()
    cur = con.cursor()
    row = cur.execute(
        "SELECT username, role, display_name, email, language, password_hash, active, failed_attempts, locked_until "
        "FROM app_user WHERE username = ?", [username]).fetchone()
    if row is None:
        _hasher.hash(password or "x")  # same work as a real check: no timing hint that the name is unknown
        return SignIn(None, "bad-credentials")
    *fields, hashed, active, failures, locked_until = row
    if not active:
        return SignIn(None, "inactive")
    if locked_until is not None and locked_until > now:
        return SignIn(None, "locked", locked_until)
    try:
        ok = hashed is not None and _hasher.verify(hashed, password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    if not ok:
        failures = (failures or 0) + 1
        until = now + timedelta(minutes=LOCK_MINUTES) if failures >= MAX_FAILURES else None
        cur.execute("UPDATE app_user SET failed_attempts = ?, locked_until = ? WHERE username = ?",
                    [0 if until else failures, until, username])
        return SignIn(None, "locked" if until else "bad-credentials", until)
    cur.execute("UPDATE app_user SET failed_attempts = 0, locked_until = NULL WHERE username = ?", [username])
    if _hasher.check_needs_rehash(hashed):
        cur.execute("UPDATE app_user SET password_hash = ? WHERE username = ?", [_hasher.hash(password), username])
    return SignIn(_user(fields))


def list_users(con) -> pd.DataFrame:
    return con.cursor().execute(
        "SELECT username, role, display_name, email, language, active, failed_attempts, locked_until, created_at "
        "FROM app_user ORDER BY username").df()
