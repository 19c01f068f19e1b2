"""task_cards holds every message with a task's buttons; delegation_cards is merged into it

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02

One mechanism takes buttons off messages whose task ended (issue 19): the sender records
each message that carries buttons for a task — private cards, substitutes' cards, group
notices with 🤝 or 🙋 — one row per (message, task), with the keyboard as sent. A
substitute's card names its delegation, so its buttons go when the period ends; the
substitutes' cards recorded so far are copied over (those naming no task are dropped:
nothing is left to sweep on them but the period's end, which closes them anyway).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op


revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('task_cards') as batch:
        batch.add_column(sa.Column('delegation_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('buttons', sa.JSON(), nullable=True))
        batch.create_foreign_key(op.f('fk_task_cards_delegation_id_delegations'), 'delegations', ['delegation_id'], ['id'])
        batch.create_index(op.f('ix_task_cards_delegation_id'), ['delegation_id'], unique=False)
    now = datetime.now(UTC)
    op.get_bind().execute(
        sa.text(
            "INSERT INTO task_cards (task_id, run_id, chat_id, message_id, delegation_id, created_at) "
            "SELECT c.task_id, d.run_id, c.chat_id, c.message_id, c.delegation_id, :now "
            "FROM delegation_cards c JOIN delegations d ON d.id = c.delegation_id WHERE c.task_id IS NOT NULL"
        ).bindparams(sa.bindparam('now', now, type_=sa.DateTime(timezone=True)))
    )
    op.drop_index(op.f('ix_delegation_cards_delegation_id'), table_name='delegation_cards')
    op.drop_table('delegation_cards')


def downgrade() -> None:
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
    op.get_bind().execute(sa.text(
        "INSERT INTO delegation_cards (delegation_id, chat_id, message_id, task_id) "
        "SELECT delegation_id, chat_id, message_id, task_id FROM task_cards WHERE delegation_id IS NOT NULL"
    ))
    op.execute("DELETE FROM task_cards WHERE delegation_id IS NOT NULL")
    with op.batch_alter_table('task_cards') as batch:
        batch.drop_index(op.f('ix_task_cards_delegation_id'))
        batch.drop_constraint(op.f('fk_task_cards_delegation_id_delegations'), type_='foreignkey')
        batch.drop_column('buttons')
        batch.drop_column('delegation_id')
