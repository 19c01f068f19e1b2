"""The catalogue in the database: seeds, versions, races, scopes, withdrawal, expiry.

On SQLite and (with TEST_DATABASE_URL) PostgreSQL. "Another process" is a second
:class:`DbCatalog` over its own connection pool: it shares nothing with the first but the
database, exactly like a second bot process.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import test_engine_races
from catalog_fixtures import marked_docx
from db_fixtures import GROUP, SOP_DIR, FakeClock, Org
from sqlalchemy import text

from bot.catalog import fixes
from bot.catalog.publishing import Publisher
from bot.catalog.rules import Manager
from bot.catalog.service import DraftService
from bot.catalog.source import DbCatalog
from bot.catalog.upload import import_bytes
from bot.catalog.views import CatalogError, DraftView, Published
from bot.engine import SopEngine, UnknownSop, continuous_calendar
from bot.sop.loader import load_directory
from storage.db import Database

ADMIN = Manager(7001, sop_admin=True)
NEW_ID = "renja-kalbar-2027"


@dataclass
class Desk:
    db: Database
    clock: FakeClock
    drafts: DraftService
    publisher: Publisher
    catalog: DbCatalog

    def count(self, table: str) -> int:
        with self.db.transaction(readonly=True) as s:
            return int(s.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def make_desk(url: str, clock: FakeClock, seeds: Path = SOP_DIR) -> Desk:
    db = Database(url)
    drafts = DraftService(db, clock, timedelta(hours=72))
    return Desk(db, clock, drafts, Publisher(db, drafts, clock), DbCatalog(db, lambda: load_directory(seeds), clock))


@pytest.fixture
def desk(db_url: str, clock: FakeClock) -> Any:
    made = make_desk(db_url, clock)
    yield made
    made.db.dispose()


@pytest.fixture
def ready_content(tmp_path: Path) -> dict[str, Any]:
    content = import_bytes("SOP Renja.docx", marked_docx(tmp_path)).content
    content = fixes.name_role(content, 0, "Kasubbag. Rencana Kerja dan Monev")
    content = fixes.set_actors(content, 1, [2])
    content = fixes.set_time(content, 2, "30 menit")
    content = fixes.set_supervisor(content, 0)
    return fixes.set_id(content, NEW_ID)


def new_draft(desk: Desk, content: dict[str, Any], owner: int = ADMIN.user_id, scope: int | None = None) -> DraftView:
    return desk.drafts.create(owner, owner, scope, content, [], "SOP Renja.docx", "ab" * 32)


def test_the_seed_files_are_published_once_as_version_1(desk: Desk, db_url: str, clock: FakeClock) -> None:
    assert sorted(d.id for d in desk.catalog.list()) == sorted(load_directory(SOP_DIR).sops)
    second = make_desk(db_url, clock)  # a second process starting on the same database
    assert len(second.catalog.list()) == 4
    assert desk.count("catalog_versions") == 4
    (only,) = desk.publisher.history("renja-bappeda-kalbar")
    assert (only.version, only.origin, only.published_by, only.source_name) == (
        1, "seed", None, "sop_data/renja-bappeda-kalbar.yaml")
    second.db.dispose()


def test_an_edited_seed_file_is_the_next_version_but_never_over_a_chat_publication(
        desk: Desk, db_url: str, clock: FakeClock, tmp_path: Path, ready_content: dict[str, Any]) -> None:
    desk.catalog.list()
    folder = tmp_path / "seeds"
    shutil.copytree(SOP_DIR, folder)
    kalbar = folder / "renja-bappeda-kalbar.yaml"
    kalbar.write_text(kalbar.read_text(encoding="utf-8").replace("nama: Menyusun Rencana Kerja", "nama: Menyusun Renja"),
                      encoding="utf-8")
    restarted = make_desk(db_url, clock, folder)
    assert restarted.catalog.get("renja-bappeda-kalbar").nama == "Menyusun Renja"  # type: ignore[union-attr]
    assert [v.origin for v in desk.publisher.history("renja-bappeda-kalbar")] == ["seed", "seed"]

    content = fixes.set_id(ready_content, "renja-bappeda-kalbar")
    assert desk.publisher.publish(new_draft(desk, content).id, ADMIN).version == 3
    kalbar.write_text(kalbar.read_text(encoding="utf-8").replace("Menyusun Renja", "Renja lagi"), encoding="utf-8")
    again = make_desk(db_url, clock, folder)
    assert again.catalog.get("renja-bappeda-kalbar").nama == "Menyusun Rencana Kerja"  # the chat's version stays
    assert len(desk.publisher.history("renja-bappeda-kalbar")) == 3
    restarted.db.dispose()
    again.db.dispose()


def test_a_publication_is_seen_by_another_process_at_its_next_read(
        desk: Desk, db_url: str, clock: FakeClock, ready_content: dict[str, Any],
        monkeypatch: pytest.MonkeyPatch) -> None:
    other = make_desk(db_url, clock)
    assert other.catalog.get(NEW_ID) is None
    reads: list[int] = []
    from storage.repositories.catalog import CatalogRepository

    real = CatalogRepository.latest_rows
    monkeypatch.setattr(CatalogRepository, "latest_rows", lambda repo: reads.append(1) or real(repo))
    other.catalog.get(NEW_ID)
    assert reads == []  # nothing changed: only the cheap check ran
    done = desk.publisher.publish(new_draft(desk, ready_content).id, ADMIN)
    assert done == Published(NEW_ID, 1, None, "Menyusun Rencana Kerja")
    assert other.catalog.get(NEW_ID) is not None and reads == [1]
    other.db.dispose()


def published_and_running(desk: Desk, content: dict[str, Any]) -> tuple[SopEngine, Org, Any]:
    """The engine over the database catalogue, `content` published, and a run of it started."""
    engine = SopEngine(desk.db, desk.catalog, clock=desk.clock, calendar_for=continuous_calendar)
    desk.publisher.publish(new_draft(desk, content).id, ADMIN)
    org = Org(engine, desk.clock)
    return engine, org, org.start(NEW_ID)


def test_re_uploading_an_id_makes_the_next_version_and_runs_keep_theirs(
        desk: Desk, ready_content: dict[str, Any]) -> None:
    engine, org, run = published_and_running(desk, ready_content)
    changed = fixes.set_time(ready_content, 0, "2 hari")
    assert desk.publisher.publish(new_draft(desk, changed).id, ADMIN).version == 2
    assert [v.version for v in desk.publisher.history(NEW_ID)] == [1, 2]
    assert engine.run_definition(run.id).step_by_no[1].waktu != "2 hari"  # the run keeps version 1
    assert org.start(NEW_ID).id != run.id and engine.definition(NEW_ID).step_by_no[1].waktu == "2 hari"
    org.act(run.id)  # and still runs


@pytest.mark.parametrize("existing", [False, True])
def test_two_admins_publishing_the_same_id_at_once_one_wins_the_other_is_told(
        desk: Desk, ready_content: dict[str, Any], existing: bool) -> None:
    other = Manager(7002, sop_admin=True)
    if existing:
        desk.publisher.publish(new_draft(desk, ready_content).id, ADMIN)
    base = 1 if existing else 0
    mine = new_draft(desk, fixes.set_time(ready_content, 0, "1 hari"))
    theirs = new_draft(desk, fixes.set_time(ready_content, 0, "2 hari"), owner=other.user_id)
    results = test_engine_races.race(lambda: desk.publisher.publish(mine.id, ADMIN), lambda: desk.publisher.publish(theirs.id, other))
    won = [r for r in results if isinstance(r, Published)]
    lost = [r for r in results if isinstance(r, CatalogError)]
    assert len(won) == 1 and len(lost) == 1, results
    assert won[0].version == base + 1
    assert lost[0].code == "version_taken" and lost[0].params["version"] == base + 1
    assert len(desk.publisher.history(NEW_ID)) == base + 1  # nothing half-written
    loser = mine if isinstance(results[0], CatalogError) else theirs
    loser_manager = ADMIN if loser is mine else other
    rebased = desk.drafts.get(loser.id, loser_manager.user_id)
    assert rebased.status == "open" and rebased.base_version == base + 1
    assert desk.publisher.publish(loser.id, loser_manager).version == base + 2  # knowingly, the next one


def test_scopes_a_group_sop_is_its_groups_and_ids_are_not_shared(desk: Desk, ready_content: dict[str, Any]) -> None:
    group_admin = Manager(7003, sop_admin=False, admin_of=GROUP)
    draft = new_draft(desk, ready_content, owner=group_admin.user_id, scope=GROUP)
    assert desk.publisher.publish(draft.id, group_admin).scope_chat_id == GROUP
    assert desk.catalog.get_for(NEW_ID, GROUP) is not None and desk.catalog.get_for(NEW_ID, -5) is None
    assert NEW_ID not in [d.id for d in desk.catalog.list()]
    assert [i.sop_id for i in desk.catalog.listed_in(GROUP)].count(NEW_ID) == 1
    clash = new_draft(desk, ready_content)  # an SOP admin publishing the same id for the whole bot
    with pytest.raises(CatalogError) as refused:
        desk.publisher.publish(clash.id, ADMIN)
    assert refused.value.code == "scope_conflict"
    foreign = new_draft(desk, fixes.set_id(ready_content, "renja-lain"), owner=group_admin.user_id)
    with pytest.raises(CatalogError) as refused:  # a group admin cannot publish for the whole bot
        desk.publisher.publish(foreign.id, group_admin)
    assert refused.value.code == "not_allowed" and desk.catalog.item("renja-lain") is None


def test_withdrawn_no_new_runs_running_ones_continue_restore_undoes(
        desk: Desk, ready_content: dict[str, Any]) -> None:
    engine, org, run = published_and_running(desk, ready_content)
    with pytest.raises(CatalogError) as refused:
        desk.publisher.withdraw(NEW_ID, Manager(9, False, GROUP), GROUP)
    assert refused.value.code == "not_allowed"
    desk.publisher.withdraw(NEW_ID, ADMIN, None)
    with pytest.raises(UnknownSop):
        engine.start_run(GROUP, NEW_ID, None, org.coordinator)
    assert org.act(run.id).task.status == "done"
    with pytest.raises(CatalogError) as refused:
        desk.publisher.withdraw(NEW_ID, ADMIN, None)
    assert refused.value.code == "already_withdrawn"
    desk.publisher.restore(NEW_ID, ADMIN, None)
    assert engine.start_run(GROUP, NEW_ID, None, org.coordinator).number == 2


def test_drafts_expire_and_only_their_owner_may_touch_them(desk: Desk, ready_content: dict[str, Any]) -> None:
    draft = new_draft(desk, ready_content)
    with pytest.raises(CatalogError) as refused:
        desk.drafts.apply(draft.id, 42, lambda d: fixes.set_time(d, 0, "1 hari"))
    assert refused.value.code == "not_owner"
    with pytest.raises(fixes.FixError):
        desk.drafts.apply(draft.id, ADMIN.user_id, lambda d: fixes.set_time(d, 0, "x" * 4096))
    assert desk.drafts.get(draft.id, ADMIN.user_id).content == ready_content  # a refused fix wrote nothing
    desk.clock.advance(hours=73)
    with pytest.raises(CatalogError) as refused:
        desk.publisher.publish(draft.id, ADMIN)
    assert refused.value.code == "draft_expired" and desk.catalog.item(NEW_ID) is None
    new_draft(desk, ready_content)  # the next upload sweeps the expired ones
    with desk.db.transaction(readonly=True) as s:
        assert s.execute(text(f"SELECT status FROM sop_drafts WHERE id = {draft.id}")).scalar_one() == "discarded"


def test_a_draft_with_marks_is_not_published(desk: Desk, tmp_path: Path) -> None:
    content = import_bytes("SOP.docx", marked_docx(tmp_path)).content
    draft = new_draft(desk, content)
    with pytest.raises(CatalogError) as refused:
        desk.publisher.publish(draft.id, ADMIN)
    assert refused.value.code == "draft_not_ready" and refused.value.params == {"count": 4}
    assert desk.count("catalog_entries") == 0  # not even the seeds: nobody read the catalogue yet


def test_the_database_itself_refuses_a_second_row_for_one_version(desk: Desk, ready_content: dict[str, Any]) -> None:
    """The last line of defence when two publications pass every check at once."""
    from sqlalchemy.exc import IntegrityError
    from sqlmodel import select

    from storage.models import SopVersion
    from storage.repositories.catalog import CatalogRepository

    desk.publisher.publish(new_draft(desk, ready_content).id, ADMIN)
    with pytest.raises(IntegrityError):
        with desk.db.transaction() as s:
            entry = CatalogRepository(s).get_entry(NEW_ID)
            content = s.exec(select(SopVersion)).first()  # any stored content
            assert entry is not None and content is not None
            CatalogRepository(s).add_version(entry, 1, content, origin="upload", by=ADMIN.user_id, now=desk.clock.now,
                             source_name="x.docx", source_hash="0" * 64)
    assert [v.version for v in desk.publisher.history(NEW_ID)] == [1]
