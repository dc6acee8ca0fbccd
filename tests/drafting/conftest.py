"""Fixtures for the drafting tests: the demo portfolio in an in-memory SQLite database, loaded once per module.

Drafting only reads, so one loaded portfolio serves every test of a module; tests that need to write (saving
a draft through the records services, an account with no evidence) build their own database.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

import pytest
from sqlalchemy import Engine

from assistant.citations import Citation, SourceKind
from assistant.db import build_engine, build_session_factory
from assistant.drafting import DraftingService
from assistant.drafting.models import Draft
from assistant.records import Records, build_records
from assistant.records.actor import Actor
from assistant.records.demo import load_demo
from assistant.records.enums import Channel
from assistant.records.schemas import AccountOut
from assistant.tables import metadata
from knowledge.curriculum import Lesson, load_curriculum

TODAY = date(2025, 6, 15)
ACME = "Acme Real Estate Company"
NORTHGATE = "Northgate Health System"
RIVERBEND = "Riverbend University"
SOLARA = "Solara Energy"
QUANTIS = "Quantis Technologies"
HALVORSEN = "Halvorsen Logistics"
ALL_ACCOUNTS = (ACME, NORTHGATE, RIVERBEND, SOLARA, QUANTIS, HALVORSEN)


@dataclass
class Demo:
    engine: Engine
    records: Records
    drafting: DraftingService
    admin: Actor
    dana: Actor
    marcus: Actor
    priya: Actor
    accounts: dict[str, AccountOut] = field(default_factory=dict)

    def account(self, name: str) -> AccountOut:
        return self.accounts[name]

    def owner(self, name: str) -> Actor:
        return self.marcus if name == HALVORSEN else self.dana


def build_demo(curriculum: list[Lesson]) -> Demo:
    engine = build_engine("sqlite://")
    metadata.create_all(engine)
    records = build_records(build_session_factory(engine))
    load_demo(records, today=TODAY)
    actors = {
        name: records.users.actor(email=f"{name}@beacon.example", channel=Channel.CLI)
        for name in ("admin", "dana", "marcus", "priya")
    }
    demo = Demo(engine=engine, records=records, drafting=DraftingService(records, curriculum=curriculum), **actors)
    summaries = records.accounts.list(actor=demo.admin)
    demo.accounts = {a.name: records.accounts.get(actor=demo.admin, account_id=a.id) for a in summaries}
    return demo


@pytest.fixture(scope="session")
def curriculum() -> list[Lesson]:
    return load_curriculum()


@pytest.fixture(scope="module")
def demo(curriculum: list[Lesson]) -> Iterator[Demo]:
    built = build_demo(curriculum)
    yield built
    built.engine.dispose()


@dataclass(frozen=True)
class AccountIds:
    """Every record id of one account, by citation kind: what a draft about it may cite."""

    by_kind: dict[SourceKind, set[str]]

    def holds(self, citation: Citation) -> bool:
        return citation.id in self.by_kind.get(citation.kind, set())


def account_ids(records: Records, actor: Actor, account_id: int) -> AccountIds:
    metrics = records.metrics.series(actor=actor, account_id=account_id)
    return AccountIds(
        {
            SourceKind.ACCOUNT: {str(account_id)},
            SourceKind.NOTE: {str(n.id) for n in records.notes.list(actor=actor, account_id=account_id, limit=5000)},
            SourceKind.STAKEHOLDER: {
                str(s.id) for s in records.stakeholders.list(actor=actor, account_id=account_id, include_inactive=True)
            },
            SourceKind.METRIC_READING: {str(r.id) for s in metrics for r in s.readings},
            SourceKind.CHARTER: {str(c.id) for c in records.charters.list_versions(actor=actor, account_id=account_id)},
            SourceKind.ASSESSMENT: {str(a.id) for a in records.health.list(actor=actor, account_id=account_id)},
            SourceKind.ACTION: {str(a.id) for a in records.actions.list(actor=actor, account_id=account_id)},
            SourceKind.OPPORTUNITY: {str(o.id) for o in records.opportunities.list(actor=actor, account_id=account_id)},
        }
    )


def assert_grounded(draft: Draft, ids: AccountIds, account_id: int, lessons: dict[str, Lesson]) -> None:
    """Every claim is cited; account citations point to existing records of this account only; curriculum
    citations quote a sentence of the named lesson section."""
    for section in draft.sections:
        for claim in section.claims:
            assert claim.citations, f"uncited claim in {section.key}: {claim.text}"
            for citation in claim.citations:
                assert_citation(citation, ids, account_id, lessons)


def assert_citation(citation: Citation, ids: AccountIds, account_id: int, lessons: dict[str, Lesson]) -> None:
    if citation.kind is SourceKind.CURRICULUM:
        assert citation.id in lessons, citation
        assert citation.section in lessons[citation.id].sections, citation
        assert citation.excerpt and _squash(citation.excerpt.rstrip("…")) in _squash(
            lessons[citation.id].sections[citation.section]
        ), citation
        return
    assert citation.is_account_record, citation
    assert citation.account_id == account_id, f"{citation.label} belongs to account {citation.account_id}"
    assert ids.holds(citation), f"{citation.ref} is not a record of account {account_id}"


def _squash(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum()).lower()
