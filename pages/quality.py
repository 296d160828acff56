"""Качество данных: which regions reported for which month, unusual people-per-event figures, the same event in
two batches, and summaries that overlap event logs (with the counting rule stated)."""
import streamlit as st

from prevention import quality
from ui import banner, fmt, quality as parts, shell, sidebar, state, workspace

shell.require()
data = state.data()
f = sidebar.current_filters(data)
names = data.region_names()

st.title("Качество данных")
st.caption(sidebar.caption(f, names))
if banner.empty_state(data):
    st.stop()

st.subheader("Полнота отчётности")
grid = workspace.query("quality", "completeness", f)
summary = quality.completeness_summary(grid)
cols = st.columns(4)
cols[0].metric("Месяцев в периоде", fmt.number(summary["months"]))
cols[1].metric("Пропусков (регион × месяц)", fmt.number(summary["gaps"]),
               help="Клеток сетки, где у региона нет ни одной записи за месяц.")
cols[2].metric("Регионов без пропусков", f"{summary['complete_regions']} из 20")
cols[3].metric("Регионов без данных", f"{summary['silent_regions']} из 20")
parts.heatmap(grid)
st.caption("Клетка закрашена, если у региона есть хотя бы одна запись, относящаяся к месяцу (сводка за квартал "
           "закрывает три месяца); чем темнее, тем больше записей. Красным с прочерком — месяц без данных. "
           "Учитывается только период фильтра, все 20 регионов; при периоде длиннее пяти лет показаны последние "
           f"{quality.MAX_MONTHS} месяцев.")

st.subheader("Нетипичный охват")
outliers = workspace.query("quality", "outliers", f)
st.caption(f"Записи, где человек на одно мероприятие намного больше или меньше обычного для этой формы: за "
           f"пределами Q3 + {quality.OUTLIER_K:g}·IQR (или Q1 − {quality.OUTLIER_K:g}·IQR) по всем записям формы; "
           f"разброс берётся не меньше половины медианы, формы с числом записей меньше {quality.OUTLIER_MIN_GROUP} "
           "не проверяются. Часто это опечатка (лишний ноль) или сводная строка в журнале.")
if outliers.empty:
    st.success("Нетипичных записей нет.", icon=":material/check_circle:")
else:
    st.write(f"Найдено записей: **{fmt.number(len(outliers))}**"
             + (f" (показаны первые {quality.OUTLIER_LIMIT})" if len(outliers) >= quality.OUTLIER_LIMIT else "") + ".")
    parts.outliers_table(outliers)

st.subheader("Возможные дубликаты")
duplicates = workspace.query("quality", "suspected_duplicates", f)
st.caption("Записи журнала с одинаковыми датой, регионом, местом проведения и формой в разных пакетах: вероятно, "
           "одно мероприятие прислано дважды. Лишний пакет удаляется на странице «Пакеты».")
if duplicates.empty:
    st.success("Похожих записей в разных пакетах нет.", icon=":material/check_circle:")
else:
    st.write(f"Групп совпадающих записей: **{fmt.number(len(duplicates))}**.")
    parts.duplicates_table(duplicates)

st.subheader("Сводки и журналы за один период")
overlaps = workspace.query("quality", "summary_overlaps", f)
st.caption("Строка сводки (число мероприятий региона за период) и строки журнала мероприятий того же региона "
           "внутри её периода из другого пакета.")
if overlaps.empty:
    st.success("Пересечений сводок и журналов нет.", icon=":material/check_circle:")
    st.caption(quality.OVERLAP_RULE_NOW + " " + quality.OVERLAP_RULE_ADVICE)
else:
    st.warning(f"Пересечений: {fmt.number(len(overlaps))}. " + quality.OVERLAP_RULE_NOW + " "
               + quality.OVERLAP_RULE_ADVICE, icon=":material/rule:")
    parts.overlaps_table(overlaps)
