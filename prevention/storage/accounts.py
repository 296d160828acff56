"""Local accounts: argon2 password hashes in the database, roles, lock-out after repeated failures.

No Streamlit here. The account rules (who may do what) live in prevention.usecases.accounts; this module stores."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from prevention.storage.transaction import write_transaction

ROLES = ("viewer", "analyst", "admin")
LANGUAGES = ("ru", "kk", "en")
MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD_LENGTH = 8
_USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{3,64}$")
_hasher = PasswordHasher()


class AuthError(Exception):
    "An account could not be created or changed: `code` says why (rendered at the edges), `params` fill the text."

    def __init__(self, code: str, **params) -> None:
        super().__init__(code)
        self.code, self.params = code, params


@dataclass(frozen=True)
class User:
    username: str
    role: str
    display_name: str | None
    email: str | None
    language: str
    epoch: int = 0  # app_user.session_epoch when this was read

    def can(self, role: str) -> bool:
        """True when this user's role includes `role` (admin ⊃ analyst ⊃ viewer)."""
        return ROLES.index(self.role) >= ROLES.index(role)


@dataclass(frozen=True)
class SignIn:
    user: User | None
    reason: str | None = None  # "bad-credentials", "locked", "inactive", "unknown-user" (for the audit log only)
    locked_until: datetime | None = None


_USER_COLUMNS = "username, role, display_name, email, language, session_epoch"


def has_accounts(con: duckdb.DuckDBPyConnection) -> bool:
    return con.cursor().execute("SELECT count(*) FROM app_user WHERE active").fetchone()[0] > 0


def check_name(username: str) -> None:
    if not _USERNAME.match(username or ""):
        raise AuthError("bad_name")


def check_role(role: str) -> None:
    if role not in ROLES:
        raise AuthError("bad_role", roles=", ".join(ROLES))


def check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AuthError("short", length=MIN_PASSWORD_LENGTH)


def insert_user(cur, username: str, password: str | None, role: str = "viewer", *, display_name: str | None = None,
                email: str | None = None, language: str = "ru") -> User:
    """A new account inside the caller's transaction. `password` may be None (OpenID Connect, matched by e-mail)."""
    check_name(username)
    check_role(role)
    if password is not None:
        check_password(password)
    if cur.execute("SELECT count(*) FROM app_user WHERE lower(username) = lower(?)", [username]).fetchone()[0]:
        raise AuthError("exists", name=username)
    hashed = _hasher.hash(password) if password is not None else None
    cur.execute("INSERT INTO app_user (username, password_hash, role, display_name, email, language) "
                "VALUES (?, ?, ?, ?, ?, ?)", [username, hashed, role, display_name, email.lower() if email else None,
                                              language if language in LANGUAGES else "ru"])
    return User(username, role, display_name, email, language)


def create_user(con, username: str, password: str | None, role: str = "viewer", **fields) -> User:
    """A new account in a transaction of its own (tests, set-up); people go through prevention.usecases.accounts."""
    with write_transaction(con) as cur:
        return insert_user(cur, username, password, role, **fields)


def store_password(cur, username: str, password: str) -> None:
    """A new password inside the caller's transaction: the lock is lifted, other sessions end (epoch)."""
    check_password(password)
    if not account(cur, username):
        raise AuthError("not_found", name=username)
    cur.execute("UPDATE app_user SET password_hash = ?, failed_attempts = 0, locked_until = NULL, "
                "session_epoch = session_epoch + 1 WHERE username = ?", [_hasher.hash(password), username])


def set_password(con, username: str, password: str) -> None:
    with write_transaction(con) as cur:
        store_password(cur, username, password)


def account(cur, username: str) -> dict | None:
    """An account as stored (active or not), read on `cur` (inside the caller's transaction when it has one)."""
    row = cur.execute("SELECT username, role, active, email, session_epoch FROM app_user WHERE username = ?",
                      [username]).fetchone()
    return dict(zip(("username", "role", "active", "email", "epoch"), row)) if row else None


def store_changes(cur, username: str, *, role: str | None = None, active: bool | None = None,
                  language: str | None = None, email: str | None = None, display_name: str | None = None) -> None:
    """Change an account inside the caller's transaction; a new role or a deactivation ends its sessions."""
    if not account(cur, username):
        raise AuthError("not_found", name=username)
    if role is not None:
        check_role(role)
    changes = {"role": role, "active": active, "language": language if language in LANGUAGES else None,
               "email": email.lower() if email else None, "display_name": display_name}
    for column, value in changes.items():
        if value is not None:
            cur.execute(f"UPDATE app_user SET {column} = ? WHERE username = ?", [value, username])
    if role is not None or active is False:
        cur.execute("UPDATE app_user SET session_epoch = session_epoch + 1 WHERE username = ?", [username])


def update_user(con, username: str, **changes) -> None:
    with write_transaction(con) as cur:
        store_changes(cur, username, **changes)


def _user(row) -> User:
    return User(*row)


def get_user(con, username: str) -> User | None:
    """The active account of this name, read now (role, epoch), or None."""
    row = con.cursor().execute(f"SELECT {_USER_COLUMNS} FROM app_user WHERE username = ? AND active",
                               [username]).fetchone()
    return _user(row) if row else None


def user_by_email(con, email: str) -> User | None:
    """The active account an OpenID Connect identity maps to."""
    row = con.cursor().execute(f"SELECT {_USER_COLUMNS} FROM app_user WHERE email = ? AND active",
                               [(email or "").lower()]).fetchone()
    return _user(row) if row else None


def authenticate(con, username: str, password: str, now: datetime | None = None) -> SignIn:
    """Check a password; five failures in a row lock the account for LOCK_MINUTES.

    The attempt is counted before the password is checked, in one conditional UPDATE under the write lock, so
    parallel attempts cannot all pass the «not locked» test: once five are counted, the rest are refused without
    a check. A right password then resets the count."""
    now = now or datetime.now()
    with write_transaction(con) as cur:
        row = cur.execute(_COUNT_ATTEMPT, [now, now, MAX_FAILURES, now + timedelta(minutes=LOCK_MINUTES), username,
                                           now]).fetchone()
        refused = None if row else _refusal(cur, username, now)
    if refused is not None:
        _hasher.hash(password or "x")  # the same work as a real check: no timing hint of why
        return refused
    *fields, hashed, _failures, locked_until = row
    try:
        ok = hashed is not None and _hasher.verify(hashed, password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    if not ok:
        return SignIn(None, "locked" if locked_until else "bad-credentials", locked_until)
    with write_transaction(con) as cur:
        cur.execute("UPDATE app_user SET failed_attempts = 0, locked_until = NULL WHERE username = ?", [username])
        if _hasher.check_needs_rehash(hashed):
            cur.execute("UPDATE app_user SET password_hash = ? WHERE username = ?", [_hasher.hash(password), username])
    return SignIn(_user(fields))


_COUNT_ATTEMPT = f"""
    UPDATE app_user SET
        failed_attempts = CASE WHEN locked_until IS NOT NULL AND locked_until <= ? THEN 1 ELSE failed_attempts + 1 END,
        locked_until = CASE WHEN (CASE WHEN locked_until IS NOT NULL AND locked_until <= ? THEN 1
                                       ELSE failed_attempts + 1 END) >= ? THEN ?::TIMESTAMP ELSE NULL END
    WHERE username = ? AND active AND (locked_until IS NULL OR locked_until <= ?)
    RETURNING {_USER_COLUMNS}, password_hash, failed_attempts, locked_until"""


def _refusal(cur, username: str, now: datetime) -> SignIn:
    row = cur.execute("SELECT active, locked_until FROM app_user WHERE username = ?", [username]).fetchone()
    if row is None:
        return SignIn(None, "unknown-user")
    active, locked_until = row
    return SignIn(None, "inactive" if not active else "locked", locked_until if active else None)


def list_users(con) -> pd.DataFrame:
    return con.cursor().execute(
        "SELECT username, role, display_name, email, language, active, failed_attempts, locked_until, created_at "
        "FROM app_user ORDER BY username").df()
