"""A substitute's cards (Plh./Plt.) live in the one card table (task_cards), named by their
delegation, and migration 0011 carries them over from delegation_cards and back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from alembic import command
from deadline_fixtures import PEOPLE, NagOrg, nag_engine, nag_org  # noqa: F401
from sqlalchemy import text

from db_fixtures import FakeClock
from storage.migrate import alembic_config, upgrade

STAF = PEOPLE["staf"]
SITI = 3100


@pytest.fixture
def office(nag_org: Callable[..., NagOrg], clock: FakeClock) -> tuple[NagOrg, Any]:
    org = nag_org()
    run = org.start_run()
    org.person(SITI, "Siti")
    return org, run


def plh(org: NagOrg, run: Any) -> Any:
    return org.engine.request_delegation(run.id, "staf", SITI, STAF, last_day=date(2026, 3, 6))


def test_the_substitutes_cards_live_in_the_one_card_table_and_survive_migration_0011(
    office: tuple[NagOrg, Any], clock: FakeClock
) -> None:
    """A substitute's card is a task_cards row naming the delegation; 0011's downgrade puts
    it back in delegation_cards and its upgrade copies it over again."""
    org, run = office
    task = org.active(run.id)
    asked = plh(org, run)
    org.engine.answer_delegation(asked.id, SITI, accept=True)
    card = [[{"text": "✅ Selesai", "callback_data": f"dn|{task.id}", "task": task.id}]]
    assert org.engine.record_buttons(SITI, 77, card, asked.id) == []  # its task is active: nothing to sweep yet
    assert [(c.chat_id, c.message_id) for c in org.engine.delegation_cards(asked.id, task.id)] == [(SITI, 77)]
    url = org.engine.db.engine.url.render_as_string(hide_password=False)
    org.engine.db.engine.dispose()
    command.downgrade(alembic_config(url), "0010")
    with org.engine.db.engine.begin() as conn:
        kept = conn.execute(text("SELECT delegation_id, chat_id, message_id, task_id FROM delegation_cards")).all()
    assert [tuple(r) for r in kept] == [(asked.id, SITI, 77, task.id)]
    org.engine.db.engine.dispose()
    upgrade(url)
    moved = org.engine.delegation_cards(asked.id)
    assert [(c.chat_id, c.message_id) for c in moved] == [(SITI, 77)]
    org.engine.close_cards([c.id for c in moved])
    assert org.engine.delegation_cards(asked.id) == []
