"""monev: actors' evaluation questionnaires, the supervisor's actions and sign-offs

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

Three new tables for the six-monthly monitoring and evaluation of Permenpan RB 35/2012:
``monev_evaluations`` (one questionnaire per finished run and actor, with its delivery
state), ``monev_actions`` (a supervisor's "Tindakan" for one SOP of a group's period) and
``monev_signoffs`` (the paraf, with the period's figures frozen as JSON). Nothing
existing changes.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _ts(name: str, nullable: bool = True) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table('monev_evaluations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('sop_id', sa.String(length=48), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('note', sa.String(), nullable=True),
    _ts('created_at', nullable=False),
    _ts('sent_at'),
    _ts('claimed_until'),
    sa.Column('attempts', sa.Integer(), nullable=False),
    _ts('abandoned_at'),
    _ts('updated_at'),
    sa.ForeignKeyConstraint(['chat_id'], ['chats.id'], name=op.f('fk_monev_evaluations_chat_id_chats')),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], name=op.f('fk_monev_evaluations_run_id_runs')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_monev_evaluations_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monev_evaluations')),
    sa.UniqueConstraint('run_id', 'user_id', name=op.f('uq_monev_evaluations_run_id_user_id'))
    )
    op.create_index(op.f('ix_monev_evaluations_chat_id_sop_id'), 'monev_evaluations', ['chat_id', 'sop_id'],
                    unique=False)
    op.create_table('monev_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('period', sa.String(length=32), nullable=False),
    sa.Column('sop_id', sa.String(length=48), nullable=False),
    sa.Column('text', sa.String(), nullable=False),
    sa.Column('set_by', sa.BigInteger(), nullable=False),
    _ts('set_at', nullable=False),
    sa.ForeignKeyConstraint(['chat_id'], ['chats.id'], name=op.f('fk_monev_actions_chat_id_chats')),
    sa.ForeignKeyConstraint(['set_by'], ['users.id'], name=op.f('fk_monev_actions_set_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monev_actions')),
    sa.UniqueConstraint('chat_id', 'period', 'sop_id', name=op.f('uq_monev_actions_chat_id_period_sop_id'))
    )
    op.create_table('monev_signoffs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('period', sa.String(length=32), nullable=False),
    sa.Column('signed_by', sa.BigInteger(), nullable=False),
    _ts('signed_at', nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['chat_id'], ['chats.id'], name=op.f('fk_monev_signoffs_chat_id_chats')),
    sa.ForeignKeyConstraint(['signed_by'], ['users.id'], name=op.f('fk_monev_signoffs_signed_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monev_signoffs')),
    sa.UniqueConstraint('chat_id', 'period', name=op.f('uq_monev_signoffs_chat_id_period'))
    )


def downgrade() -> None:
    op.drop_table('monev_signoffs')
    op.drop_table('monev_actions')
    op.drop_index(op.f('ix_monev_evaluations_chat_id_sop_id'), table_name='monev_evaluations')
    op.drop_table('monev_evaluations')
