#!/usr/bin/env python3
"""A small NetBox-like API server on loopback for the import tests.

Serves the results of saved API pages (every *.json in --pages, filed by
endpoint from their urls) with limit/offset paging and "next" links, and
checks the Authorization header against --auth.  --flaky N answers the
first N requests with 429 (Retry-After: 0); --malformed ENDPOINT breaks
the second page of that endpoint; --nautobot says so in /api/status/.
The chosen port is written to --port-file.
"""
import argparse
import glob
import json
import re
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

ARGS = None
RESULTS = {}
STATE = {"requests": 0}


def load(pages):
    for path in sorted(glob.glob(pages + "/*.json")):
        with open(path) as f:
            for r in json.load(f)["results"]:
                m = re.search(r"/api/(.+)/[^/]+/$", r["url"])
                RESULTS.setdefault(m.group(1), []).append(r)


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def send(self, status, body, headers=()):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        STATE["requests"] += 1
        if STATE["requests"] <= ARGS.flaky:
            return self.send(429, '{"detail": "slow down"}',
                             [("Retry-After", "0")])
        if self.headers.get("Authorization") != ARGS.auth:
            return self.send(401, '{"detail": "Invalid v1 token"}')
        u = urllib.parse.urlsplit(self.path)
        if u.path == "/api/status/":
            key = "nautobot-version" if ARGS.nautobot else "netbox-version"
            return self.send(200, json.dumps({key: "4.5.0"}))
        ep = u.path[len("/api/"):].strip("/")
        q = urllib.parse.parse_qs(u.query)
        limit = int(q.get("limit", ["50"])[0])
        offset = int(q.get("offset", ["0"])[0])
        rows = RESULTS.get(ep, [])
        nxt = None
        if offset + limit < len(rows):
            host = f"http://127.0.0.1:{self.server.server_port}"
            extra = "&depth=1" if "depth" in q else ""
            nxt = f"{host}/api/{ep}/?limit={limit}&offset={offset + limit}{extra}"
        if ep == ARGS.malformed and offset > 0:
            return self.send(200, '{"count": 1, "next": null, '
                             '"results": [{"id": 5,, }]}')
        page = {"count": len(rows), "next": nxt, "previous": None,
                "results": rows[offset:offset + limit]}
        self.send(200, json.dumps(page))


def main():
    global ARGS
    p = argparse.ArgumentParser()
    p.add_argument("--pages", required=True)
    p.add_argument("--auth", required=True)
    p.add_argument("--port-file", required=True)
    p.add_argument("--flaky", type=int, default=0)
    p.add_argument("--malformed", default="")
    p.add_argument("--nautobot", action="store_true")
    ARGS = p.parse_args()
    load(ARGS.pages)
    srv = HTTPServer(("127.0.0.1", 0), Handler)
    with open(ARGS.port_file + ".tmp", "w") as f:
        f.write(str(srv.server_port))
    import os
    os.rename(ARGS.port_file + ".tmp", ARGS.port_file)
    srv.serve_forever()


if __name__ == "__main__":
    main()
