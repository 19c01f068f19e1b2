"""The four seed SOPs as transcribed in sop_data/: complete, valid, and true to the documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT
from bot.sop.loader import load_directory
from bot.domain.sop import SopDefinition

SOP_DIR = PROJECT_ROOT / "sop_data"


@pytest.fixture(scope="module")
def sops() -> dict[str, SopDefinition]:
    result = load_directory(SOP_DIR)
    assert result.errors == []
    assert result.warnings == []
    return {k: v.definition for k, v in result.sops.items()}


def test_all_four_seed_documents_are_transcribed(sops: dict[str, SopDefinition]) -> None:
    assert set(sops) == {
        "forum-skpd-bkpsdm-tangerang",
        "renja-kesbangpol-tangerang",
        "renja-bappeda-kalbar",
        "renja-bappeda-bogor",
    }


def test_seed_000_step_5_passes_the_invitation_through_four_roles_in_symbol_order(sops: dict[str, SopDefinition]) -> None:
    sop = sops["forum-skpd-bkpsdm-tangerang"]
    step = sop.step_by_no[5]
    names = [sop.role_by_key[a.role].nama for a in step.actors]
    assert names == ["Pelaksana", "Kasubag Perencanaan", "Sekretaris", "Ka. Badan"]
    assert [a.simbol for a in step.actors] == [5, 6, 7, 8]


def test_seed_000_duplicate_step_10_is_renumbered_and_recorded(sops: dict[str, SopDefinition]) -> None:
    sop = sops["forum-skpd-bkpsdm-tangerang"]
    assert [s.no for s in sop.steps] == list(range(1, 12))
    assert any(k.step == 11 and k.asli.strip() == "10" for k in sop.koreksi)
    assert sop.total_minutes == 9 * 480  # 2+1+1+0,5+0,5+0,5+1+1+0,5+0,5+0,5 hari


def test_seed_000_outside_parties_are_external(sops: dict[str, SopDefinition]) -> None:
    sop = sops["forum-skpd-bkpsdm-tangerang"]
    assert sop.role_by_key[sop.step_by_no[1].actors[0].role].eksternal
    assert not sop.role_by_key[sop.supervisor].eksternal


def test_seed_001_has_17_steps_totalling_its_stated_7_hari_5_menit(sops: dict[str, SopDefinition]) -> None:
    sop = sops["renja-kesbangpol-tangerang"]
    assert len(sop.steps) == 17
    assert sop.total_minutes == sop.stated_total_minutes == 3365


def test_seed_001_renja_no_longer_says_rencana_strategis(sops: dict[str, SopDefinition]) -> None:
    sop = sops["renja-kesbangpol-tangerang"]
    for no in (12, 15, 16, 17):
        assert "Rencana Strategis" not in sop.step_by_no[no].aktivitas
        assert any(k.step == no for k in sop.koreksi)


def test_seed_002_step_5_is_a_decision_that_returns_for_improvement(sops: dict[str, SopDefinition]) -> None:
    sop = sops["renja-bappeda-kalbar"]
    decision = sop.step_by_no[5].decision
    assert decision is not None
    targets = {o.key: o.goto for o in decision.outcomes}
    assert targets["setuju"] is None and targets["kembali"] == 3
    assert sop.total_minutes == sop.stated_total_minutes == 230


def test_seed_003_step_9_no_longer_repeats_step_8(sops: dict[str, SopDefinition]) -> None:
    sop = sops["renja-bappeda-bogor"]
    assert len(sop.steps) == 11
    assert sop.step_by_no[9].aktivitas != sop.step_by_no[8].aktivitas
    assert any(k.step == 9 for k in sop.koreksi)


@pytest.mark.parametrize("sop_id", ["renja-kesbangpol-tangerang", "renja-bappeda-kalbar", "renja-bappeda-bogor"])
def test_steps_whose_actor_columns_were_lost_are_marked_inferred(sops: dict[str, SopDefinition], sop_id: str) -> None:
    assert all(step.inferred for step in sops[sop_id].steps)


def test_every_supervisor_is_an_internal_role(sops: dict[str, SopDefinition]) -> None:
    for sop in sops.values():
        assert sop.supervisor in sop.role_by_key and not sop.role_by_key[sop.supervisor].eksternal
