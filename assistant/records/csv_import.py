"""Import accounts, stakeholders and notes from CRM CSV exports.

Each row is its own transaction through the same services as every other surface, so a bad row is
reported with its line number and reason while the good rows land, and every write is audited. Rows are
matched to what is already stored (external id first, then name; notes by external id or by date + body)
so re-importing the same file creates no duplicates.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from assistant.records import Records
from assistant.records.actor import Actor
from assistant.records.errors import RecordsError
from assistant.records.schemas import AccountOut, NoteIn, NoteOut, StakeholderIn, StakeholderOut
from assistant.records.services.base import parse


class ImportKind(StrEnum):
    ACCOUNTS = "accounts"
    STAKEHOLDERS = "stakeholders"
    NOTES = "notes"


# CRM header spellings we accept, normalised (lower case, underscores) -> our field name.
ALIASES: dict[ImportKind, dict[str, str]] = {
    ImportKind.ACCOUNTS: {
        "account": "name",
        "account_name": "name",
        "company": "name",
        "account_id": "external_id",
        "crm_id": "external_id",
        "id": "external_id",
        "revenue": "annual_revenue",
        "annual_revenue_usd": "annual_revenue",
        "gp": "gross_profit",
        "gross_profit_usd": "gross_profit",
        "owner": "owner_email",
        "account_owner": "owner_email",
        "owner_email": "owner_email",
        "contract_start_date": "contract_start",
        "contract_end_date": "contract_end",
        "renewal_date": "contract_end",
        "strategic_agreed": "mutual_agreement",
        "customer_agrees_strategic": "mutual_agreement",
        "sector": "industry",
    },
    ImportKind.STAKEHOLDERS: {
        "account_name": "account",
        "account_id": "account",
        "contact": "name",
        "contact_name": "name",
        "full_name": "name",
        "job_title": "title",
        "contact_id": "external_id",
        "id": "external_id",
        "role": "decision_role",
        "buying_role": "decision_role",
        "relationship_owner": "owner",
        "last_contact": "last_contact_on",
        "last_contacted": "last_contact_on",
        "sentiment": "stance",
    },
    ImportKind.NOTES: {
        "account_name": "account",
        "account_id": "account",
        "date": "occurred_on",
        "activity_date": "occurred_on",
        "type": "kind",
        "activity_type": "kind",
        "note": "body",
        "text": "body",
        "description": "body",
        "created_by": "author",
        "note_id": "external_id",
        "activity_id": "external_id",
        "id": "external_id",
        "contacts": "mentions",
    },
}

REQUIRED: dict[ImportKind, tuple[str, ...]] = {
    ImportKind.ACCOUNTS: ("name", "industry"),
    ImportKind.STAKEHOLDERS: ("account", "name"),
    ImportKind.NOTES: ("account", "occurred_on", "author", "body"),
}

BOOLEAN = {"true": True, "yes": True, "y": True, "1": True, "false": False, "no": False, "n": False, "0": False}


@dataclass
class ImportReport:
    kind: ImportKind
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return (
            f"{self.kind}: {self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{len(self.errors)} rejected"
        )


def normalise_header(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


def read_rows(path: Path, kind: ImportKind) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row keyed by our field names), skipping blank lines."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None:
            raise RecordsError(f"{path}: the file is empty")
        aliases = ALIASES[kind]
        mapping = {raw: aliases.get(normalise_header(raw), normalise_header(raw)) for raw in reader.fieldnames}
        missing = [f for f in REQUIRED[kind] if f not in mapping.values()]
        if missing:
            raise RecordsError(f"{path}: missing column(s) {', '.join(missing)} (see README: CSV import)")
        for raw_row in reader:
            row = {mapping[k]: (v or "").strip() for k, v in raw_row.items() if k is not None and k in mapping}
            if any(row.values()):
                yield reader.line_num, row


def _clean(row: Mapping[str, str], drop: tuple[str, ...] = ()) -> dict[str, Any]:
    """Empty cells mean "not given"; yes/no columns become booleans."""
    cleaned: dict[str, Any] = {}
    for key, value in row.items():
        if value == "" or key in drop:
            continue
        cleaned[key] = BOOLEAN.get(value.lower(), value) if key in ("mutual_agreement", "is_active") else value
    return cleaned


class CsvImporter:
    def __init__(self, records: Records, actor: Actor) -> None:
        self._records = records
        self._actor = actor
        self._accounts: dict[str, AccountOut | None] = {}

    def run(self, kind: ImportKind, path: Path) -> ImportReport:
        report = ImportReport(kind=kind)
        handler: Callable[[dict[str, str], ImportReport], None] = {
            ImportKind.ACCOUNTS: self._account,
            ImportKind.STAKEHOLDERS: self._stakeholder,
            ImportKind.NOTES: self._note,
        }[kind]
        for line, row in read_rows(path, kind):
            try:
                handler(row, report)
            except RecordsError as exc:
                report.errors.append((line, str(exc)))
        return report

    def _account(self, row: dict[str, str], report: ImportReport) -> None:
        data = _clean(row, drop=("owner_email",))
        if row.get("owner_email"):
            data["owner_id"] = self._records.users.get_by_email(email=row["owner_email"]).id
        existing = self._resolve_account(row["external_id"]) if row.get("external_id") else None
        existing = existing or self._resolve_account(row["name"])
        if existing is None:
            self._records.accounts.create(actor=self._actor, data=data)
            report.created += 1
            return
        changes = {k: v for k, v in data.items() if not _same_value(getattr(existing, k, None), v)}
        if not changes:
            report.unchanged += 1
            return
        self._records.accounts.update(actor=self._actor, account_id=existing.id, data=changes)
        report.updated += 1

    def _stakeholder(self, row: dict[str, str], report: ImportReport) -> None:
        account = self._require_account(row["account"])
        people = self._records.stakeholders.list(actor=self._actor, account_id=account.id, include_inactive=True)
        data = _clean(row, drop=("account", "owner"))
        if row.get("owner"):
            data["owner_id"] = _person_named(people, row["owner"], field="owner").id
        existing = next(
            (
                p
                for p in people
                if (row.get("external_id") and p.external_id == row["external_id"])
                or p.name.lower() == row["name"].lower()
            ),
            None,
        )
        if existing is None:
            self._records.stakeholders.create(actor=self._actor, account_id=account.id, data=data)
            report.created += 1
            return
        parsed = parse(StakeholderIn, data).model_dump(include=set(data))
        changes = {k: v for k, v in parsed.items() if not _same_value(getattr(existing, k, None), v)}
        if not changes:
            report.unchanged += 1
            return
        self._records.stakeholders.update(
            actor=self._actor, account_id=account.id, stakeholder_id=existing.id, data=changes
        )
        report.updated += 1

    def _note(self, row: dict[str, str], report: ImportReport) -> None:
        account = self._require_account(row["account"])
        data = _clean(row, drop=("account", "mentions"))
        if row.get("kind"):
            data["kind"] = normalise_header(row["kind"])
        if row.get("mentions"):
            people = self._records.stakeholders.list(actor=self._actor, account_id=account.id, include_inactive=True)
            data["mentioned_ids"] = [
                _person_named(people, name.strip(), field="mentions").id
                for name in row["mentions"].split(";")
                if name.strip()
            ]
        note = parse(NoteIn, data)
        same_day = self._records.notes.list(
            actor=self._actor, account_id=account.id, since=note.occurred_on, until=note.occurred_on, limit=1000
        )
        if any(_same_note(note, stored) for stored in same_day):
            report.unchanged += 1
            return
        self._records.notes.create(actor=self._actor, account_id=account.id, data=note)
        report.created += 1

    def _resolve_account(self, key: str) -> AccountOut | None:
        if key not in self._accounts:
            self._accounts[key] = self._records.accounts.lookup(actor=self._actor, key=key)
        return self._accounts[key]

    def _require_account(self, key: str) -> AccountOut:
        account = self._resolve_account(key)
        if account is None:
            raise RecordsError(f"account: no account {key!r} in your portfolio")
        return account


def _same_note(note: NoteIn, stored: NoteOut) -> bool:
    if note.external_id:
        return stored.external_id == note.external_id
    return stored.body == note.body


def _same_value(stored: Any, incoming: Any) -> bool:
    if stored is None or incoming is None:
        return stored is incoming
    if isinstance(stored, bool) or isinstance(incoming, bool):
        return bool(stored) == bool(incoming)
    if isinstance(stored, int | float) and not isinstance(stored, bool):
        try:
            return float(stored) == float(incoming)
        except (TypeError, ValueError):
            return False
    return str(getattr(stored, "value", stored)) == str(getattr(incoming, "value", incoming))


def _person_named(people: list[StakeholderOut], name: str, *, field: str) -> StakeholderOut:
    match = next((p for p in people if p.name.lower() == name.lower()), None)
    if match is None:
        raise RecordsError(f"{field}: no stakeholder named {name!r} on this account")
    return match
