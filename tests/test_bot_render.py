"""Rendering of engine views and role lookup, without Telegram or a database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.engine.views import RoleRef, RunView, StatusView, StepView, UserRef
from bot.sop.loader import load_directory
from bot.config import PROJECT_ROOT
from handlers.ui import formatting
from handlers.common import Refusal
from handlers.run_lookup import match_role

ROLES = [
    RoleRef("kasubbag_renja", "Kasubbag. Rencana Kerja dan Monev"),
    RoleRef("sekretaris", "Sekretaris"),
    RoleRef("kepala_bidang", "Kepala Bidang"),
    RoleRef("kepala_badan", "Kepala Badan"),
    RoleRef("forum_skpd", "Forum SKPD", eksternal=True),
]
NOON_UTC = datetime(2026, 3, 2, 5, 0, tzinfo=UTC)  # Monday


@pytest.mark.parametrize(
    ("query", "key"),
    [("sekretaris", "sekretaris"), ("SEKRE", "sekretaris"), ("kepala_badan", "kepala_badan"),
     ("kepala badan", "kepala_badan"), ("bidang", "kepala_bidang"), ("kasubbag", "kasubbag_renja"),
     ("monev", "kasubbag_renja"), ("Forum", "forum_skpd")],
)
def test_roles_are_found_by_key_name_or_unique_prefix(query: str, key: str) -> None:
    assert match_role(ROLES, query).key == key


@pytest.mark.parametrize(("query", "message"), [("kepala", "role_ambiguous"), ("bupati", "role_unknown"), ("", "role_unknown")])
def test_unknown_or_ambiguous_roles_are_refused(query: str, message: str) -> None:
    with pytest.raises(Refusal) as caught:
        match_role(ROLES, query)
    assert caught.value.key == message


def test_local_times_carry_the_zone_of_the_chat() -> None:
    assert formatting.when(NOON_UTC, "Asia/Jakarta", "id") == "Sen 2 Mar 12:00 WIB"
    assert formatting.when(NOON_UTC, "Asia/Makassar", "id") == "Sen 2 Mar 13:00 WITA"
    assert formatting.when(NOON_UTC, "Asia/Jayapura", "en") == "Mon 2 Mar 14:00 WIT"


def test_user_text_is_escaped_and_shortened() -> None:
    assert formatting.esc("<b>x</b> & y") == "&lt;b&gt;x&lt;/b&gt; &amp; y"
    assert len(formatting.esc("x" * 5000)) == formatting.MAX_FREE_TEXT
    assert formatting.mention(UserRef(7, "<Ani>")) == '<a href="tg://user?id=7">&lt;Ani&gt;</a>'


def run_view(status: str = "active") -> RunView:
    coordinator = UserRef(1, "Budi")
    return RunView(1, -5, 2, "Renja <2027>", "renja-bappeda-kalbar", "Menyusun Rencana Kerja", 1, "h", status,
                   coordinator, 3, 1, NOON_UTC, None, None, None, None)


def test_status_shows_elapsed_due_and_overdue() -> None:
    step = StepView(3, "Menyempurnakan", None, None, None, 30, (ROLES[1],), None)
    view = StatusView(run_view(), step, None, ROLES[1], UserRef(2, "Siti"), NOON_UTC, NOON_UTC, 75.0, 30, True, (), ())
    text = formatting.status(view, "Asia/Pontianak", "id")
    assert "#2 Renja &lt;2027&gt;" in text and "Berjalan 1 jam 15 menit dari waktu baku 30 menit" in text
    assert "Terlambat 45 menit" in text and "Sen 2 Mar 12:00 WIB" in text and 'tg://user?id=2' in text
    finished = StatusView(run_view("finished"), None, None, None, None, None, None, None, None, False, (), ())
    assert "Selesai" in formatting.status(finished, "Asia/Jakarta", "id")


def test_sop_list_pages_when_long() -> None:
    sops = [loaded.definition for loaded in load_directory(PROJECT_ROOT / "sop_data").sops.values()] * 6
    first, last = formatting.sop_list(sops, 0, "id"), formatting.sop_list(sops, 99, "en")
    assert "Halaman 1/3" in first and first.count("•") == formatting.SOP_PAGE_SIZE
    assert "Page 3/3" in last and last.count("•") == 4
    summary = formatting.sop_summary(sops[0], "en")
    assert "Start in a group: <code>/startrun" in summary


def test_sop_summary_marks_inferred_actors_and_explains_the_mark() -> None:
    sops = {k: v.definition for k, v in load_directory(PROJECT_ROOT / "sop_data").sops.items()}
    bogor = formatting.sop_summary(sops["renja-bappeda-bogor"], "id")
    assert "1. Kepala Badan* — " in bogor and "* pelaksana disimpulkan" in bogor and len(bogor) < 4096
    assert "* actor inferred" in formatting.sop_summary(sops["renja-bappeda-bogor"], "en")
    forum = formatting.sop_summary(sops["forum-skpd-bkpsdm-tangerang"], "id")  # every actor marked in the document
    assert "*" not in forum and "disimpulkan" not in forum


def test_a_task_card_says_when_its_actor_was_inferred() -> None:
    from bot.engine.views import TaskView

    task = TaskView(9, 1, -5, 2, "Renja", 3, "Menyempurnakan", 0, 1, 1, ROLES[1], "active", UserRef(2, "Siti"),
                    NOON_UTC, NOON_UTC, 30, None, None, False, None, None, None, None, False)
    step = StepView(3, "Menyempurnakan", None, None, None, 30, (ROLES[1],), None, inferred="Sekretaris menyampaikan")
    plain = StepView(3, "Menyempurnakan", None, None, None, 30, (ROLES[1],), None)
    text = formatting.task_card(task, step, "Asia/Jakarta", "id", "Sekretariat")
    assert "ℹ️ Pelaksana disimpulkan (tidak tertulis di dokumen SOP): Sekretaris menyampaikan" in text
    assert "disimpulkan" not in formatting.task_card(task, plain, "Asia/Jakarta", "id", "Sekretariat")
    assert "Actor inferred" in formatting.task_card(task, step, "Asia/Jakarta", "en", None)


def test_a_step_without_standard_time_shows_a_dash_not_zero_minutes() -> None:
    """"Setiap Saat" steps have no standard time: /status and the task card say "—" as reports do."""
    from dataclasses import replace

    from bot.engine.views import TaskView

    step = StepView(3, "Menyempurnakan", None, None, None, 0, (ROLES[1],), None)
    view = StatusView(run_view(), step, None, ROLES[1], UserRef(2, "Siti"), NOON_UTC, None, 5.0, 0, False, (), ())
    text = formatting.status(view, "Asia/Jakarta", "id")
    assert "Berjalan 5 menit dari waktu baku —" in text and "0 menit" not in text
    assert "of standard time —" in formatting.status(view, "Asia/Jakarta", "en")
    timed = formatting.status(replace(view, standard_minutes=30, step=replace(step, minutes=30)), "Asia/Jakarta", "id")
    assert "dari waktu baku 30 menit" in timed
    task = TaskView(9, 1, -5, 2, "Renja", 3, "Menyempurnakan", 0, 1, 1, ROLES[1], "active", UserRef(2, "Siti"),
                    NOON_UTC, None, 0, None, None, False, None, None, None, None, False)
    card = formatting.task_card(task, step, "Asia/Jakarta", "id", None)
    assert "Waktu baku: —" in card and "0 menit" not in card
    running = formatting.task_card(replace(task, elapsed_minutes=12.0), step, "Asia/Jakarta", "id", None)
    assert "Berjalan 12 menit dari waktu baku —" in running
