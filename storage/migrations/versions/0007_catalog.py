"""SOP catalogue in the database: entries, published versions, drafts under review

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

SOP admins publish SOPs from chat: each publication is a row of ``catalog_versions``
pointing at the content in ``sop_versions`` (what runs pin), numbered per SOP id with a
unique (sop_id, version) so two simultaneous publications cannot both win. Entries carry
the scope (whole bot or one group), the status (withdrawn: no new runs) and a revision
counter the bot processes compare to know their cached catalogue is stale. Drafts keep an
imported document's definition while its owner fixes the "??" marks.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('catalog_entries',
    sa.Column('sop_id', sa.String(length=48), nullable=False),
    sa.Column('scope_chat_id', sa.BigInteger(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('latest_version', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('changed_by', sa.BigInteger(), nullable=True),
    sa.CheckConstraint("status IN ('active', 'withdrawn')", name=op.f('ck_catalog_entries_status')),
    sa.PrimaryKeyConstraint('sop_id', name=op.f('pk_catalog_entries'))
    )
    with op.batch_alter_table('catalog_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_catalog_entries_scope_chat_id'), ['scope_chat_id'], unique=False)

    op.create_table('sop_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.BigInteger(), nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('scope_chat_id', sa.BigInteger(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('notes', sa.JSON(), nullable=False),
    sa.Column('pending', sa.JSON(), nullable=True),
    sa.Column('source_name', sa.String(length=255), nullable=False),
    sa.Column('source_hash', sa.String(length=64), nullable=False),
    sa.Column('base_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('open', 'published', 'discarded')", name=op.f('ck_sop_drafts_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sop_drafts'))
    )
    with op.batch_alter_table('sop_drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sop_drafts_status_expires_at'), ['status', 'expires_at'], unique=False)

    op.create_table('catalog_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sop_id', sa.String(length=48), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('sop_version_id', sa.Integer(), nullable=False),
    sa.Column('origin', sa.String(length=16), nullable=False),
    sa.Column('published_by', sa.BigInteger(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('source_name', sa.String(length=255), nullable=False),
    sa.Column('source_hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['sop_id'], ['catalog_entries.sop_id'], name=op.f('fk_catalog_versions_sop_id_catalog_entries')),
    sa.ForeignKeyConstraint(['sop_version_id'], ['sop_versions.id'], name=op.f('fk_catalog_versions_sop_version_id_sop_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalog_versions')),
    sa.UniqueConstraint('sop_id', 'version', name=op.f('uq_catalog_versions_sop_id_version'))
    )


def downgrade() -> None:
    op.drop_table('catalog_versions')
    with op.batch_alter_table('sop_drafts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sop_drafts_status_expires_at'))

    op.drop_table('sop_drafts')
    with op.batch_alter_table('catalog_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_catalog_entries_scope_chat_id'))

    op.drop_table('catalog_entries')
