"""Answers about one account's records, from the read tools' artifacts: every sentence carries its refs."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from assistant.agent.artifacts import (
    AccountsArtifact,
    ActionsArtifact,
    CharterArtifact,
    HealthHistoryArtifact,
    MetricsArtifact,
    OverviewArtifact,
    PassagesArtifact,
    StakeholdersArtifact,
    WarningsArtifact,
)
from assistant.agent.untrusted import looks_like_injection
from assistant.citations import Citation
from assistant.drafting.evidence import cite_account, cite_agreement, cite_assessment, cite_charter, cite_reading
from assistant.drafting.text import sentences
from assistant.offline.citing import Cite, clip, days_ago
from assistant.offline.questions import asks_question
from assistant.records.enums import Assessor, Side, Stance
from assistant.records.schemas import AccountOut, HealthAssessmentOut, StakeholderOut
from knowledge.lexical import tokenize

_SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
_HEALTH_RANK = {"strong": 2, "vulnerable": 1, "damaged": 0}
_STANCE_WORDS = {s.value: s for s in Stance}
MAX_NOTES_SHOWN = 5


def compose_accounts(artifact: AccountsArtifact, text: str, cite: Cite) -> str:
    accounts = artifact.accounts
    if not accounts:
        return "Your portfolio has no accounts yet."
    by_id = {c.id: c for c in artifact.citations}
    wanted = re.findall(r"\b(strong|vulnerable|damaged)\b", text.lower())
    if wanted:
        matching = [a for a in accounts if a.latest_health is not None and a.latest_health.value in wanted]
        head = f"Accounts in your portfolio whose latest health is {' or '.join(dict.fromkeys(wanted))}:"
        if not matching:
            return f"None of your {len(accounts)} accounts has that as its latest health reading."
        accounts = matching
    else:
        head = f"You have {len(accounts)} account{'s' if len(accounts) != 1 else ''} in your portfolio:"
    lines = [head]
    for a in accounts:
        health = a.latest_health.value if a.latest_health else "not assessed"
        ends = a.contract_end.isoformat() if a.contract_end else "no end date"
        lines.append(
            cite.line(
                f"- **{a.name}** — {a.industry}, tier {a.tier}, owner {a.owner_name}; contract ends {ends}; "
                f"latest health {health}.",
                by_id.get(str(a.id)),
            )
        )
    return "\n".join(lines)


def compose_overview(artifact: OverviewArtifact, today: date, cite: Cite, *, strategic: bool = False) -> str:
    """The account at a glance; asked whether it is still strategic, the answer to that comes first."""
    account = artifact.account
    if account is None:
        return ""
    record = cite_account(account)
    fit = _strategic_fit(account, cite) if strategic else ""
    money = f"annual revenue {account.annual_revenue:,.0f}"
    if account.gross_profit is not None:
        money += f", gross profit {account.gross_profit:,.0f}"
    lines = [
        cite.line(f"**{account.name}** — {account.industry}, tier {account.tier}, {money}.", record),
    ]
    if account.contract_end is not None:
        months = round((account.contract_end - today).days / 30.4)
        lines.append(cite.line(f"The contract ends on {account.contract_end} (about {months} months away).", record))
    if not strategic:
        agrees = "agrees" if account.mutual_agreement else "does not agree"
        lines.append(cite.line(f"The customer {agrees} that this is a strategic relationship.", record))
    lines += _health_lines(artifact.ours, artifact.customers, cite)
    if not strategic:  # the counts and the next step are for a status check, not for "is it still strategic?"
        actions = artifact.open_actions
        lines.append(
            cite.line(f"There are {actions} open action items.", *artifact.counted_actions)
            if actions
            else "There are no open action items."
        )
        latest = artifact.latest_note
        recent = f"{artifact.notes_last_90_days} notes from the last 90 days"
        lines.append(
            cite.line(f"There are {recent}, the latest on {latest.date}.", latest)
            if latest is not None
            else "There are no notes from the last 90 days."
        )
    # One claim a line: a statement of absence ("none recorded") never borrows the next line's citation.
    parts = [fit] if fit else []
    parts.append("\n".join(lines))
    if artifact.warnings:
        parts.append(_warning_list(artifact.warnings, cite))
    else:
        parts.append(cite.line("No early-warning rule fires on its records.", record))
    if not strategic:
        parts.append(f"Next: ask me to prepare a meeting brief or a quarterly review for {account.name}.")
    return "\n\n".join(parts)


def _strategic_fit(account: AccountOut, cite: Cite) -> str:
    """Whether the account is strategic, from what its record holds: the customer's agreement (a strategic
    relationship is one both sides call strategic) and the record's own description; the overview that follows
    adds its health, and its early warnings the notes that speak to it."""
    record = cite_account(account)
    relationship = f"{account.name} is a strategic relationship"
    if account.mutual_agreement:
        agreed = f"There is mutual agreement: the customer agrees that {relationship}."
    else:
        agreed = f"There is no mutual agreement: the customer does not agree that {relationship}."
    lines = [f"**Is {account.name} strategic?**", cite.line(agreed, cite_agreement(account))]
    if account.description:
        lines.append(cite.line(f"The account record says: {clip(account.description.strip(), 400)}", record))
    return "\n".join(lines)


def _health_lines(ours: HealthAssessmentOut | None, theirs: HealthAssessmentOut | None, cite: Cite) -> list[str]:
    lines = []
    for label, found in (("Our latest health assessment", ours), ("The customer's latest rating", theirs)):
        if found is None:
            lines.append(f"{label}: none recorded.")
            continue
        zones = ", ".join(f"{z.zone.value} {z.score}/5" for z in found.zones)
        lines.append(
            cite.line(f"{label} ({found.assessed_on}) is **{found.overall.value}** ({zones}).", cite_assessment(found))
        )
    if (
        ours is not None
        and theirs is not None
        and _HEALTH_RANK[theirs.overall.value] < _HEALTH_RANK[ours.overall.value]
    ):
        lines.append(
            cite.line(
                f"That is a perception gap: the customer rates the relationship {theirs.overall.value}, we rate it "
                f"{ours.overall.value}.",
                cite_assessment(ours),
                cite_assessment(theirs),
            )
        )
    return lines


def _warning_list(warnings: Sequence[Any], cite: Cite) -> str:
    ordered = sorted(warnings, key=lambda w: _SEVERITY_ORDER.get(str(getattr(w, "severity", "low")), 3))
    lines = [f"**Early warnings ({len(ordered)}):**"]
    for warning in ordered:
        severity = str(getattr(warning, "severity", ""))
        text = f"**{warning.title}** ({severity}): {warning.detail}".rstrip()
        text = text if text.endswith((".", "”", '"')) else f"{text}."
        lines.append("- " + cite_each_sentence(text, list(getattr(warning, "citations", [])), cite))
    return "\n".join(lines)


_SENTENCE_BREAK = re.compile(r"(?<=[.!?”])\s+(?=[A-Z“\"*(])")
# Words that frame a finding rather than state it: they say nothing about which record holds it.
_FRAME = frozenset(tokenize("note notes days ago recorded record high medium low yet last since per"))


def cite_each_sentence(text: str, citations: Sequence[Citation], cite: Cite) -> str:
    """Each sentence with the citations whose text it draws on (names, figures, words), rather than every
    sentence with all of them; a sentence no citation speaks to keeps them all (it sums them up)."""
    out = []
    for sentence in _SENTENCE_BREAK.split(text):
        quoted = [c for c in citations if c.excerpt and len(c.excerpt) > 20 and c.excerpt.strip() in sentence]
        words = set(tokenize(sentence)) - _FRAME
        shared = [(len(words & set(tokenize(f"{c.label} {c.excerpt or ''}"))), c) for c in citations]
        most = max((n for n, _ in shared), default=0)
        backing = quoted or [c for n, c in shared if n and n >= most - 1] or list(citations)
        out.append(cite.line(sentence, *backing))
    return " ".join(out)


def compose_warnings(artifact: WarningsArtifact, cite: Cite) -> str:
    """The warnings, after the health state they are read against: three warnings on a strong account and on a
    vulnerable one are not the same news."""
    name = artifact.account.name if artifact.account else "this account"
    health = ""
    if artifact.ours is not None:
        health = _health_lines(artifact.ours, None, cite)[0]
    if not artifact.warnings:
        record = cite_account(artifact.account) if artifact.account else None
        none = cite.line(f"No early-warning rule fires on the current records of {name}.", record)
        return "\n\n".join(p for p in (health, none) if p)
    high = sum(1 for w in artifact.warnings if str(getattr(w, "severity", "")) == "high")
    head = cite.line(
        f"{len(artifact.warnings)} early-warning signals fire on {name}'s records ({high} high severity).",
        cite_account(artifact.account) if artifact.account else None,
    )
    return "\n\n".join(
        [
            *([health] if health else []),
            head,
            _warning_list(artifact.warnings, cite).split("\n", 1)[1],
            f"Ask me to prepare a meeting brief for {name} to turn these into questions to ask.",
        ]
    )


def compose_stakeholders(
    artifact: StakeholdersArtifact, text: str, named: Sequence[str], today: date, cite: Cite
) -> str:
    name = artifact.account.name if artifact.account else "the account"
    by_id = {c.id: c for c in artifact.citations}
    people = artifact.stakeholders
    client = [p for p in people if p.side is Side.CLIENT and p.is_active]
    ours = [p for p in people if p.side is Side.SUPPLIER and p.is_active]
    gone = [p for p in people if not p.is_active]
    parts: list[str] = []
    focus = [p for p in people if p.name in named]
    wanted = [stance for word, stance in _STANCE_WORDS.items() if re.search(rf"\b{word}s?\b", text, re.I)]
    if focus:
        if wanted and asks_question(text):
            parts.append(" ".join(_stance_verdict(p, wanted, by_id, cite) for p in focus))
        parts.append("\n".join(_person_line(p, today, by_id, cite, bullet=False) for p in focus))
    else:
        if wanted:
            parts.append(_stance_answer(name, client, wanted, by_id, cite))
        elif re.search(r"\bdecision[- ]?makers?\b", text, re.I):
            makers = [p for p in client if p.decision_role is not None and p.decision_role.value == "decision_maker"]
            listed = "; ".join(cite.line(f"{p.name}, {p.title or 'no title'}", by_id.get(str(p.id))) for p in makers)
            parts.append(
                f"The decision-makers at {name}: {listed}." if makers else f"No decision-maker is on {name}'s map."
            )
    lines = [f"**Client side at {name}** (strongest first):"]
    lines += [_person_line(p, today, by_id, cite) for p in sorted(client, key=lambda p: (-p.power, p.name))]
    if ours:
        lines.append(
            "**Our team:** "
            + "; ".join(cite.line(f"{p.name} ({p.title or 'team'})", by_id.get(str(p.id))) for p in ours)
            + "."
        )
    if gone:
        lines.append(
            "**No longer there:** "
            + "; ".join(
                cite.line(f"{p.name}, {p.title or ''} (left {p.left_on or 'date unknown'})", by_id.get(str(p.id)))
                for p in gone
            )
            + "."
        )
    parts.append("\n".join(lines))
    if artifact.gaps:
        gap_lines = ["**Gaps in the map:**"]
        for gap in artifact.gaps:
            evidence = [by_id.get(str(p.id)) for p in client if p.name in gap] or [
                by_id.get(str(p.id)) for p in client[:3]
            ]
            gap_lines.append(cite.line(f"- {gap[:1].upper()}{gap[1:]}.", *evidence))
        parts.append("\n".join(gap_lines))
    return "\n\n".join(parts)


def _stance_verdict(p: StakeholderOut, wanted: Sequence[Stance], by_id: dict[str, Citation], cite: Cite) -> str:
    """The yes or no to "Is Raymond Cole a detractor?", from the stance on record."""
    asked = " or ".join(s.value for s in wanted)
    if p.stance in wanted:
        return cite.line(f"Yes: {p.name} is recorded as a {p.stance.value}.", by_id.get(str(p.id)))
    return cite.line(f"No: {p.name} is recorded as {p.stance.value}, not {asked}.", by_id.get(str(p.id)))


def _stance_answer(
    name: str, client: Sequence[StakeholderOut], wanted: Sequence[Stance], by_id: dict[str, Citation], cite: Cite
) -> str:
    sentences_out = []
    for stance in wanted:
        holders = [p for p in client if p.stance is stance]
        if holders:
            who = "; ".join(
                cite.line(f"{p.name}, {p.title or 'no title'} (power {p.power}/5)", by_id.get(str(p.id)))
                for p in holders
            )
            sentences_out.append(f"The {stance.value}{'s' if len(holders) > 1 else ''} at {name}: {who}.")
        else:
            evidence = [by_id.get(str(p.id)) for p in client[:3]]
            sentences_out.append(
                cite.line(f"No active client stakeholder at {name} is recorded as a {stance.value}.", *evidence)
            )
    return " ".join(sentences_out)


def _person_line(p: StakeholderOut, today: date, by_id: dict[str, Citation], cite: Cite, *, bullet: bool = True) -> str:
    role = p.decision_role.value.replace("_", " ") if p.decision_role else "no decision role"
    status = "" if p.is_active else f"; left {p.left_on or ''}".rstrip()
    text = (
        f"**{p.name}**, {p.title or 'no title'} ({p.department or 'no department'}): {role}, stance {p.stance.value}, "
        f"power {p.power}/5, interest {p.interest}/5, last contact {days_ago(p.last_contact_on, today)}, "
        f"relationship owner {p.owner_name or 'none'}{status}."
    )
    return cite.line(f"- {text}" if bullet else text, by_id.get(str(p.id)))


def compose_charter(artifact: CharterArtifact, cite: Cite) -> str:
    name = artifact.account.name if artifact.account else "the account"
    current, draft = artifact.current, artifact.draft
    parts = []
    if current is None:
        parts.append(f"{name} has no signed partnership charter. Ask me to propose a first draft.")
    else:
        c = cite_charter(current)
        review = f", next review due {current.next_review_due}" if current.next_review_due else ""
        lines = [
            cite.line(
                f"The signed partnership charter of {name} is version {current.version}, effective "
                f"{current.effective_on or 'date unknown'}{review}.",
                c,
            ),
            cite.line(f"**Purpose:** {clip(current.purpose, 300)}", c),
            cite.line(f"**What winning looks like for {name}:** {clip(current.customer_win, 300)}", c),
            cite.line(f"**What winning looks like for us:** {clip(current.supplier_win, 300)}", c),
        ]
        if current.commitments:
            lines.append(
                cite.line(
                    "**Commitments:** "
                    + "; ".join(
                        f"{'they' if x.party is Side.CLIENT else 'we'}: {clip(x.text.rstrip('.'), 140)}"
                        for x in current.commitments[:8]
                    )
                    + ".",
                    c,
                )
            )
        if current.targets:
            lines.append(
                cite.line(
                    "**Targets:** "
                    + "; ".join(f"{t.metric_name} {t.target:g} {t.unit}" for t in current.targets)
                    + ".",
                    c,
                )
            )
        if current.governance_cadence:
            lines.append(cite.line(f"**Governance:** {clip(current.governance_cadence, 200)}", c))
        if current.signatories:
            signed = ", ".join(f"{s.name} ({s.title or s.side.value})" for s in current.signatories)
            lines.append(cite.line(f"**Signatories:** {signed}.", c))
        parts.append("\n".join(lines))
    if draft is not None:
        parts.append(
            cite.line(
                f"A draft version {draft.version} ({draft.status.value}) is awaiting approval.", cite_charter(draft)
            )
        )
    return "\n\n".join(parts)


def compose_metrics(artifact: MetricsArtifact, cite: Cite) -> str:
    name = artifact.account.name if artifact.account else "the account"
    if not artifact.series:
        return f"No success metrics are recorded for {name}; the charter's targets need readings to be tracked."
    lines = [f"Key success metrics of {name} (last four readings):"]
    below = []
    for series in artifact.series:
        readings = series.readings[-4:]
        target = f"target {series.target:g} {series.metric.unit}" if series.target is not None else "no target"
        if not readings:
            lines.append(f"- **{series.metric.name}** ({target}): no readings yet.")
            continue
        cells = []
        for reading in readings:
            verdict = series.on_target(reading.value)
            mark = "" if verdict is None else (" ✓" if verdict else " ✗")
            cells.append(f"{reading.period} {reading.value:g}{mark}")
        run = series.periods_below_target()
        status = f" — below target the last {run} periods" if run >= 2 else (" — below target" if run == 1 else "")
        if run >= 2:
            below.append(series.metric.name)
        lines.append(
            cite.line(
                f"- **{series.metric.name}** ({target}): {', '.join(cells)}{status}.",
                *(cite_reading(series, r) for r in readings),
            )
        )
    if below:
        lines.append("")
        lines.append(
            f"Below target two periods or more: {', '.join(below)}. That is an early-warning signal "
            "worth raising with the customer before the next review."
        )
    return "\n".join(lines)


def _sentence(text: str) -> str:
    """An assessment's summary as one line: it says why the rating moved, which the zone scores alone do not."""
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else text + "."


def compose_health_history(artifact: HealthHistoryArtifact, cite: Cite) -> str:
    name = artifact.account.name if artifact.account else "the account"
    if not artifact.assessments:
        return f"No health assessment has been recorded for {name}. Ask me to assess its health."
    lines = [f"Health assessments of {name}, newest first:"]
    for a in artifact.assessments[:8]:
        zones = ", ".join(f"{z.zone.value} {z.score}/5" for z in a.zones)
        lines.append(
            cite.line(
                f"- {a.assessed_on}, by {a.assessor.value.replace('_', ' ')} ({a.assessor_name}): "
                f"**{a.overall.value}** — {zones}." + (f" {_sentence(a.summary)}" if a.summary.strip() else ""),
                cite_assessment(a),
            )
        )
    ours = [a for a in artifact.assessments if a.assessor is Assessor.SAM_LEADER]
    theirs = [a for a in artifact.assessments if a.assessor is Assessor.CUSTOMER]
    notes = []
    if len(ours) >= 2:
        trend = _HEALTH_RANK[ours[0].overall.value] - _HEALTH_RANK[ours[1].overall.value]
        word = "improved" if trend > 0 else ("worsened" if trend < 0 else "held steady")
        notes.append(
            cite.line(
                f"Our own rating {word}: {ours[1].overall.value} on {ours[1].assessed_on}, "
                f"{ours[0].overall.value} on {ours[0].assessed_on}.",
                cite_assessment(ours[1]),
                cite_assessment(ours[0]),
            )
        )
    if ours and theirs and _HEALTH_RANK[theirs[0].overall.value] < _HEALTH_RANK[ours[0].overall.value]:
        notes.append(
            cite.line(
                f"Perception gap: the customer's latest rating ({theirs[0].overall.value}) is worse "
                f"than ours ({ours[0].overall.value}).",
                cite_assessment(theirs[0]),
                cite_assessment(ours[0]),
            )
        )
    return "\n".join(lines) + ("\n\n" + " ".join(notes) if notes else "")


def compose_actions(artifact: ActionsArtifact, today: date, cite: Cite) -> str:
    name = artifact.account.name if artifact.account else "the account"
    if not artifact.actions:
        return f"There are no open action items at {name}."
    by_id = {c.id: c for c in artifact.citations}
    overdue = [a for a in artifact.actions if a.due_on is not None and a.due_on < today]
    lines = [
        f"{len(artifact.actions)} open action items at {name}" + (f", {len(overdue)} overdue:" if overdue else ":")
    ]
    for a in sorted(artifact.actions, key=lambda a: (a.due_on is None, a.due_on or today)):
        late = f" — overdue by {(today - a.due_on).days} days" if a.due_on is not None and a.due_on < today else ""
        lines.append(
            cite.line(
                f"- {a.title} — owner {a.owner}, due {a.due_on or 'unset'}{late} ({a.status.value.replace('_', ' ')}).",
                by_id.get(str(a.id)),
            )
        )
    return "\n".join(lines)


def compose_notes(artifact: PassagesArtifact, cite: Cite, *, question: bool = False) -> str:
    """The most relevant notes, each cited. For a question, first what none of them mentions: a search always
    returns the closest notes, which is not the same as a note that answers."""
    name = artifact.account.name if artifact.account else "the account"
    flagged = {c.ref for c in artifact.flagged}
    notes = list({c.ref: c for c in artifact.citations}.values())
    if not notes:
        return (
            f"I found no notes of {name} about “{artifact.query}”, so I don't have a record that answers this. "
            "Try other words, or log a note from your last conversation."
        )
    wanted = set(tokenize(artifact.query))
    lines = [f"Notes of {name} about “{artifact.query}”, most relevant first:"]
    unmentioned = _unmentioned(artifact.query, [n for n in notes if n.ref not in flagged]) if question else []
    if unmentioned:
        terms = " or ".join(f"“{t}”" for t in unmentioned)
        lines = [
            f"No note of {name} mentions {terms}, so I don't have a record that answers this. "
            "The closest notes, most relevant first:"
        ]
    for note in notes[:MAX_NOTES_SHOWN]:
        if note.ref in flagged:
            continue
        lines.append(cite.line(f"- {note.date or 'undated'}: {_best_sentences(note.excerpt or '', wanted)}", note))
    if artifact.flagged:
        lines.append("")
        for note in artifact.flagged:
            lines.append(
                cite.line(
                    f"⚠ The note of {note.date or 'unknown date'} contains text addressed to an AI assistant "
                    "(instructions "
                    "to change or delete records, or to send data). I treated it as quoted data, ignored those "
                    "instructions and changed nothing; you may want to review it.",
                    note,
                )
            )
    return "\n".join(lines)


def _unmentioned(query: str, notes: Sequence[Citation]) -> list[str]:
    """The query's topic words (not names: those only say whose notes) that no note contains."""
    said = {word for note in notes for word in tokenize(note.excerpt or "")}
    topic = [w for w in re.findall(r"[A-Za-z][\w'’-]*", query) if w[:1].islower() and len(w) >= 3]
    return [w for w in dict.fromkeys(topic) if (folded := tokenize(w)) and not set(folded) & said]


def _best_sentences(text: str, wanted: set[str], limit: int = 2) -> str:
    found = [s for s in sentences(text) if not looks_like_injection(s)]
    if not found:
        return "(no readable text)"
    ranked = sorted(range(len(found)), key=lambda i: (-len(wanted & set(tokenize(found[i]))), i))[:limit]
    return clip(" ".join(found[i] for i in sorted(ranked)), 320)
