"""Headless Chromium driven over the DevTools protocol: open a page, wait, screenshot it.

Used by the ``reader serve`` on-screen test and ``tools/terminal_scores.py``. Chromium
(Debian's ``chromium``) starts with a fresh profile and every background service off; the
host resolver maps every name but 127.0.0.1 to nothing, so the page runs as if offline,
and every request the page makes is recorded, so a test can see that nothing was asked
of another host. The protocol is spoken with aiohttp's websocket client (a dependency of
textual-serve). Every wait has a deadline.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--hide-scrollbars",
    # The network is closed: no name resolves but the local server's address.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--remote-debugging-port=0",
]


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass
class Page:
    """What happened on the page: requests made, requests failed."""

    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


class Browser:
    """One headless Chromium and one page, over its DevTools websocket."""

    def __init__(self, profile: Path, width: int = 820, height: int = 520) -> None:
        self.profile = profile
        self.size = (width, height)
        self._proc: subprocess.Popen[bytes] | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._session: aiohttp.ClientSession | None = None
        self._ids = 0
        self._session_id = ""
        self._pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._reader: asyncio.Task[None] | None = None
        self.page = Page()

    async def start(self, timeout: float = 60) -> None:
        exe = chromium_path()
        if exe is None:
            raise RuntimeError("chromium is not installed")
        log = (self.profile.parent / "chromium.log").open("wb")
        self._proc = subprocess.Popen(
            [
                exe,
                *FLAGS,
                f"--user-data-dir={self.profile}",
                f"--window-size={self.size[0]},{self.size[1]}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,
        )
        port_file = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + timeout
        while not port_file.exists() or len(port_file.read_text().split()) < 2:
            if time.monotonic() > deadline or self._proc.poll() is not None:
                raise RuntimeError("chromium did not open its DevTools port")
            await asyncio.sleep(0.1)
        port, path = port_file.read_text().split()[:2]
        self._session = aiohttp.ClientSession()
        self._ws = await self._session.ws_connect(f"ws://127.0.0.1:{port}{path}", max_msg_size=0)
        self._reader = asyncio.create_task(self._read())
        target = await self.send("Target.createTarget", {"url": "about:blank"})
        attached = await self.send(
            "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}
        )
        self._session_id = attached["sessionId"]
        await self.send("Network.enable")
        await self.send("Page.enable")
        await self.send(
            "Emulation.setDeviceMetricsOverride",
            {
                "width": self.size[0],
                "height": self.size[1],
                "deviceScaleFactor": 1,
                "mobile": False,
            },
        )

    async def _read(self) -> None:
        assert self._ws is not None
        async for message in self._ws:
            data = json.loads(message.data)
            if "id" in data and data["id"] in self._pending:
                self._pending.pop(data["id"]).set_result(data)
            elif data.get("method") == "Network.requestWillBeSent":
                self.page.requests.append(data["params"]["request"]["url"])
            elif data.get("method") == "Network.webSocketCreated":
                self.page.requests.append(data["params"]["url"])
            elif data.get("method") == "Network.loadingFailed":
                self.page.failed.append(data["params"].get("errorText", "?"))

    async def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        assert self._ws is not None
        self._ids += 1
        message: dict[str, Any] = {"id": self._ids, "method": method, "params": params or {}}
        if self._session_id and not method.startswith("Target."):
            message["sessionId"] = self._session_id
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[self._ids] = future
        await self._ws.send_str(json.dumps(message))
        reply = await asyncio.wait_for(future, 60)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        result: dict[str, Any] = reply.get("result", {})
        return result

    async def goto(self, url: str) -> None:
        await self.send("Page.navigate", {"url": url})

    async def evaluate(self, expression: str) -> Any:
        reply = await self.send(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True}
        )
        return reply.get("result", {}).get("value")

    async def screenshot(self, path: Path) -> Path:
        shot = await self.send("Page.captureScreenshot", {"format": "png"})
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    async def settle(self, path: Path, timeout: float, quiet: float = 1.5) -> Path:
        """Screenshots until the page has not changed for ``quiet`` seconds."""
        deadline = time.monotonic() + timeout
        last, since = b"", time.monotonic()
        while time.monotonic() < deadline:
            await self.screenshot(path)
            data = path.read_bytes()
            if data != last:
                last, since = data, time.monotonic()
            elif time.monotonic() - since >= quiet:
                break
            await asyncio.sleep(0.3)
        return path

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
        if self._ws is not None:
            await self._ws.close()
        if self._session is not None:
            await self._session.close()
        if self._proc is not None and self._proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._proc.pid, signal.SIGTERM)
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self._proc.pid, signal.SIGKILL)
                self._proc.wait(timeout=10)


@contextlib.asynccontextmanager
async def browser(profile: Path) -> AsyncIterator[Browser]:
    b = Browser(profile)
    try:
        await b.start()
        yield b
    finally:
        await b.close()


def local_only(urls: list[str], host: str = "127.0.0.1") -> list[str]:
    """The URLs that went anywhere but ``host`` (data: and about: URLs are local)."""
    pattern = re.compile(rf"^(https?|wss?)://{re.escape(host)}(:\d+)?/")
    return [u for u in urls if not pattern.match(u) and not u.startswith(("data:", "about:"))]
