"""open_prompts: the questions the bot waits an answer for, shared by every worker

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

A reason asked with ForceReply (a return, a confirmation on someone's behalf) was
remembered in the process that asked. With two webhook workers the answer reaches either
one, and after a restart none; in the database, any worker finds the question.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'open_prompts',
        sa.Column('chat_id', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('message_id', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('chat_id', 'message_id', name=op.f('pk_open_prompts')),
    )
    op.create_index('ix_open_prompts_created_at', 'open_prompts', ['created_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_open_prompts_created_at', table_name='open_prompts')
    op.drop_table('open_prompts')
