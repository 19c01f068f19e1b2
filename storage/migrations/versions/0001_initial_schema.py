"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22

Reviewed by hand after autogenerate: plain op.create_index instead of batch blocks
(creating an index needs no table copy on SQLite); downgrade drops the tables, which
takes their indexes with them.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('chats',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('type', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(), nullable=True),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('run_counter', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("language IN ('id', 'en')", name=op.f('ck_chats_language')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chats'))
    )
    op.create_table('sop_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sop_id', sa.String(length=48), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('nama', sa.String(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sop_versions')),
    sa.UniqueConstraint('sop_id', 'content_hash', name=op.f('uq_sop_versions_sop_id_content_hash'))
    )
    op.create_index(op.f('ix_sop_versions_sop_id'), 'sop_versions', ['sop_id'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('first_name', sa.String(), nullable=True),
    sa.Column('username', sa.String(), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('started_private', sa.Boolean(), nullable=False),
    sa.Column('unreachable_since', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users'))
    )
    op.create_table('runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('sop_version_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('coordinator_id', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('current_step_no', sa.Integer(), nullable=True),
    sa.Column('pass_no', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_by', sa.BigInteger(), nullable=True),
    sa.Column('cancel_reason', sa.String(), nullable=True),
    sa.CheckConstraint("status IN ('active', 'finished', 'cancelled')", name=op.f('ck_runs_status')),
    sa.ForeignKeyConstraint(['cancelled_by'], ['users.id'], name=op.f('fk_runs_cancelled_by_users')),
    sa.ForeignKeyConstraint(['chat_id'], ['chats.id'], name=op.f('fk_runs_chat_id_chats')),
    sa.ForeignKeyConstraint(['coordinator_id'], ['users.id'], name=op.f('fk_runs_coordinator_id_users')),
    sa.ForeignKeyConstraint(['sop_version_id'], ['sop_versions.id'], name=op.f('fk_runs_sop_version_id_sop_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_runs')),
    sa.UniqueConstraint('chat_id', 'number', name=op.f('uq_runs_chat_id_number'))
    )
    op.create_index(op.f('ix_runs_chat_id_status'), 'runs', ['chat_id', 'status'], unique=False)
    op.create_index(op.f('ix_runs_sop_version_id'), 'runs', ['sop_version_id'], unique=False)

    op.create_table('role_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('role_key', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('assigned_by', sa.BigInteger(), nullable=True),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_by', sa.BigInteger(), nullable=True),
    sa.CheckConstraint("status IN ('active', 'pending', 'released', 'revoked', 'rejected')", name=op.f('ck_role_assignments_status')),
    sa.ForeignKeyConstraint(['assigned_by'], ['users.id'], name=op.f('fk_role_assignments_assigned_by_users')),
    sa.ForeignKeyConstraint(['ended_by'], ['users.id'], name=op.f('fk_role_assignments_ended_by_users')),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], name=op.f('fk_role_assignments_run_id_runs')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_role_assignments_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_role_assignments'))
    )
    op.create_index(op.f('ix_role_assignments_user_id_status'), 'role_assignments', ['user_id', 'status'], unique=False)
    op.create_index('uq_role_assignments_active_holder', 'role_assignments', ['run_id', 'role_key'], unique=True, sqlite_where=sa.text("status = 'active'"), postgresql_where=sa.text("status = 'active'"))
    op.create_index('uq_role_assignments_pending_claim', 'role_assignments', ['run_id', 'role_key', 'user_id'], unique=True, sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))

    op.create_table('tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('step_no', sa.Integer(), nullable=False),
    sa.Column('chain_index', sa.Integer(), nullable=False),
    sa.Column('pass_no', sa.Integer(), nullable=False),
    sa.Column('role_key', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('standard_minutes', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('completed_by', sa.BigInteger(), nullable=True),
    sa.Column('on_behalf', sa.Boolean(), nullable=False),
    sa.Column('on_behalf_reason', sa.String(), nullable=True),
    sa.Column('note', sa.String(), nullable=True),
    sa.Column('outcome_key', sa.String(length=32), nullable=True),
    sa.Column('decision_reason', sa.String(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_task_id', sa.Integer(), nullable=True),
    sa.Column('activated_by_task_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('waiting', 'active', 'done', 'cancelled')", name=op.f('ck_tasks_status')),
    sa.ForeignKeyConstraint(['activated_by_task_id'], ['tasks.id'], name=op.f('fk_tasks_activated_by_task_id_tasks')),
    sa.ForeignKeyConstraint(['completed_by'], ['users.id'], name=op.f('fk_tasks_completed_by_users')),
    sa.ForeignKeyConstraint(['created_by_task_id'], ['tasks.id'], name=op.f('fk_tasks_created_by_task_id_tasks')),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], name=op.f('fk_tasks_run_id_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tasks'))
    )
    op.create_index(op.f('ix_tasks_role_key_status'), 'tasks', ['role_key', 'status'], unique=False)
    op.create_index(op.f('ix_tasks_run_id_status'), 'tasks', ['run_id', 'status'], unique=False)
    op.create_index('uq_tasks_live_slot', 'tasks', ['run_id', 'step_no', 'pass_no', 'chain_index'], unique=True, sqlite_where=sa.text("status != 'cancelled'"), postgresql_where=sa.text("status != 'cancelled'"))
    op.create_index('uq_tasks_one_active_per_run', 'tasks', ['run_id'], unique=True, sqlite_where=sa.text("status = 'active'"), postgresql_where=sa.text("status = 'active'"))

    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('chat_id', sa.BigInteger(), nullable=True),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('actor_id', sa.BigInteger(), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('note', sa.String(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('request_id', sa.String(length=128), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_events_actor_id_users')),
    sa.ForeignKeyConstraint(['chat_id'], ['chats.id'], name=op.f('fk_audit_events_chat_id_chats')),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], name=op.f('fk_audit_events_run_id_runs')),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_audit_events_task_id_tasks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events')),
    sa.UniqueConstraint('request_id', name=op.f('uq_audit_events_request_id'))
    )
    op.create_index(op.f('ix_audit_events_run_id_id'), 'audit_events', ['run_id', 'id'], unique=False)

    op.create_table('evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('file_id', sa.String(), nullable=True),
    sa.Column('chat_id', sa.BigInteger(), nullable=True),
    sa.Column('message_id', sa.BigInteger(), nullable=True),
    sa.Column('filename', sa.String(), nullable=True),
    sa.Column('caption', sa.String(), nullable=True),
    sa.Column('added_by', sa.BigInteger(), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['added_by'], ['users.id'], name=op.f('fk_evidence_added_by_users')),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], name=op.f('fk_evidence_run_id_runs')),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_evidence_task_id_tasks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence'))
    )
    op.create_index(op.f('ix_evidence_run_id'), 'evidence', ['run_id'], unique=False)
    op.create_index(op.f('ix_evidence_task_id'), 'evidence', ['task_id'], unique=False)

    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=True),
    sa.Column('user_id', sa.BigInteger(), nullable=True),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('dedupe_key', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(), nullable=True),
    sa.Column('abandoned_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['audit_events.id'], name=op.f('fk_outbox_event_id_audit_events')),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], name=op.f('fk_outbox_run_id_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_outbox_dedupe_key'))
    )
    op.create_index(op.f('ix_outbox_run_id'), 'outbox', ['run_id'], unique=False)
    op.create_index(op.f('ix_outbox_sent_at_next_attempt_at'), 'outbox', ['sent_at', 'next_attempt_at'], unique=False)


def downgrade() -> None:
    op.drop_table('outbox')
    op.drop_table('evidence')
    op.drop_table('audit_events')
    op.drop_table('tasks')
    op.drop_table('role_assignments')
    op.drop_table('runs')
    op.drop_table('users')
    op.drop_table('sop_versions')
    op.drop_table('chats')

