"""The pure side of the catalogue: what a draft lacks, each fix, the drawable stand-in, the rules.

Drafts come from the real importer over a Word file the project's own exporter wrote
(see :mod:`catalog_fixtures`), so these are the marks an SOP admin really meets.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from catalog_fixtures import docx_bytes, marked_docx, seed

from bot.catalog import fixes
from bot.catalog.fixes import FixError
from bot.catalog.provisional import PLACEHOLDER_ROLE, provisional_definition
from bot.catalog.review import review
from bot.catalog.rules import Manager, next_version, scope_conflict, visible_in
from bot.catalog.upload import UploadError, import_bytes

ROOT = Path(__file__).resolve().parent.parent
PURE = ("review", "fixes", "provisional", "rules", "views", "upload")


@pytest.fixture
def draft(tmp_path: Path) -> dict[str, Any]:
    return import_bytes("SOP Renja.docx", marked_docx(tmp_path)).content


def kinds(draft: dict[str, Any]) -> list[tuple[str, int | None]]:
    return [(i.kind, i.step_index if i.step_index is not None else i.role_index) for i in review(draft).blocking]


def fixed(draft: dict[str, Any]) -> dict[str, Any]:
    """Every mark of the marked document filled in, as the chat would."""
    draft = fixes.name_role(draft, 0, "Kasubbag. Rencana Kerja dan Monev")
    draft = fixes.set_actors(draft, 1, [2])
    draft = fixes.set_time(draft, 2, "30 menit")
    return fixes.set_supervisor(draft, 0)


def test_the_marks_of_a_spoiled_document_become_one_issue_each(draft: dict[str, Any]) -> None:
    assert kinds(draft) == [("role_name", 0), ("supervisor", None), ("actors", 1), ("time", 2)]
    checked = review(draft)
    assert not checked.ready and checked.unknown_times == 1 and checked.stated_minutes == 230
    assert [i.kind for i in checked.issues if not i.blocking] == ["decision_hint"]


def test_a_clean_export_needs_nothing(tmp_path: Path) -> None:
    content = import_bytes("x.docx", docx_bytes(seed("renja-kesbangpol-tangerang"), tmp_path)).content
    checked = review(content)
    assert checked.ready and checked.total_minutes == checked.stated_minutes == 3365


def test_fixing_every_mark_passes_the_rules_of_sop_check(draft: dict[str, Any]) -> None:
    done = fixed(draft)
    checked = review(done)
    assert checked.ready and checked.definition is not None
    assert checked.definition.supervisor == "kasubbag_rencana_kerja_dan_monev"
    assert checked.definition.step_by_no[1].actor_keys == ["kasubbag_rencana_kerja_dan_monev"]  # the column's refs follow
    assert checked.total_minutes == 230 and checked.stated_minutes == 230


def test_a_fix_that_breaks_another_rule_shows_at_once(draft: dict[str, Any]) -> None:
    done = fixed(draft)
    broken = fixes.toggle_external(done, 0)  # the supervisor's role made external
    assert [(i.kind, i.message) for i in review(broken).blocking] == [
        ("supervisor", "supervisor 'kasubbag_rencana_kerja_dan_monev' adalah pihak eksternal")]
    with pytest.raises(FixError) as refused:
        fixes.set_supervisor(done, 4)  # Forum SKPD is external as imported
    assert refused.value.code == "supervisor_external"


def test_an_english_review_gives_the_rules_messages_in_english(draft: dict[str, Any]) -> None:
    broken = fixes.toggle_external(fixed(draft), 0)
    (issue,) = review(broken, lang="en").blocking
    assert issue.kind == "supervisor" and "external" in issue.message and "adalah" not in issue.message
    assert review(broken).blocking[0].message.endswith("adalah pihak eksternal")  # Indonesian stays the default


@pytest.mark.parametrize("text, code", [("x" * 4096, "too_long"), ("secepatnya", "bad_time"), ("   ", "empty"),
                                        ("0 menit", "bad_time")])
def test_a_time_must_read_as_one(draft: dict[str, Any], text: str, code: str) -> None:
    with pytest.raises(FixError) as refused:
        fixes.set_time(draft, 2, text)
    assert refused.value.code == code


def test_actors_only_from_named_columns_and_in_the_order_picked(draft: dict[str, Any]) -> None:
    with pytest.raises(FixError) as refused:
        fixes.set_actors(draft, 1, [0])
    assert refused.value.code == "role_unnamed" and refused.value.params == {"column": 1}
    chain = fixes.set_actors(draft, 1, [3, 1])["steps"][1]["actors"]
    assert chain == [{"role": "kepala_badan"}, {"role": "sekretaris"}]
    with pytest.raises(FixError):
        fixes.set_actors(draft, 99, [1])


def test_a_decision_returns_to_an_existing_step(draft: dict[str, Any]) -> None:
    done = fixes.make_decision(fixed(draft), 4, 3)
    definition = review(done).definition
    assert definition is not None
    assert [o.goto for o in definition.step_by_no[5].decision.outcomes] == [None, 3]  # type: ignore[union-attr]
    assert not [i for i in review(done).issues if i.kind == "decision_hint"]
    with pytest.raises(FixError):
        fixes.make_decision(done, 4, 42)
    done["steps"][4]["decision"]["outcomes"][1]["goto"] = 42  # a document that names a step it lacks
    assert [(i.kind, i.step_index, i.outcome_index) for i in review(done).blocking] == [("goto", 4, 1)]
    assert review(fixes.set_goto(done, 4, 1, 2)).ready


def test_fixes_never_change_the_draft_they_were_given(draft: dict[str, Any]) -> None:
    before = repr(draft)
    fixed(draft)
    fixes.set_id(draft, "Renja-Baru")
    assert repr(draft) == before
    assert fixes.set_id(draft, "Renja-Baru")["id"] == "renja-baru"
    with pytest.raises(FixError):
        fixes.set_id(draft, "renja baru!")


def test_the_provisional_definition_draws_what_is_missing_as_placeholders(draft: dict[str, Any]) -> None:
    sop = provisional_definition(draft)
    assert sop is not None
    assert sop.step_by_no[2].actor_keys == [PLACEHOLDER_ROLE] and sop.step_by_no[3].minutes == 1
    assert sop.step_by_no[1].actor_keys == ["kolom_1"]


def test_who_may_manage_what() -> None:
    sop_admin, group_admin, member = Manager(1, True), Manager(2, False, -100), Manager(3, False)
    assert sop_admin.may_manage(None) and sop_admin.may_manage(-100)
    assert group_admin.may_manage(-100) and not group_admin.may_manage(None) and not group_admin.may_manage(-200)
    assert not member.may_upload and group_admin.may_upload
    assert visible_in(None, -5) and visible_in(-5, -5) and not visible_in(-5, -6) and not visible_in(-5, None)
    assert next_version(0) == 1 and scope_conflict(None, -5) and not scope_conflict(-5, -5)


@pytest.mark.parametrize("name, data, code", [
    ("SOP.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "protected"),
    ("SOP.docx", b"PK\x03\x04 this zip is broken", "import"),
    ("SOP.pdf", b"%PDF-1.4 a scanned page", "import"),
    ("SOP.txt", "Daftar belanja\nberas\ttelur\n".encode(), "import"),
    ("SOP.png", b"\x89PNG", "bad_type"),
])
def test_documents_that_give_no_draft(name: str, data: bytes, code: str) -> None:
    with pytest.raises(UploadError) as refused:
        import_bytes(name, data)
    assert refused.value.code == code
    if code == "import":
        assert refused.value.detail  # the importer's own words


def test_the_pure_modules_import_neither_telegram_nor_the_database() -> None:
    for name in PURE:
        tree = ast.parse((ROOT / "bot" / "catalog" / f"{name}.py").read_text(encoding="utf-8"))
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert not {m for m in imported if m.split(".")[0] in ("telegram", "handlers", "sqlalchemy", "sqlmodel",
                                                                 "storage")}, name
    for path in sorted((ROOT / "bot" / "catalog").glob("*.py")):  # the services may use the database, never Telegram
        text = path.read_text(encoding="utf-8")
        assert "import telegram" not in text and "from telegram" not in text and "from handlers" not in text, path
    probe = ("import sys; " + "; ".join(f"import bot.catalog.{n}" for n in PURE) + "; "
             "print(sorted(m for m in sys.modules if m.split('.')[0] in ('telegram', 'sqlalchemy', 'sqlmodel')))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_every_issue_fix_and_refusal_has_its_words_in_both_languages() -> None:
    from bot.catalog.review import KINDS
    from handlers.ui.catalog_text import FIXABLE
    from handlers.catalog_review import REPLY_KINDS
    from handlers.ui.texts import EN, ID

    codes = ["draft_gone", "not_owner", "draft_published", "draft_expired", "not_allowed", "draft_not_ready",
             "scope_conflict", "version_taken", "publish_failed", "unknown_sop", "already_withdrawn",
             "already_active", "bad_type", "protected", "too_big", "import_failed"]
    fix_codes = ["stale", "too_long", "empty", "bad_time", "no_actor", "role_unnamed", "supervisor_external",
                 "no_such_step", "bad_number", "number_taken", "bad_id", "bad_nip"]
    keys = ([f"catalog_issue_{k}" for k in KINDS] + [f"catalog_btn_{k}" for k in FIXABLE]
            + [f"catalog_ask_{k}" for k in REPLY_KINDS] + [f"catalog_{c}" for c in codes]
            + [f"catalog_fix_{c}" for c in fix_codes])
    assert set(FIXABLE) <= set(KINDS)
    assert [k for k in keys if k not in ID or k not in EN] == []


def test_a_review_of_a_long_spoiled_document_stays_one_message(draft: dict[str, Any]) -> None:
    from datetime import UTC, datetime

    from bot.catalog.views import DraftView
    from handlers.ui.catalog_text import review_keyboard, review_text

    steps = draft["steps"]
    for index in range(200):  # a 200-step table with neither actors nor times
        steps.append({"no": 100 + index, "aktivitas": "Rapat " * 30, "actors": [{"role": "??"}], "waktu": "??"})
    view = DraftView(1, 1, 1, None, "open", draft, ("catatan " * 100,) * 30, None, "x.docx", "0" * 64, 0,
                     datetime(2026, 12, 2, tzinfo=UTC))
    checked = review(draft)
    for lang in ("id", "en"):
        assert len(review_text(view, checked, "Asia/Jakarta", lang)) < 4096
        assert sum(len(row) for row in review_keyboard(view, checked, lang).inline_keyboard) <= 100


def test_a_40_step_summary_is_sent_in_whole_messages_under_the_limit(draft: dict[str, Any]) -> None:
    """The summary of a long document goes out through `reply`, which splits it at lines:
    every piece stays under Telegram's 4096 and no step line is cut in two."""
    from datetime import UTC, datetime

    from bot.catalog.views import DraftView
    from handlers.ui.catalog_text import summary
    from handlers.ui.paging import split_html

    draft["steps"] = [{"no": n, "aktivitas": f"Langkah {n} " + "memeriksa berkas & <lampiran> " * 8,
                       "actors": [{"role": draft["roles"][1]["key"]}], "waktu": "30 menit"} for n in range(1, 41)]
    view = DraftView(1, 1, 1, None, "open", draft, (), None, "x.docx", "0" * 64, 0, datetime(2026, 12, 2, tzinfo=UTC))
    for lang in ("id", "en"):
        text = summary(view, review(draft, lang), lang)
        pieces = split_html(text)
        assert len(text) > 4096 and len(pieces) >= 2
        assert all(len(p.encode("utf-16-le")) // 2 <= 4096 for p in pieces)
        assert sum(p.count("Langkah ") for p in pieces) == 40 and "&lt;lampiran&gt;" in text


def test_a_document_with_no_procedure_table_is_refused_in_either_language() -> None:
    with pytest.raises(UploadError) as refused:
        import_bytes("Belanja.txt", "Daftar belanja\nberas\ttelur\n".encode())
    assert refused.value.detail.startswith("tabel prosedur tidak ditemukan")
    assert refused.value.detail_en.startswith("no procedure table found")
