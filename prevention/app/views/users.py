"""Пользователи (admin): the accounts, a new account, and per account its role, e-mail (the OpenID Connect match),
activity and password. Every change is written to the audit log as «user-change», never with the password."""
import pandas as pd
import streamlit as st

from prevention.app.components.fmt import date_time as fmt_datetime
from prevention.app.components.safe import inert
from prevention.app.session import auth, state
from prevention.app.session.i18n import LANGUAGES, tr
from prevention.storage import accounts
from prevention.usecases import accounts as account_rules
from prevention.usecases.rights import Forbidden

me = auth.require("admin")
con = state.connection()
DONE = "_users_done"


def text(value) -> str:
    """A text cell of list_users (None or NaN when empty) as a string."""
    return "" if value is None or pd.isna(value) else str(value)


def done(kind: str, message: str) -> None:
    st.session_state[DONE] = (kind, message)


def fail(message: str) -> None:
    done("error", message)


def refused(error: Exception) -> None:
    """A use case's refusal in the interface language: an account rule, or rights that are gone."""
    if isinstance(error, Forbidden):
        return fail(tr("users.error.forbidden"))
    return fail(tr(f"users.error.{error.code}", **{k: inert(v) for k, v in error.params.items()}))


def add_user() -> None:
    s = st.session_state
    name, email = (s.get("new_username") or "").strip(), (s.get("new_email") or "").strip().lower() or None
    password, repeat = s.get("new_password") or "", s.get("new_password_repeat") or ""
    s["new_password"] = s["new_password_repeat"] = ""
    if password != repeat:
        return fail(tr("users.error.mismatch"))
    try:  # the use case checks, when it runs, that the one acting is still an active admin
        user = account_rules.create_account(
            con, auth.actor(), name, password or None, s.get("new_role") or "viewer", email=email,
            display_name=(s.get("new_display") or "").strip() or None, password_required=auth.mode() != "oidc")
    except (accounts.AuthError, Forbidden) as e:
        return refused(e)
    for key in ("new_username", "new_display", "new_email"):
        s[key] = ""
    done("success", tr("users.done.created", name=inert(name), role=tr(f"role.{user.role}")))


def save_user(name: str) -> None:
    s = st.session_state
    try:
        changed = account_rules.change_account(con, auth.actor(), name, role=s.get("edit_role"),
                                               active=bool(s.get("edit_active")), email=s.get("edit_email") or "")
    except (accounts.AuthError, Forbidden) as e:
        return refused(e)
    if not changed:
        return done("info", tr("users.done.nothing"))
    done("success", tr("users.done.saved", name=inert(name)))


def reset_password(name: str) -> None:
    s = st.session_state
    password, repeat = s.get("reset_password") or "", s.get("reset_password_repeat") or ""
    s["reset_password"] = s["reset_password_repeat"] = ""
    if password != repeat:
        return fail(tr("users.error.mismatch"))
    try:
        account_rules.reset_password(con, auth.actor(), name, password)
    except (accounts.AuthError, Forbidden) as e:
        return refused(e)
    if name == auth.actor().username:
        auth.refresh_epoch()  # an admin's own new password ends their other sessions, not this one
    done("success", tr("users.done.password", name=inert(name)))


def load_user(users: pd.DataFrame) -> None:
    """on_change of the account picker: the form starts from the picked account's values."""
    row = users.set_index("username").loc[st.session_state["users_pick"]]
    st.session_state.update(edit_role=row["role"], edit_active=bool(row["active"]), edit_email=text(row["email"]))


st.title(tr("users.title"))
st.caption(tr("users.caption"))
message = st.session_state.pop(DONE, None)
if message:
    getattr(st, message[0])(message[1])

users = accounts.list_users(con)
if users.empty:
    st.info(tr("users.first_admin", command=tr("auth.first_admin_command")), icon=":material/person_add:")
else:
    shown = users.assign(
        display_name=users["display_name"].map(text), email=users["email"].map(text),
        role=users["role"].map(lambda r: tr(f"role.{r}")),
        language=users["language"].map(LANGUAGES.get),
        locked_until=[fmt_datetime(v.to_pydatetime()) if pd.notna(v) and v.to_pydatetime() > pd.Timestamp.now()
                      else "" for v in users["locked_until"]],
    )
    c = st.column_config
    st.dataframe(shown[["username", "display_name", "role", "email", "active", "language", "locked_until",
                        "created_at"]], hide_index=True, key="users_table", column_config={
        "username": c.TextColumn(tr("users.col.username")),
        "display_name": c.TextColumn(tr("users.col.display_name")),
        "role": c.TextColumn(tr("users.col.role")),
        "email": c.TextColumn(tr("users.col.email")),
        "active": c.CheckboxColumn(tr("users.col.active")),
        "language": c.TextColumn(tr("users.col.language")),
        "locked_until": c.TextColumn(tr("users.col.locked_until")),
        "created_at": c.DatetimeColumn(tr("users.col.created_at"), format="DD.MM.YYYY HH:mm"),
    })

with (st.expander(tr("users.add.title"), expanded=users.empty, icon=":material/person_add:"),
      st.form("add_user", border=False)):
        left, right = st.columns(2)
        left.text_input(tr("users.col.username"), key="new_username", help=tr("users.add.username_help"))
        right.text_input(tr("users.col.display_name"), key="new_display")
        left.text_input(tr("users.col.email"), key="new_email", help=tr("users.add.email_help"))
        right.selectbox(tr("users.col.role"), accounts.ROLES, format_func=lambda r: tr(f"role.{r}"), key="new_role",
                        index=accounts.ROLES.index("admin") if users.empty else 0, disabled=users.empty,
                        help=tr("users.add.first_is_admin") if users.empty else None)
        left.text_input(tr("users.add.password"), key="new_password", type="password", autocomplete="new-password",
                        help=tr("users.add.password_help", length=accounts.MIN_PASSWORD_LENGTH))
        right.text_input(tr("users.add.password_repeat"), key="new_password_repeat", type="password",
                         autocomplete="new-password")
        st.form_submit_button(tr("users.add.submit"), type="primary", on_click=add_user, icon=":material/person_add:",
                              key="add_user_submit")

if not users.empty:
    st.subheader(tr("users.edit.title"))
    names = list(users["username"])
    if st.session_state.get("users_pick") not in names:
        st.session_state["users_pick"] = me.username if me.username in names else names[0]
        load_user(users)
    name = st.selectbox(tr("users.edit.pick"), names, key="users_pick", on_change=load_user, args=(users,))
    row = users.set_index("username").loc[name]
    with st.form("edit_user"):
        left, middle, right = st.columns([2, 3, 2], vertical_alignment="bottom")
        left.selectbox(tr("users.col.role"), accounts.ROLES, format_func=lambda r: tr(f"role.{r}"), key="edit_role")
        middle.text_input(tr("users.col.email"), key="edit_email", help=tr("users.add.email_help"))
        right.toggle(tr("users.edit.active"), key="edit_active", help=tr("users.edit.active_help"))
        st.form_submit_button(tr("users.edit.save"), on_click=save_user, args=(name,), icon=":material/save:",
                              key="edit_user_submit")
    with st.form("reset_password_form"):
        st.markdown(tr("users.edit.password_title", name=inert(name)))
        if pd.notna(row["locked_until"]) and row["locked_until"].to_pydatetime() > pd.Timestamp.now():
            st.caption(tr("users.edit.locked", until=fmt_datetime(row["locked_until"].to_pydatetime())))
        left, right = st.columns(2)
        left.text_input(tr("users.add.password"), key="reset_password", type="password", autocomplete="new-password",
                        help=tr("users.add.password_help", length=accounts.MIN_PASSWORD_LENGTH))
        right.text_input(tr("users.add.password_repeat"), key="reset_password_repeat", type="password",
                         autocomplete="new-password")
        st.form_submit_button(tr("users.edit.reset"), on_click=reset_password, args=(name,),
                              icon=":material/key:", key="reset_password_submit")
st.caption(tr("users.footer"))
