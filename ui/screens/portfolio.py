"""Portfolio: every account's health and trend, zone scores, contract windows, the portfolio matrix and the
early-warning flags."""

from __future__ import annotations

import streamlit as st

from ui import charts, views
from ui.components import (
    SELECTED_ACCOUNT,
    SEVERITY_BADGE,
    chart,
    health_badge,
    money,
    page_header,
    show_flashes,
    show_warning,
)
from ui.runtime import current_actor, current_runtime

HEALTH_CELL = {
    "strong": "background-color: #c8e6c9; color: #1b5e20",
    "vulnerable": "background-color: #ffe0b2; color: #8a4b00",
    "damaged": "background-color: #ffcdd2; color: #8e0000",
}

runtime = current_runtime()
actor = current_actor(runtime)
assistant, records = runtime.assistant, runtime.records
today = assistant.clock()

page_header("Portfolio", f"{actor.name}'s strategic accounts as of {today}")
show_flashes()

summaries = records.accounts.list(actor=actor, limit=200)
if not summaries:
    st.info("No accounts in your portfolio yet. Load the demo with `samcoach demo` or import a CRM export.")
    st.stop()

with st.spinner("Reading health assessments and checking early-warning signals…"):
    history = {a.id: records.health.list(actor=actor, account_id=a.id) for a in summaries}
    warnings = {a.id: assistant.early_warnings(actor, a.id) for a in summaries}
    details = [records.accounts.get(actor=actor, account_id=a.id) for a in summaries]

frame = views.portfolio_frame(summaries, history, warnings, today=today)

counts = frame["Health"].value_counts()
top = st.columns(5)
top[0].metric("Accounts", len(frame))
top[1].metric("Annual revenue", money(float(frame["Revenue"].sum())))
top[2].metric("Strong", int(counts.get("strong", 0)))
top[3].metric("Vulnerable or damaged", int(counts.get("vulnerable", 0) + counts.get("damaged", 0)))
top[4].metric("High-severity warnings", int(frame["High"].sum()))

table = views.portfolio_table(frame)
st.dataframe(
    table.style.map(lambda v: HEALTH_CELL.get(v, ""), subset=["Health"]),
    hide_index=True,
    width="stretch",
    column_config={
        "Account": st.column_config.TextColumn(width="medium"),
        "Revenue ($M)": st.column_config.NumberColumn(format="%.1f"),
        "Gross profit ($M)": st.column_config.NumberColumn(format="%.2f"),
        "Growth": st.column_config.NumberColumn(format="%d / 5", help="growth potential"),
        "Contract end": st.column_config.DateColumn(),
        "Months left": st.column_config.NumberColumn(help="until the contract ends"),
        "Warnings": st.column_config.TextColumn(help="early-warning signals (high severity)"),
    },
)

left, right = st.columns(2)
with left:
    chart(charts.zone_heatmap(views.zone_matrix(summaries, history)), key="zones")
with right:
    chart(charts.portfolio_matrix(frame), key="matrix")

chart(charts.contract_timeline(views.contract_timeline_frame(details), today), key="contracts")
st.caption(
    "Renewal conversations start about 24 months before a contract ends (shaded); an account inside its window "
    "with no renewal conversation logged is flagged below."
)

st.subheader("Early-warning flags", anchor=False)
for account in summaries:
    badges = " ".join(
        f":{SEVERITY_BADGE[severity.value]}-badge[{label}]"
        for label, severity in views.flag_badges(warnings[account.id])
    )
    st.markdown(f"**{account.name}** &nbsp; {badges or ':green-badge[no flags]'}")
st.caption("Red: high severity · orange: medium · grey: low. Open an account below for the evidence.")

for account in summaries:
    found = warnings[account.id]
    row = frame[frame["id"] == account.id].iloc[0]
    title = f"{account.name} — {row['Health']}, {len(found)} warning{'s' if len(found) != 1 else ''}"
    with st.expander(title, expanded=False):
        st.markdown(f"{health_badge(row['Health'])} trend {row['Trend']} · {account.industry}")
        for warning in found:
            show_warning(warning)
        if not found:
            st.caption("No early-warning signals.")
        if st.button("Open the account workspace", key=f"open-{account.id}", icon=":material/arrow_forward:"):
            st.session_state[SELECTED_ACCOUNT] = account.id
            st.switch_page("screens/account.py")
