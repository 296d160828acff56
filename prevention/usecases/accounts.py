"""The account rules, for the Users page and `python -m prevention.users` alike, each action checking the acting
admin's rights when it runs: reserved names, one e-mail per account, the last active admin stays, nobody demotes
or deactivates themselves, password rules, the first account is an admin. A role change, a deactivation and a
password reset end that account's other sessions (session_epoch). Refusals are AuthError(code, **params), the
code a catalogue key `users.error.<code>`; every sign-in attempt is audited."""
from __future__ import annotations

from prevention.storage import accounts as store
from prevention.storage import audit
from prevention.storage.accounts import AuthError, SignIn, User
from prevention.storage.transaction import write_transaction
from prevention.usecases.rights import LOCAL_USER, Actor, require

RESERVED_NAMES = {LOCAL_USER, "cli"}  # pseudo-users of the audit log (local mode, the command line)


def _email_owner(cur, email: str | None, other_than: str | None = None) -> str | None:
    if not email:
        return None
    row = cur.execute("SELECT username FROM app_user WHERE lower(email) = lower(?) AND username IS DISTINCT FROM ? "
                      "LIMIT 1", [email, other_than]).fetchone()
    return row[0] if row else None


def _active_admins(cur) -> set[str]:
    return {r[0] for r in cur.execute("SELECT username FROM app_user WHERE role = 'admin' AND active").fetchall()}


def create_account(con, actor: Actor, username: str, password: str | None, role: str = "viewer", *,
                   email: str | None = None, display_name: str | None = None, password_required: bool = True) -> User:
    """A new account; the first active account is always an admin. Raises AuthError or Forbidden."""
    username, email = (username or "").strip(), (email or "").strip().lower() or None
    if username.lower() in RESERVED_NAMES:
        raise AuthError("reserved", name=username)
    if not password and password_required:
        raise AuthError("password_needed")
    with write_transaction(con) as cur:
        require(con, actor, "admin")
        if not cur.execute("SELECT count(*) FROM app_user WHERE active").fetchone()[0]:
            role = "admin"  # the first account must be able to manage the others
        clash = _email_owner(cur, email)
        if clash:
            raise AuthError("email_taken", email=email, name=clash)
        user = store.insert_user(cur, username, password or None, role, display_name=display_name, email=email)
        audit.record(cur, actor.username, "user-change", user=username, change="created", role=role, email=email,
                     channel=actor.channel)
    return user


def change_account(con, actor: Actor, username: str, *, role: str | None = None, active: bool | None = None,
                   email: str | None = None) -> list[str]:
    """Change an account's role, activity or e-mail; returns what changed (empty: nothing)."""
    with write_transaction(con) as cur:
        require(con, actor, "admin")
        current = store.account(cur, username)
        if current is None:
            raise AuthError("not_found", name=username)
        changes = _changes(current, role, active, email)
        if not changes:
            return []
        _check_change(cur, actor, username, changes)
        store.store_changes(cur, username, **changes)
        audit.record(cur, actor.username, "user-change", user=username, change=sorted(changes),
                     channel=actor.channel, **changes)
    return sorted(changes)


def _changes(current: dict, role: str | None, active: bool | None, email: str | None) -> dict:
    """What differs from the stored account. `email`: None leaves it, "" would remove it (refused: an e-mail is
    replaced, never removed, it is the OpenID Connect match)."""
    changes: dict = {}
    if role is not None and role != current["role"]:
        changes["role"] = role
    if active is not None and bool(active) != bool(current["active"]):
        changes["active"] = bool(active)
    if email is not None:
        email = email.strip().lower()
        if not email and current["email"]:
            raise AuthError("email_removed")
        if email and email != (current["email"] or ""):
            changes["email"] = email
    return changes


def _check_change(cur, actor: Actor, username: str, changes: dict) -> None:
    if username == actor.username and ("role" in changes or changes.get("active") is False):
        raise AuthError("self")
    losing = ("role" in changes and changes["role"] != "admin") or changes.get("active") is False
    if losing and _active_admins(cur) == {username}:
        raise AuthError("last_admin")
    clash = _email_owner(cur, changes.get("email"), other_than=username)
    if clash:
        raise AuthError("email_taken", email=changes["email"], name=clash)


def reset_password(con, actor: Actor, username: str, password: str) -> None:
    """A new password: the lock is lifted and the account's other sessions end."""
    with write_transaction(con) as cur:
        require(con, actor, "admin")
        store.store_password(cur, username, password)
        audit.record(cur, actor.username, "user-change", user=username, change="password-reset",
                     channel=actor.channel)


def sign_in(con, username: str, password: str) -> SignIn:
    """Check a password and audit the attempt, whatever its outcome. An unknown name is audited without the
    name (it may be a password typed into the wrong field)."""
    result = store.authenticate(con, username, password)
    if result.user is not None:
        audit.append(con, result.user.username, "sign-in", method="password")
    else:
        known = result.reason != "unknown-user"
        details = {"reason": result.reason, **({"locked_until": result.locked_until} if result.locked_until else {})}
        audit.append(con, username if known else None, "sign-in-failed", **details)
    return result


def _empty(value) -> bool:
    import pandas as pd

    return value is None or bool(pd.isna(value))


def list_accounts(con):
    """The accounts for an admin's list, empty cells as empty text (never None, NaN or NaT)."""
    frame = store.list_users(con)
    for column in ("display_name", "email", "locked_until"):
        frame[column] = ["" if _empty(value) else str(value) for value in frame[column]]
    return frame
