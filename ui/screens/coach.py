"""Coach chat: conversations per account (or portfolio-wide) kept in the database, streamed answers with the
tool activity as it happens, citations, flagged passages, and proposed record changes to approve or reject."""

from __future__ import annotations

from collections.abc import Iterator

import streamlit as st

from assistant.conversations.models import MessageRole
from assistant.conversations.service import MessageOut
from ui import views
from ui.chat import TurnLog, history_activity, number_refs
from ui.components import (
    COACH_CONVERSATION,
    COACH_PREFILL,
    COACH_SCOPE,
    NEW_CONVERSATION,
    PORTFOLIO_SCOPE,
    SELECTED_ACCOUNT,
    apply_pending,
    attempt,
    page_header,
    proposal_card,
    show_citations,
    show_error,
    show_flagged,
    show_flashes,
)
from ui.runtime import current_actor, current_runtime

FLAGGED_KEY = "coach_flagged"
LAST_SCOPE_KEY = "coach_last_scope"
PORTFOLIO, NEW = PORTFOLIO_SCOPE, NEW_CONVERSATION  # option values of the two pickers

runtime = current_runtime()
actor = current_actor(runtime)
assistant, records = runtime.assistant, runtime.records

page_header(
    "Coach chat",
    "The coach reads your records and the curriculum, cites what it says, and proposes record changes for you "
    "to approve: nothing changes until you do.",
)
show_flashes()
apply_pending(COACH_SCOPE)
conversation_chosen = apply_pending(COACH_CONVERSATION)

accounts = records.accounts.list(actor=actor, limit=200)
names = {PORTFOLIO: "Whole portfolio", **{a.id: a.name for a in accounts}}
if st.session_state.get(COACH_SCOPE) not in names:
    st.session_state[COACH_SCOPE] = st.session_state.get(SELECTED_ACCOUNT) or PORTFOLIO
    if st.session_state[COACH_SCOPE] not in names:
        st.session_state[COACH_SCOPE] = PORTFOLIO

scope_col, conversation_col, new_col = st.columns([2, 4, 1], vertical_alignment="bottom")
scope = scope_col.selectbox("About", list(names), format_func=names.__getitem__, key=COACH_SCOPE)
account_id = scope or None
past = [c for c in assistant.conversations_of(actor, account_id=account_id) if c.account_id == account_id]
titles = {NEW: "New conversation"} | {c.id: views.conversation_label(c.title, c.updated_at.date(), c.id) for c in past}
# A new scope opens its latest conversation, unless code just chose one (a new one from the Learn page).
scope_changed = st.session_state.get(LAST_SCOPE_KEY, scope) != scope
st.session_state[LAST_SCOPE_KEY] = scope
if st.session_state.get(COACH_CONVERSATION) not in titles or (scope_changed and not conversation_chosen):
    st.session_state[COACH_CONVERSATION] = past[0].id if past else NEW
conversation_id = conversation_col.selectbox(
    f"Conversation ({len(past)} saved)", list(titles), format_func=titles.__getitem__, key=COACH_CONVERSATION
)
if new_col.button("New", icon=":material/add_comment:", help="start a new conversation", width="stretch"):
    st.session_state[f"{COACH_CONVERSATION}__pending"] = NEW
    st.rerun()


def render_message(message: MessageOut) -> None:
    with st.chat_message(message.role.value):
        if message.role is MessageRole.USER:
            st.markdown(message.content)
            return
        activity = history_activity(message.tool_calls)
        if activity:
            with st.expander(f"Activity: {len(activity)} step{'s' if len(activity) != 1 else ''}"):
                st.markdown("\n".join(f"- {line}" for line in activity))
        text, sources = number_refs(message.content, message.citations)
        if message.error:
            st.error(message.error, icon=":material/error:")
        else:
            st.markdown(text)
        show_flagged(st.session_state.get(FLAGGED_KEY, {}).get(message.id, []))
        show_citations(sources, numbered=True)
        for proposal_id in message.proposal_ids:
            proposal = attempt(f"Reading proposal #{proposal_id} failed", assistant.proposal, actor, proposal_id)
            if proposal is not None:
                proposal_card(proposal, assistant=assistant, actor=actor)


def stream_turn(conversation: int, text: str) -> bool:
    """Run one turn, showing tokens and tool activity as they arrive. False if it could not run at all."""
    log = TurnLog()
    with st.chat_message("assistant"):
        status = st.status("Thinking…", expanded=True)

        def tokens() -> Iterator[str]:
            for event in assistant.chat(actor, conversation, text):
                piece = log.feed(event)
                if event.type == "tool_start":
                    status.update(label=log.status_label)
                elif event.type == "tool_end":
                    status.markdown(f":material/check: {log.activity[-1]}")
                    status.update(label="Thinking…")
                if piece:
                    yield piece

        try:
            st.write_stream(tokens)
        except Exception as exc:
            status.update(label="The coach could not answer", state="error", expanded=False)
            show_error("The coach could not answer", exc)
            return False
        status.update(label=log.status_label, state="error" if log.error else "complete", expanded=False)
        if log.error:
            st.error(log.error, icon=":material/error:")
        show_flagged(log.flagged)
    if log.message is not None and log.flagged:
        st.session_state.setdefault(FLAGGED_KEY, {})[log.message.id] = log.flagged
    return True


messages: list[MessageOut] = []
if conversation_id != NEW:
    found = attempt("Opening the conversation failed", assistant.conversation, actor, conversation_id)
    messages = found.messages if found is not None else []
for message in messages:
    render_message(message)

prompt: str | None = None
prefill = st.session_state.get(COACH_PREFILL)
if prefill:
    with st.container(border=True):
        st.markdown("**A question about your lesson** — edit it if you like, then ask.")
        edited = st.text_area("Question", value=prefill, key="coach_prefill_text", label_visibility="collapsed")
        buttons = st.container(horizontal=True)
        if buttons.button("Ask the coach", type="primary", key="coach_prefill_send"):
            prompt = edited
            del st.session_state[COACH_PREFILL]
        if buttons.button("Dismiss", key="coach_prefill_dismiss"):
            del st.session_state[COACH_PREFILL]
            st.rerun()
elif not messages:
    subject = names[scope]
    examples = (
        [
            f"What should I worry about at {subject}?",
            f"Who should I meet next at {subject}, and why?",
            f"How is {subject} doing against its charter targets?",
        ]
        if account_id
        else [
            "Which of my accounts needs attention first?",
            "How do I build a relationship with a new CEO at a client?",
            "What belongs in a partnership charter?",
        ]
    )
    st.caption("Try one of these, or type your own question below.")
    for number, example in enumerate(examples):
        if st.button(example, key=f"coach-example-{number}", icon=":material/lightbulb:"):
            prompt = example

typed = st.chat_input(f"Ask the coach about {names[scope] if account_id else 'your portfolio or the craft'}…")
prompt = typed or prompt
if prompt and prompt.strip():
    if conversation_id == NEW:
        started = attempt(
            "Starting the conversation failed", assistant.start_conversation, actor, account_id=account_id
        )
        if started is None:
            st.stop()
        conversation_id = started.id
    with st.chat_message("user"):
        st.markdown(prompt)
    st.session_state[f"{COACH_CONVERSATION}__pending"] = conversation_id
    if stream_turn(conversation_id, prompt):
        # Show the turn as it was saved, with its proposal cards and their buttons.
        st.rerun()
