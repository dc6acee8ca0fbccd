"""Records benchmark: load a synthetic portfolio, then time what `samcoach accounts show` and `accounts list` read.

    .venv/bin/python -m benchmarks.records                      # fresh SQLite file var/bench/records.db
    .venv/bin/python -m benchmarks.records --database-url postgresql+psycopg://u:p@127.0.0.1/bench --reset

Loading 100,000 notes one service call at a time (one transaction and one audit event each) would measure the
write path, not the read path this benchmark is about, so the bulk of the portfolio goes in with multi-row
INSERTs; a small sample of notes also goes through `NoteService.create` to show what the service path costs.
Reads go through the services exactly as the CLI calls them (see `show_account` below).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, func, insert, inspect, select, text

from assistant.db import build_engine, build_session_factory
from assistant.migrate import upgrade_database
from assistant.records import Records, build_records
from assistant.records.actor import Actor
from assistant.records.enums import (
    ActionStatus,
    Assessor,
    Channel,
    CharterStatus,
    HealthStatus,
    NoteKind,
    Role,
    Side,
    Stance,
    Zone,
)
from assistant.records.models import (
    Account,
    ActionItem,
    Base,
    Charter,
    CharterSignatory,
    CharterTarget,
    HealthAssessment,
    Metric,
    MetricReading,
    Note,
    Opportunity,
    Stakeholder,
    StanceChange,
    ZoneScore,
    note_mentions,
)
from assistant.records.services.users import actor_for

DEFAULT_SQLITE = Path("var/bench/records.db")
LEADERS_PER_MANAGER = 10
MANAGERS = 2
BATCH = 5_000
WORDS = (
    "renewal sponsor tender occupancy valet tenant pricing review charter metric escalation site expansion "
    "pilot forecast budget board procurement competitor satisfaction uptime invoice onboarding roadmap"
).split()
INDUSTRIES = ("Facilities", "Logistics", "Retail", "Healthcare", "Banking", "Manufacturing", "Energy", "Software")


@dataclass
class Loaded:
    accounts: list[tuple[int, str, int]]  # (id, name, owner user id)
    actors: dict[int, Actor]
    manager: Actor
    admin: Actor
    notes: int = 0
    phases: dict[str, float] = field(default_factory=dict)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    url = args.database_url or _fresh_sqlite(DEFAULT_SQLITE)
    engine = build_engine(url)
    if not _prepare_schema(engine, reset=args.reset):
        print("The database already holds records; pass --reset to drop them first.", file=sys.stderr)
        return 2
    records = build_records(build_session_factory(engine))
    rng = random.Random(args.seed)

    started = time.perf_counter()
    loaded = load_portfolio(engine, records, rng, accounts=args.accounts, notes=args.notes)
    load_seconds = time.perf_counter() - started
    service_rate = service_note_rate(records, loaded, rng, count=args.service_notes)

    show = time_show(records, loaded, rng, samples=args.samples)
    listing = {
        f"SAM leader ({args.accounts // len(loaded.actors)} accounts)": time_list(
            records, loaded.actors[loaded.accounts[0][2]], runs=args.samples
        ),
        f"manager ({LEADERS_PER_MANAGER} leaders)": time_list(records, loaded.manager, runs=args.samples),
        "admin (all accounts)": time_list(records, loaded.admin, runs=args.samples),
    }
    report(engine, args, loaded, load_seconds, service_rate, show, listing)
    engine.dispose()
    return 0


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help=f"default: a fresh SQLite file at {DEFAULT_SQLITE}")
    parser.add_argument("--reset", action="store_true", help="drop existing records tables first (server URLs)")
    parser.add_argument("--accounts", type=int, default=1_000)
    parser.add_argument("--notes", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=200, help="accounts shown / list calls timed")
    parser.add_argument("--service-notes", type=int, default=500, help="notes written through NoteService")
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args(argv)


def _fresh_sqlite(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)
    return f"sqlite:///{path}"


def _prepare_schema(engine: Engine, *, reset: bool) -> bool:
    if "accounts" in inspect(engine).get_table_names():
        with engine.connect() as conn:
            has_rows = conn.scalar(select(func.count()).select_from(Account.__table__)) > 0
        if has_rows and not reset:
            return False
        if reset:
            Base.metadata.drop_all(engine)
            with engine.begin() as conn:
                conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    upgrade_database(engine)
    return True


def load_portfolio(engine: Engine, records: Records, rng: random.Random, *, accounts: int, notes: int) -> Loaded:
    """Users through the service (a handful); everything else with multi-row INSERTs in one transaction."""
    phases: dict[str, float] = {}
    clock = time.perf_counter()
    admin = records.users.create(data={"name": "Bench Admin", "email": "admin@bench.example", "role": Role.ADMIN})
    leaders: list[Actor] = []
    managers: list[Actor] = []
    for m in range(MANAGERS):
        manager = records.users.create(
            data={"name": f"Manager {m}", "email": f"manager{m}@bench.example", "role": Role.MANAGER}
        )
        managers.append(actor_for(manager, Channel.CLI))
        for n in range(LEADERS_PER_MANAGER):
            leader = records.users.create(
                data={"name": f"Leader {m}.{n}", "email": f"leader{m}.{n}@bench.example", "manager_id": manager.id}
            )
            leaders.append(actor_for(leader, Channel.CLI))
    phases["users (service)"] = time.perf_counter() - clock

    today = date(2026, 1, 15)
    now = datetime(2026, 1, 15, 9, tzinfo=UTC)
    stamp = {"created_at": now, "updated_at": now}
    with engine.begin() as conn:

        def bulk(table: Table, rows: list[dict[str, Any]]) -> list[int]:
            ids: list[int] = []
            for chunk in _chunks(rows, BATCH):
                stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
                ids.extend(conn.scalars(stmt, chunk).all())
            return ids

        clock = time.perf_counter()
        account_rows = [
            {
                "name": f"Account {i:04d} {rng.choice(WORDS).title()}",
                "industry": INDUSTRIES[i % len(INDUSTRIES)],
                "tier": 1 + i % 3,
                "annual_revenue": rng.randrange(1_000_000, 90_000_000),
                "gross_profit": rng.randrange(100_000, 20_000_000),
                "growth_potential": rng.randint(1, 5),
                "willingness_to_partner": rng.randint(1, 5),
                "global_reach": rng.randint(1, 5),
                "best_practice_sharing": rng.randint(1, 5),
                "mutual_agreement": rng.random() < 0.7,
                "contract_start": today - timedelta(days=rng.randrange(100, 1500)),
                "contract_end": today + timedelta(days=rng.randrange(30, 1500)),
                "owner_id": leaders[i % len(leaders)].user_id,
                **stamp,
            }
            for i in range(accounts)
        ]
        account_ids = bulk(Account.__table__, account_rows)
        phases["accounts"] = time.perf_counter() - clock

        clock = time.perf_counter()
        stakeholder_rows = []
        for account_id in account_ids:
            for title, side, stance in (
                ("CEO", Side.CLIENT, Stance.SPONSOR),
                ("CFO", Side.CLIENT, Stance.SKEPTIC),
                ("VP Operations", Side.CLIENT, Stance.SUPPORTER),
                ("Account lead", Side.SUPPLIER, Stance.SUPPORTER),
            ):
                stakeholder_rows.append(
                    {
                        "account_id": account_id,
                        "name": f"{title} of {account_id}",
                        "title": title,
                        "side": side.value,
                        "power": rng.randint(1, 5),
                        "interest": rng.randint(1, 5),
                        "stance": stance.value,
                        "is_active": True,
                        "joined_on": date(2020, 1, 1),
                        "last_contact_on": today - timedelta(days=rng.randrange(0, 120)),
                        **stamp,
                    }
                )
        stakeholder_ids = bulk(Stakeholder.__table__, stakeholder_rows)
        by_account = {a: stakeholder_ids[i * 4 : i * 4 + 4] for i, a in enumerate(account_ids)}
        bulk(
            StanceChange.__table__,
            [
                {"stakeholder_id": sid, "stance": row["stance"], "effective_on": date(2020, 1, 1), "recorded_at": now}
                for sid, row in zip(stakeholder_ids, stakeholder_rows, strict=True)
            ],
        )
        phases["stakeholders"] = time.perf_counter() - clock

        clock = time.perf_counter()
        metric_ids = bulk(
            Metric.__table__,
            [
                {"account_id": a, "key": key, "name": name, "unit": unit, "direction": "higher_is_better"}
                for a in account_ids
                for key, name, unit in (("satisfaction", "Satisfaction", "%"), ("uptime", "Uptime", "%"))
            ],
        )
        quarters = [("2025-Q1", date(2025, 3, 31)), ("2025-Q2", date(2025, 6, 30))]
        quarters += [("2025-Q3", date(2025, 9, 30)), ("2025-Q4", date(2025, 12, 31))]
        bulk(
            MetricReading.__table__,
            [
                {"metric_id": m, "period": p, "period_end": end, "value": rng.uniform(70, 100), "recorded_at": now}
                for m in metric_ids
                for p, end in quarters
            ],
        )
        charter_ids = bulk(
            Charter.__table__,
            [
                {
                    "account_id": a,
                    "version": 1,
                    "status": CharterStatus.SIGNED.value,
                    "purpose": "Grow together",
                    "commitments": [],
                    "key_players": [],
                    "effective_on": date(2025, 1, 1),
                    "next_review_due": date(2026, 1, 1),
                    **stamp,
                }
                for a in account_ids
            ],
        )
        bulk(
            CharterTarget.__table__,
            [
                {"charter_id": c, "metric_id": m, "target": 85.0}
                for i, c in enumerate(charter_ids)
                for m in metric_ids[i * 2 : i * 2 + 2]
            ],
        )
        bulk(
            CharterSignatory.__table__,
            [
                {"charter_id": c, "stakeholder_id": by_account[a][0], "approved_on": date(2025, 1, 1)}
                for a, c in zip(account_ids, charter_ids, strict=True)
            ],
        )
        phases["metrics, readings, charters"] = time.perf_counter() - clock

        clock = time.perf_counter()
        assessment_rows = [
            {
                "account_id": a,
                "assessed_on": today - timedelta(days=days),
                "overall": rng.choice(list(HealthStatus)).value,
                "assessor": assessor.value,
                "assessor_name": assessor.value,
                "summary": "synthetic",
                "evidence": [],
            }
            for a in account_ids
            for assessor, days in ((Assessor.SAM_LEADER, 30), (Assessor.CUSTOMER, 45), (Assessor.SAM_LEADER, 120))
        ]
        assessment_ids = bulk(HealthAssessment.__table__, assessment_rows)
        bulk(
            ZoneScore.__table__,
            [
                {"assessment_id": h, "zone": z.value, "score": rng.randint(1, 5), "rationale": ""}
                for h in assessment_ids
                for z in Zone
            ],
        )
        bulk(
            ActionItem.__table__,
            [
                {
                    "account_id": a,
                    "title": f"Action {n} for {a}",
                    "owner": "Leader",
                    "due_on": today + timedelta(days=7 * n),
                    "status": (ActionStatus.OPEN if n < 2 else ActionStatus.DONE).value,
                    "origin": "plan",
                    **stamp,
                }
                for a in account_ids
                for n in range(3)
            ],
        )
        bulk(
            Opportunity.__table__,
            [
                {
                    "account_id": a,
                    "name": f"Expansion {a}",
                    "type": "expansion",
                    "estimated_value": rng.randrange(10_000, 2_000_000),
                    "stage": "identified",
                    "buying_centre": "Operations",
                    "offering": "Services",
                    "description": "",
                    **stamp,
                }
                for a in account_ids
            ],
        )
        phases["health, actions, opportunities"] = time.perf_counter() - clock

        clock = time.perf_counter()
        kinds = [k.value for k in NoteKind]
        mentions: list[dict[str, int]] = []
        for chunk_start in range(0, notes, BATCH):
            rows = []
            for n in range(chunk_start, min(notes, chunk_start + BATCH)):
                account_id = account_ids[n % len(account_ids)]
                rows.append(
                    {
                        "account_id": account_id,
                        "occurred_on": today - timedelta(days=rng.randrange(0, 1_000)),
                        "author": "Leader",
                        "kind": kinds[n % len(kinds)],
                        "body": " ".join(rng.choices(WORDS, k=30)),
                        **stamp,
                    }
                )
            note_ids = bulk(Note.__table__, rows)
            mentions.extend(
                {"note_id": nid, "stakeholder_id": rng.choice(by_account[row["account_id"]])}
                for nid, row in zip(note_ids, rows, strict=True)
                if rng.random() < 0.3
            )
        for chunk in _chunks(mentions, BATCH):
            conn.execute(insert(note_mentions), chunk)
        phases[f"notes ({notes:,}) + mentions ({len(mentions):,})"] = time.perf_counter() - clock

    actors = {leader.user_id: leader for leader in leaders}
    accounts_loaded = [
        (row_id, row["name"], row["owner_id"]) for row_id, row in zip(account_ids, account_rows, strict=True)
    ]
    return Loaded(
        accounts=accounts_loaded,
        actors=actors,
        manager=managers[0],
        admin=actor_for(admin, Channel.CLI),
        notes=notes,
        phases=phases,
    )


def _chunks(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def service_note_rate(records: Records, loaded: Loaded, rng: random.Random, *, count: int) -> float:
    """Notes per second through `NoteService.create` (validation, scoping, audit event, one commit each)."""
    if count <= 0:
        return 0.0
    targets = rng.sample(loaded.accounts, k=min(count, len(loaded.accounts)))
    started = time.perf_counter()
    for n in range(count):
        account_id, _, owner = targets[n % len(targets)]
        records.notes.create(
            actor=loaded.actors[owner],
            account_id=account_id,
            data={"occurred_on": date(2026, 1, 15), "author": "Bench", "kind": "call", "body": f"service note {n}"},
        )
    return count / (time.perf_counter() - started)


SHOW_STEPS = (
    "find + get",
    "stakeholders",
    "current charter",
    "metric series",
    "latest health",
    "open actions",
    "opportunities",
    "recent notes (5)",
)


def show_account(records: Records, actor: Actor, name: str, lap: Callable[[str], None]) -> None:
    """The reads of `samcoach accounts show NAME` (assistant/cli/accounts.py), in the same order, minus printing."""
    found = records.accounts.find(actor=actor, name=name)
    assert found is not None, name
    account = records.accounts.get(actor=actor, account_id=found.id)
    lap("find + get")
    records.stakeholders.list(actor=actor, account_id=account.id)
    lap("stakeholders")
    records.charters.current(actor=actor, account_id=account.id)
    lap("current charter")
    records.metrics.series(actor=actor, account_id=account.id)
    lap("metric series")
    for assessor in (Assessor.SAM_LEADER, Assessor.CUSTOMER):
        records.health.list(actor=actor, account_id=account.id, assessor=assessor, limit=1)
    lap("latest health")
    records.actions.list_open(actor=actor, account_id=account.id)
    lap("open actions")
    records.opportunities.list(actor=actor, account_id=account.id)
    lap("opportunities")
    notes = records.notes.list(actor=actor, account_id=account.id, limit=5)
    assert len(notes) == 5
    lap("recent notes (5)")


def time_show(records: Records, loaded: Loaded, rng: random.Random, *, samples: int) -> dict[str, list[float]]:
    """Milliseconds per step and in total, each sampled account shown once by its owner (after a warm-up)."""
    timings: dict[str, list[float]] = {step: [] for step in (*SHOW_STEPS, "total")}
    for _, name, owner in rng.sample(loaded.accounts, k=5):
        show_account(records, loaded.actors[owner], name, lambda step: None)
    for _, name, owner in rng.sample(loaded.accounts, k=min(samples, len(loaded.accounts))):
        start = last = time.perf_counter()

        def lap(step: str) -> None:
            nonlocal last
            now = time.perf_counter()
            timings[step].append((now - last) * 1000)
            last = now

        show_account(records, loaded.actors[owner], name, lap)
        timings["total"].append((time.perf_counter() - start) * 1000)
    return timings


def time_list(records: Records, actor: Actor, *, runs: int) -> list[float]:
    records.accounts.list(actor=actor, limit=50)
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        rows = records.accounts.list(actor=actor, limit=50)
        timings.append((time.perf_counter() - start) * 1000)
        assert rows
    return timings


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def report(
    engine: Engine,
    args: argparse.Namespace,
    loaded: Loaded,
    load_seconds: float,
    service_rate: float,
    show: dict[str, list[float]],
    listing: dict[str, list[float]],
) -> None:
    url = engine.url
    where = url.render_as_string(hide_password=True)
    if url.get_backend_name() == "sqlite" and url.database:
        size = sum(p.stat().st_size for p in Path(url.database).parent.glob(Path(url.database).name + "*"))
        where += f" ({size / 1e6:.0f} MB)"
    with engine.connect() as conn:
        counts = {
            t.name: conn.scalar(select(func.count()).select_from(t))
            for t in (Account.__table__, Stakeholder.__table__, Note.__table__, note_mentions)
        }
    print(f"\nSAM Coach records benchmark · {where}")
    print(
        ", ".join(f"{n:,} {t}" for t, n in counts.items()),
        f"(notes include the {args.service_notes} service-path ones)",
    )
    print("Loading: users through UserService; all other rows as multi-row INSERTs (services would time writes,")
    print("         not reads, and write an audit event per row). Reads below go through the services.\n")

    rows: list[tuple[str, str]] = [
        ("load, total", f"{load_seconds:8.2f} s   {loaded.notes / load_seconds:>10,.0f} notes/s overall"),
    ]
    for phase, seconds in loaded.phases.items():
        rows.append((f"  {phase}", f"{seconds:8.2f} s"))
    rows.append(
        ("notes via NoteService.create", f"{service_rate:8.0f} notes/s ({args.service_notes} notes, 1 commit each)")
    )
    _table("Load", ("step", "result"), rows, numeric=False)

    header = ("read path", "p50 ms", "p95 ms", "max ms", "mean ms")
    show_rows = [
        (f"accounts show: {step}" if step != "total" else "accounts show, TOTAL", *_stats(values))
        for step, values in show.items()
    ]
    _table(
        f"`samcoach accounts show NAME` reads, {len(show['total'])} random accounts (owner's view)", header, show_rows
    )
    list_rows = [(f"accounts.list(limit=50), {who}", *_stats(values)) for who, values in listing.items()]
    _table(f"`accounts.list(limit=50)`, {args.samples} calls each", header, list_rows)


def _stats(values: list[float]) -> tuple[str, str, str, str]:
    return (
        f"{_percentile(values, 50):.2f}",
        f"{_percentile(values, 95):.2f}",
        f"{max(values):.2f}",
        f"{statistics.fmean(values):.2f}",
    )


def _table(title: str, header: Sequence[str], rows: Sequence[Sequence[str]], *, numeric: bool = True) -> None:
    """Plain fixed-width table; numeric columns are right-aligned."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    print(title)
    for cells in (header, None, *rows):
        if cells is None:
            print(line)
            continue
        aligned = [
            str(c).rjust(w) if numeric and i > 0 else str(c).ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        print("  ".join(aligned).rstrip())
    print()


if __name__ == "__main__":
    sys.exit(main())
