"""`python -m bot doctor`: one line per check of a live configuration, ✓ or ✗ with what to do.

It reads the same settings the bot would (environment and ``.env``), asks Telegram
(``getMe``, ``getWebhookInfo``; the HTTP ``Date`` for the clock), the database and the SOP
folder, and exits 1 when any check needs action, so a cron job or a deploy script can
act on it. It takes `now` (a clock) so its time-dependent checks can be tested.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.ops.botapi import BotApiClient, BotApiError

#: Seconds of difference with Telegram's clock that start to matter (due times, undo windows).
MAX_SKEW = 30.0
#: An unsent message older than this means the sender is not running or stuck.
MAX_OUTBOX_AGE = 300.0


@dataclass(frozen=True)
class Check:
    ok: bool
    line: str
    fix: str = ""

    def render(self) -> str:
        head = f"{'✓' if self.ok else '✗'} {self.line}"
        return head if self.ok or not self.fix else f"{head}\n    → {self.fix}"


def _wall_clock() -> datetime:
    return datetime.now(UTC)


def telegram_checks(settings: Settings, wall: Callable[[], datetime]) -> list[Check]:
    """`wall` is this machine's clock, compared with Telegram's (not a test's moved "now")."""
    token = settings.telegram_bot_token.get_secret_value().strip() if settings.telegram_bot_token else ""
    if not token:
        return [Check(False, "Token bot kosong (TELEGRAM_BOT_TOKEN)", "jalankan python -m bot setup")]
    checks: list[Check] = []
    with BotApiClient(token, settings.telegram_api_base_url) as api:
        try:
            answer = api.call("getMe")
        except BotApiError as exc:
            if exc.code in (401, 404):
                return [Check(False, "Token ditolak Telegram (401)", "salin token lagi dari @BotFather (/mybots → API Token), lalu python -m bot setup")]
            return [Check(False, f"Telegram tidak terjangkau: {exc}", "periksa jaringan/proxy server ini dan TELEGRAM_API_BASE_URL")]
        me = answer.result
        username = me.get("username", "")
        checks.append(Check(True, f"Token valid: @{username}"))
        if me.get("can_read_all_group_messages"):
            checks.append(Check(True, "Mode privasi mati: Pandu membaca pesan grup"))
        else:
            checks.append(Check(False, "Mode privasi aktif: di grup Pandu hanya melihat perintah",
                                f"@BotFather → /setprivacy → @{username} → Disable, lalu keluarkan dan tambahkan lagi bot ke grup (atau jadikan bot admin grup)"))
        if answer.date is not None:
            skew = (wall() - answer.date).total_seconds()
            if abs(skew) <= MAX_SKEW:
                checks.append(Check(True, f"Jam server selisih {skew:+.0f} dtk dari Telegram"))
            else:
                checks.append(Check(False, f"Jam server selisih {skew:+.0f} dtk dari Telegram",
                                    "sinkronkan jam: timedatectl set-ntp true (atau pasang chrony)"))
        checks.append(webhook_check(api, settings))
    return checks


def webhook_check(api: BotApiClient, settings: Settings) -> Check:
    try:
        info = api.call("getWebhookInfo").result
    except BotApiError as exc:
        return Check(False, f"getWebhookInfo gagal: {exc}", "coba lagi; periksa jaringan")
    url = info.get("url") or ""
    error = info.get("last_error_message")
    when = info.get("last_error_date")
    error_text = f"; galat terakhir {datetime.fromtimestamp(when, UTC):%Y-%m-%d %H:%M} UTC: {error}" if error and when else ""
    pending = info.get("pending_update_count", 0)
    if not settings.webhook_url:
        if url:
            return Check(False, f"Webhook terpasang ({url}) padahal WEBHOOK_URL kosong (polling)",
                         "deployment lain memakai token ini? Bila tidak, bot akan menghapusnya saat mulai polling")
        return Check(True, f"Mode polling: tidak ada webhook ({pending} update menunggu)")
    if url != settings.webhook_url:
        return Check(False, f"Webhook Telegram = {url or '(kosong)'}, WEBHOOK_URL = {settings.webhook_url}",
                     "jalankan bot (ia memasang webhook saat mulai) dan periksa reverse proxy")
    if error:
        return Check(False, f"Webhook {url} terpasang{error_text}", "periksa bot, nginx dan sertifikat; lihat deploy/README.md")
    return Check(True, f"Webhook {url} terpasang, tanpa galat ({pending} update menunggu)")


def database_checks(settings: Settings, now: Callable[[], datetime]) -> list[Check]:
    from bot.ops.probes import read_state
    from storage.db import Database
    from storage.maintenance import DatabaseUnreachable, schema_revision, shown_url
    from storage.migrate import head

    url = settings.effective_database_url
    shown = shown_url(url)
    try:
        revision = schema_revision(url)
    except DatabaseUnreachable as exc:
        return [Check(False, f"Basis data {shown} tidak terjangkau: {exc.reason}", "periksa DATABASE_URL dan server basis data")]
    if revision != head():
        return [Check(False, f"Basis data {shown} pada skema {revision or '(kosong)'}, kode butuh {head()}",
                      "python -m bot db upgrade (bot juga melakukannya saat mulai)")]
    checks = [Check(True, f"Basis data {shown} terjangkau, skema {revision} (terbaru)")]
    db = Database(url)
    try:
        state = read_state(db, now())
    finally:
        db.dispose()
    age = (now() - state.oldest_unsent_at).total_seconds() if state.oldest_unsent_at else 0.0
    line = f"Outbox: {state.outbox_backlog} pesan belum terkirim" + (f", tertua {age / 60:.0f} menit" if state.outbox_backlog else "")
    if state.outbox_backlog and age > MAX_OUTBOX_AGE:
        checks.append(Check(False, line, "bot tidak berjalan atau pengirim macet: systemctl status pandu, lihat log"))
    else:
        checks.append(Check(True, line + (f" ({state.abandoned} dilepas karena ditolak Telegram)" if state.abandoned else "")))
    if state.unreachable:
        sample = ", ".join(f"run {t.run_id} langkah {t.step_no} ({t.role_key})" for t in state.unreachable[:5])
        checks.append(Check(False, f"{len(state.unreachable)} tugas lewat waktu tanpa orang yang bisa dihubungi: {sample}",
                            "pemegang peran dan koordinator perlu membuka bot dan menekan Start (atau /tetapkan peran ke orang lain)"))
    else:
        checks.append(Check(True, f"{state.overdue_tasks} tugas lewat waktu, semuanya punya penerima; {state.open_runs} SOP berjalan"))
    return checks


def sop_check(settings: Settings) -> Check:
    from bot.sop.loader import load_directory

    if not settings.sop_dir.is_dir():
        return Check(False, f"Folder SOP {settings.sop_dir} tidak ada", "atur SOP_DIR atau salin sop_data/")
    result = load_directory(settings.sop_dir)
    if result.errors:
        return Check(False, f"Folder SOP {settings.sop_dir}: {len(result.errors)} galat, mis. {result.errors[0]}",
                     "python -m bot sop check untuk daftar lengkap")
    if not result.sops:
        return Check(False, f"Folder SOP {settings.sop_dir} tidak berisi SOP", "tambahkan berkas YAML (lihat README, SOP definitions)")
    return Check(True, f"Folder SOP {settings.sop_dir}: {len(result.sops)} SOP valid")


def calendar_checks(settings: Settings, now: Callable[[], datetime]) -> list[Check]:
    import holidays
    from holidays.constants import GOVERNMENT, PUBLIC

    zone = settings.default_timezone
    local = now().astimezone(ZoneInfo(zone))
    checks = [Check(True, f"Zona waktu {zone}: sekarang {local:%Y-%m-%d %H:%M %Z}, jam kerja "
                          f"{settings.office_hours_start:%H:%M}-{settings.office_hours_end:%H:%M}")]
    for year in (local.year, local.year + 1):
        national = len(holidays.country_holidays("ID", years=year, categories=(PUBLIC,)))
        joint = len(holidays.country_holidays("ID", years=year, categories=(GOVERNMENT,)))
        extra = sum(1 for d in settings.extra_holidays if d.year == year)
        if national and joint:
            checks.append(Check(True, f"Hari libur {year}: {national} libur nasional, {joint} cuti bersama, {extra} tambahan"))
        else:
            checks.append(Check(False, f"Hari libur {year}: {national} libur nasional, {joint} cuti bersama belum diketahui",
                                "pip install -U holidays (SKB cuti bersama terbit tiap tahun), atau isi EXTRA_HOLIDAYS"))
    return checks


def run_doctor(settings: Settings, now: Callable[[], datetime] = _wall_clock,
               out: Callable[[str], None] = print, wall: Callable[[], datetime] = _wall_clock) -> int:
    """`now` decides what is overdue and which years need holidays; `wall` measures the skew."""
    checks = [*telegram_checks(settings, wall), *database_checks(settings, now), sop_check(settings),
              *calendar_checks(settings, now)]
    for check in checks:
        out(check.render())
    failed = sum(not c.ok for c in checks)
    out(f"\n{len(checks) - failed} beres, {failed} perlu tindakan" if failed else f"\nSemua {len(checks)} pemeriksaan beres")
    return 1 if failed else 0
