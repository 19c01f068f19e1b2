"""Handlers stay short: parse, one engine (use-case) call, reply.

Every ``async def`` in ``handlers/*.py`` (not handlers/ui, outbox or transport, which hold
the text builders, the sender and the transport) may have at most :data:`MAX_BODY_LINES`
lines of body, its docstring left out. Text and keyboards are built in ``handlers/ui``.
"""

from __future__ import annotations

import ast
from pathlib import Path

HANDLERS = Path(__file__).resolve().parents[1] / "handlers"
MAX_BODY_LINES = 22


def body_lines(node: ast.AsyncFunctionDef) -> int:
    """The lines the function's body spans, its docstring left out (blank lines and
    comments inside it count: they are lines a reader goes through)."""
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]
    if not body:
        return 0
    assert node.end_lineno is not None
    return node.end_lineno - body[0].lineno + 1


def long_handlers(source: str, filename: str = "<source>", limit: int = MAX_BODY_LINES) -> list[str]:
    """``file:line name (n lines)`` for every async function of `source` longer than `limit`."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.AsyncFunctionDef) and (n := body_lines(node)) > limit:
            found.append(f"{filename}:{node.lineno} {node.name} ({n} lines)")
    return found


def test_every_handler_is_short() -> None:
    long = [
        entry
        for path in sorted(HANDLERS.glob("*.py"))
        for entry in long_handlers(path.read_text(encoding="utf-8"), f"handlers/{path.name}")
    ]
    assert long == [], (
        f"handlers longer than {MAX_BODY_LINES} body lines (split them: build text in handlers/ui, "
        f"keep parse → one engine call → reply): " + "; ".join(long)
    )


def test_the_check_sees_a_long_handler_and_leaves_a_short_one() -> None:
    """The check is live: a synthetic long handler fails it, by name; its docstring, a
    short handler and a long synchronous helper do not."""
    long_body = "\n".join(f"    x{i} = {i}" for i in range(MAX_BODY_LINES + 1))
    exact_body = "\n".join(f"    y{i} = {i}" for i in range(MAX_BODY_LINES))
    source = (
        f'async def too_long(update, context):\n    """Docs.\n\n    More docs.\n    """\n{long_body}\n\n'
        f'async def just_fits(update, context):\n    """A docstring does not count."""\n{exact_body}\n\n'
        f"def sync_helper():\n{long_body}\n"
    )
    assert long_handlers(source, "synthetic.py") == [f"synthetic.py:1 too_long ({MAX_BODY_LINES + 1} lines)"]
    nested = "async def outer():\n    x = [\n" + "\n".join(f"        {i}," for i in range(MAX_BODY_LINES)) + "\n    ]\n"
    assert long_handlers(nested, "n.py") == [f"n.py:1 outer ({MAX_BODY_LINES + 2} lines)"]  # a statement's lines all count


#: What the text and keyboard builders of handlers/ui may not import at run time: the
#: engine's behaviour (its value types, the ``*views`` modules, are theirs to format), the
#: use cases, and the handlers' engine-facing helpers.
UI_FORBIDDEN = ("bot.services", "handlers.engine_calls", "handlers.run_lookup", "handlers.actor_facts")


def runtime_imports(source: str) -> list[str]:
    """Modules `source` imports, leaving out ``if TYPE_CHECKING:`` blocks."""
    tree = ast.parse(source)
    typing_only = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
                   and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"
                   for n in ast.walk(node)}
    found = []
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return found


def ui_violations(source: str, filename: str) -> list[str]:
    bad = []
    for module in runtime_imports(source):
        engine_behaviour = module.startswith("bot.engine") and not module.endswith("views")
        if engine_behaviour or any(module == f or module.startswith(f + ".") for f in UI_FORBIDDEN):
            bad.append(f"{filename} imports {module}")
    return bad


def test_the_ui_builders_call_no_engine_and_no_use_case() -> None:
    bad = [v for path in sorted((HANDLERS / "ui").rglob("*.py"))
           for v in ui_violations(path.read_text(encoding="utf-8"), str(path.relative_to(HANDLERS.parent)))]
    assert bad == []
    synthetic = "from bot.engine.views import TaskView\nfrom bot.services import confirmations\nimport bot.engine.sop_engine\n"
    assert ui_violations(synthetic, "x.py") == ["x.py imports bot.services", "x.py imports bot.engine.sop_engine"]
