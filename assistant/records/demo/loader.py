"""Load the demo portfolio through the records services, exactly as a user's own changes would arrive.

Everything is written by the account owner on the `demo` channel, so the audit trail, stance history and
charter approvals look like real use. Dates are resolved against `today`, so the portfolio never goes stale.

Re-running is harmless. Each account is created with the external id `demo:<slug>:loading` and gets
`demo:<slug>` only when its last record is in: a complete demo account is skipped, one left half-loaded by an
interrupted run is deleted and loaded again, and an account of the same name that the demo did not create
is never touched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial

from assistant import clock
from assistant.records import Records
from assistant.records.actor import Actor
from assistant.records.demo.datafiles import DemoAccount, DemoData, DemoDataError, read_demo_data
from assistant.records.demo.report import AccountCounts, DemoReport
from assistant.records.demo.spec import (
    AccountFile,
    CharterSpec,
    StakeholderChange,
    StakeholderSpec,
    last_quarters,
    on_day,
)
from assistant.records.enums import Channel, EvidenceKind, Role, Side
from assistant.records.schemas import AccountOut, UserOut
from assistant.records.services.users import actor_for

LOADING_SUFFIX = ":loading"


def demo_is_loaded(records: Records) -> bool:
    """True when every demo user exists and every demo account is present and completely loaded."""
    data = read_demo_data()
    users = {u.email.lower(): records.users.find_by_email(email=u.email) for u in data.people.users}
    if any(user is None for user in users.values()):
        return False
    admin = _admin_actor(data, {email: user for email, user in users.items() if user is not None})
    for account in data.accounts:
        found = _find_account(records, admin, account.name)
        if found is None or found.external_id != _marker(account.slug):
            return False
    return True


def load_demo(records: Records, *, today: date | None = None) -> DemoReport:
    """Create the demo users and accounts that are missing; everything through the services."""
    data = read_demo_data()
    day0 = today if today is not None else clock.today()
    report = DemoReport(today=day0)
    users = _ensure_users(records, data, report)
    admin = _admin_actor(data, users)
    for account in data.accounts:
        owner = actor_for(users[account.spec.account.owner.lower()], Channel.DEMO)
        existing = _find_account(records, admin, account.name)
        if existing is not None:
            if existing.external_id == _marker(account.slug):
                report.accounts_skipped.append(account.name)
                continue
            if existing.external_id != _marker(account.slug) + LOADING_SUFFIX:
                report.accounts_skipped.append(account.name)
                report.messages.append(
                    f"An account named {account.name!r} already exists and was not created by the demo; "
                    "it was left untouched. Rename or delete it to load the demo version."
                )
                continue
            records.accounts.delete(actor=admin, account_id=existing.id)
            report.accounts_reloaded.append(account.name)
            report.messages.append(f"{account.name} was half-loaded by an interrupted run; it was loaded again.")
        report.counts[account.name] = _load_account(records, owner, account, day0)
        report.accounts_created.append(account.name)
    return report


def _marker(slug: str) -> str:
    return f"demo:{slug}"


def _ensure_users(records: Records, data: DemoData, report: DemoReport) -> dict[str, UserOut]:
    users: dict[str, UserOut] = {}
    for spec in data.people.users:
        found = records.users.find_by_email(email=spec.email)
        if found is not None:
            report.users_existing.append(spec.name)
        else:
            manager_id = users[spec.manager.lower()].id if spec.manager is not None else None
            found = records.users.create(
                data={"name": spec.name, "email": spec.email, "role": spec.role, "manager_id": manager_id}
            )
            report.users_created.append(spec.name)
        users[spec.email.lower()] = found
    return users


def _admin_actor(data: DemoData, users: dict[str, UserOut]) -> Actor:
    admin = next(u for u in data.people.users if u.role is Role.ADMIN)
    return actor_for(users[admin.email.lower()], Channel.DEMO)


def _find_account(records: Records, admin: Actor, name: str) -> AccountOut | None:
    # `find` falls back to partial matches; the demo only cares about its own exact name.
    found = records.accounts.find(actor=admin, name=name)
    return found if found is not None and found.name.casefold() == name.casefold() else None


def _load_account(records: Records, actor: Actor, account: DemoAccount, today: date) -> AccountCounts:
    spec = account.spec
    fields = spec.account
    created = records.accounts.create(
        actor=actor,
        data={
            "name": fields.name,
            "industry": fields.industry,
            "external_id": _marker(account.slug) + LOADING_SUFFIX,
            "segment": fields.segment,
            "tier": fields.tier,
            "description": fields.description,
            "annual_revenue": fields.annual_revenue,
            "gross_profit": fields.gross_profit,
            "growth_potential": fields.growth_potential,
            "willingness_to_partner": fields.willingness_to_partner,
            "global_reach": fields.global_reach,
            "best_practice_sharing": fields.best_practice_sharing,
            "mutual_agreement": fields.mutual_agreement,
            "contract_start": on_day(today, fields.contract_start),
            "contract_end": on_day(today, fields.contract_end),
            "owner_id": actor.user_id,
            "executive_sponsor": fields.executive_sponsor,
        },
    )
    try:
        counts = _AccountLoader(records, actor, created.id, account, today).run()
    except BaseException as exc:
        # Leave nothing half-made behind; a hard kill is caught by the marker on the next run instead.
        try:
            records.accounts.delete(actor=actor, account_id=created.id)
        except Exception as cleanup:
            exc.add_note(f"and removing the half-loaded account {fields.name!r} failed too: {cleanup}")
        else:
            exc.add_note(f"the half-loaded demo account {fields.name!r} was removed; fix the cause and re-run")
        raise
    records.accounts.update(actor=actor, account_id=created.id, data={"external_id": _marker(account.slug)})
    return counts


@dataclass
class _AccountLoader:
    records: Records
    actor: Actor
    account_id: int
    account: DemoAccount
    today: date
    people: dict[str, int] = field(default_factory=dict)
    notes: dict[str, int] = field(default_factory=dict)
    # metric key -> [(period end, reading id)], oldest first
    readings: dict[str, list[tuple[date, int]]] = field(default_factory=dict)
    counts: AccountCounts = field(default_factory=AccountCounts)

    @property
    def spec(self) -> AccountFile:
        return self.account.spec

    def day(self, offset: int) -> date:
        return on_day(self.today, offset)

    def maybe_day(self, offset: int | None) -> date | None:
        return None if offset is None else self.day(offset)

    def run(self) -> AccountCounts:
        self._first_stakeholders()
        self._metrics()
        self._history()
        self._coverage()
        self._notes()
        self._assessments()
        self._actions()
        self._opportunities()
        return self.counts

    def _first_stakeholders(self) -> None:
        """Everyone except successors, as they were before any departure."""
        # Our team first: client stakeholders name their relationship owner among them.
        ordered = [s for s in self.spec.stakeholders if s.side is Side.SUPPLIER]
        ordered += [s for s in self.spec.stakeholders if s.side is Side.CLIENT and s.replaces is None]
        for spec in ordered:
            created = self.records.stakeholders.create(
                actor=self.actor, account_id=self.account_id, data=self._stakeholder_payload(spec)
            )
            self.people[spec.name] = created.id
            self.counts.stakeholders += 1

    def _history(self) -> None:
        """Charter signings, departures, replacements and changes, replayed in date order.

        Order matters to the services: a charter can only be signed by people who have not left yet.
        """
        events: list[tuple[int, int, Callable[[], None]]] = []
        for charter in self.spec.charters:
            events.append((min(s.when for s in charter.signed_by), len(events), partial(self._charter, charter)))
        for spec in self.spec.stakeholders:
            if spec.replaces is not None:
                events.append((spec.replaces.left, len(events), partial(self._replace, spec)))
            if spec.left is not None:
                events.append((spec.left, len(events), partial(self._leave, spec)))
            for change in spec.changes:
                events.append((change.when, len(events), partial(self._change, spec.name, change)))
        for _, _, event in sorted(events, key=lambda e: (e[0], e[1])):
            event()

    def _replace(self, spec: StakeholderSpec) -> None:
        assert spec.replaces is not None
        created = self.records.stakeholders.replace(
            actor=self.actor,
            account_id=self.account_id,
            stakeholder_id=self.people[spec.replaces.name],
            successor=self._stakeholder_payload(spec),
            left_on=self.day(spec.replaces.left),
        )
        self.people[spec.name] = created.id
        self.counts.stakeholders += 1

    def _leave(self, spec: StakeholderSpec) -> None:
        assert spec.left is not None
        self.records.stakeholders.update(
            actor=self.actor,
            account_id=self.account_id,
            stakeholder_id=self.people[spec.name],
            data={"left_on": self.day(spec.left)},
        )

    def _change(self, name: str, change: StakeholderChange) -> None:
        self.records.stakeholders.update(
            actor=self.actor,
            account_id=self.account_id,
            stakeholder_id=self.people[name],
            data=change.model_dump(exclude={"when"}, exclude_none=True),
            effective_on=self.day(change.when),
        )

    def _stakeholder_payload(self, spec: StakeholderSpec) -> dict[str, object]:
        return {
            "name": spec.name,
            "title": spec.title,
            "side": spec.side,
            "department": spec.department,
            "email": spec.email,
            "decision_role": spec.decision_role,
            "power": spec.power,
            "interest": spec.interest,
            "stance": spec.stance,
            "last_contact_on": self.maybe_day(spec.last_contact),
            "owner_id": self.people[spec.owner] if spec.owner is not None else None,
            "joined_on": self.day(spec.joined),
        }

    def _coverage(self) -> None:
        for row in self.spec.coverage:
            self.records.stakeholders.add_coverage(
                actor=self.actor,
                account_id=self.account_id,
                data={
                    "team_member_id": self.people[row.member],
                    "stakeholder_id": self.people[row.stakeholder],
                    "access": row.access,
                    "influence": row.influence,
                    "support": row.support,
                    "started_on": self.maybe_day(row.since),
                    "ended_on": self.maybe_day(row.until),
                },
            )
            self.counts.coverage += 1

    def _metrics(self) -> None:
        quarters = last_quarters(self.today)
        for spec in self.spec.metrics:
            metric = self.records.metrics.create(
                actor=self.actor,
                account_id=self.account_id,
                data={
                    "key": spec.key,
                    "name": spec.name,
                    "unit": spec.unit,
                    "direction": spec.direction,
                    "description": spec.description,
                },
            )
            self.counts.metrics += 1
            recorded = self.readings.setdefault(spec.key, [])
            for (period, period_end), value in zip(quarters, spec.values, strict=True):
                reading = self.records.metrics.record_reading(
                    actor=self.actor,
                    account_id=self.account_id,
                    metric_id=metric.id,
                    data={"period": period, "period_end": period_end, "value": value, "source": spec.source},
                )
                recorded.append((period_end, reading.id))
                self.counts.readings += 1

    def _charter(self, spec: CharterSpec) -> None:
        charters = self.records.charters
        draft = charters.create_draft(
            actor=self.actor,
            account_id=self.account_id,
            data={
                "purpose": spec.purpose,
                "values": spec.values,
                "vision": spec.vision,
                "mission": spec.mission,
                "customer_win": spec.customer_win,
                "supplier_win": spec.supplier_win,
                "commitments": [c.model_dump(mode="json") for c in spec.commitments],
                "key_players": [k.model_dump(mode="json") for k in spec.key_players],
                "governance_cadence": spec.governance_cadence,
                "governance_agenda": spec.governance_agenda,
                "effective_on": self.day(spec.effective),
                "next_review_due": self.day(spec.next_review),
                "targets": [{"metric_key": key, "target": target} for key, target in spec.targets.items()],
                "signatory_ids": [self.people[s.name] for s in spec.signed_by],
                "change_reason": spec.change_reason,
            },
        )
        charters.propose(actor=self.actor, account_id=self.account_id, version=draft.version)
        for signature in sorted(spec.signed_by, key=lambda s: s.when):
            charters.approve(
                actor=self.actor,
                account_id=self.account_id,
                version=draft.version,
                signatory_id=self.people[signature.name],
                approved_on=self.day(signature.when),
            )
        self.counts.charter_versions += 1

    def _notes(self) -> None:
        for spec in sorted(self.spec.notes, key=lambda n: n.when):
            note = self.records.notes.create(
                actor=self.actor,
                account_id=self.account_id,
                data={
                    "occurred_on": self.day(spec.when),
                    "author": spec.author,
                    "kind": spec.kind,
                    "body": spec.body,
                    "mentioned_ids": [self.people[name] for name in spec.mentions],
                },
            )
            if spec.key is not None:
                self.notes[spec.key] = note.id
            self.counts.notes += 1

    def _assessments(self) -> None:
        for index, spec in sorted(enumerate(self.spec.assessments), key=lambda pair: pair[1].when):
            assessed_on = self.day(spec.when)
            evidence = [self._evidence(index, ref, assessed_on) for ref in spec.evidence]
            self.records.health.create(
                actor=self.actor,
                account_id=self.account_id,
                data={
                    "assessed_on": assessed_on,
                    "overall": spec.overall,
                    "assessor": spec.assessor,
                    "assessor_name": spec.by,
                    "summary": spec.summary,
                    "zones": [
                        {"zone": zone, "score": score.score, "rationale": score.rationale}
                        for zone, score in spec.zones.items()
                    ],
                    "evidence": evidence,
                },
            )
            self.counts.assessments += 1

    def _evidence(self, index: int, ref: str, assessed_on: date) -> dict[str, object]:
        kind, _, key = ref.partition(":")
        if kind == "note":
            return {"kind": EvidenceKind.NOTE, "id": self.notes[key]}
        if kind == "stakeholder":
            return {"kind": EvidenceKind.STAKEHOLDER, "id": self.people[key]}
        # The reading the assessor had in hand: the newest one published by the assessment date.
        available = [reading_id for period_end, reading_id in self.readings[key] if period_end <= assessed_on]
        if not available:
            raise DemoDataError(
                f"{self.account.slug}.yaml: assessments[{index}].evidence: no {key} reading by {assessed_on}"
            )
        return {"kind": EvidenceKind.METRIC_READING, "id": available[-1]}

    def _actions(self) -> None:
        for spec in self.spec.actions:
            self.records.actions.create(
                actor=self.actor,
                account_id=self.account_id,
                data={
                    "title": spec.title,
                    "owner": spec.owner,
                    "due_on": self.maybe_day(spec.due),
                    "status": spec.status,
                    "origin": spec.origin,
                    "stakeholder_id": self.people[spec.stakeholder] if spec.stakeholder is not None else None,
                },
            )
            self.counts.actions += 1

    def _opportunities(self) -> None:
        for spec in self.spec.opportunities:
            self.records.opportunities.create(
                actor=self.actor,
                account_id=self.account_id,
                data={
                    "name": spec.name,
                    "type": spec.type,
                    "estimated_value": spec.value,
                    "stage": spec.stage,
                    "buying_centre": spec.buying_centre,
                    "offering": spec.offering,
                    "expected_close": self.maybe_day(spec.close),
                    "description": spec.description,
                    "stakeholder_ids": [self.people[name] for name in spec.stakeholders],
                },
            )
            self.counts.opportunities += 1
