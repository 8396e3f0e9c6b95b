"""The gate every API request passes before a route runs: rate limits, the token, the content type, the size.

:class:`Gate` is an ASGI middleware. For a request to ``/api/v1/…`` (except ``/api/v1/health``), in this
order, each refusal answered at once, before the body is read:

1. **address rate limit**: more than ``rate_address_per_s`` requests per second from one client address
   (bursts of twice that), or more than ``auth_failures_per_min`` failed sign-ins per minute from it (bursts
   of twice that) → HTTP 429 with ``Retry-After`` [s];
2. **the token** (:func:`greendc.service.auth.authenticate`): none, unknown, revoked or expired → HTTP 401
   (a token that fails counts against the address); the caller is kept for the route, which checks its
   permission;
3. **token rate limit**: more than ``rate_token_per_s`` requests per second with one token → HTTP 429;
4. **content type** of a body: JSON routes take ``application/json``; ``/api/v1/readings/csv`` takes
   ``text/csv`` or ``multipart/form-data`` → else HTTP 415;
5. **size**: a declared ``Content-Length`` above ``max_body_bytes`` → HTTP 413 at once (the connection is
   closed after the answer; at most ``max_body_bytes`` or one second of the body is read first, so that a
   client still sending reads the answer rather than a reset); an undeclared (chunked) body is counted as
   it streams and cut with HTTP 413 when it passes the limit.

Rate limits are token buckets (:class:`Buckets`) kept in the memory of each server process: with several
processes behind one address each counts its own share. The client address is the TCP peer; behind a
reverse proxy, let the proxy limit by the real address.
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
from collections import OrderedDict
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from greendc.errors import AuthError
from greendc.service.auth import authenticate
from greendc.service.settings import Settings

__all__ = ["PUBLIC_PATHS", "Buckets", "Gate"]

#: API paths answered without a token.
PUBLIC_PATHS: frozenset[str] = frozenset({"/api/v1/health"})
#: Longest time a refused body is read before the 413 answer [s].
_DRAIN_MAX_S = 1.0
_JSON = ("application/json",)
_CSV_PATH = "/api/v1/readings/csv"
_CSV = ("text/csv", "multipart/form-data")


class Buckets:
    """Token buckets by key: ``rate`` tokens per second, at most ``burst`` saved; the oldest keys beyond
    ``max_keys`` are forgotten (a forgotten key starts full again)."""

    def __init__(self, rate: float, burst: float, max_keys: int = 100_000) -> None:
        self.rate, self.burst, self.max_keys = rate, burst, max_keys
        self._level_at: OrderedDict[Any, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def _level(self, key: Any, now: float) -> float:
        """Tokens of ``key`` at ``now``: what was saved plus what refilled since, at most ``burst``."""
        level, then = self._level_at.get(key, (self.burst, now))
        return min(self.burst, level + (now - then) * self.rate)

    def _wait(self, level: float) -> float:
        return 0.0 if level >= 1.0 else (1.0 - level) / self.rate

    def take(self, key: Any, now: float | None = None) -> float:
        """Take one token for ``key``; return 0 when granted, else the wait until one is available [s]."""
        now = time.monotonic() if now is None else now
        with self._lock:
            level = self._level(key, now)
            wait = self._wait(level)
            self._level_at.pop(key, None)
            self._level_at[key] = (level - 1.0 if wait == 0.0 else level, now)
            while len(self._level_at) > self.max_keys:
                self._level_at.popitem(last=False)
        return wait

    def peek(self, key: Any, now: float | None = None) -> float:
        """The wait until ``key`` has one token [s] (0 when it has one), taking nothing."""
        now = time.monotonic() if now is None else now
        with self._lock:
            return self._wait(self._level(key, now))


def _answer(status: int, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


def _too_many(wait_s: float, what: str) -> JSONResponse:
    retry = max(1, math.ceil(wait_s))
    return _answer(429, f"too many {what}; retry in {retry} s", {"Retry-After": str(retry)})


def _too_large(limit: int) -> str:
    return f"request body larger than {limit} bytes; send smaller batches"


class Gate:
    """ASGI middleware: the checks of the module docstring, with the limits of ``settings``."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.by_address = Buckets(settings.rate_address_per_s, 2 * settings.rate_address_per_s)
        self.by_token = Buckets(settings.rate_token_per_s, 2 * settings.rate_token_per_s)
        per_s = settings.auth_failures_per_min / 60.0
        self.failures = Buckets(per_s, 2 * settings.auth_failures_per_min)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/") or scope["path"] in PUBLIC_PATHS:
            await self.app(scope, receive, send)
            return
        refusal = await self._refusal(scope)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        limit = self.settings.max_body_bytes
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _drain(receive, min(int(declared), limit))
            response = _answer(413, _too_large(limit), {"Connection": "close"})
            await response(scope, receive, send)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise HTTPException(413, _too_large(limit))
            return message

        await self.app(scope, limited, send)

    async def _refusal(self, scope: Scope) -> JSONResponse | None:
        """The answer that refuses this request before its body is read, or None to let it through."""
        address = (scope.get("client") or ("?", 0))[0]
        wait = self.failures.peek(address)
        if wait > 0:
            return _too_many(wait, f"failed sign-ins from {address}")
        wait = self.by_address.take(address)
        if wait > 0:
            return _too_many(wait, f"requests from {address}")
        headers = dict(scope.get("headers") or [])
        authorization = headers.get(b"authorization", b"").decode("latin-1")
        engine = scope["app"].state.engine
        try:
            principal = await run_in_threadpool(authenticate, engine, authorization, None)
        except AuthError as exc:
            if authorization:  # a wrong, revoked or expired token (a request without one guesses nothing)
                self.failures.take(address)
            return _answer(exc.status, str(exc), {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None)
        wait = self.by_token.take(principal.token_id)
        if wait > 0:
            return _too_many(wait, f"requests with token {principal.token_id}")
        scope.setdefault("state", {})["principal"] = principal
        if scope["method"] in ("POST", "PUT", "PATCH") and _has_body(headers):
            kind = headers.get(b"content-type", b"").decode("latin-1").split(";")[0].strip().lower()
            allowed = _CSV if scope["path"] == _CSV_PATH else _JSON
            if kind not in allowed and not (allowed is _JSON and kind.endswith("+json")):
                return _answer(415, f"Content-Type {kind or 'missing'!r}: this route takes {' or '.join(allowed)}")
        return None


def _has_body(headers: dict[bytes, bytes]) -> bool:
    declared = headers.get(b"content-length")
    if declared is not None:
        return declared != b"0"
    return b"chunked" in headers.get(b"transfer-encoding", b"").lower()


async def _drain(receive: Receive, max_bytes: int) -> None:
    """Read and drop up to ``max_bytes`` of the body, for at most :data:`_DRAIN_MAX_S` seconds."""
    drained, deadline = 0, time.monotonic() + _DRAIN_MAX_S
    while drained < max_bytes:
        left = deadline - time.monotonic()
        if left <= 0:
            return
        try:
            message = await asyncio.wait_for(receive(), left)
        except TimeoutError:
            return
        drained += len(message.get("body", b""))
        if message["type"] != "http.request" or not message.get("more_body", False):
            return
