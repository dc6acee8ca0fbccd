"""Account workspace: overview, stakeholder map, charter versions, metrics, notes, plan and health history of
one account."""

from __future__ import annotations

import streamlit as st

from ui import charts, views
from ui.components import (
    account_picker,
    attempt,
    chart,
    column_config_for,
    health_badge,
    money,
    page_header,
    show_citations,
    show_flashes,
    show_warning,
)
from ui.runtime import current_actor, current_runtime

runtime = current_runtime()
actor = current_actor(runtime)
assistant, records = runtime.assistant, runtime.records
today = assistant.clock()

page_header("Account workspace")
show_flashes()
account_id = account_picker(records.accounts.list(actor=actor, limit=200), key="workspace_account")
if account_id is None:
    st.stop()
account = records.accounts.get(actor=actor, account_id=account_id)
people = records.stakeholders.list(actor=actor, account_id=account_id, include_inactive=True)
assessments = records.health.list(actor=actor, account_id=account_id)

tabs = st.tabs(["Overview", "Stakeholders", "Charter", "Metrics", "Notes", "Plan", "Health"])

with tabs[0]:
    mine, theirs = views.ours(assessments), views.customers(assessments)
    cols = st.columns(5)
    cols[0].metric("Annual revenue", money(account.annual_revenue))
    cols[1].metric("Gross profit", money(account.gross_profit))
    cols[2].metric("Growth potential", f"{account.growth_potential} / 5")
    months = views.months_until(today, account.contract_end)
    cols[3].metric(
        "Contract ends",
        account.contract_end.strftime("%b %Y") if account.contract_end else "—",
        f"in {months} months" if months is not None else None,
        delta_color="off",
        delta_arrow="off",
        help=str(account.contract_end or "no end date recorded"),
    )
    cols[4].metric("Tier", account.tier)
    left, right = st.columns([3, 2])
    with left:
        st.markdown(
            f"**{account.industry}**{' · ' + account.segment if account.segment else ''} · "
            f"executive sponsor: {account.executive_sponsor or 'none named'} · "
            f"{'mutually agreed strategic account' if account.mutual_agreement else 'not yet agreed as strategic'}"
        )
        if account.description:
            st.write(account.description)
    with right:
        our_view = mine[0].overall.value if mine else None
        their_view = theirs[0].overall.value if theirs else None
        st.markdown(
            f"Our view: {health_badge(our_view)} "
            f"{'(' + str(mine[0].assessed_on) + ')' if mine else ''}  \n"
            f"Customer's view: {health_badge(their_view)} {'(' + str(theirs[0].assessed_on) + ')' if theirs else ''}"
            f"  \nTrend: {views.TREND_MARK[views.health_trend(assessments)]}"
        )
        if mine and mine[0].summary:
            st.caption(mine[0].summary)
    st.subheader("Early warnings", anchor=False)
    with st.spinner("Checking early-warning signals…"):
        warnings = attempt("Checking early-warning signals failed", assistant.early_warnings, actor, account_id) or []
    for warning in warnings:
        show_warning(warning)
    if not warnings:
        st.success("No early-warning signals on this account.")

with tabs[1]:
    frame = views.stakeholder_frame(people)
    # The same gap rules the coach and the meeting brief use.
    for gap in assistant.stakeholder_gaps(actor, account_id):
        st.warning(gap.text, icon=":material/person_search:")
    map_col, side_col = st.columns([3, 2])
    with map_col:
        chart(charts.stakeholder_map(frame), key="stakeholder-map")
    with side_col:
        counts = views.stance_counts(people)
        st.markdown("**Stances:** " + " · ".join(f"{stance} {n}" for stance, n in counts.items()))
        st.markdown("**Our team on the account**")
        st.markdown("\n".join(f"- {line}" for line in views.team_lines(people)) or "_Nobody recorded._")
        st.markdown("**People who left**")
        st.markdown("\n".join(f"- {line}" for line in views.departed_lines(people)) or "_Nobody has left._")
    st.dataframe(frame, hide_index=True, width="stretch", column_config=column_config_for(list(frame.columns)))
    coverage = records.stakeholders.list_coverage(actor=actor, account_id=account_id)
    if coverage:
        with st.expander(f"Relationship coverage ({len(coverage)} relationships)"):
            st.dataframe(
                [
                    {
                        "Our person": c.team_member_name,
                        "Their person": c.stakeholder_name,
                        "Access": c.access,
                        "Influence": c.influence,
                        "Support": c.support,
                        "Since": c.started_on,
                    }
                    for c in coverage
                ],
                hide_index=True,
                width="stretch",
            )

with tabs[2]:
    versions = records.charters.list_versions(actor=actor, account_id=account_id)
    if not versions:
        st.info("No partnership charter yet. Ask the coach to draft one from what the records show.")
    else:
        by_number = {v.version: v for v in versions}
        numbers = sorted(by_number)
        current = records.charters.current(actor=actor, account_id=account_id) or by_number[numbers[-1]]
        level, sentence = views.review_status(current, today)
        {"error": st.error, "warning": st.warning}.get(level, st.info)(
            f"Current charter {views.charter_label(current)}. {sentence}"
        )
        pick_left, pick_right = st.columns(2)
        older = pick_left.selectbox(
            "Compare version",
            numbers,
            index=max(0, len(numbers) - 2),
            format_func=lambda n: views.charter_label(by_number[n]),
            key=f"charter_left_{account_id}",
        )
        newer = pick_right.selectbox(
            "with version",
            numbers,
            index=len(numbers) - 1,
            format_func=lambda n: views.charter_label(by_number[n]),
            key=f"charter_right_{account_id}",
        )
        left_charter, right_charter = by_number[older], by_number[newer]
        if older == newer:
            only_changed = False
            st.caption("Pick two different versions to see what changed.")
        else:
            only_changed = st.toggle("Only the clauses that changed", value=True, key="charter_only_changed")
        if only_changed:
            diff = records.charters.diff(actor=actor, account_id=account_id, from_version=older, to_version=newer)
            rows = views.diff_frame(diff)
            st.markdown(f"**{len(rows)} clauses changed from v{older} to v{newer}**")
        else:
            rows = views.charter_side_by_side(left_charter, right_charter)
        head = st.columns(2)
        head[0].markdown(f"**v{older}** · {left_charter.status.value}")
        head[1].markdown(f"**v{newer}** · {right_charter.status.value}")
        for row in rows.itertuples(index=False):
            badge = {"added": "green", "removed": "red", "changed": "orange"}.get(row.Change, "")
            st.markdown(f"**{row.Clause}** " + (f":{badge}-badge[{row.Change}]" if badge else ""))
            before, after = st.columns(2)
            before.markdown(row.Before or "_(not in this version)_")
            after.markdown(row.After or "_(not in this version)_")
        if right_charter.change_reason:
            st.caption(f"Reason for v{right_charter.version}: {right_charter.change_reason}")
        st.markdown(f"**Signatories of v{right_charter.version}**")
        st.dataframe(views.signatory_frame(right_charter), hide_index=True, width="stretch")

with tabs[3]:
    series = records.metrics.series(actor=actor, account_id=account_id)
    if not series:
        st.info("No success metrics recorded for this account.")
    grid = st.columns(2)
    for index, metric in enumerate(series):
        with grid[index % 2]:
            chart(
                charts.metric_chart(
                    views.metric_frame(metric), title=metric.metric.name, unit=metric.metric.unit, target=metric.target
                ),
                key=f"metric-{metric.metric.id}",
            )
            st.caption(views.metric_caption(metric))

with tabs[4]:
    search_col, mode_col = st.columns([3, 1])
    query = search_col.text_input("Search the notes", key="notes_query", placeholder="e.g. renewal, CFO, trial")
    semantic = mode_col.toggle("Search by meaning", key="notes_semantic", help="semantic search over the index")
    if query.strip() and semantic:
        hits = attempt("Searching the notes failed", assistant.search, actor, query, k=8, account_id=account_id)
        hits = [c for c in hits or [] if c.kind.value == "note"]
        st.caption(f"{len(hits)} notes match “{query}” by meaning.")
        show_citations(hits, label="Matching notes", expanded=True)
    else:
        notes = records.notes.list(actor=actor, account_id=account_id, text=query.strip() or None, limit=200)
        notes_table = views.notes_frame(notes)
        chart(charts.notes_timeline(notes_table), key="notes-timeline")
        caption = f"{len(notes)} notes" + (f" containing “{query}”" if query.strip() else "")
        st.caption(caption)
        st.dataframe(
            notes_table,
            hide_index=True,
            width="stretch",
            column_config={
                "Note": st.column_config.TextColumn(width="large"),
                "Date": st.column_config.DateColumn(width="small"),
                "id": None,
            },
        )

with tabs[5]:
    actions = records.actions.list_open(actor=actor, account_id=account_id)
    st.markdown(f"**Open action items** ({len(actions)})")
    st.dataframe(
        views.actions_frame(actions, people, today),
        hide_index=True,
        width="stretch",
        column_config={"Action": st.column_config.TextColumn(width="large")},
    )
    opportunities = records.opportunities.list(actor=actor, account_id=account_id)
    st.markdown(f"**Opportunities** ({len(opportunities)}, {money(sum(o.estimated_value for o in opportunities))})")
    opp_frame = views.opportunities_frame(opportunities)
    st.dataframe(opp_frame, hide_index=True, width="stretch", column_config=column_config_for(list(opp_frame.columns)))
    # Every offering sold anywhere in the portfolio is a column, so what this account does not buy shows as blank.
    offerings = sorted(
        {
            o.offering
            for other in records.accounts.list(actor=actor, limit=200)
            for o in records.opportunities.list(actor=actor, account_id=other.id)
            if o.offering
        }
    )
    st.markdown("**Whitespace map** (buying centre × offering; blank cells are whitespace)")
    st.dataframe(views.whitespace_frame(opportunities, people, offerings), width="stretch")

with tabs[6]:
    history = views.health_history_frame(assessments)
    if history.empty:
        st.info("No health assessments yet. Ask the coach for an evidence-based assessment.")
    else:
        left, right = st.columns(2)
        with left:
            chart(charts.health_history_chart(history), key="health-history")
        with right:
            chart(charts.zone_comparison_chart(views.zone_comparison_frame(assessments)), key="zone-gap")
            if not views.customers(assessments):
                st.caption("No customer assessment on record: ask the customer to score the four zones too.")
        zone_cols = st.columns(4)
        for column, zone in zip(zone_cols, views.ZONES, strict=True):
            with column:
                chart(charts.zone_history_chart(history, zone.value.capitalize()), key=f"zone-{zone.value}")
        st.dataframe(
            history.drop(columns=["Rank"]),
            hide_index=True,
            width="stretch",
            column_config={"Assessor": st.column_config.TextColumn(width="medium")},
        )
