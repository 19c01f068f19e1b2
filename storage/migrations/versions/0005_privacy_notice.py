"""chats: when the group's admins were told about privacy mode

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

A bot in privacy mode reads only commands and replies in groups, so "giliran siapa?"
never reaches it. The first command in such a group tells its admins how to switch the
mode off; this column makes that happen once per group, across restarts and processes
(a conditional UPDATE claims it).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('chats') as batch:
        batch.add_column(sa.Column('privacy_notice_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('chats') as batch:
        batch.drop_column('privacy_notice_at')
