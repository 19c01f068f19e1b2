"""Plh./Plt. delegations: the delegations table, the cards sent to substitutes, tasks.acting_as

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

A delegation names a substitute for one role of a run for a period; the scheduler finds
the beginnings and ends it must carry out through ``next_change_at`` (indexed with id,
like the tasks' ``next_nag_at``). ``runs.has_covers`` says a run has an accepted one, so runs without
any never read the table. ``tasks.acting_as`` records that a step was confirmed
by a substitute ("plh"/"plt"), so the trail shows "Siti (Plh. Kepala Badan)".
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('tasks', sa.Column('acting_as', sa.String(length=8), nullable=True))
    op.add_column('runs', sa.Column('has_covers', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table('delegations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('role_key', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('holder_id', sa.BigInteger(), nullable=True),
    sa.Column('substitute_id', sa.BigInteger(), nullable=False),
    sa.Column('requested_by', sa.BigInteger(), nullable=False),
    sa.Column('reason', sa.String(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('first_day', sa.String(length=10), nullable=True),
    sa.Column('last_day', sa.String(length=10), nullable=True),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('accept_by', sa.DateTime(timezone=True), nullable=True),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('begun', sa.Boolean(), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_by', sa.BigInteger(), nullable=True),
    sa.Column('next_change_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'accepted', 'declined', 'cancelled', 'expired', 'ended')",
                       name=op.f('ck_delegations_status')),
    sa.CheckConstraint("kind IN ('plh', 'plt')", name=op.f('ck_delegations_kind')),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], name=op.f('fk_delegations_run_id_runs')),
    sa.ForeignKeyConstraint(['holder_id'], ['users.id'], name=op.f('fk_delegations_holder_id_users')),
    sa.ForeignKeyConstraint(['substitute_id'], ['users.id'], name=op.f('fk_delegations_substitute_id_users')),
    sa.ForeignKeyConstraint(['requested_by'], ['users.id'], name=op.f('fk_delegations_requested_by_users')),
    sa.ForeignKeyConstraint(['ended_by'], ['users.id'], name=op.f('fk_delegations_ended_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delegations'))
    )
    op.create_index(op.f('ix_delegations_run_id_role_key_status'), 'delegations',
                    ['run_id', 'role_key', 'status'], unique=False)
    op.create_index(op.f('ix_delegations_next_change_at_id'), 'delegations', ['next_change_at', 'id'], unique=False)
    op.create_table('delegation_cards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('delegation_id', sa.Integer(), nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('message_id', sa.BigInteger(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['delegation_id'], ['delegations.id'],
                            name=op.f('fk_delegation_cards_delegation_id_delegations')),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_delegation_cards_task_id_tasks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delegation_cards'))
    )
    op.create_index(op.f('ix_delegation_cards_delegation_id'), 'delegation_cards', ['delegation_id'], unique=False)


def downgrade() -> None:
    op.drop_table('delegation_cards')
    op.drop_table('delegations')
    with op.batch_alter_table('tasks') as batch:
        batch.drop_column('acting_as')
    with op.batch_alter_table('runs') as batch:
        batch.drop_column('has_covers')
