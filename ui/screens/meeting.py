"""Prepare a meeting: pick the account, the people and the date; get a cited brief (what changed, risks,
questions for each person with the reason and the evidence), edit it, export it as Markdown or Word."""

from __future__ import annotations

import re
from datetime import timedelta

import streamlit as st

from assistant.drafting.models import MeetingBrief, Question
from assistant.drafting.render import to_docx, to_markdown
from assistant.records.enums import Side
from ui.components import (
    account_picker,
    page_header,
    show_citations,
    show_error,
    show_flashes,
    show_warning,
)
from ui.exports import markdown_to_docx
from ui.runtime import current_actor, current_runtime

BRIEF_KEY = "meeting_brief"
TEXT_KEY = "meeting_markdown"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

runtime = current_runtime()
actor = current_actor(runtime)
assistant, records = runtime.assistant, runtime.records
today = assistant.clock()

page_header("Prepare a meeting", "A brief drawn from the records: every line cites its evidence.")
show_flashes()

account_col, who_col, when_col, go_col = st.columns([2, 3, 1.2, 1.2], vertical_alignment="bottom")
with account_col:
    account_id = account_picker(records.accounts.list(actor=actor, limit=200), key="meeting_account")
if account_id is None:
    st.stop()
people = [
    p for p in records.stakeholders.list(actor=actor, account_id=account_id) if p.side is Side.CLIENT and p.is_active
]
labels = {p.id: f"{p.name} — {p.title or 'no title'}" for p in people}
attendees = who_col.multiselect(
    "Who are you meeting?",
    list(labels),
    format_func=labels.__getitem__,
    key=f"meeting_people_{account_id}",
    placeholder="Everyone who matters (leave empty)",
)
meeting_date = when_col.date_input(
    "Meeting date", value=today + timedelta(days=7), min_value=today, key="meeting_date", format="YYYY-MM-DD"
)
draft = go_col.button("Draft the brief", type="primary", icon=":material/edit_note:", width="stretch")

if draft:
    progress = st.empty()
    failure: Exception | None = None
    with progress.status("Drafting the meeting brief…", expanded=True) as status:
        st.write("Reading notes, stakeholders, metrics, health and open commitments…")
        try:
            brief = assistant.meeting_brief(
                actor, account_id, stakeholder_ids=list(attendees) or None, meeting_date=meeting_date
            )
        except Exception as exc:
            failure = exc
            status.update(label="The brief could not be drafted", state="error", expanded=False)
    if failure is not None:
        show_error("Drafting the brief failed", failure)
        st.stop()
    progress.empty()
    st.session_state[BRIEF_KEY] = brief
    st.session_state[TEXT_KEY] = to_markdown(brief)

shown: MeetingBrief | None = st.session_state.get(BRIEF_KEY)
if shown is None or shown.account_id != account_id:
    st.info("Choose the people and the date, then draft the brief.")
    st.stop()

st.subheader(f"{shown.title}: {shown.account_name}", anchor=False)
st.caption(
    f"Meeting on {shown.meeting_date} with {', '.join(shown.attendees) or 'the key people'} · "
    f"generated {shown.generated_on} · prose: {shown.writer} · evidence used: {shown.evidence_used} records"
)
for gap in shown.gaps:
    st.warning(f"Gap in the evidence: {gap}")

read_tab, questions_tab, export_tab = st.tabs(["Brief", f"Questions ({len(shown.questions)})", "Edit and export"])

with read_tab:
    for section in shown.sections:
        if section.key == "questions":
            continue
        st.markdown(f"#### {section.title}")
        if section.key == "warnings" and shown.warnings:
            for warning in shown.warnings:
                show_warning(warning)
        else:
            for claim in section.claims:
                st.markdown(f"- {claim.text}")
            if not section.claims:
                st.caption("Nothing found in the records for this section.")
        if section.missing:
            st.caption("Missing: " + "; ".join(section.missing))
        show_citations([c for claim in section.claims for c in claim.citations], label="Evidence")

with questions_tab:
    by_person: dict[str, list[Question]] = {}
    for question in shown.questions:
        by_person.setdefault(question.to, []).append(question)
    for person, questions in by_person.items():
        st.markdown(f"#### To {person}")
        for question in questions:
            with st.container(border=True):
                st.markdown(f"**“{question.question}”**")
                st.caption(f"Why: {question.why}")
                show_citations([*question.citations, question.curriculum], label="Evidence")

with export_tab:
    original = to_markdown(shown)
    if TEXT_KEY not in st.session_state:  # widget state is dropped while the user is on another page
        st.session_state[TEXT_KEY] = original
    text = st.text_area("The brief in Markdown (edit freely)", key=TEXT_KEY, height=420)
    edited = text.strip() != original.strip()
    slug = re.sub(r"[^a-z0-9]+", "-", shown.account_name.lower()).strip("-")
    name = f"meeting-brief-{slug}-{shown.meeting_date}"
    buttons = st.container(horizontal=True)
    buttons.download_button(
        "Download Markdown", text, file_name=f"{name}.md", mime="text/markdown", icon=":material/download:"
    )
    buttons.download_button(
        "Download Word (.docx)",
        markdown_to_docx(text) if edited else to_docx(shown),
        file_name=f"{name}.docx",
        mime=DOCX_MIME,
        icon=":material/description:",
    )
    if edited:
        st.caption("Both downloads include your edits.")
