"""Banners every page shows: the demo-data warning and the empty-database state."""
from __future__ import annotations

import importlib.util

import streamlit as st

from prevention import store
from ui.state import Data, connection

DEMO_TEXT = (
    "**Демонстрационные данные.** Цифры на страницах сгенерированы для показа возможностей "
    "дашборда и не описывают реальную работу. Удалите их перед загрузкой настоящих отчётов."
)


def _delete_demo() -> None:
    removed = store.delete_demo(connection())
    st.session_state["_demo_removed"] = removed


def _load_demo() -> None:
    from prevention import demo  # written by the data side; imported only when asked for

    demo.load_demo(connection())


def demo_banner(data: Data) -> None:
    """A warning with one button that deletes every demo batch (the page then reruns by itself)."""
    removed = st.session_state.pop("_demo_removed", None)
    if removed:
        st.toast("Демонстрационные данные удалены.")
    if data.has_demo():
        with st.container(border=True, key="demo_banner"):
            text, button = st.columns([5, 2], vertical_alignment="center")
            text.warning(DEMO_TEXT, icon=":material/science:")
            button.button("Удалить демонстрационные данные", key="delete_demo", type="primary",
                          on_click=_delete_demo, width="stretch")


def empty_state(data: Data) -> bool:
    """When no record is stored, say so in words and return True (the page then stops)."""
    if not data.is_empty():
        return False
    st.info(
        "**Данных пока нет.** Загрузите отчёты областей (xlsx, xls, ods, csv): командой "
        "`python -m loaders ФАЙЛ…` или на странице загрузки. Как только появится хотя бы одна "
        "запись, здесь будут показатели, карта и таблицы.",
        icon=":material/inbox:",
    )
    if importlib.util.find_spec("prevention.demo") is not None:
        st.button("Показать на демонстрационных данных", key="load_demo", on_click=_load_demo)
    return True
