"""The load generator: a bounded number of HTTP requests to 127.0.0.1 from N client threads.

Run as its own process by bench/run.py, so the clients' CPU is not the server's. Each client
keeps one HTTP/1.1 connection open (reconnecting if the server closes it) and sends requests
one after another until `--requests` have been sent in all; every answer is checked (status,
content type, the file's first bytes). Prints JSON: each request's latency in ms (from sending
to the last byte read) and the wall time of the whole run.

  python bench/load.py --port 8123 --path /api/v1/documents/application --body FILE \
      --clients 8 --requests 400 --expect application/vnd.openxml... --magic PK
"""
from __future__ import annotations

import argparse
import http.client
import json
import threading
import time
from typing import Any

HOST = "127.0.0.1"   # never anything else


def one(conn_box: list[Any], port: int, method: str, path: str, body: bytes | None,
        headers: dict[str, str], expect: str, magic: bytes) -> float:
    """Send one request on the client's connection; its latency in ms."""
    for attempt in (1, 2):
        if conn_box[0] is None:
            conn_box[0] = http.client.HTTPConnection(HOST, port, timeout=120)
        conn = conn_box[0]
        try:
            start = time.perf_counter()
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            elapsed = time.perf_counter() - start
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            conn.close()
            conn_box[0] = None
            if attempt == 2:
                raise
            continue
        if resp.status != 200 or not resp.getheader("Content-Type", "").startswith(expect) \
                or not data.startswith(magic):
            raise RuntimeError(f"{method} {path}: {resp.status} {resp.getheader('Content-Type')} {data[:300]!r}")
        if resp.getheader("Connection", "").lower() == "close":
            conn.close()
            conn_box[0] = None
        return elapsed * 1000
    raise AssertionError("unreachable")


def run(port: int, method: str, path: str, body: bytes | None, headers: dict[str, str], clients: int,
        requests: int, expect: str, magic: bytes) -> dict[str, Any]:
    """`requests` requests from `clients` threads; latencies (ms) and wall time (s)."""
    lock = threading.Lock()
    left = [requests]
    latencies: list[float] = []
    errors: list[str] = []

    def client() -> None:
        box: list[Any] = [None]
        mine = []
        try:
            while True:
                with lock:
                    if left[0] == 0 or errors:
                        break
                    left[0] -= 1
                mine.append(one(box, port, method, path, body, headers, expect, magic))
        except Exception as exc:  # noqa: BLE001 - reported to the driver, which fails the run
            with lock:
                errors.append(repr(exc))
        finally:
            if box[0] is not None:
                box[0].close()
            with lock:
                latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"latencies_ms": latencies, "wall_s": time.perf_counter() - start, "errors": errors}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--method", default="POST")
    parser.add_argument("--path", required=True)
    parser.add_argument("--body", help="file with the JSON body")
    parser.add_argument("--header", action="append", default=[], help="Name: value")
    parser.add_argument("--clients", type=int, default=1)
    parser.add_argument("--requests", type=int, required=True)
    parser.add_argument("--warmup", type=int, default=0, help="requests sent first and not counted")
    parser.add_argument("--expect", required=True, help="the answer's content type")
    parser.add_argument("--magic", default="", help="the file's first bytes")
    args = parser.parse_args()
    if args.requests > 100_000:
        parser.error("at most 100000 requests")
    body = open(args.body, "rb").read() if args.body else None
    headers = dict(h.split(": ", 1) for h in args.header)
    if body is not None:
        headers.setdefault("Content-Type", "application/json")
    magic = args.magic.encode()
    if args.warmup:
        run(args.port, args.method, args.path, body, headers, args.clients, args.warmup, args.expect, magic)
    print(json.dumps(run(args.port, args.method, args.path, body, headers, args.clients, args.requests,
                         args.expect, magic)))


if __name__ == "__main__":
    main()
