"""A small OpenAI-compatible server on 127.0.0.1 for tests: chat completions (plain and SSE
streaming) and embeddings, with the faults real providers show.

Tests reach it through litellm's real HTTP client: ``TUTOR_MODEL=openai/<name>``,
``TUTOR_API_BASE=<server.url>`` and any API key. Replies are queued per endpoint; when the
queue is empty the ``responder`` (or the default text) answers. Every request is recorded.

    server.queue(Fault.RATE_LIMIT, "Kinesis keeps records for 24 hours [1].")
    ... run tutor ...
    assert server.count("chat") == 2

The replies' shapes are those of api.openai.com (ids, ``created``, ``usage``, SSE chunks with
``choices[0].delta`` and a final ``data: [DONE]``).
"""

from __future__ import annotations

import hashlib
import json
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Fault(Enum):
    RATE_LIMIT = "429"  # HTTP 429 with OpenAI's error body
    SERVER_ERROR = "500"  # HTTP 500 with OpenAI's error body
    HANG = "hang"  # accept the request, never answer (until the server stops)
    GARBAGE = "garbage"  # HTTP 200 whose body is not JSON (a proxy's HTML page); streamed: not SSE
    TRUNCATED = "truncated"  # streamed: two content chunks, then a cut JSON line and the socket closes
    EMPTY = "empty"  # a well-formed reply with no content at all
    MALFORMED = "malformed"  # valid JSON missing what the API promises (embeddings: null vectors)


# Content a model writes when it cuts its JSON short (what `generate` must not take as the notes' fault).
BROKEN_JSON = '{"stem": "Which service keeps records for 24 hours by default?", "options": ["Kinesis Data Str'

Reply = str | Fault
Responder = Callable[[dict[str, Any]], Reply]


@dataclass
class Request:
    endpoint: str  # "chat" or "embeddings"
    body: dict[str, Any]
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)


class OpenAIServer:
    """Start with ``with OpenAIServer() as server:`` or the ``openai_server`` fixture."""

    def __init__(self, *, model: str = "gpt-test", dim: int = 16) -> None:
        self.model = model
        self.dim = dim
        self.default_text = "I have nothing to add."
        self.error_message = "The server had an error while processing your request."  # the 500's text
        self.responder: Responder | None = None  # chat replies when the queue is empty
        self.requests: list[Request] = []
        self._queues: dict[str, deque[Reply]] = {"chat": deque(), "embeddings": deque()}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The API base, ending in /v1 like OpenAI's."""
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def start(self) -> OpenAIServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # releases hung handlers
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> OpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def queue(self, *replies: Reply, endpoint: str = "chat") -> None:
        """Replies for the next requests to ``endpoint``, in order."""
        with self._lock:
            self._queues[endpoint].extend(replies)

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            for q in self._queues.values():
                q.clear()

    def count(self, endpoint: str = "chat") -> int:
        return sum(r.endpoint == endpoint for r in self.requests)

    def _next(self, endpoint: str, body: dict[str, Any], headers: dict[str, str]) -> Reply:
        with self._lock:
            self.requests.append(Request(endpoint, body, headers))
            if self._queues[endpoint]:
                return self._queues[endpoint].popleft()
        if endpoint == "chat" and self.responder is not None:
            return self.responder(body)
        return self.default_text

    def embed(self, text: str) -> list[float]:
        """A deterministic unit vector per text (same text, same vector)."""
        digest = hashlib.sha256(text.encode("utf-8")).digest()
        raw = [digest[i % len(digest)] - 127.5 for i in range(self.dim)]
        norm = math.sqrt(sum(x * x for x in raw)) or 1.0
        return [x / norm for x in raw]


def _handler(server: OpenAIServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
            pass

        def do_GET(self) -> None:
            if self.path.rstrip("/").endswith("/models"):
                self._json(200, {"object": "list", "data": [{"id": server.model, "object": "model", "owned_by": "tests"}]})
            else:
                self._json(404, _error("not found", "invalid_request_error"))

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except json.JSONDecodeError:
                self._json(400, _error("body is not JSON", "invalid_request_error"))
                return
            headers = {k.lower(): v for k, v in self.headers.items()}
            if self.path.endswith("/chat/completions"):
                self._chat(body, server._next("chat", body, headers))
            elif self.path.endswith("/embeddings"):
                self._embeddings(body, server._next("embeddings", body, headers))
            else:
                self._json(404, _error(f"unknown path {self.path}", "invalid_request_error"))

        def _fault(self, reply: Reply) -> bool:
            """Answer the faults every endpoint shares; True when the request is done."""
            if reply is Fault.RATE_LIMIT:
                self._json(429, _error("Rate limit reached for requests", "rate_limit_exceeded"), {"retry-after": "0"})
            elif reply is Fault.SERVER_ERROR:
                self._json(500, _error(server.error_message, "server_error"))
            elif reply is Fault.HANG:
                server._stopping.wait(120)
                self.close_connection = True
            elif reply is Fault.GARBAGE:
                self._raw(200, b"<html><body>502 Bad Gateway</body></html>", "application/json")
            else:
                return False
            return True

        def _chat(self, body: dict[str, Any], reply: Reply) -> None:
            stream = bool(body.get("stream"))
            if reply is Fault.GARBAGE and stream:
                self._raw(200, b"<html><body>502 Bad Gateway</body></html>\n", "text/event-stream")
                return
            if self._fault(reply):
                return
            text = "" if isinstance(reply, Fault) else reply
            model = body.get("model", server.model)
            if not stream:
                message: dict[str, Any] = {"role": "assistant", "content": text or None}
                if reply is Fault.MALFORMED:
                    self._json(200, {"id": "chatcmpl-test", "object": "chat.completion", "model": model, "choices": []})
                    return
                self._json(200, _completion(model, message, body, text))
                return
            self._sse(model, text, body, truncated=reply is Fault.TRUNCATED)

        def _sse(self, model: str, text: str, body: dict[str, Any], *, truncated: bool) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            base = {"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": int(time.time()), "model": model}
            pieces = _pieces(text)
            if truncated and not pieces:
                pieces = ["Kinesis keeps ", "records "]  # what was sent before the cut
            events = [{**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}]}]
            events += [{**base, "choices": [{"index": 0, "delta": {"content": p}, "finish_reason": None}]} for p in pieces]
            try:
                for event in events:
                    self._event(json.dumps(event))
                if truncated:
                    self.wfile.write(b'data: {"id": "chatcmpl-test", "choices": [{"delta": {"cont')
                    self.wfile.flush()
                    return
                self._event(json.dumps({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}))
                if (body.get("stream_options") or {}).get("include_usage"):
                    self._event(json.dumps({**base, "choices": [], "usage": _usage(body, text)}))
                self._event("[DONE]")
            except (BrokenPipeError, ConnectionResetError):
                pass

        def _event(self, data: str) -> None:
            self.wfile.write(f"data: {data}\n\n".encode())
            self.wfile.flush()

        def _embeddings(self, body: dict[str, Any], reply: Reply) -> None:
            if self._fault(reply):
                return
            inputs = body.get("input", [])
            inputs = [inputs] if isinstance(inputs, str) else list(inputs)
            if reply is Fault.MALFORMED:
                data = [{"object": "embedding", "index": i, "embedding": None} for i in range(len(inputs))]
            elif reply is Fault.EMPTY:
                data = []
            else:
                data = [{"object": "embedding", "index": i, "embedding": server.embed(str(t))} for i, t in enumerate(inputs)]
            tokens = sum(len(str(t).split()) for t in inputs)
            self._json(
                200,
                {
                    "object": "list",
                    "data": data,
                    "model": body.get("model", server.model),
                    "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
                },
            )

        def _json(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
            self._raw(status, json.dumps(payload).encode(), "application/json", headers)

        def _raw(self, status: int, data: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass

    return Handler


def _pieces(text: str) -> list[str]:
    """Split a reply into word-sized deltas, as a streaming model sends them."""
    words = text.split(" ")
    return [w + (" " if i < len(words) - 1 else "") for i, w in enumerate(words) if w or i < len(words) - 1]


def _usage(body: dict[str, Any], text: str) -> dict[str, int]:
    prompt = sum(len(str(m.get("content", "")).split()) for m in body.get("messages", []))
    completion = len(text.split())
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def _completion(model: str, message: dict[str, Any], body: dict[str, Any], text: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": "stop"}],
        "usage": _usage(body, text),
        "system_fingerprint": "fp_test",
    }


def _error(message: str, code: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": code, "param": None, "code": code}}
