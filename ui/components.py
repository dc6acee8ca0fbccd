"""Streamlit pieces several pages share: readable errors, the account picker, citations, warning and proposal
cards, one-shot messages across a rerun. Layout only; the data comes from the facade and `views.py`."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import streamlit as st
from pydantic import ValidationError

from assistant.records.errors import InvalidInput, RecordsError
from ui import views

if TYPE_CHECKING:
    from assistant.citations import Citation
    from assistant.drafting.signal_types import EarlyWarning
    from assistant.proposals.service import ProposalOut
    from assistant.records.actor import Actor
    from assistant.records.schemas import AccountSummary
    from assistant.service import AssistantService

log = logging.getLogger("samcoach.ui")
P = ParamSpec("P")
T = TypeVar("T")

SELECTED_ACCOUNT = "selected_account_id"
COACH_PAGE = "screens/coach.py"
COACH_SCOPE = "coach_scope"
COACH_CONVERSATION = "coach_conversation"
COACH_PREFILL = "coach_prefill"
PORTFOLIO_SCOPE = NEW_CONVERSATION = 0
FLASH = "flash_messages"
HEALTH_BADGE = {"strong": "green", "vulnerable": "orange", "damaged": "red"}
SEVERITY_BADGE = {"high": "red", "medium": "orange", "low": "gray"}
STATUS_BADGE = {"pending": "blue", "applied": "green", "rejected": "gray", "failed": "red"}


def readable(exc: BaseException) -> str:
    """The sentence a user sees for an error: what the records layer said, or the first validation problem."""
    if isinstance(exc, ValidationError):
        return str(InvalidInput.from_validation(exc))
    text = str(exc).strip() or exc.__class__.__name__
    return text[:1].upper() + text[1:]


def show_error(action: str, exc: BaseException) -> None:
    """A failure as one readable message. Errors a user can cause say what to change; anything else is logged
    with its traceback for the operator and shown as a short apology, never as a stack trace."""
    if isinstance(exc, RecordsError | ValueError | ValidationError):
        st.error(f"{action}: {readable(exc)}", icon=":material/error:")
        return
    log.exception("%s", action)
    st.error(
        f"{action}: something went wrong ({exc.__class__.__name__}: {readable(exc)}). "
        "The details are in the server log.",
        icon=":material/error:",
    )


def attempt(action: str, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T | None:
    """Call `fn`; on failure show the error and return None."""
    try:
        return fn(*args, **kwargs)
    except Exception as exc:
        show_error(action, exc)
        return None


def flash(message: str, kind: str = "success") -> None:
    """A message that survives the rerun that follows a button click."""
    st.session_state.setdefault(FLASH, []).append((kind, message))


def show_flashes() -> None:
    for kind, message in st.session_state.pop(FLASH, []):
        {"success": st.success, "warning": st.warning, "error": st.error}.get(kind, st.info)(message)


def apply_pending(key: str) -> bool:
    """A widget's value can only be set before the widget is drawn; code that wants to change it after stores
    the new value under `<key>__pending`, reruns, and this moves it in place. True if there was one."""
    pending = f"{key}__pending"
    if pending in st.session_state:
        st.session_state[key] = st.session_state.pop(pending)
        return True
    return False


def open_coach_with(question: str) -> None:
    """Open a new portfolio-wide conversation on the coach page with `question` ready to edit and send."""
    st.session_state[COACH_PREFILL] = question
    st.session_state[f"{COACH_SCOPE}__pending"] = PORTFOLIO_SCOPE
    st.session_state[f"{COACH_CONVERSATION}__pending"] = NEW_CONVERSATION
    st.switch_page(COACH_PAGE)


def account_picker(accounts: Sequence[AccountSummary], *, key: str, label: str = "Account") -> int | None:
    """One account of the portfolio; the choice follows the user from page to page."""
    if not accounts:
        st.info("No accounts in your portfolio yet. Load the demo with `samcoach demo` or import a CRM export.")
        return None
    ids = [a.id for a in accounts]
    names = {a.id: a.name for a in accounts}
    shared = st.session_state.get(SELECTED_ACCOUNT)
    # A choice made on another page (or the portfolio's "open" button) wins over this widget's last value.
    if shared in ids and st.session_state.get(key) != shared:
        st.session_state[key] = shared
    elif st.session_state.get(key) not in ids:
        st.session_state[key] = ids[0]

    def remember() -> None:
        st.session_state[SELECTED_ACCOUNT] = st.session_state[key]

    chosen: int = st.selectbox(label, ids, format_func=names.__getitem__, key=key, on_change=remember)
    st.session_state[SELECTED_ACCOUNT] = chosen
    return chosen


def health_badge(status: str | None) -> str:
    if not status or status not in HEALTH_BADGE:
        return ":gray-badge[not assessed]"
    return f":{HEALTH_BADGE[status]}-badge[{status}]"


def show_citations(
    citations: Sequence[Citation], *, label: str = "Sources", expanded: bool = False, numbered: bool = False
) -> None:
    if not citations:
        return
    with st.expander(f"{label} ({len(citations)})", icon=":material/format_quote:", expanded=expanded):
        for number, citation in enumerate(citations, start=1):
            prefix = f"[{number}] " if numbered else ""
            st.markdown(f"{prefix}**{views.citation_title(citation)}** · _{views.citation_source(citation)}_")
            if citation.excerpt:
                excerpt = citation.excerpt.strip()
                st.caption(excerpt if len(excerpt) <= 600 else excerpt[:599] + "…")


def show_flagged(citations: Sequence[Citation]) -> None:
    for citation in citations:
        st.warning(
            f"**Flagged passage:** {views.citation_title(citation)} contains text that reads like instructions to "
            "the assistant. It was treated as data and not obeyed; check it before relying on it.",
            icon=":material/gpp_maybe:",
        )


def show_warning(warning: EarlyWarning) -> None:
    badge = SEVERITY_BADGE.get(warning.severity.value, "gray")
    label = views.FLAG_LABELS.get(warning.rule, warning.rule.value)
    st.markdown(f":{badge}-badge[{warning.severity.value}] :gray-badge[{label}] **{warning.title}**")
    st.caption(warning.detail)
    with st.popover("Evidence", icon=":material/format_quote:"):
        for citation in [*warning.citations, warning.curriculum]:
            st.markdown(f"**{views.citation_title(citation)}**")
            if citation.excerpt:
                st.caption(citation.excerpt[:400])


def proposal_card(proposal: ProposalOut, *, assistant: AssistantService, actor: Actor) -> None:
    """A proposed record change: what, why, the field-by-field diff, the evidence, and the decision buttons.
    Nothing changes in the records until Approve."""
    with st.container(border=True):
        kind = proposal.kind.value.replace("_", " ")
        status = proposal.status.value
        st.markdown(
            f":{STATUS_BADGE.get(status, 'gray')}-badge[{status}] :violet-badge[{kind}] "
            f"**Proposal #{proposal.id}:** {proposal.summary}"
        )
        if proposal.rationale:
            st.caption(proposal.rationale)
        diff = views.proposal_diff_frame(proposal)
        if not diff.empty:
            st.dataframe(diff, hide_index=True, width="stretch")
        show_citations(proposal.citations, label="Evidence")
        if proposal.error:
            st.caption(f"Note: {proposal.error}")
        if status != "pending":
            return
        buttons = st.container(horizontal=True)
        if buttons.button("Approve", key=f"approve-{proposal.id}", type="primary", icon=":material/check:"):
            decided = attempt("Approving the change failed", assistant.approve, actor, proposal.id)
            if decided is not None:
                if decided.status.value == "applied":
                    flash(f"Proposal #{proposal.id} approved: the record was updated.")
                else:
                    flash(f"Proposal #{proposal.id} could not be applied: {decided.error}", "error")
                st.rerun()
        if buttons.button("Reject", key=f"reject-{proposal.id}", icon=":material/close:"):
            decided = attempt("Rejecting the change failed", assistant.reject, actor, proposal.id, "rejected in the UI")
            if decided is not None:
                flash(f"Proposal #{proposal.id} rejected: nothing was changed.", "warning")
                st.rerun()


def money(value: float | None) -> str:
    if value is None:
        return "—"
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= limit:
            return f"${value / limit:.1f}{suffix}"
    return f"${value:,.0f}"


def page_header(title: str, caption: str | None = None) -> None:
    st.header(title, anchor=False)
    if caption:
        st.caption(caption)


def column_config_for(frame_columns: Sequence[str]) -> dict[str, Any]:
    """Money and dates formatted the same way on every table."""
    config: dict[str, Any] = {}
    for name in frame_columns:
        if name in ("Revenue", "Gross profit", "Value"):
            config[name] = st.column_config.NumberColumn(name, format="dollar")
        elif name == "id":
            config[name] = None
    return config


def chart(figure: Any, *, key: str) -> None:
    """A plotly figure without the floating toolbar, which covers titles and legends on narrow columns."""
    st.plotly_chart(figure, key=key, config={"displayModeBar": False, "displaylogo": False})
