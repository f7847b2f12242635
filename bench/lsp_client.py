"""A minimal LSP client over stdio for benchmarks (Python standard library only).

It frames JSON-RPC messages with `Content-Length` headers, reads the server's
output on a reader thread that stamps every message with the time it arrived
(`time.perf_counter()`), answers the requests a server sends to its client
(`workspace/configuration`, `window/workDoneProgress/create`,
`client/registerCapability`, ...) and keeps every `publishDiagnostics` so a
benchmark can wait for the diagnostics of one document version.

    client = LspClient([binary, "lsp"], cwd=root)
    result, error, elapsed = client.request("initialize", params)
    client.notify("initialized", {})
    seq = client.publish_seq()
    client.notify("textDocument/didOpen", ...)
    pub = client.wait_diagnostics(uri, after_seq=seq)
"""

import json
import os
import subprocess
import threading
import time
import urllib.parse


class LspError(Exception):
    pass


def normalize_uri(uri):
    """A file URI with percent-escapes decoded, for comparing what the server
    sends with what the client sent."""
    return urllib.parse.unquote(uri or "")


class Publish:
    """One `textDocument/publishDiagnostics` notification."""

    __slots__ = ("seq", "time", "uri", "version", "diagnostics")

    def __init__(self, seq, when, uri, version, diagnostics):
        self.seq = seq
        self.time = when
        self.uri = uri
        self.version = version
        self.diagnostics = diagnostics


class LspClient:
    def __init__(self, cmd, cwd=None, env=None, stderr_path=None, settings=None):
        self.settings = settings if settings is not None else {}
        self._stderr = open(stderr_path, "wb") if stderr_path else subprocess.DEVNULL
        self.proc = subprocess.Popen(
            cmd,
            cwd=cwd,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
        )
        self.pid = self.proc.pid
        self._write_lock = threading.Lock()
        self._cond = threading.Condition()
        self._next_id = 0
        self._responses = {}  # id -> (time, message)
        self._publishes = []  # every Publish, in arrival order
        self._latest_by_uri = {}  # uri -> index of its last Publish in _publishes
        self.last_message_time = time.perf_counter()
        self.message_count = 0
        self.progress = {}  # token -> {"begin": t, "end": t, "title": ...}
        self.log_messages = []
        self.server_requests = []  # (method, time)
        self.closed = False
        self.reader_error = None
        self._reader = threading.Thread(target=self._read_loop, daemon=True)
        self._reader.start()

    # -- wire ---------------------------------------------------------------

    def _send(self, message):
        body = json.dumps(message, separators=(",", ":")).encode("utf-8")
        frame = b"Content-Length: %d\r\n\r\n" % len(body) + body
        with self._write_lock:
            try:
                self.proc.stdin.write(frame)
                self.proc.stdin.flush()
            except (BrokenPipeError, OSError) as err:
                raise LspError(f"the server closed its input: {err}") from err

    def _read_loop(self):
        stream = self.proc.stdout
        try:
            while True:
                length = None
                while True:
                    line = stream.readline()
                    if not line:
                        raise EOFError
                    line = line.strip()
                    if not line:
                        break
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value.strip())
                if length is None:
                    raise LspError("a message without Content-Length")
                body = b""
                while len(body) < length:
                    chunk = stream.read(length - len(body))
                    if not chunk:
                        raise EOFError
                    body += chunk
                now = time.perf_counter()
                self._dispatch(json.loads(body), now)
        except EOFError:
            pass
        except Exception as err:  # keep the reason for the main thread
            self.reader_error = err
        finally:
            with self._cond:
                self.closed = True
                self._cond.notify_all()

    def _dispatch(self, msg, now):
        method = msg.get("method")
        with self._cond:
            self.last_message_time = now
            self.message_count += 1
        if method is None:
            with self._cond:
                self._responses[msg.get("id")] = (now, msg)
                self._cond.notify_all()
            return
        if "id" in msg:
            self._answer_server_request(msg, now)
            return
        params = msg.get("params") or {}
        if method == "textDocument/publishDiagnostics":
            with self._cond:
                uri = normalize_uri(params.get("uri"))
                pub = Publish(
                    len(self._publishes) + 1,
                    now,
                    uri,
                    params.get("version"),
                    params.get("diagnostics") or [],
                )
                self._publishes.append(pub)
                self._latest_by_uri[uri] = len(self._publishes) - 1
                self._cond.notify_all()
        elif method == "$/progress":
            value = params.get("value") or {}
            token = str(params.get("token"))
            with self._cond:
                entry = self.progress.setdefault(token, {})
                kind = value.get("kind")
                if kind == "begin":
                    entry["begin"] = now
                    entry["title"] = value.get("title")
                elif kind == "end":
                    entry["end"] = now
                self._cond.notify_all()
        elif method in ("window/logMessage", "window/showMessage"):
            self.log_messages.append((now, params.get("message")))

    def _answer_server_request(self, msg, now):
        method = msg["method"]
        self.server_requests.append((method, now))
        params = msg.get("params") or {}
        if method == "workspace/configuration":
            items = params.get("items") or []
            result = [self._configuration_for(item.get("section")) for item in items]
        else:
            # window/workDoneProgress/create, client/registerCapability,
            # workspace/diagnostic/refresh, ...: nothing to give back.
            result = None
        try:
            self._send({"jsonrpc": "2.0", "id": msg["id"], "result": result})
        except LspError:
            pass

    def _configuration_for(self, section):
        if section in (None, ""):
            return {"planmark": self.settings}
        if section == "planmark":
            return self.settings
        value = {"planmark": self.settings}
        for part in section.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        return value

    # -- API ----------------------------------------------------------------

    def notify(self, method, params):
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def send_request(self, method, params):
        """Sends a request and returns (id, send time) without waiting."""
        with self._cond:
            self._next_id += 1
            rid = self._next_id
        sent = time.perf_counter()
        self._send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        return rid, sent

    def wait_response(self, rid, timeout=60.0):
        deadline = time.perf_counter() + timeout
        with self._cond:
            while rid not in self._responses:
                left = deadline - time.perf_counter()
                if self.closed:
                    raise LspError(f"the server exited before answering request {rid}")
                if left <= 0:
                    raise TimeoutError(f"no answer to request {rid} in {timeout} s")
                self._cond.wait(left)
            return self._responses.pop(rid)

    def request(self, method, params, timeout=60.0):
        """Sends a request and waits: returns (result, error, elapsed seconds)."""
        rid, sent = self.send_request(method, params)
        when, msg = self.wait_response(rid, timeout)
        return msg.get("result"), msg.get("error"), when - sent

    def publish_seq(self):
        """The sequence number of the last publishDiagnostics received."""
        with self._cond:
            return len(self._publishes)

    def wait_diagnostics(self, uri, after_seq=0, version=None, timeout=60.0):
        """Waits for a publishDiagnostics for `uri` that arrived after
        `after_seq` and, when `version` is given and the server tags its
        diagnostics with versions, is for that version. Returns the Publish."""
        uri = normalize_uri(uri)
        deadline = time.perf_counter() + timeout
        scanned = after_seq
        with self._cond:
            while True:
                while scanned < len(self._publishes):
                    pub = self._publishes[scanned]
                    scanned += 1
                    if pub.uri != uri:
                        continue
                    if version is None or pub.version is None or pub.version == version:
                        return pub
                left = deadline - time.perf_counter()
                if self.closed:
                    raise LspError("the server exited while diagnostics were awaited")
                if left <= 0:
                    raise TimeoutError(f"no diagnostics for {uri} in {timeout} s")
                self._cond.wait(left)

    def publishes_since(self, after_seq):
        with self._cond:
            return list(self._publishes[after_seq:])

    def wait_quiet(self, quiet=0.5, timeout=300.0, until=None):
        """Waits until the server has sent nothing for `quiet` seconds (and,
        if given, `until()` is true). Returns the time of the last message."""
        deadline = time.perf_counter() + timeout
        with self._cond:
            while True:
                now = time.perf_counter()
                idle = now - self.last_message_time
                if idle >= quiet and (until is None or until()):
                    return self.last_message_time
                if now >= deadline or self.closed:
                    return self.last_message_time
                self._cond.wait(max(0.01, quiet - idle))

    def progress_done(self):
        with self._cond:
            return all("end" in p for p in self.progress.values() if "begin" in p)

    def status(self, field):
        """A field of /proc/<pid>/status in kB (VmHWM, VmRSS), or None."""
        try:
            with open(f"/proc/{self.pid}/status") as fh:
                for line in fh:
                    if line.startswith(field + ":"):
                        return int(line.split()[1])
        except OSError:
            return None
        return None

    def close(self, timeout=10.0):
        """shutdown + exit, then waits for the process (kills it if needed)."""
        if self.proc.poll() is None and not self.closed:
            try:
                self.request("shutdown", None, timeout=timeout)
                self.notify("exit", None)
            except (LspError, TimeoutError):
                pass
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self._stderr not in (None, subprocess.DEVNULL):
            self._stderr.close()
        return self.proc.returncode


def file_uri(path):
    return "file://" + urllib.parse.quote(os.path.abspath(path))
