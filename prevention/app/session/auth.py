"""Who is using the dashboard, and what they may open.

Three ways in, decided on every run:
- OpenID Connect, when .streamlit/secrets.toml has an [auth] section with a provider: st.login, then the
  identity's e-mail is matched to an active app_user row (roles are assigned by e-mail on the Users page);
- local accounts, when app_user has an active row: a sign-in form (argon2, lock-out in prevention.auth);
- single-user local mode, when there is neither: everyone is the admin «local», but only while the server
  listens on this computer alone (127.0.0.1); otherwise the app refuses to run.

Roles: viewer (Обзор, Регион, Таблица, exports) < analyst (+ Загрузка, Пакеты, Качество данных) < admin
(+ Пользователи, Журнал аудита). st.navigation receives only the pages the role may open; the other pages keep
their URL as hidden placeholders that say «Недостаточно прав», so a stale link never runs them. Pages check
again with `require(role)`. Sign-ins, failures, sign-outs and exports go to the audit log (`audit`).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit import config

from prevention import texts
from prevention.app.components.safe import inert
from prevention.app.session import state, uploads
from prevention.app.session.i18n import DEFAULT as DEFAULT_LANG
from prevention.app.session.i18n import KEY as LANG_KEY
from prevention.app.session.i18n import LANGUAGES, lang, tr
from prevention.app.session.oidc import (
    auth_section,
    oidc_providers,
    oidc_screen,
    oidc_user,
)
from prevention.storage import accounts
from prevention.storage import audit as audit_log
from prevention.storage.accounts import User
from prevention.usecases import accounts as account_rules
from prevention.usecases.rights import LOCAL, LOCAL_USER, WEB, Actor

RESERVED_NAMES = account_rules.RESERVED_NAMES
LOOPBACK = {"127.0.0.1", "localhost", "::1"}

USERNAME = "username"          # session key the workspace pages read (ui.workspace.username)
_ACCOUNT = "_auth_account"     # the account signed in with the form in this session
_EPOCH = "_auth_epoch"         # its session_epoch at sign-in: a role change, deactivation or new password ends it
_USER = "_auth_user"           # this run's User (None for an anonymous visitor)
_MODE = "_auth_mode"           # "oidc" | "accounts" | "local"
_MESSAGE = "_auth_message"     # the last failed sign-in, to show above the form
_OIDC_AUDITED = "_auth_oidc_audited"
_PENDING_LANG = "_auth_pending_lang"  # an account's language, applied before the switch is drawn
_FORM_USER, _FORM_PASSWORD = "signin_username", "signin_password"


@dataclass(frozen=True)
class NavPage:
    """One page of the app: its file, the catalogue key of its title, icon, and the least role that opens it."""
    path: str
    title_key: str
    icon: str
    role: str = "viewer"
    default: bool = False

    @property
    def url_path(self) -> str:
        return Path(self.path).stem


SECTIONS = {"viewer": "nav.section.dashboard", "analyst": "nav.section.data", "admin": "nav.section.admin"}


# --- decisions without Streamlit --------------------------------------------------------------------

def exposed(address: str | None, serving: bool = True) -> bool:
    """True when a server with this server.address can be reached from other computers. An unset address
    means every interface; under AppTest (serving=False) nothing listens at all."""
    if not address:
        return serving
    return address.strip().strip("[]").lower() not in LOOPBACK


def allowed(page: NavPage, user: User | None) -> bool:
    return user is not None and user.can(page.role)


# --- the current user ------------------------------------------------------------------------------

def current_user() -> User | None:
    """The user of this run (set by `signed_in`); None for an anonymous visitor."""
    return st.session_state.get(_USER)


def username() -> str:
    return st.session_state.get(USERNAME) or LOCAL_USER


def mode() -> str:
    return st.session_state.get(_MODE, "local")


def audit(action: str, *, actor: str | None = None, **details) -> None:
    """Append to the audit log as the signed-in user (or `actor`, captured earlier: a deferred download
    runs outside the script, where session state is not available)."""
    audit_log.append(state.connection(), actor or username(), action, **details)


def actor() -> Actor:
    """Who acts in this session, for the use cases (which read the account's rights again when they run).
    Widget callbacks run before the sign-in check of dashboard.py, so this is built from what the session holds:
    a session never signed in (or signed out) acts as nobody, and the use case refuses it."""
    run_mode = st.session_state.get(_MODE)
    if run_mode == "local":
        return Actor(LOCAL_USER, LOCAL)
    name = st.session_state.get(_ACCOUNT) or (st.session_state.get(USERNAME) if run_mode == "oidc" else None)
    return Actor(name or "", WEB, st.session_state.get(_EPOCH, -1))


def require(role: str) -> User:
    """A page's guard: the signed-in user when their role includes `role`, else «Недостаточно прав» and stop."""
    user = current_user()
    if user is None or not user.can(role):
        _denied_message(role)
        st.stop()
    return user


def signed_in(pages: list[NavPage]) -> User:
    """Run first in dashboard.py: the language switch, then the user of this run. Anonymous visitors get the
    sign-in screen (or the local-mode refusal) and the run stops; a signed-in user gets the account box."""
    language_switch()
    con = state.connection()
    providers = oidc_providers(auth_section())
    if providers:
        run_mode, user = "oidc", oidc_user(con)
    elif accounts.has_accounts(con):
        run_mode, user = "accounts", _form_user(con)
    elif exposed(config.get_option("server.address"), serving=not config.get_option("global.appTest")):
        run_mode, user = "refused", None
    else:
        run_mode, user = "local", User(LOCAL_USER, "admin", None, None, lang())
    st.session_state[_MODE] = run_mode
    st.session_state[_USER] = user
    if user is None:
        st.session_state.pop(USERNAME, None)
        uploads.allow(False)  # nobody signed in may keep files in the server's memory
        st.navigation(_placeholders(pages, _nothing), position="hidden")  # keeps the URL's page for later
        if run_mode == "refused":
            _refusal()
        elif run_mode == "oidc":
            oidc_screen(con, providers)
        else:
            _sign_in_screen()
        st.stop()
    st.session_state[USERNAME] = user.username
    uploads.allow(user.can("analyst"))  # only an analyst's session may hold uploaded files
    _account_box(user, run_mode)
    return user


def navigation(pages: list[NavPage], user: User):
    """st.navigation over the pages `user` may open, in sections by role; every other page is a hidden
    placeholder under its own URL that only says «Недостаточно прав». Returns the page to run."""
    sections: dict[str, list] = {}
    for page in pages:
        if allowed(page, user):
            sections.setdefault(tr(SECTIONS[page.role]), []).append(
                st.Page(page.path, title=tr(page.title_key), icon=page.icon, default=page.default))
    placeholders = _placeholders([p for p in pages if not allowed(p, user)], _denied_page)
    first = next(iter(sections))
    sections[first] = sections[first] + placeholders
    return st.navigation(sections if len(sections) > 1 else sections[first])


def _placeholders(pages: list[NavPage], show: Callable[[NavPage], None]) -> list:
    def page_of(page: NavPage):
        return st.Page(lambda: show(page), title=tr(page.title_key), icon=page.icon, url_path=page.url_path,
                       visibility="hidden", default=page.default)
    return [page_of(p) for p in pages]


def _nothing(page: NavPage) -> None:
    """Placeholder content while nobody is signed in (the sign-in screen is drawn instead)."""


def _denied_page(page: NavPage) -> None:
    st.title(tr(page.title_key))
    _denied_message(page.role)
    st.page_link("prevention/app/views/overview.py", label=tr("nav.overview"), icon=":material/dashboard:")


def _denied_message(role: str) -> None:
    user = current_user()
    mine = tr(f"role.{user.role}") if user else "—"
    st.error(tr("auth.denied", needed=tr(f"role.{role}"), role=mine), icon=":material/block:")


# --- language -------------------------------------------------------------------------------------

def _remember_language() -> None:
    """on_change of the switch: a signed-in account keeps its choice for the next sign-in."""
    account = st.session_state.get(_ACCOUNT) or (
        st.session_state.get(USERNAME) if st.session_state.get(_MODE) == "oidc" else None)
    if account and st.session_state.get(LANG_KEY) in LANGUAGES:
        con = state.connection()
        if accounts.get_user(con, account) is not None:
            accounts.update_user(con, account, language=st.session_state[LANG_KEY])


def language_switch() -> None:
    """Русский / Қазақша / English in the sidebar, bound to the URL (?lang=Қазақша: a bound switch puts its
    label in the link). An account's language is applied through session state before the switch is drawn."""
    pending = st.session_state.pop(_PENDING_LANG, None)
    if pending in LANGUAGES:
        st.session_state[LANG_KEY] = pending
    # On a session's first run the bound switch has no value yet: its (hidden, spoken) label takes the link's language.
    shown = st.query_params.get(LANG_KEY)
    language = lang() if LANG_KEY in st.session_state else next(
        (code for code, name in LANGUAGES.items() if shown in (code, name)), DEFAULT_LANG)
    with st.sidebar:
        st.pills(texts.t("lang.label", language), list(LANGUAGES), format_func=LANGUAGES.get,
                 key=LANG_KEY,  # fits one row
                 # no default on the run that sets the value (Streamlit warns about both at once);
                 # the switch's identity is its key, so the widget stays the same
                 default=None if pending in LANGUAGES else DEFAULT_LANG, required=True, bind="query-params",
                 label_visibility="collapsed", on_change=_remember_language)


def _adopt_language(user: User) -> None:
    """At sign-in: the account's language, unless this visit already chose another (the switch, ?lang=)."""
    if st.session_state.get(LANG_KEY, DEFAULT_LANG) == DEFAULT_LANG and user.language in LANGUAGES:
        st.session_state[_PENDING_LANG] = user.language


# --- local accounts -------------------------------------------------------------------------------

def _form_user(con) -> User | None:
    name = st.session_state.get(_ACCOUNT)
    if not name:
        return None
    user = accounts.get_user(con, name)  # read again on every run: a deactivation or a new role applies at once
    if user is None or user.epoch != st.session_state.get(_EPOCH):
        _forget_session()  # a new role, a deactivation or a new password: sign in again
        st.session_state[_MESSAGE] = ("session_changed", None)
        return None
    return user


def _forget_session() -> None:
    """Everything this session held except the language."""
    for key in list(st.session_state.keys()):  # one by one: clear() stops at the first key without a value
        if key != LANG_KEY:
            st.session_state.pop(key, None)


def refresh_epoch() -> None:
    """After this session's own account changed (an admin's own new password): keep this session signed in."""
    name = st.session_state.get(_ACCOUNT) or st.session_state.get(USERNAME)
    user = accounts.get_user(state.connection(), name) if name else None
    if user is not None:
        st.session_state[_EPOCH] = user.epoch


def _sign_in() -> None:
    """on_click of the form's button: check the password, log the attempt, never keep the password."""
    con = state.connection()
    name = (st.session_state.get(_FORM_USER) or "").strip()
    password = st.session_state.get(_FORM_PASSWORD) or ""
    st.session_state[_FORM_PASSWORD] = ""
    if not name or not password:
        st.session_state[_MESSAGE] = ("empty", None)
        return
    result = account_rules.sign_in(con, name, password)  # every attempt audited there
    if result.user is not None:
        st.session_state[_ACCOUNT] = result.user.username
        st.session_state[_EPOCH] = result.user.epoch
        st.session_state.pop(_MESSAGE, None)
        _adopt_language(result.user)
        return
    st.session_state[_MESSAGE] = (result.reason, None)


def failure_text(reason: str | None, locked_until=None) -> str:
    """One text for an unknown name, a wrong password, a locked and an inactive account: the screen never tells
    which names exist."""
    if reason in ("empty", "session_changed"):
        return tr(f"auth.error.{reason}")
    return tr("auth.error.bad_credentials", attempts=accounts.MAX_FAILURES, minutes=accounts.LOCK_MINUTES)


def _sign_in_screen() -> None:
    _, middle, _ = st.columns([1, 2, 1])
    with middle:
        st.title(tr("auth.title"))
        st.caption(tr("app.name"))
        failed = st.session_state.get(_MESSAGE)
        if failed:
            st.error(failure_text(*failed), icon=":material/lock:")
        with st.form("sign_in", border=True):
            st.text_input(tr("auth.username"), key=_FORM_USER, autocomplete="username")
            st.text_input(tr("auth.password"), key=_FORM_PASSWORD, type="password", autocomplete="current-password")
            st.form_submit_button(tr("auth.sign_in"), type="primary", on_click=_sign_in, width="stretch",
                                  key="sign_in_submit")
        st.caption(tr("auth.help"))


def _sign_out() -> None:
    """on_click of «Выйти»: log it and forget everything this session held except the language."""
    audit(action="sign-out")
    _forget_session()


# --- the refusal, the banner, the account box -----------------------------------------------------

def _refusal() -> None:
    st.title(tr("auth.refused.title"))
    st.error(tr("auth.refused.text", address=config.get_option("server.address") or "0.0.0.0"),
             icon=":material/gpp_bad:")
    st.code(tr("auth.first_admin_command"), language="bash")


def local_mode_banner() -> None:
    """Every page in single-user local mode says so, and how to leave it."""
    if mode() == "local":
        st.info(tr("auth.local_mode", command=tr("auth.first_admin_command")), icon=":material/computer:")


def _account_box(user: User, run_mode: str) -> None:
    with st.sidebar:
        name = user.display_name or user.username
        if run_mode == "local":
            st.caption(tr("auth.local_user", role=tr("role.admin")))
            return
        st.caption(tr("auth.signed_in_as", name=inert(name), role=tr(f"role.{user.role}")))
        if run_mode == "oidc":
            if st.button(tr("auth.sign_out"), key="sign_out", icon=":material/logout:", type="tertiary"):
                audit("sign-out")
                st.logout()
        else:
            st.button(tr("auth.sign_out"), key="sign_out", on_click=_sign_out, icon=":material/logout:",
                      type="tertiary")
