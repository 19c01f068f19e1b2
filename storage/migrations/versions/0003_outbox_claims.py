"""outbox claims: claimed_by / claimed_until, so two senders never send the same row

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22

A sender claims a row (``claimed_by`` = its id, ``claimed_until`` = now + lease) with a
conditional UPDATE before sending it, and clears the claim when it records the outcome.
A sender that dies mid-send loses its claims when their lease ends (or at once, when a
restarted sender on the same host sees that the process is gone).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('outbox', sa.Column('claimed_by', sa.String(length=120), nullable=True))
    op.add_column('outbox', sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbox') as batch:
        batch.drop_column('claimed_until')
        batch.drop_column('claimed_by')
