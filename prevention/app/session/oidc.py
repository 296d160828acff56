"""OpenID Connect (st.login): which providers .streamlit/secrets.toml configures, the account an identity maps to
by e-mail, and the screens around it. The session's keys and clean-up belong to prevention.app.session.auth."""
from __future__ import annotations

import importlib.util
from collections.abc import Mapping

import streamlit as st

from prevention.app.components.safe import inert
from prevention.app.session.i18n import tr
from prevention.storage import accounts
from prevention.storage import audit as audit_log
from prevention.storage.accounts import SignIn, User


def oidc_providers(section: Mapping | None) -> list[str | None]:
    """The providers an [auth] section configures: None for the default one (client_id in [auth] itself),
    a name for each [auth.NAME] sub-section. Empty when OpenID Connect is not configured."""
    if not section or not section.get("redirect_uri") or not section.get("cookie_secret"):
        return []
    providers: list[str | None] = [None] if section.get("client_id") else []
    providers += [name for name, value in section.items() if isinstance(value, Mapping) and value.get("client_id")]
    return providers


def oidc_account(con, identity: Mapping) -> SignIn:
    """The app_user an OpenID Connect identity (st.user) maps to, by e-mail: SignIn(user) or a reason
    ("not-signed-in", "no-email", "unverified-email", "inactive", "no-account")."""
    if not identity.get("is_logged_in"):
        return SignIn(None, "not-signed-in")
    email = str(identity.get("email") or "").strip().lower()
    if not email:
        return SignIn(None, "no-email")
    if identity.get("email_verified") in (False, "false", "False"):
        return SignIn(None, "unverified-email")
    user = accounts.user_by_email(con, email)
    if user is not None:
        return SignIn(user)
    known = accounts.list_users(con)
    inactive = bool((known["email"].str.lower() == email).any()) if not known.empty else False
    return SignIn(None, "inactive" if inactive else "no-account")


def auth_section() -> Mapping:
    try:
        if st.secrets.load_if_toml_exists():
            section = st.secrets.get("auth")
            return section if isinstance(section, Mapping) else {}
    except Exception:  # noqa: BLE001 - an unreadable secrets file means no OpenID Connect, never a crash
        return {}
    return {}


def oidc_user(con) -> User | None:
    from prevention.app.session import auth

    result = oidc_account(con, st.user)
    if result.user is None:
        return None
    if st.session_state.get(auth._OIDC_AUDITED) != result.user.username:  # once per session, not once per run
        st.session_state[auth._OIDC_AUDITED] = result.user.username
        st.session_state[auth._EPOCH] = result.user.epoch
        audit_log.append(con, result.user.username, "sign-in", method="oidc", email=st.user.get("email"))
        auth._adopt_language(result.user)
        st.rerun()  # the language of the account applies to this first page already
    if result.user.epoch != st.session_state.get(auth._EPOCH):  # a new role or a deactivation since the sign-in
        audit_log.append(con, result.user.username, "sign-out", reason="session-changed")
        auth._forget_session()
        st.logout()
    return result.user


def oidc_screen(con, providers: list[str | None]) -> None:
    from prevention.app.session import auth

    _, middle, _ = st.columns([1, 2, 1])
    with middle:
        st.title(tr("auth.title"))
        st.caption(tr("app.name"))
        if st.user.get("is_logged_in"):
            result = oidc_account(con, st.user)
            email = st.user.get("email") or "—"
            if st.session_state.get(auth._OIDC_AUDITED) != f"refused:{email}":
                st.session_state[auth._OIDC_AUDITED] = f"refused:{email}"
                audit_log.append(con, None, "sign-in-failed", method="oidc", email=email, reason=result.reason)
            st.error(tr(f"auth.oidc.{result.reason}", email=inert(email)), icon=":material/block:")
            if st.button(tr("auth.sign_out"), key="oidc_sign_out"):
                st.logout()
            return
        if importlib.util.find_spec("authlib") is None:  # st.login needs it; say so instead of a traceback
            st.error(tr("auth.oidc.no_authlib"), icon=":material/error:")
            return
        for provider in providers:
            label = tr("auth.oidc.button",
                       provider=provider.capitalize()) if provider else tr("auth.oidc.button_default")
            if st.button(label, key=f"oidc_{provider or 'default'}", type="primary", width="stretch",
                         icon=":material/login:"):
                st.login(provider) if provider else st.login()
