"""The catalogue's freshness check: what every /sop and /mulai pays to see other processes' publications.

Each read of the database catalogue (:class:`bot.catalog.source.DbCatalog`) first asks
one aggregate question (entries and the sum of their revisions); only when it changed are
the entries read again. Measured with N published SOPs (the seed definitions copied under
N ids, published directly, not timed): a read when nothing changed (the check alone), and
the first read in a second process after the first published one more version (check plus
reload, where definitions already seen are not parsed again). Each is the median of
`--repeat` reads.

Targets (400 SOPs, SQLite): check < 5 ms, reload after a publication < 100 ms.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks import common

if TYPE_CHECKING:
    from storage.db import Database

TARGET_CHECK_MS, TARGET_RELOAD_MS, TARGET_SIZE = 5.0, 100.0, 400
HEADERS = ["database", "SOPs", "check ms", "reload ms"]


def publish_as(db: Database, content: dict[str, Any], user_id: int) -> None:
    """Publish a definition the way the chat does: a draft, then Terbitkan."""
    from bot.catalog.publishing import Publisher
    from bot.catalog.rules import Manager
    from bot.catalog.service import DraftService

    drafts = DraftService(db)
    draft = drafts.create(user_id, user_id, None, content, [], "bench.docx", "0" * 64)
    Publisher(db, drafts).publish(draft.id, Manager(user_id, sop_admin=True))


def publish(url: str, size: int) -> None:
    """`size` entries, each one version (the seeds' content under new ids)."""
    from bot.sop.loader import load_directory
    from storage.db import Database

    db = Database(url)
    seeds = [loaded.definition for loaded in load_directory(common.SOP_DIR).sops.values()]
    for index in range(size):
        publish_as(db, seeds[index % len(seeds)].model_dump(mode="json") | {"id": f"sop-{index:05d}"}, 1)
    db.dispose()


def measure(url: str, size: int, repeat: int) -> list[object]:
    from bot.catalog.source import DbCatalog
    from storage.db import Database

    publish(url, size)
    reader_db, writer_db = Database(url), Database(url)
    reader = DbCatalog(reader_db)
    reader.list()  # warm: every definition parsed once, as a running bot has
    checks, reloads = [], []
    for index in range(repeat):
        started = time.perf_counter()
        reader.get("sop-00000")
        checks.append((time.perf_counter() - started) * 1000)
        publish_one_more(writer_db, index)
        started = time.perf_counter()
        assert reader.get(f"extra-{index:03d}") is not None
        reloads.append((time.perf_counter() - started) * 1000)
    reader_db.dispose()
    writer_db.dispose()
    return [common.database_label(url), size, common.median(checks), common.median(reloads)]


def publish_one_more(db: Database, index: int) -> None:
    from bot.sop.loader import load_file

    sop = load_file(common.SOP_DIR / f"{common.SOP_ID}.yaml").definition
    publish_as(db, sop.model_dump(mode="json") | {"id": f"extra-{index:03d}"}, 2)


def main(argv: list[str] | None = None) -> int:
    p = common.parser(__doc__, "catalog_freshness")
    p.add_argument("--sizes", default="40,400", help="published SOPs, comma separated")
    p.add_argument("--repeat", type=int, default=15, help="reads per measurement (median)")
    args = p.parse_args(argv)
    sizes = [int(x) for x in str(args.sizes).split(",") if x]
    if args.quick:
        sizes, args.repeat = [4], 2
    print(common.machine_line())
    print(f"# {__doc__.strip().splitlines()[0]}")
    rows = []
    with common.workdir() as tmp:
        for backend in common.backends(args):
            for size in sizes:
                with common.fresh_database(backend, Path(tmp), args) as url:
                    rows.append(measure(url, size, args.repeat))
                    print(common.table(HEADERS, [rows[-1]]).splitlines()[-1], flush=True)
    print()
    print(common.table(HEADERS, rows))
    for row in rows:
        if row[0] == "sqlite" and row[1] == TARGET_SIZE:
            common.verdict(float(row[2]) < TARGET_CHECK_MS, f"check {row[2]:.2f} ms < {TARGET_CHECK_MS} ms at {TARGET_SIZE}")  # type: ignore[arg-type]
            common.verdict(float(row[3]) < TARGET_RELOAD_MS, f"reload {row[3]:.1f} ms < {TARGET_RELOAD_MS} ms at {TARGET_SIZE}")  # type: ignore[arg-type]
    if not any(r[0] == "sqlite" and r[1] == TARGET_SIZE for r in rows):
        print(f"SKIP targets: measured at {TARGET_SIZE} SOPs on SQLite only")
    return 0


if __name__ == "__main__":
    sys.exit(main())
