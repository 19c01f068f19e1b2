"""task_cards: the messages that carry a task's buttons, so they can be closed

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02

A task ends by a button, /selesai, /wakili, an undo, a cancel or on another device; every
private card of it must then lose its ✅ (issue 19). The sender records each card it
sends here and closes it once the task is no longer the one to act on.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'task_cards',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('task_id', sa.Integer(), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=False),
        sa.Column('chat_id', sa.BigInteger(), nullable=False),
        sa.Column('message_id', sa.BigInteger(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['run_id'], ['runs.id']),
        sa.ForeignKeyConstraint(['task_id'], ['tasks.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_task_cards_run_id'), 'task_cards', ['run_id'], unique=False)
    op.create_index(op.f('ix_task_cards_task_id'), 'task_cards', ['task_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_task_cards_task_id'), table_name='task_cards')
    op.drop_index(op.f('ix_task_cards_run_id'), table_name='task_cards')
    op.drop_table('task_cards')
