"""Reading the demo data files and checking the references between their sections.

Every file is validated twice: field by field with pydantic (a typo names the file and the field), then for
references between sections (a note's author must be on our team, an evidence key must name a note dated
before the assessment, a meeting cannot mention someone after their last contact, ...). Nothing is written
until every file passes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import TypeVar

import yaml
from pydantic import ValidationError

from assistant.records.demo.spec import (
    AccountFile,
    AssessmentSpec,
    PeopleFile,
    SpecModel,
    StakeholderSpec,
)
from assistant.records.enums import NoteKind, Role, Side, Zone

PEOPLE_FILE = "people.yaml"
# The oldest of the last four completed quarters ends at least this many days before "today"; an assessment
# citing a reading must not be older than that, whatever day the demo is loaded on.
READINGS_SAFE_DAYS = 273
CONTACT_KINDS = (NoteKind.MEETING, NoteKind.CALL)

M = TypeVar("M", bound=SpecModel)


class DemoDataError(ValueError):
    """A demo data file is malformed; the message names the file and the field."""


@dataclass(frozen=True)
class DemoAccount:
    slug: str
    spec: AccountFile

    @property
    def name(self) -> str:
        return self.spec.account.name


@dataclass(frozen=True)
class DemoData:
    people: PeopleFile
    accounts: list[DemoAccount]


def default_data_dir() -> Traversable:
    return files("assistant.records.demo") / "data"


def read_demo_data(data_dir: Traversable | None = None) -> DemoData:
    """Read and check every data file; raises `DemoDataError` naming the file and field at fault."""
    folder = data_dir if data_dir is not None else default_data_dir()
    people = _read_file(folder / PEOPLE_FILE, PeopleFile)
    _raise_problems(PEOPLE_FILE, check_people(people))
    emails = {u.email.lower() for u in people.users}
    accounts: list[DemoAccount] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml") or entry.name == PEOPLE_FILE:
            continue
        spec = _read_file(entry, AccountFile)
        problems = check_account(spec)
        if spec.account.owner.lower() not in emails:
            problems.append(f"account.owner: {spec.account.owner!r} is not a user in {PEOPLE_FILE}")
        _raise_problems(entry.name, problems)
        accounts.append(DemoAccount(slug=entry.name.removesuffix(".yaml"), spec=spec))
    names = [a.name.lower() for a in accounts]
    if len(set(names)) != len(names):
        raise DemoDataError("two demo files describe accounts with the same name")
    return DemoData(people=people, accounts=accounts)


def _read_file(entry: Traversable, model: type[M]) -> M:
    try:
        raw = yaml.safe_load(entry.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DemoDataError(f"{entry.name}: cannot read: {exc}") from exc
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        lines = [
            f"{entry.name}: {_location(err['loc'])}: {err['msg'].removeprefix('Value error, ')}"
            for err in exc.errors(include_url=False)
        ]
        raise DemoDataError("\n".join(lines)) from exc


def _location(loc: Iterable[int | str]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(file)"


def _raise_problems(file_name: str, problems: list[str]) -> None:
    if problems:
        raise DemoDataError("\n".join(f"{file_name}: {p}" for p in problems))


def check_people(people: PeopleFile) -> list[str]:
    problems: list[str] = []
    seen: dict[str, Role] = {}
    for i, user in enumerate(people.users):
        if user.manager is not None:
            role = seen.get(user.manager.lower())
            if role is None:
                problems.append(f"users[{i}].manager: {user.manager!r} is not listed before {user.name!r}")
            elif role is Role.SAM_LEADER:
                problems.append(f"users[{i}].manager: {user.manager!r} is not a manager")
        seen[user.email.lower()] = user.role
    if Role.ADMIN not in seen.values():
        problems.append("users: the demo needs an admin user")
    return problems


def check_account(spec: AccountFile) -> list[str]:
    """Cross-references inside one account file, each problem named by its path."""
    problems: list[str] = []
    people = {s.name: s for s in spec.stakeholders}
    team = {s.name for s in spec.stakeholders if s.side is Side.SUPPLIER}
    client = {s.name for s in spec.stakeholders if s.side is Side.CLIENT}

    def person(path: str, name: str | None, among: set[str] | None = None, what: str = "stakeholder") -> None:
        if name is not None and name not in (among if among is not None else people):
            problems.append(f"{path}: no {what} named {name!r}")

    if len(people) != len(spec.stakeholders):
        problems.append("stakeholders: two stakeholders share a name")
    if spec.account.contract_end <= spec.account.contract_start:
        problems.append("account.contract_end: must be after contract_start")
    listed: set[str] = set()
    for i, s in enumerate(spec.stakeholders):
        person(f"stakeholders[{i}].owner", s.owner, team, "supplier-side team member")
        if s.side is Side.SUPPLIER and (s.owner or s.decision_role or s.replaces):
            problems.append(f"stakeholders[{i}]: owner, decision_role and replaces are for client stakeholders")
        if s.replaces is not None:
            if s.replaces.name not in listed:
                problems.append(f"stakeholders[{i}].replaces.name: {s.replaces.name!r} must be listed earlier")
            elif people[s.replaces.name].left is not None:
                problems.append(f"stakeholders[{i}].replaces.name: {s.replaces.name!r} already has a left date")
        if s.left is not None and s.left < s.joined:
            problems.append(f"stakeholders[{i}].left: before joined")
        if s.last_contact is not None and s.last_contact > 0:
            problems.append(f"stakeholders[{i}].last_contact: in the future")
        listed.add(s.name)
    for i, c in enumerate(spec.coverage):
        person(f"coverage[{i}].member", c.member, team, "supplier-side team member")
        person(f"coverage[{i}].stakeholder", c.stakeholder, client, "client stakeholder")
    metric_keys = [m.key for m in spec.metrics]
    if len(set(metric_keys)) != len(metric_keys):
        problems.append("metrics: two metrics share a key")
    for i, charter in enumerate(spec.charters):
        missing = sorted(set(metric_keys) - set(charter.targets))
        unknown = sorted(set(charter.targets) - set(metric_keys))
        if missing:
            problems.append(f"charters[{i}].targets: no target for {', '.join(missing)}")
        if unknown:
            problems.append(f"charters[{i}].targets: unknown metric {', '.join(unknown)}")
        for j, signature in enumerate(charter.signed_by):
            person(f"charters[{i}].signed_by[{j}].name", signature.name)
        if charter.next_review - charter.effective > 365:
            problems.append(f"charters[{i}].next_review: more than a year after effective")
    note_keys: dict[str, int] = {}
    for i, note in enumerate(spec.notes):
        person(f"notes[{i}].author", note.author, team, "supplier-side team member")
        for j, name in enumerate(note.mentions):
            person(f"notes[{i}].mentions[{j}]", name)
        if note.when > 0:
            problems.append(f"notes[{i}].when: notes record what happened; this one is in the future")
        if note.key is not None:
            if note.key in note_keys:
                problems.append(f"notes[{i}].key: {note.key!r} used twice")
            note_keys[note.key] = note.when
    for i, a in enumerate(spec.assessments):
        if set(a.zones) != set(Zone):
            problems.append(f"assessments[{i}].zones: score each of {', '.join(z.value for z in Zone)}")
        for j, ref in enumerate(a.evidence):
            problems.extend(_check_evidence(f"assessments[{i}].evidence[{j}]", ref, a, note_keys, people, metric_keys))
    for i, action in enumerate(spec.actions):
        person(f"actions[{i}].owner", action.owner, team, "supplier-side team member")
        person(f"actions[{i}].stakeholder", action.stakeholder)
    for i, opportunity in enumerate(spec.opportunities):
        for j, name in enumerate(opportunity.stakeholders):
            person(f"opportunities[{i}].stakeholders[{j}]", name)
    problems.extend(_check_last_contact(spec))
    return problems


def _check_evidence(
    path: str,
    ref: str,
    assessment: AssessmentSpec,
    note_keys: dict[str, int],
    people: dict[str, StakeholderSpec],
    metric_keys: list[str],
) -> list[str]:
    kind, _, target = ref.partition(":")
    if kind == "note":
        if target not in note_keys:
            return [f"{path}: no note with key {target!r}"]
        if note_keys[target] > assessment.when:
            return [f"{path}: note {target!r} is dated after the assessment"]
        return []
    if kind == "stakeholder":
        return [] if target in people else [f"{path}: no stakeholder named {target!r}"]
    if kind == "reading":
        if target not in metric_keys:
            return [f"{path}: no metric with key {target!r}"]
        if assessment.when < -READINGS_SAFE_DAYS:
            return [f"{path}: assessments older than {READINGS_SAFE_DAYS} days cannot cite readings"]
        return []
    return [f"{path}: expected 'note:<key>', 'stakeholder:<name>' or 'reading:<metric key>', got {ref!r}"]


def _check_last_contact(spec: AccountFile) -> list[str]:
    """A meeting or call that mentions someone is contact: their last_contact cannot be older than it."""
    problems: list[str] = []
    latest: dict[str, int] = {}
    for note in spec.notes:
        if note.kind in CONTACT_KINDS:
            for name in note.mentions:
                latest[name] = max(latest.get(name, note.when), note.when)
    for i, s in enumerate(spec.stakeholders):
        met = latest.get(s.name)
        if s.side is Side.CLIENT and met is not None and (s.last_contact is None or s.last_contact < met):
            problems.append(
                f"stakeholders[{i}].last_contact: a {met}d meeting or call mentions {s.name}; last_contact says "
                f"{s.last_contact}"
            )
    return problems
