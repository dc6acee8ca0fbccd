"""Clause-by-clause comparison of two charter versions.

A charter is flattened into named clauses (one per text field, commitment, key player, metric target and
signatory) so a revision reads as "target tenant_satisfaction: 85 -> 88" rather than a text diff.
"""

from __future__ import annotations

from assistant.records.schemas import CharterDiff, CharterOut, ClauseChange

TEXT_CLAUSES = (
    "purpose",
    "values",
    "vision",
    "mission",
    "customer_win",
    "supplier_win",
    "governance_cadence",
    "governance_agenda",
    "effective_on",
    "next_review_due",
)


def charter_clauses(charter: CharterOut) -> dict[str, str]:
    clauses: dict[str, str] = {}
    for name in TEXT_CLAUSES:
        value = getattr(charter, name)
        if value not in (None, ""):
            clauses[name] = str(value)
    for commitment in charter.commitments:
        clauses[f"commitment ({commitment.party.value}): {commitment.text[:60]}"] = commitment.text
    for player in charter.key_players:
        clauses[f"key player: {player.name}"] = f"{player.role} ({player.side.value})".strip()
    for target in charter.targets:
        clauses[f"target: {target.metric_key}"] = f"{target.target:g} {target.unit}".strip()
    for signatory in charter.signatories:
        clauses[f"signatory: {signatory.name}"] = f"{signatory.title or ''} ({signatory.side.value})".strip()
    return clauses


def diff_charters(old: CharterOut, new: CharterOut) -> CharterDiff:
    before, after = charter_clauses(old), charter_clauses(new)
    changes: list[ClauseChange] = []
    for clause in [*before, *(c for c in after if c not in before)]:
        if clause not in after:
            changes.append(ClauseChange(clause=clause, change="removed", before=before[clause], after=None))
        elif clause not in before:
            changes.append(ClauseChange(clause=clause, change="added", before=None, after=after[clause]))
        elif before[clause] != after[clause]:
            changes.append(ClauseChange(clause=clause, change="changed", before=before[clause], after=after[clause]))
    return CharterDiff(account_id=new.account_id, from_version=old.version, to_version=new.version, changes=changes)
