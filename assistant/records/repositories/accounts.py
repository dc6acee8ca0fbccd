"""Queries over accounts, stakeholders and coverage. Repositories never commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from assistant.records.actor import Actor
from assistant.records.enums import Side, Stance
from assistant.records.errors import NotFound
from assistant.records.models import Account, Coverage, HealthAssessment, Stakeholder, StanceChange, User
from assistant.records.repositories.scoping import account_scope
from assistant.records.schemas import AccountSummary, CoverageOut, StakeholderOut


def like_escape(text: str) -> str:
    """Typed text is matched literally: % and _ are not wildcards to the person typing them."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_account_summaries(
    session: Session,
    actor: Actor,
    *,
    query: str | None = None,
    industry: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[AccountSummary]:
    latest = (
        select(HealthAssessment.account_id, func.max(HealthAssessment.assessed_on).label("on"))
        .where(HealthAssessment.assessor != "customer")
        .group_by(HealthAssessment.account_id)
        .subquery()
    )
    stmt = (
        select(Account, User.name, latest.c.on)
        .join(User, User.id == Account.owner_id)
        .outerjoin(latest, latest.c.account_id == Account.id)
        .where(account_scope(session, actor))
        .order_by(Account.name)
        .limit(limit)
        .offset(offset)
    )
    if query:
        stmt = stmt.where(Account.name.ilike(f"%{like_escape(query)}%", escape="\\"))
    if industry:
        stmt = stmt.where(Account.industry.ilike(industry))
    rows = session.execute(stmt).all()
    health = _latest_overall(session, [(account.id, on) for account, _, on in rows if on is not None])
    return [
        AccountSummary(
            id=account.id,
            name=account.name,
            industry=account.industry,
            tier=account.tier,
            owner_name=owner_name,
            annual_revenue=float(account.annual_revenue),
            gross_profit=float(account.gross_profit) if account.gross_profit is not None else None,
            growth_potential=account.growth_potential,
            contract_end=account.contract_end,
            mutual_agreement=account.mutual_agreement,
            latest_health=health.get(account.id),
            latest_health_on=on,
        )
        for account, owner_name, on in rows
    ]


def _latest_overall(session: Session, keys: Sequence[tuple[int, date]]) -> dict[int, object]:
    if not keys:
        return {}
    rows = session.execute(
        select(HealthAssessment.account_id, HealthAssessment.assessed_on, HealthAssessment.overall)
        .where(HealthAssessment.account_id.in_([k for k, _ in keys]), HealthAssessment.assessor != "customer")
        .order_by(HealthAssessment.assessed_on, HealthAssessment.id)
    ).all()
    wanted = dict(keys)
    return {acc: overall for acc, on, overall in rows if wanted.get(acc) == on}


def visible_account_names(session: Session, actor: Actor) -> list[tuple[int, str]]:
    rows = session.execute(select(Account.id, Account.name).where(account_scope(session, actor)).order_by(Account.name))
    return [(account_id, name) for account_id, name in rows]


def find_visible_account_by_name(session: Session, actor: Actor, name: str) -> Account | None:
    """Exact (case-insensitive) name first, then a unique partial match."""
    scope = account_scope(session, actor)
    exact = session.scalar(select(Account).where(func.lower(Account.name) == name.strip().lower(), scope))
    if exact is not None:
        return exact
    pattern = f"%{like_escape(name.strip())}%"
    partial = session.scalars(select(Account).where(Account.name.ilike(pattern, escape="\\"), scope)).all()
    return partial[0] if len(partial) == 1 else None


def find_visible_account_by_key(session: Session, actor: Actor, key: str) -> Account | None:
    key = key.strip()
    return session.scalar(
        select(Account)
        .where(or_(Account.external_id == key, func.lower(Account.name) == key.lower()), account_scope(session, actor))
        .order_by((Account.external_id == key).desc())
        .limit(1)
    )


def account_name_exists(session: Session, name: str, *, exclude_id: int | None = None) -> bool:
    stmt = select(Account.id).where(func.lower(Account.name) == name.lower())
    if exclude_id is not None:
        stmt = stmt.where(Account.id != exclude_id)
    return session.scalar(stmt) is not None


def get_account_by_external_id(session: Session, external_id: str) -> Account | None:
    return session.scalar(select(Account).where(Account.external_id == external_id))


def get_account_by_name(session: Session, name: str) -> Account | None:
    return session.scalar(select(Account).where(func.lower(Account.name) == name.strip().lower()))


def get_stakeholder(session: Session, account_id: int, stakeholder_id: int) -> Stakeholder:
    stakeholder = session.scalar(
        select(Stakeholder).where(Stakeholder.id == stakeholder_id, Stakeholder.account_id == account_id)
    )
    if stakeholder is None:
        raise NotFound("stakeholder", stakeholder_id)
    return stakeholder


def list_stakeholders(
    session: Session,
    account_id: int,
    *,
    side: Side | None = None,
    include_inactive: bool = False,
) -> list[Stakeholder]:
    stmt = (
        select(Stakeholder)
        .where(Stakeholder.account_id == account_id)
        .options(selectinload(Stakeholder.owner))
        .order_by(Stakeholder.side, Stakeholder.power.desc(), Stakeholder.name)
    )
    if side is not None:
        stmt = stmt.where(Stakeholder.side == side)
    if not include_inactive:
        stmt = stmt.where(Stakeholder.is_active.is_(True))
    return list(session.scalars(stmt))


def get_stakeholder_by_external_id(session: Session, account_id: int, external_id: str) -> Stakeholder | None:
    return session.scalar(
        select(Stakeholder).where(Stakeholder.account_id == account_id, Stakeholder.external_id == external_id)
    )


def find_stakeholder(session: Session, account_id: int, *, external_id: str | None, name: str) -> Stakeholder | None:
    conditions = [func.lower(Stakeholder.name) == name.strip().lower()]
    if external_id:
        conditions.append(Stakeholder.external_id == external_id)
    return session.scalar(select(Stakeholder).where(Stakeholder.account_id == account_id, or_(*conditions)).limit(1))


def stakeholders_with_stance_on(session: Session, account_id: int, stance: Stance, on: date) -> list[Stakeholder]:
    """Who held `stance` on a given day, judged by stance history and employment dates."""
    latest_change = (
        select(StanceChange.stakeholder_id, func.max(StanceChange.effective_on).label("effective_on"))
        .where(StanceChange.effective_on <= on)
        .group_by(StanceChange.stakeholder_id)
        .subquery()
    )
    change = aliased(StanceChange)
    stmt = (
        select(Stakeholder)
        .join(latest_change, latest_change.c.stakeholder_id == Stakeholder.id)
        .join(
            change,
            (change.stakeholder_id == Stakeholder.id) & (change.effective_on == latest_change.c.effective_on),
        )
        .where(
            Stakeholder.account_id == account_id,
            change.stance == stance,
            or_(Stakeholder.joined_on.is_(None), Stakeholder.joined_on <= on),
            or_(Stakeholder.left_on.is_(None), Stakeholder.left_on > on),
        )
        .order_by(Stakeholder.name)
    )
    return list(session.scalars(stmt).unique())


def stakeholder_out(stakeholder: Stakeholder) -> StakeholderOut:
    out = StakeholderOut.model_validate(stakeholder)
    if stakeholder.owner is not None:
        out.owner_name = stakeholder.owner.name
    return out


def open_coverage_of(session: Session, stakeholder_id: int) -> list[Coverage]:
    return list(
        session.scalars(
            select(Coverage).where(
                or_(Coverage.stakeholder_id == stakeholder_id, Coverage.team_member_id == stakeholder_id),
                Coverage.ended_on.is_(None),
            )
        )
    )


def list_coverage(session: Session, account_id: int, *, current_only: bool = True) -> list[CoverageOut]:
    stmt = (
        select(Coverage)
        .where(Coverage.account_id == account_id)
        .options(selectinload(Coverage.team_member), selectinload(Coverage.stakeholder))
        .order_by(Coverage.team_member_id, Coverage.stakeholder_id)
    )
    if current_only:
        stmt = stmt.where(Coverage.ended_on.is_(None))
    return [coverage_out(c) for c in session.scalars(stmt)]


def coverage_out(coverage: Coverage) -> CoverageOut:
    return CoverageOut(
        id=coverage.id,
        account_id=coverage.account_id,
        team_member_id=coverage.team_member_id,
        team_member_name=coverage.team_member.name,
        stakeholder_id=coverage.stakeholder_id,
        stakeholder_name=coverage.stakeholder.name,
        access=coverage.access,
        influence=coverage.influence,
        support=coverage.support,
        started_on=coverage.started_on,
        ended_on=coverage.ended_on,
    )
