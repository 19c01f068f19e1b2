"""deadline nags: next_nag_at / nag_round on tasks, the nag_log claim table

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

Tasks get the moment of their next reminder (indexed with id, so the scheduler's MIN and
the tick's ordered batch are index scans) and the last round sent. ``nag_log`` holds one
row per (task, round): inserting it is the claim that makes a nag go out exactly once,
whichever process gets there first. Active tasks of an existing database are armed at
their due time (no early reminder for them: it may already have passed).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('tasks', sa.Column('next_nag_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('tasks', sa.Column('nag_round', sa.Integer(), nullable=True))
    op.create_index(op.f('ix_tasks_next_nag_at_id'), 'tasks', ['next_nag_at', 'id'], unique=False)
    op.execute("UPDATE tasks SET next_nag_at = due_at WHERE status = 'active' AND due_at IS NOT NULL")

    op.create_table('nag_log',
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('late_minutes', sa.Integer(), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], name=op.f('fk_nag_log_run_id_runs')),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_nag_log_task_id_tasks')),
    sa.PrimaryKeyConstraint('task_id', 'round', name=op.f('pk_nag_log'))
    )
    op.create_index(op.f('ix_nag_log_run_id'), 'nag_log', ['run_id'], unique=False)


def downgrade() -> None:
    op.drop_table('nag_log')
    op.drop_index(op.f('ix_tasks_next_nag_at_id'), table_name='tasks')
    with op.batch_alter_table('tasks') as batch:
        batch.drop_column('nag_round')
        batch.drop_column('next_nag_at')
