"""What every citable source says, read straight from the database: the ground truth citations are checked
against, and the place where a case's evidence selectors become refs.

The index reads the record tables with plain SELECTs (the eval suite is an edge, like a report), as text a
sentence can be compared with: a note is its date, kind, author, mentions and body; a stakeholder is their
name, title, stance, dates and who covers them; a metric reading is the metric, period, value and target.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, select

from assistant.citations import SourceKind
from assistant.tables import metadata
from evals.cases import Selector

if TYPE_CHECKING:
    from assistant.runtime import Runtime


@dataclass(frozen=True)
class Source:
    kind: SourceKind
    id: str
    account_id: int | None
    text: str
    date: date | None = None
    sections: dict[str, str] = field(default_factory=dict)

    @property
    def ref(self) -> str:
        return f"{self.kind.value}:{self.id}"

    def passages(self) -> list[str]:
        """The texts a citation of this source may be drawn from: each section of a lesson (several passages
        of one lesson share its ref), or the whole record."""
        return list(self.sections.values()) or [self.text]


@dataclass
class AccountInfo:
    id: int
    name: str
    owner_id: int | None
    people: list[str] = field(default_factory=list)
    client_people: list[str] = field(default_factory=list)


class EvidenceIndex:
    """Sources by ref, accounts by id, and the selectors' answers."""

    def __init__(self, sources: Iterable[Source], accounts: Iterable[AccountInfo], users: dict[int, str]) -> None:
        self.sources: dict[str, Source] = {s.ref: s for s in sources}
        self.accounts: dict[int, AccountInfo] = {a.id: a for a in accounts}
        self.users = users
        self._by_account: dict[int | None, list[Source]] = defaultdict(list)
        for source in self.sources.values():
            self._by_account[source.account_id].append(source)

    # --- building ------------------------------------------------------------------------------------

    @classmethod
    def build(cls, runtime: Runtime) -> EvidenceIndex:
        with runtime.engine.connect() as db:
            tables = _Tables({name: [dict(r._mapping) for r in db.execute(select(t))] for name, t in _TABLES.items()})
        sources = tables.sources()
        for lesson in runtime.curriculum:
            body = "\n".join([lesson.title, lesson.summary, *lesson.sections.values()])
            sources.append(Source(SourceKind.CURRICULUM, lesson.id, None, body, sections=dict(lesson.sections)))
        documents: dict[str, list[str]] = defaultdict(list)
        for chunk in runtime.retrieval.store.get("library", where={"kind": "document"}):
            documents[str(chunk.metadata.get("source_id", ""))].append(chunk.text)
        sources += [Source(SourceKind.DOCUMENT, name, None, "\n".join(texts)) for name, texts in documents.items()]
        return cls(sources, tables.accounts(), tables.users)

    # --- queries -------------------------------------------------------------------------------------

    def get(self, ref: str) -> Source | None:
        return self.sources.get(ref)

    def of_account(self, account_id: int | None) -> list[Source]:
        return list(self._by_account.get(account_id, []))

    def account_named(self, name: str) -> AccountInfo | None:
        wanted = name.casefold()
        exact = [a for a in self.accounts.values() if a.name.casefold() == wanted]
        partial = [a for a in self.accounts.values() if wanted in a.name.casefold()]
        found = exact or partial
        return found[0] if found else None

    def resolve(self, selector: Selector, default_account: str | None) -> list[str]:
        """The refs a selector names (several when more than one record fits, e.g. a name on two notes)."""
        kind = selector.kind
        if kind is SourceKind.CURRICULUM:
            return [f"curriculum:{selector.id}"] if selector.id and f"curriculum:{selector.id}" in self.sources else []
        if kind is SourceKind.DOCUMENT:
            needle = (selector.contains or selector.id or "").casefold()
            return [s.ref for s in self.of_account(None) if s.kind is kind and needle in s.id.casefold()]
        account = self.account_named(selector.account or default_account or "")
        if account is None:
            return []
        candidates = [s for s in self.of_account(account.id) if s.kind is kind]
        if kind is SourceKind.ACCOUNT:
            return [s.ref for s in candidates]
        if kind is SourceKind.STAKEHOLDER:
            name = (selector.name or "").casefold()
            return [s.ref for s in candidates if s.text.casefold().startswith(name + " ") or s.text.casefold() == name]
        if kind is SourceKind.METRIC_READING:
            metric = (selector.metric or "").casefold()
            found = [s for s in candidates if metric in s.text.casefold()]
            if selector.period:
                found = [s for s in found if selector.period in s.text]
            if selector.latest and found:
                latest = max(s.date or date.min for s in found)
                found = [s for s in found if s.date == latest]
            return [s.ref for s in found]
        if kind is SourceKind.ASSESSMENT:
            found = [s for s in candidates if selector.assessor is None or f" {selector.assessor} " in f" {s.text} "]
            if selector.latest and found:
                latest = max(s.date or date.min for s in found)
                found = [s for s in found if s.date == latest]
            return [s.ref for s in found]
        if kind is SourceKind.CHARTER:
            found = sorted(candidates, key=lambda s: s.date or date.min)
            if selector.version == "current":
                signed = [s for s in found if s.text.split()[2:3] == ["signed"]]
                return [signed[-1].ref] if signed else []
            if isinstance(selector.version, int):
                return [s.ref for s in found if s.text.startswith(f"version {selector.version} ")]
            return [s.ref for s in found]
        needle = (selector.contains or "").casefold()
        return [s.ref for s in candidates if needle in " ".join(s.text.split()).casefold()]

    def people_of(self, account_ids: Iterable[int]) -> list[str]:
        names: list[str] = []
        for account_id in account_ids:
            info = self.accounts.get(account_id)
            if info is not None:
                names += info.people
        return names


_TABLES: dict[str, Table] = {
    name: metadata.tables[name]
    for name in (
        "users", "accounts", "stakeholders", "metrics", "metric_readings", "note_mentions", "coverage", "notes",
        "zone_scores", "health_assessments", "charters", "charter_targets", "charter_signatories", "action_items",
        "opportunities", "opportunity_stakeholders",
    )
}  # fmt: skip


class _Tables:
    """The record tables as rows, and each record as the text a sentence citing it can be compared with."""

    def __init__(self, rows: dict[str, list[dict[str, Any]]]) -> None:
        self.rows = rows
        self.users: dict[int, str] = {r["id"]: r["name"] for r in rows["users"]}
        self.people = {r["id"]: r for r in rows["stakeholders"]}
        self.metrics = {r["id"]: r for r in rows["metrics"]}

    def name(self, stakeholder_id: int | None) -> str | None:
        person = self.people.get(stakeholder_id) if stakeholder_id is not None else None
        return None if person is None else str(person["name"])

    def grouped(self, table: str, key: str, value: Any) -> dict[int, list[Any]]:
        found: dict[int, list[Any]] = defaultdict(list)
        for r in self.rows[table]:
            item = value(r)
            if item is not None:
                found[r[key]].append(item)
        return found

    def sources(self) -> list[Source]:
        return [
            *self.notes(),
            *self.stakeholders(),
            *self.readings(),
            *self.charters(),
            *self.assessments(),
            *self.actions(),
            *self.opportunities(),
            *self.account_records(),
        ]

    def notes(self) -> list[Source]:
        mentions = self.grouped("note_mentions", "note_id", lambda r: self.name(r["stakeholder_id"]))
        return [
            Source(
                SourceKind.NOTE,
                str(r["id"]),
                r["account_id"],
                _join(r["occurred_on"], r["kind"], r["author"], *mentions[r["id"]], r["body"]),
                r["occurred_on"],
            )
            for r in self.rows["notes"]
        ]

    def stakeholders(self) -> list[Source]:
        coverage = self.grouped(
            "coverage",
            "stakeholder_id",
            lambda r: None if r["ended_on"] else f"covered by {self.name(r['team_member_id'])} access {r['access']}",
        )
        found = []
        for r in self.people.values():
            parts = [r["name"], r["title"], r["side"], r["department"], r["decision_role"], r["stance"]]
            parts += [f"power {r['power']}", f"interest {r['interest']}"]
            parts += _labelled("last contact", r["last_contact_on"]) + _labelled("owner", self.name(r["owner_id"]))
            parts += _labelled("joined", r["joined_on"]) + _labelled("left", r["left_on"])
            parts += _labelled("replaced by", self.name(r["replaced_by_id"]))
            parts += ["active" if r["is_active"] else "inactive", *coverage[r["id"]]]
            found.append(Source(SourceKind.STAKEHOLDER, str(r["id"]), r["account_id"], _join(*parts)))
        return found

    def current_targets(self) -> dict[int, float]:
        targets = self.grouped("charter_targets", "charter_id", lambda r: (r["metric_id"], r["target"]))
        current: dict[int, float] = {}
        for charter in sorted(self.rows["charters"], key=lambda c: c["version"]):
            if charter["status"] == "signed":
                current.update(dict(targets[charter["id"]]))
        return current

    def readings(self) -> list[Source]:
        targets = self.current_targets()
        found = []
        for r in self.rows["metric_readings"]:
            metric = self.metrics[r["metric_id"]]
            target = targets.get(metric["id"])
            parts = [metric["name"], metric["key"], metric["unit"], metric["direction"], r["period"], r["period_end"]]
            parts += [_number(r["value"]), r["source"]]
            if target is not None:
                parts += ["charter metric target", _number(target), _status(r["value"], target, metric["direction"])]
            found.append(
                Source(SourceKind.METRIC_READING, str(r["id"]), metric["account_id"], _join(*parts), r["period_end"])
            )
        return found

    def charters(self) -> list[Source]:
        targets = self.grouped("charter_targets", "charter_id", lambda r: (r["metric_id"], r["target"]))
        signatories = self.grouped("charter_signatories", "charter_id", lambda r: self.name(r["stakeholder_id"]))
        found = []
        for r in self.rows["charters"]:
            parts = [f"version {r['version']}", r["status"]]
            parts += [r[k] for k in ("purpose", "values", "vision", "mission", "customer_win", "supplier_win")]
            parts += [_flatten(r["commitments"]), _flatten(r["key_players"]), r["governance_cadence"]]
            parts += [r["governance_agenda"], r["change_reason"], "signed by", *signatories[r["id"]]]
            parts += [self.metrics[m]["name"] + " " + _number(t) for m, t in targets[r["id"]] if m in self.metrics]
            parts += ["effective", r["effective_on"], *_labelled("next review", r["next_review_due"])]
            found.append(Source(SourceKind.CHARTER, str(r["id"]), r["account_id"], _join(*parts), r["effective_on"]))
        return found

    def assessments(self) -> list[Source]:
        zones = self.grouped("zone_scores", "assessment_id", lambda r: f"{r['zone']} {r['score']}/5 {r['rationale']}")
        return [
            Source(
                SourceKind.ASSESSMENT,
                str(r["id"]),
                r["account_id"],
                _join(r["assessed_on"], r["overall"], r["assessor"], r["assessor_name"], r["summary"], *zones[r["id"]]),
                r["assessed_on"],
            )
            for r in self.rows["health_assessments"]
        ]

    def actions(self) -> list[Source]:
        return [
            Source(
                SourceKind.ACTION,
                str(r["id"]),
                r["account_id"],
                _join(
                    r["title"],
                    "owner",
                    r["owner"],
                    *_labelled("due", r["due_on"]),
                    r["status"],
                    r["origin"],
                    self.name(r["stakeholder_id"]),
                ),
                r["due_on"],
            )
            for r in self.rows["action_items"]
        ]

    def opportunities(self) -> list[Source]:
        people = self.grouped("opportunity_stakeholders", "opportunity_id", lambda r: self.name(r["stakeholder_id"]))
        found = []
        for r in self.rows["opportunities"]:
            parts = [r["name"], r["type"], _money(r["estimated_value"]), r["stage"], r["buying_centre"]]
            parts += [r["offering"], r["expected_close"], r["description"], *people[r["id"]]]
            found.append(Source(SourceKind.OPPORTUNITY, str(r["id"]), r["account_id"], _join(*parts)))
        return found

    def account_records(self) -> list[Source]:
        found = []
        for r in self.rows["accounts"]:
            parts = [r["name"], r["industry"], r["segment"], r["description"], _money(r["annual_revenue"])]
            parts += ["gross profit", _money(r["gross_profit"]), "contract", r["contract_start"], r["contract_end"]]
            parts += ["owner", self.users.get(r["owner_id"]), "executive sponsor", r["executive_sponsor"]]
            # The flag's meaning in words, so "the customer agrees this is strategic" can be checked against it.
            parts.append(
                "mutual agreement: the customer agrees the account is a strategic relationship"
                if r["mutual_agreement"]
                else "no mutual agreement: the customer does not agree the account is a strategic relationship"
            )
            found.append(Source(SourceKind.ACCOUNT, str(r["id"]), r["id"], _join(*parts)))
        return found

    def accounts(self) -> list[AccountInfo]:
        infos = []
        for r in self.rows["accounts"]:
            members = [p for p in self.people.values() if p["account_id"] == r["id"]]
            infos.append(
                AccountInfo(
                    id=r["id"],
                    name=r["name"],
                    owner_id=r["owner_id"],
                    people=[p["name"] for p in members],
                    client_people=[p["name"] for p in members if p["side"] == "client"],
                )
            )
        return infos


def _join(*parts: Any) -> str:
    return " ".join(_plain(p) for p in parts if p not in (None, "", []))


def _labelled(label: str, value: Any) -> list[Any]:
    return [] if value in (None, "") else [label, value]


def _status(value: float, target: float | None, direction: str) -> str | None:
    """What a reading means against its charter target, as the records' own words would say it."""
    if target is None:
        return None
    lower_is_better = direction == "lower_is_better"
    on_target = value <= target if lower_is_better else value >= target
    return "on target" if on_target else "below target, missed"


def _plain(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return _number(value)
    return str(value)


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _money(value: float | None) -> str:
    if value is None:
        return ""
    return f"${value:,.0f} {_number(value)}"


def _flatten(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(_flatten(v) for v in value)
    if isinstance(value, dict):
        return " ".join(_flatten(v) for v in value.values())
    return "" if value is None else str(value)
