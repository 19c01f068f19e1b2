"""Run the emulator standalone so a bot in another process can be driven over /_control.

Usage: ``python -m devtools.emulator --port 8081 [--token 123:ABC --username pandu_bot]``.
The first stdout line is the base_url (what a harness waits for), followed by
the file and control URLs.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal

from devtools.emulator import BotApiEmulator


async def serve(host: str, port: int, token: str | None, username: str) -> None:
    emulator = BotApiEmulator(host, port)
    if token:
        emulator.register_bot(token, username)
    await emulator.start()
    print(emulator.base_url, flush=True)
    print(f"base_file_url {emulator.base_file_url}", flush=True)
    print(f"control_url {emulator.control_url}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await emulator.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m devtools.emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--token", help="register this bot token at startup")
    parser.add_argument("--username", default="pandu_bot")
    args = parser.parse_args(argv)
    asyncio.run(serve(args.host, args.port, args.token, args.username))


if __name__ == "__main__":
    main()
