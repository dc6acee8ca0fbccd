"""records domain

Revision ID: 0001
Revises:
Create Date: 2026-11-23 11:34:35.958497
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "sam_leader", "manager", "admin", name="role", native_enum=False, create_constraint=True, length=32
            ),
            nullable=False,
        ),
        sa.Column("manager_id", sa.Integer(), nullable=True),
        sa.Column("auto_approve", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["manager_id"], ["users.id"], name=op.f("fk_users_manager_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=True),
        sa.Column("industry", sa.String(length=100), nullable=False),
        sa.Column("segment", sa.String(length=100), nullable=True),
        sa.Column("tier", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("annual_revenue", sa.Numeric(precision=16, scale=2), nullable=False),
        sa.Column("gross_profit", sa.Numeric(precision=16, scale=2), nullable=True),
        sa.Column("growth_potential", sa.Integer(), nullable=False),
        sa.Column("willingness_to_partner", sa.Integer(), nullable=False),
        sa.Column("global_reach", sa.Integer(), nullable=False),
        sa.Column("best_practice_sharing", sa.Integer(), nullable=False),
        sa.Column("mutual_agreement", sa.Boolean(), nullable=False),
        sa.Column("contract_start", sa.Date(), nullable=True),
        sa.Column("contract_end", sa.Date(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("executive_sponsor", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("annual_revenue >= 0", name=op.f("ck_accounts_revenue_not_negative")),
        sa.CheckConstraint(
            "best_practice_sharing BETWEEN 1 AND 5", name=op.f("ck_accounts_best_practice_sharing_1_to_5")
        ),
        sa.CheckConstraint(
            "contract_end IS NULL OR contract_start IS NULL OR contract_end >= contract_start",
            name=op.f("ck_accounts_contract_dates_ordered"),
        ),
        sa.CheckConstraint("global_reach BETWEEN 1 AND 5", name=op.f("ck_accounts_global_reach_1_to_5")),
        sa.CheckConstraint("growth_potential BETWEEN 1 AND 5", name=op.f("ck_accounts_growth_potential_1_to_5")),
        sa.CheckConstraint(
            "willingness_to_partner BETWEEN 1 AND 5", name=op.f("ck_accounts_willingness_to_partner_1_to_5")
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_accounts_owner_id_users"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("external_id", name=op.f("uq_accounts_external_id")),
        sa.UniqueConstraint("name", name=op.f("uq_accounts_name")),
    )
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_accounts_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=200), nullable=False),
        sa.Column(
            "channel",
            sa.Enum(
                "cli",
                "api",
                "ui",
                "assistant",
                "import",
                "demo",
                name="channel",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("entity", sa.String(length=60), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column(
            "action",
            sa.Enum(
                "create", "update", "delete", name="auditaction", native_enum=False, create_constraint=True, length=32
            ),
            nullable=False,
        ),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_audit_events_actor_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entity", ["entity", "entity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_events_account_id"), ["account_id"], unique=False)

    op.create_table(
        "charters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "proposed",
                "signed",
                "superseded",
                name="charterstatus",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("values", sa.Text(), nullable=False),
        sa.Column("vision", sa.Text(), nullable=False),
        sa.Column("mission", sa.Text(), nullable=False),
        sa.Column("customer_win", sa.Text(), nullable=False),
        sa.Column("supplier_win", sa.Text(), nullable=False),
        sa.Column("commitments", sa.JSON(), nullable=False),
        sa.Column("key_players", sa.JSON(), nullable=False),
        sa.Column("governance_cadence", sa.String(length=200), nullable=False),
        sa.Column("governance_agenda", sa.Text(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=True),
        sa.Column("next_review_due", sa.Date(), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("change_reason", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_charters_account_id_accounts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["charters.id"], name=op.f("fk_charters_parent_id_charters"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_charters")),
        sa.UniqueConstraint("account_id", "version", name=op.f("uq_charters_account_id")),
    )
    with op.batch_alter_table("charters", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_charters_account_id"), ["account_id"], unique=False)

    op.create_table(
        "health_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column(
            "overall",
            sa.Enum(
                "strong",
                "vulnerable",
                "damaged",
                name="healthstatus",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "assessor",
            sa.Enum(
                "sam_leader",
                "customer",
                "assistant",
                name="assessor",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("assessor_name", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_health_assessments_account_id_accounts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_assessments")),
    )
    with op.batch_alter_table("health_assessments", schema=None) as batch_op:
        batch_op.create_index("ix_health_account_date", ["account_id", "assessed_on"], unique=False)

    op.create_table(
        "metrics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column(
            "direction",
            sa.Enum(
                "higher_is_better",
                "lower_is_better",
                name="metricdirection",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_metrics_account_id_accounts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_metrics")),
        sa.UniqueConstraint("account_id", "key", name=op.f("uq_metrics_account_id")),
    )
    with op.batch_alter_table("metrics", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_metrics_account_id"), ["account_id"], unique=False)

    op.create_table(
        "notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=True),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "meeting",
                "call",
                "email",
                "observation",
                "customer_feedback",
                name="notekind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_notes_account_id_accounts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notes")),
        sa.UniqueConstraint("account_id", "external_id", name=op.f("uq_notes_account_id")),
    )
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.create_index("ix_notes_account_date", ["account_id", "occurred_on"], unique=False)

    op.create_table(
        "opportunities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "type",
            sa.Enum(
                "expansion",
                "renewal",
                "innovation",
                "cross_sell",
                name="opportunitytype",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("estimated_value", sa.Numeric(precision=16, scale=2), nullable=False),
        sa.Column(
            "stage",
            sa.Enum(
                "identified",
                "qualified",
                "proposed",
                "won",
                "lost",
                name="opportunitystage",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("buying_centre", sa.String(length=100), nullable=False),
        sa.Column("offering", sa.String(length=100), nullable=False),
        sa.Column("expected_close", sa.Date(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("estimated_value >= 0", name=op.f("ck_opportunities_value_not_negative")),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_opportunities_account_id_accounts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opportunities")),
    )
    with op.batch_alter_table("opportunities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_opportunities_account_id"), ["account_id"], unique=False)

    op.create_table(
        "stakeholders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.Column(
            "side",
            sa.Enum("client", "supplier", name="side", native_enum=False, create_constraint=True, length=32),
            nullable=False,
        ),
        sa.Column("department", sa.String(length=100), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column(
            "decision_role",
            sa.Enum(
                "decision_maker",
                "influencer",
                "recommender",
                "approver",
                "user",
                name="decisionrole",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("power", sa.Integer(), nullable=False),
        sa.Column("interest", sa.Integer(), nullable=False),
        sa.Column(
            "stance",
            sa.Enum(
                "sponsor",
                "supporter",
                "neutral",
                "skeptic",
                "detractor",
                name="stance",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("last_contact_on", sa.Date(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=True),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("replaced_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("interest BETWEEN 1 AND 5", name=op.f("ck_stakeholders_interest_1_to_5")),
        sa.CheckConstraint("power BETWEEN 1 AND 5", name=op.f("ck_stakeholders_power_1_to_5")),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_stakeholders_account_id_accounts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["stakeholders.id"], name=op.f("fk_stakeholders_owner_id_stakeholders"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["replaced_by_id"],
            ["stakeholders.id"],
            name=op.f("fk_stakeholders_replaced_by_id_stakeholders"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stakeholders")),
        sa.UniqueConstraint("account_id", "external_id", name=op.f("uq_stakeholders_account_id")),
    )
    with op.batch_alter_table("stakeholders", schema=None) as batch_op:
        batch_op.create_index("ix_stakeholders_account_side", ["account_id", "side"], unique=False)

    op.create_table(
        "action_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "in_progress",
                "done",
                "cancelled",
                name="actionstatus",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "origin",
            sa.Enum(
                "meeting",
                "assessment",
                "plan",
                "assistant",
                name="actionorigin",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("stakeholder_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_action_items_account_id_accounts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["stakeholder_id"],
            ["stakeholders.id"],
            name=op.f("fk_action_items_stakeholder_id_stakeholders"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_items")),
    )
    with op.batch_alter_table("action_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_items_account_id"), ["account_id"], unique=False)

    op.create_table(
        "charter_signatories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("charter_id", sa.Integer(), nullable=False),
        sa.Column("stakeholder_id", sa.Integer(), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["charter_id"], ["charters.id"], name=op.f("fk_charter_signatories_charter_id_charters"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["stakeholder_id"],
            ["stakeholders.id"],
            name=op.f("fk_charter_signatories_stakeholder_id_stakeholders"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_charter_signatories")),
        sa.UniqueConstraint("charter_id", "stakeholder_id", name=op.f("uq_charter_signatories_charter_id")),
    )
    with op.batch_alter_table("charter_signatories", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_charter_signatories_charter_id"), ["charter_id"], unique=False)

    op.create_table(
        "charter_targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("charter_id", sa.Integer(), nullable=False),
        sa.Column("metric_id", sa.Integer(), nullable=False),
        sa.Column("target", sa.Double(), nullable=False),
        sa.ForeignKeyConstraint(
            ["charter_id"], ["charters.id"], name=op.f("fk_charter_targets_charter_id_charters"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["metric_id"], ["metrics.id"], name=op.f("fk_charter_targets_metric_id_metrics"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_charter_targets")),
        sa.UniqueConstraint("charter_id", "metric_id", name=op.f("uq_charter_targets_charter_id")),
    )
    with op.batch_alter_table("charter_targets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_charter_targets_charter_id"), ["charter_id"], unique=False)

    op.create_table(
        "coverage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("team_member_id", sa.Integer(), nullable=False),
        sa.Column("stakeholder_id", sa.Integer(), nullable=False),
        sa.Column("access", sa.Integer(), nullable=False),
        sa.Column("influence", sa.Integer(), nullable=False),
        sa.Column("support", sa.Integer(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.CheckConstraint("access BETWEEN 1 AND 5", name=op.f("ck_coverage_access_1_to_5")),
        sa.CheckConstraint(
            "ended_on IS NULL OR started_on IS NULL OR ended_on >= started_on",
            name=op.f("ck_coverage_coverage_dates_ordered"),
        ),
        sa.CheckConstraint("influence BETWEEN 1 AND 5", name=op.f("ck_coverage_influence_1_to_5")),
        sa.CheckConstraint("support BETWEEN 1 AND 5", name=op.f("ck_coverage_support_1_to_5")),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_coverage_account_id_accounts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["stakeholder_id"],
            ["stakeholders.id"],
            name=op.f("fk_coverage_stakeholder_id_stakeholders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_member_id"],
            ["stakeholders.id"],
            name=op.f("fk_coverage_team_member_id_stakeholders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coverage")),
    )
    with op.batch_alter_table("coverage", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coverage_account_id"), ["account_id"], unique=False)

    op.create_table(
        "metric_readings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("metric_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["metric_id"], ["metrics.id"], name=op.f("fk_metric_readings_metric_id_metrics"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_metric_readings")),
        sa.UniqueConstraint("metric_id", "period", name=op.f("uq_metric_readings_metric_id")),
    )
    with op.batch_alter_table("metric_readings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_metric_readings_metric_id"), ["metric_id"], unique=False)

    op.create_table(
        "note_mentions",
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("stakeholder_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["note_id"], ["notes.id"], name=op.f("fk_note_mentions_note_id_notes"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["stakeholder_id"],
            ["stakeholders.id"],
            name=op.f("fk_note_mentions_stakeholder_id_stakeholders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("note_id", "stakeholder_id", name=op.f("pk_note_mentions")),
    )
    op.create_table(
        "opportunity_stakeholders",
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("stakeholder_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["opportunities.id"],
            name=op.f("fk_opportunity_stakeholders_opportunity_id_opportunities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["stakeholder_id"],
            ["stakeholders.id"],
            name=op.f("fk_opportunity_stakeholders_stakeholder_id_stakeholders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("opportunity_id", "stakeholder_id", name=op.f("pk_opportunity_stakeholders")),
    )
    op.create_table(
        "stance_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stakeholder_id", sa.Integer(), nullable=False),
        sa.Column(
            "stance",
            sa.Enum(
                "sponsor",
                "supporter",
                "neutral",
                "skeptic",
                "detractor",
                name="stance",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["stakeholder_id"],
            ["stakeholders.id"],
            name=op.f("fk_stance_changes_stakeholder_id_stakeholders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stance_changes")),
    )
    with op.batch_alter_table("stance_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stance_changes_stakeholder_id"), ["stakeholder_id"], unique=False)

    op.create_table(
        "zone_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column(
            "zone",
            sa.Enum(
                "value",
                "alignment",
                "relationships",
                "growth",
                name="zone",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name=op.f("ck_zone_scores_score_1_to_5")),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["health_assessments.id"],
            name=op.f("fk_zone_scores_assessment_id_health_assessments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_zone_scores")),
        sa.UniqueConstraint("assessment_id", "zone", name=op.f("uq_zone_scores_assessment_id")),
    )


def downgrade() -> None:
    op.drop_table("zone_scores")
    with op.batch_alter_table("stance_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stance_changes_stakeholder_id"))

    op.drop_table("stance_changes")
    op.drop_table("opportunity_stakeholders")
    op.drop_table("note_mentions")
    with op.batch_alter_table("metric_readings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_metric_readings_metric_id"))

    op.drop_table("metric_readings")
    with op.batch_alter_table("coverage", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coverage_account_id"))

    op.drop_table("coverage")
    with op.batch_alter_table("charter_targets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_charter_targets_charter_id"))

    op.drop_table("charter_targets")
    with op.batch_alter_table("charter_signatories", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_charter_signatories_charter_id"))

    op.drop_table("charter_signatories")
    with op.batch_alter_table("action_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_items_account_id"))

    op.drop_table("action_items")
    with op.batch_alter_table("stakeholders", schema=None) as batch_op:
        batch_op.drop_index("ix_stakeholders_account_side")

    op.drop_table("stakeholders")
    with op.batch_alter_table("opportunities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_opportunities_account_id"))

    op.drop_table("opportunities")
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.drop_index("ix_notes_account_date")

    op.drop_table("notes")
    with op.batch_alter_table("metrics", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_metrics_account_id"))

    op.drop_table("metrics")
    with op.batch_alter_table("health_assessments", schema=None) as batch_op:
        batch_op.drop_index("ix_health_account_date")

    op.drop_table("health_assessments")
    with op.batch_alter_table("charters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_charters_account_id"))

    op.drop_table("charters")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_events_account_id"))
        batch_op.drop_index("ix_audit_entity")

    op.drop_table("audit_events")
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_accounts_owner_id"))

    op.drop_table("accounts")
    op.drop_table("users")
