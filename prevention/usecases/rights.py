"""Who is acting, and whether they may: read from the database at the moment the action runs.

A page's widget callbacks run before dashboard.py checks the sign-in, so a check made when the page was drawn
proves nothing: an account demoted, deactivated or signed out elsewhere since then must be refused here."""
from __future__ import annotations

import getpass
from dataclasses import dataclass

from loaders.problems import Problem
from prevention.storage.accounts import ROLES

WEB, LOCAL, CLI, SYSTEM = "web", "local", "cli", "system"
LOCAL_USER = "local"


@dataclass(frozen=True)
class Actor:
    """The one acting. channel: "web" (a signed-in browser session), "local" (single-user local mode), "cli" (the
    command line: trusted, it already holds the database file) or "system". `epoch`: the account's session epoch
    when the web session signed in; a role change, deactivation or password reset since then refuses it."""
    username: str
    channel: str = WEB
    epoch: int | None = None


class Forbidden(Exception):
    "The actor may not do this (any more); carries the Problem «forbidden»."

    def __init__(self, actor: Actor, role: str, reason: str) -> None:
        super().__init__(f"{actor.username} may not act as {role}: {reason}")
        self.problem = Problem("forbidden", {"user": actor.username, "role": role, "reason": reason})


def cli_actor(user: str | None = None) -> Actor:
    """The command line's actor: --user, else the operating system's user name."""
    name = user
    if not name:
        try:
            name = getpass.getuser()
        except (KeyError, OSError):
            name = "cli"
    return Actor(name, CLI)


def require(con, actor: Actor, role: str) -> None:
    """Raise Forbidden unless the actor may act as `role` now (committed state: writers hold the write lock)."""
    if actor.channel in (CLI, SYSTEM):
        return
    con = con.cursor()  # never the shared connection itself: DuckDB refuses one connection across threads
    if actor.channel == LOCAL:
        active = con.execute("SELECT count(*) FROM app_user WHERE active").fetchone()[0]
        if active:
            raise Forbidden(actor, role, "accounts-exist")
        return
    row = con.execute("SELECT role, active, session_epoch FROM app_user WHERE username = ?",
                      [actor.username]).fetchone()
    if row is None or not row[1]:
        raise Forbidden(actor, role, "inactive")
    current_role, _, epoch = row
    if actor.epoch is not None and epoch != actor.epoch:
        raise Forbidden(actor, role, "signed-out")
    if ROLES.index(current_role) < ROLES.index(role):
        raise Forbidden(actor, role, "role")
