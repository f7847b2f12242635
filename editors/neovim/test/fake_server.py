#!/usr/bin/env python3
"""A fake language server for the failure test of the Neovim integration:
it answers `initialize` and `shutdown` like planmark but never publishes a
diagnostic, so the test must fail."""
import json
import sys


def read():
    length = None
    while True:
        line = sys.stdin.buffer.readline()
        if not line:
            return None
        line = line.strip()
        if not line:
            break
        name, _, value = line.partition(b":")
        if name.lower() == b"content-length":
            length = int(value)
    return json.loads(sys.stdin.buffer.read(length))


def send(message):
    body = json.dumps(message).encode()
    sys.stdout.buffer.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    sys.stdout.buffer.flush()


while True:
    message = read()
    if message is None or message.get("method") == "exit":
        break
    method, id_ = message.get("method"), message.get("id")
    if id_ is None or method is None:
        continue
    if method == "initialize":
        result = {"capabilities": {"textDocumentSync": 1}, "serverInfo": {"name": "fake"}}
    else:
        result = None
    send({"jsonrpc": "2.0", "id": id_, "result": result})
