"""Пользователи (admin): the accounts, a new account, and per account its role, e-mail (the OpenID Connect match),
activity and password. Every change is written to the audit log as «user-change», never with the password."""
import pandas as pd
import streamlit as st

from prevention.storage import accounts
from prevention.app.session import auth
from prevention.app.session import state
from prevention.app.session.i18n import LANGUAGES, fmt_datetime, tr

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


def email_taken(email: str | None, other_than: str | None = None) -> str | None:
    """The account that already uses this e-mail (one e-mail maps to one account for OpenID Connect)."""
    if not email:
        return None
    users = accounts.list_users(con)
    clash = users[(users["email"].fillna("").str.lower() == email.lower()) & (users["username"] != other_than)]
    return None if clash.empty else clash["username"].iloc[0]


def leaves_no_admin(username: str, role: str | None = None, active: bool | None = None) -> bool:
    """True when this change would leave no active administrator."""
    users = accounts.list_users(con)
    admins = users[(users["role"] == "admin") & users["active"]]
    if username not in set(admins["username"]):
        return False
    losing = (role is not None and role != "admin") or active is False
    return losing and len(admins) == 1


def add_user() -> None:
    s = st.session_state
    name, email = (s.get("new_username") or "").strip(), (s.get("new_email") or "").strip().lower() or None
    password, repeat = s.get("new_password") or "", s.get("new_password_repeat") or ""
    s["new_password"] = s["new_password_repeat"] = ""
    role = s.get("new_role") or "viewer"
    if not accounts.has_accounts(con):
        role = "admin"  # the first account must be able to manage the others
    if name.lower() in auth.RESERVED_NAMES:
        return fail(tr("users.error.reserved", name=name))
    if password != repeat:
        return fail(tr("users.error.mismatch"))
    if not password and auth.mode() != "oidc":
        return fail(tr("users.error.password_needed"))
    if password and len(password) < accounts.MIN_PASSWORD_LENGTH:
        return fail(tr("users.error.short", length=accounts.MIN_PASSWORD_LENGTH))
    clash = email_taken(email)
    if clash:
        return fail(tr("users.error.email_taken", email=email, name=clash))
    try:
        accounts.create_user(con, name, password or None, role, display_name=(s.get("new_display") or "").strip() or None,
                             email=email)
    except accounts.AuthError as e:
        return fail(str(e))
    auth.audit("user-change", user=name, change="created", role=role, email=email)
    for key in ("new_username", "new_display", "new_email"):
        s[key] = ""
    done("success", tr("users.done.created", name=name, role=tr(f"role.{role}")))


def save_user(name: str) -> None:
    s = st.session_state
    current = accounts.list_users(con).set_index("username").loc[name]
    role, active = s.get("edit_role"), bool(s.get("edit_active"))
    email = (s.get("edit_email") or "").strip().lower() or None
    changes = {}
    if role != current["role"]:
        changes["role"] = role
    if active != bool(current["active"]):
        changes["active"] = active
    if (email or "") != text(current["email"]):
        changes["email"] = email
    if not changes:
        return done("info", tr("users.done.nothing"))
    if name == me.username and ("role" in changes or changes.get("active") is False):
        return fail(tr("users.error.self"))
    if leaves_no_admin(name, changes.get("role"), changes.get("active")):
        return fail(tr("users.error.last_admin"))
    clash = email_taken(email, other_than=name)
    if clash:
        return fail(tr("users.error.email_taken", email=email, name=clash))
    if "email" in changes and email is None:
        return fail(tr("users.error.email_removed"))
    accounts.update_user(con, name, **changes)
    auth.audit("user-change", user=name, change=sorted(changes), **{k: v for k, v in changes.items()})
    done("success", tr("users.done.saved", name=name))


def reset_password(name: str) -> None:
    s = st.session_state
    password, repeat = s.get("reset_password") or "", s.get("reset_password_repeat") or ""
    s["reset_password"] = s["reset_password_repeat"] = ""
    if password != repeat:
        return fail(tr("users.error.mismatch"))
    if len(password) < accounts.MIN_PASSWORD_LENGTH:
        return fail(tr("users.error.short", length=accounts.MIN_PASSWORD_LENGTH))
    accounts.set_password(con, name, password)
    auth.audit("user-change", user=name, change="password-reset")
    done("success", tr("users.done.password", name=name))


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

with st.expander(tr("users.add.title"), expanded=users.empty, icon=":material/person_add:"):
    with st.form("add_user", border=False):
        left, right = st.columns(2)
        left.text_input(tr("users.col.username"), key="new_username", help=tr("users.add.username_help"))
        right.text_input(tr("users.col.display_name"), key="new_display")
        left.text_input(tr("users.col.email"), key="new_email", help=tr("users.add.email_help"))
        right.selectbox(tr("users.col.role"), accounts.ROLES, format_func=lambda r: tr(f"role.{r}"), key="new_role",
                        index=accounts.ROLES.index("admin") if users.empty else 0, disabled=users.empty, help=tr("users.add.first_is_admin") if users.empty else None)
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
        st.markdown(tr("users.edit.password_title", name=name))
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
