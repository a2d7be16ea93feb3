#!/usr/bin/env python3
"""End-to-end tests of `netvet serve`: a real server on a loopback port,
a real HTTP client (http.client), and every answer checked against the
OpenAPI document the server itself serves.

Usage: tests/serve/api.py NETVET   (prints "serve: N passed, N failed")
"""
import atexit
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import warnings

NETVET = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "./netvet")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE = os.path.join(ROOT, "examples/national/model.json")
NEXT = os.path.join(ROOT, "examples/national/model-next.json")
LIST = os.path.join(ROOT, "tests/data/lists/new.csv")
passed = failed = 0
spec = None


def ok(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)
    return cond


def run(*args, stdin=None, check=True):
    p = subprocess.run([NETVET, *args], input=stdin, capture_output=True)
    if check and p.returncode not in (0, 1):
        raise SystemExit("netvet %s: %s" % (" ".join(args), p.stderr.decode()))
    return p


servers = []


def kill_servers():
    """Leave no server behind when a test stops on an exception."""
    for p in servers:
        if p.poll() is None:
            p.kill()


atexit.register(kill_servers)


class Server:
    def __init__(self, db, *extra, cert=None):
        # From the checkout, where policy packs are found by name, as
        # they are beside an installed netvet.
        tls = ["--tls-cert", cert[0], "--tls-key", cert[1]] if cert else []
        self.proc = subprocess.Popen(
            [NETVET, "serve", "--store", db, "--listen", "127.0.0.1:0", *tls,
             *extra],
            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, cwd=ROOT)
        servers.append(self.proc)
        line = self.proc.stderr.readline().decode()
        m = re.match(r"netvet serve: listening on (https?)://127\.0\.0\.1:"
                     r"(\d+)/$", line.strip())
        if not m or (m.group(1) == "https") != bool(cert):
            raise SystemExit("serve did not start: %r" % line)
        self.port = int(m.group(2))
        self.tls = None
        if cert:
            # The test's own certificate is the one trusted, for 127.0.0.1.
            self.tls = ssl.create_default_context(cafile=cert[0])

    def connect(self, source="127.0.0.1"):
        if self.tls:
            return http.client.HTTPSConnection(
                "127.0.0.1", self.port, timeout=120, context=self.tls,
                source_address=(source, 0))
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=120,
                                          source_address=(source, 0))

    def stop(self, sig=signal.SIGTERM):
        self.proc.send_signal(sig)
        return self.proc.wait(timeout=30)


def request(srv, method, path, key=None, body=None, headers=None,
            source="127.0.0.1"):
    h = dict(headers or {})
    if key:
        h["X-Api-Key"] = key
    c = srv.connect(source)
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    data = r.read()
    c.close()
    conform(method, path, r, data)
    return r, data


def poll(srv, method, path, key, **kw):
    """The final answer of an analysis, following its job if it has one."""
    r, data = request(srv, method, path, key, **kw)
    while r.status == 202:
        job = json.loads(data)["url"]
        for _ in range(600):
            jr, jd = request(srv, "GET", job, key)
            st = json.loads(jd)
            if st["status"] != "running":
                break
            time.sleep(0.2)
        if st["status"] == "failed":
            return r, json.dumps(st["problem"]).encode()
        r, data = request(srv, method, path, key, **kw)
    return r, data


# ---- conformance with the OpenAPI document ----

def resolve(s):
    while "$ref" in s:
        s = spec["components"]["schemas"][s["$ref"].split("/")[-1]]
    return s


def type_ok(v, t):
    types = t if isinstance(t, list) else [t]
    m = {"object": dict, "array": list, "string": str, "null": type(None),
         "boolean": bool}
    for x in types:
        if x == "integer" and isinstance(v, int) and not isinstance(v, bool):
            return True
        if x == "number" and isinstance(v, (int, float)):
            return True
        if x in m and isinstance(v, m[x]):
            return True
    return False


def check_schema(v, s, where, quiet=False):
    """Whether v has the type, enum and required properties of s (and so
    on down); failures count as failed tests unless quiet."""
    def bad(msg):
        return False if quiet else ok(False, msg)
    s = resolve(s)
    if "oneOf" in s:
        if any(check_schema(v, o, where, True) for o in s["oneOf"]):
            return True
        return bad("%s: %r matches none of oneOf" % (where, v))
    if "enum" in s and v not in s["enum"]:
        return bad("%s: %r not in %r" % (where, v, s["enum"]))
    if "type" in s and not type_ok(v, s["type"]):
        return bad("%s: %r is not %s" % (where, v, s["type"]))
    if isinstance(v, dict):
        for k in s.get("required", []):
            if k not in v:
                return bad("%s: no required property %s" % (where, k))
        for k, sub in s.get("properties", {}).items():
            if k in v and not check_schema(v[k], sub, where + "." + k, quiet):
                return False
    if isinstance(v, list) and "items" in s:
        for i, item in enumerate(v[:20]):
            if not check_schema(item, s["items"], "%s[%d]" % (where, i),
                                quiet):
                return False
    return True


def template(path):
    path = path.split("?")[0]
    for t in spec["paths"]:
        if re.fullmatch(re.sub(r"\{[a-z]+\}", "[^/]+", t), path):
            return t
    return None


conform_checked = 0


def conform(method, path, r, data):
    global conform_checked
    if spec is None:
        return
    t = template(path)
    if t is None:
        return  # paths that are not the API's (traversal attempts)
    op = spec["paths"][t].get(method.lower())
    where = "%s %s -> %d" % (method, path[:80], r.status)
    if not ok(op is not None, where + ": method not documented"):
        return
    resp = op["responses"].get(str(r.status))
    if not ok(resp is not None, where + ": status not documented"):
        return
    ctype = (r.getheader("Content-Type") or "").split(";")[0]
    if "content" not in resp:
        return
    if not ok(ctype in resp["content"], where + ": type " + ctype):
        return
    if ctype in ("application/json", "application/problem+json"):
        check_schema(json.loads(data), resp["content"][ctype]["schema"], where)
        conform_checked += 1


# ---- the tests ----

def main():
    global spec
    work = tempfile.mkdtemp(prefix="netvet-serve-test-")
    try:
        os.chdir(work)
        tests(work)
    finally:
        os.chdir("/")
        shutil.rmtree(work, ignore_errors=True)
    ok(conform_checked > 20, "answers checked against the document: %d" %
       conform_checked)
    print("serve: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def key(db, name, perms):
    p = run("serve", "keys", "add", db, "--name", name, "--permissions", perms,
            "--log", "ev", "--log-key", "log.key")
    out = p.stdout.decode()
    ok(re.fullmatch(r"nvk_[0-9a-f]{64}\n", out) is not None,
       "keys add prints the key alone: %r" % out)
    return out.strip()


def tests(work):
    global spec
    db = os.path.join(work, "h.db")
    run("store", "init", db)
    run("keygen", "log")
    admin = key(db, "admin", "read,write,analyse,admin")
    reader = key(db, "reader", "read")
    analyst = key(db, "analyst", "read,analyse")
    gone = key(db, "gone", "read")
    run("serve", "keys", "revoke", db, "--name", "gone", "--log", "ev",
        "--log-key", "log.key")
    listed = run("serve", "keys", "list", db).stdout.decode()
    ok("revoked" in listed and admin not in listed, "keys list: %s" % listed)
    ok(hashlib.sha256(admin.encode()).hexdigest().encode() in
       open(db, "rb").read() + open(db + "-wal", "rb").read()
       if os.path.exists(db + "-wal") else True, "the key's hash is stored")

    srv = Server(db, "--log", os.path.abspath("ev"), "--log-key",
                 os.path.abspath("log.key"), "--max-body", "2000000", "--threads", "8", "--list", LIST)
    r, data = request(srv, "GET", "/api/v1/openapi.json")
    ok(r.status == 200, "openapi.json")
    spec = json.loads(data)
    ok(spec["openapi"].startswith("3.1"), "OpenAPI 3.1")
    api(srv, db, admin, reader, analyst, gone)
    security(srv, admin, reader, analyst, gone)
    ok(srv.stop() == 0, "SIGTERM stops the server cleanly")
    jobs(db, admin, analyst)
    paging(work, admin)
    https(work, db, admin, reader, analyst)
    crash(work, db, admin)


def upload(srv, k, path, message):
    with open(path, "rb") as f:
        body = f.read()
    return request(srv, "POST", "/api/v1/snapshots?message=" + message, k,
                   body=body)


def api(srv, db, admin, reader, analyst, gone):
    r, data = upload(srv, admin, EXAMPLE, "baseline")
    ok(r.status == 201, "upload: %d %s" % (r.status, data[:200]))
    sid = json.loads(data)["id"]
    ok(r.getheader("Location") == "/api/v1/snapshots/" + sid, "Location")
    r, data = upload(srv, admin, NEXT, "next%20year")
    nid = json.loads(data)["id"]

    r, data = request(srv, "GET", "/api/v1/snapshots", reader)
    snaps = json.loads(data)["snapshots"]
    ok([s["id"] for s in snaps] == [nid, sid], "list newest first")
    ok(snaps[1]["message"] == "baseline" and snaps[1]["author"] == "admin",
       "message and author")
    r, data = request(srv, "GET", "/api/v1/snapshots?limit=1", reader)
    page = json.loads(data)
    ok(len(page["snapshots"]) == 1 and page["next"] is not None, "page 1")
    r, data = request(srv, "GET",
                      "/api/v1/snapshots?limit=1&cursor=%d" % page["next"],
                      reader)
    page = json.loads(data)
    ok([s["id"] for s in page["snapshots"]] == [sid] and page["next"] is None,
       "page 2 by cursor")
    r, data = request(srv, "GET", "/api/v1/snapshots/" + sid[:12], reader)
    shown = json.loads(data)
    ok(r.status == 200 and shown["id"] == sid, "show by prefix")
    ok("vendor:huawei" in [g["id"] for g in shown["groups"] or []] and
       shown["sectors"], "show: the groups and sectors to pick from")
    r, data = request(srv, "GET", "/api/v1/snapshots/%s/model" % sid, reader)
    ok(r.status == 200 and "assets" in json.loads(data), "model")

    want = run("assess", "--json", EXAMPLE).stdout
    r, data = poll(srv, "GET", "/api/v1/snapshots/%s/assess" % sid, analyst)
    ok(r.status == 200 and data == want,
       "assess == netvet assess --json, byte for byte")
    r, data = request(srv, "GET", "/api/v1/snapshots/%s/assess" % sid, analyst)
    ok(r.status == 200 and data == want, "assess again, from the cache")
    want = run("wargame", "--json", "--vendor", "huawei", EXAMPLE).stdout
    r, data = poll(srv, "GET", "/api/v1/snapshots/%s/wargame?group=vendor:huawei"
                   % sid, analyst)
    ok(r.status == 200 and data == want, "wargame == netvet wargame --json")
    for what in ("concentration", "margin", "check?policy=uk-2020",
                 "release?policy=uk-2020"):
        r, data = poll(srv, "GET", "/api/v1/snapshots/%s/%s" % (sid, what),
                       analyst)
        ok(r.status == 200 and "netvet_version" in json.loads(data), what)
    r, data = poll(srv, "GET", "/api/v1/snapshots/%s/report" % sid, reader)
    ok(r.status == 200 and data.startswith(b"<!DOCTYPE html>") and
       "default-src 'none'" in r.getheader("Content-Security-Policy", ""),
       "report page")
    r, data = poll(srv, "GET", "/api/v1/diff?from=%s&to=%s" % (sid, nid),
                   reader)
    want = run("store", "diff", db, sid, nid, "--json").stdout
    ok(r.status == 200 and data == want, "diff == netvet store diff --json")
    r, data = poll(srv, "GET", "/api/v1/posture?policy=uk-2020", reader)
    ok(r.status == 200 and len(json.loads(data)["snapshots"]) == 2, "posture")
    r, data = poll(srv, "GET", "/api/v1/snapshots/%s/check?policy=/etc/passwd"
                   % sid, analyst)
    ok(r.status == 400, "a policy that is a path is refused")

    r, data = request(srv, "GET", "/api/v1/audit", admin)
    rows = json.loads(data)["audit"]
    acts = [a["action"] for a in rows]
    ok(acts.count("upload") == 2 and "check" in acts and "release" in acts,
       "audit: uploads and decisions: %s" % acts)
    ok(acts.count("key-add") == 4 and acts.count("key-revoke") == 1,
       "audit: keys made and revoked: %s" % acts)
    ok(all(a["log_index"] is not None for a in rows), "every row logged")
    logged(srv, reader, rows)

    r, data = request(srv, "DELETE", "/api/v1/snapshots/%s?message=wrong" % nid,
                      admin)
    ok(r.status == 204, "withdraw: %d %s" % (r.status, data))
    r, data = request(srv, "GET", "/api/v1/snapshots/" + nid, reader)
    ok(r.status == 404, "a withdrawn snapshot is gone")
    r, data = request(srv, "GET", "/api/v1/snapshots", reader)
    ok([s["id"] for s in json.loads(data)["snapshots"]] == [sid],
       "and not listed")


def logged(srv, k, rows):
    """The audit rows are in the evidence log, provably."""
    r, data = request(srv, "GET", "/api/v1/log/checkpoint", k)
    log = json.loads(data)
    ok(r.status == 200 and log["size"] == len(rows), "checkpoint size")
    for a in rows:
        r, data = poll(srv, "GET", "/api/v1/log/inclusion?index=%d" %
                       a["log_index"], k)
        with open("proof.json", "wb") as f:
            f.write(data)
        p = run("log", "verify", "--proof", "proof.json", "--trust", "log.pub",
                check=False)
        ok(r.status == 200 and p.returncode == 0, "inclusion proof verifies")
        entry = log["entries"][a["log_index"]]["entry"]
        text = json.dumps(entry, separators=(",", ":"), ensure_ascii=False)
        ok(hashlib.sha256(text.encode()).hexdigest() == a["hash"],
           "the row's hash is its log entry's")
    r, data = poll(srv, "GET", "/api/v1/log/consistency?from=1&to=%d" %
                   len(rows), k)
    with open("proof.json", "wb") as f:
        f.write(data)
    p = run("log", "verify", "--proof", "proof.json", "--trust", "log.pub",
            check=False)
    ok(r.status == 200 and p.returncode == 0, "consistency proof verifies")


def security(srv, admin, reader, analyst, gone):
    snaps = "/api/v1/snapshots"
    r, _ = request(srv, "GET", snaps)
    ok(r.status == 401, "no key: 401")
    r, _ = request(srv, "GET", snaps, "nvk_" + "0" * 64)
    ok(r.status == 401, "wrong key: 401")
    r, _ = request(srv, "GET", snaps, gone)
    ok(r.status == 401, "revoked key: 401")
    r, data = request(srv, "POST", snaps + "?message=x", reader, body=b"{}")
    ok(r.status == 403, "reader uploads: 403")
    r, _ = request(srv, "GET", "/api/v1/audit", analyst)
    ok(r.status == 403, "analyst reads the audit: 403")
    r, data = request(srv, "POST", snaps + "?message=big", admin,
                      body=b" " * 2000001)
    ok(r.status == 413, "oversized body: 413 (%d)" % r.status)
    r, data = request(srv, "POST", snaps + "?message=bad", admin,
                      body=b'{"assets": [\n  {"id": 1,}\n]}')
    d = json.loads(data) if data else {}
    ok(r.status == 400 and re.search(r"upload:\d+:\d+", d.get("detail", "")),
       "malformed model: 400 with LINE:COL: %s" % d.get("detail"))
    r, data = request(srv, "POST", snaps, admin, body=b"{}")
    ok(r.status == 400, "upload without a message: 400")
    for bad in ("..", "..%2F..%2Fetc%2Fpasswd", "%2e%2e", "ABC", "x" * 70,
                "0123/../../etc"):
        for tail in ("", "/assess", "/model", "/report"):
            r, _ = request(srv, "GET", snaps + "/" + bad + tail, admin)
            ok(r.status in (400, 404), "traversal %s%s: %d" % (bad, tail,
                                                               r.status))
        r, _ = request(srv, "GET", "/api/v1/jobs/" + bad, admin)
        ok(r.status in (400, 404), "traversal in jobs: %d" % r.status)
    r, _ = request(srv, "GET", "/api/v1/diff?from=../x&to=abcd", admin)
    ok(r.status == 400, "traversal in a query id")
    r, _ = request(srv, "GET", "/api/v1/snapshots?limit=%zz", admin)
    ok(r.status == 400, "bad escape in the query")
    sessions(srv, admin, reader)
    screen(srv, analyst)
    limit_attempts(srv, admin)


def sessions(srv, admin, reader):
    r, data = request(srv, "POST", "/api/v1/session", body=b'{"key": ')
    ok(r.status == 400, "malformed session JSON: 400")
    r, data = request(srv, "POST", "/api/v1/session", body=b'["x"]')
    ok(r.status == 400, "session JSON of another shape: 400")
    r, data = request(srv, "POST", "/api/v1/session",
                      body=json.dumps({"key": admin}).encode())
    ok(r.status == 200, "login")
    cookie = r.getheader("Set-Cookie", "")
    ok("HttpOnly" in cookie and "SameSite=Strict" in cookie, "cookie flags")
    tok = cookie.split(";")[0]
    csrf = json.loads(data)["csrf"]
    h = {"Cookie": tok}
    r, data = request(srv, "GET", "/api/v1/session", headers=h)
    ok(r.status == 200 and json.loads(data)["name"] == "admin", "session")
    r, _ = request(srv, "GET", "/api/v1/snapshots", headers=h)
    ok(r.status == 200, "cookie reads")
    forged = {"Cookie": "netvet_session=" + "a" * 64}
    r, _ = request(srv, "GET", "/api/v1/snapshots", headers=forged)
    ok(r.status == 401, "forged cookie: 401")
    r, _ = request(srv, "POST", "/api/v1/snapshots?message=x", body=b"{}",
                   headers=h)
    ok(r.status == 403, "change by cookie without CSRF token: 403")
    r, _ = request(srv, "POST", "/api/v1/snapshots?message=x", body=b"{}",
                   headers=dict(h, **{"X-CSRF-Token": "0" * 64}))
    ok(r.status == 403, "wrong CSRF token: 403")
    r, _ = request(srv, "DELETE", "/api/v1/session",
                   headers=dict(h, **{"X-CSRF-Token": csrf}))
    ok(r.status == 204, "logout")
    r, _ = request(srv, "GET", "/api/v1/snapshots", headers=h)
    ok(r.status == 401, "logged out: 401")


def screen(srv, k):
    r, data = request(srv, "POST", "/api/v1/screen", k,
                      body=b'["Huawei", 3]',
                      headers={"Content-Type": "application/json"})
    ok(r.status == 400, "screen: a name that is no string: 400")
    want = run("screen", "--json", "--list", LIST, "-",
               stdin=b"ZTE Corp\nEricsson AB\n").stdout
    for body, ctype in ((b'["ZTE Corp", "Ericsson AB"]', "application/json"),
                        (b"ZTE Corp\r\nEricsson AB\n", "text/plain")):
        r, data = poll(srv, "POST", "/api/v1/screen", k, body=body,
                       headers={"Content-Type": ctype})
        ok(r.status == 200 and data == want and len(want.splitlines()) == 2,
           "screen == netvet screen --json (%s)" % ctype)


def limit_attempts(srv, admin):
    # Every failure so far counted; after ten in a minute the client waits.
    statuses = []
    for _ in range(12):
        r, _ = request(srv, "GET", "/api/v1/snapshots", "nvk_bad")
        statuses.append(r.status)
    ok(statuses[-1] == 429, "failed attempts limited: %s" % statuses)
    r, _ = request(srv, "GET", "/api/v1/snapshots", admin)
    ok(r.status == 429, "even a good key waits out the minute")


def crash(work, db, admin):
    """Kill the server during uploads: the store and the log stay whole."""
    with open(EXAMPLE, "rb") as f:
        model = json.loads(f.read())
    for i in range(3):
        srv = Server(db, "--log", os.path.abspath("ev"), "--log-key",
                     os.path.abspath("log.key"))
        model["assets"][0]["name"] = "crash %d" % i
        body = json.dumps(model).encode()

        def send():
            try:
                request(srv, "POST", "/api/v1/snapshots?message=crash", admin,
                        body=body)
            except Exception:
                pass

        t = threading.Thread(target=send)
        t.start()
        time.sleep(0.05 + 0.1 * i)
        srv.stop(signal.SIGKILL)
        t.join()
    time.sleep(1)  # an orphaned `store add` may still be finishing
    p = run("store", "list", db, check=False)
    ok(p.returncode == 0, "store list after the crashes: %s" % p.stderr)
    p = run("log", "verify", "ev", "--trust", "log.pub", check=False)
    ok(p.returncode == 0, "the log verifies after the crashes: %s" % p.stderr)
    srv = Server(db, "--log", os.path.abspath("ev"), "--log-key",
                 os.path.abspath("log.key"))
    r, data = request(srv, "GET", "/api/v1/snapshots", admin)
    ok(r.status == 200, "the restarted server lists")
    ok(srv.stop() == 0, "and stops")


# ---- analyses as jobs, paging ----

def jobs(db, admin, analyst):
    """With --sync-wait 0 every analysis not cached answers 202 at once:
    the job is polled to its end and its result is the synchronous one."""
    srv = Server(db, "--sync-wait", "0")
    r, data = request(srv, "GET", "/api/v1/snapshots", admin)
    sid = json.loads(data)["snapshots"][-1]["id"]
    path = "/api/v1/snapshots/%s/assess" % sid
    r, data = request(srv, "GET", path, analyst)
    job = json.loads(data) if r.status == 202 else {}
    ok(r.status == 202 and r.getheader("Location") == job.get("url") and
       job["url"] == "/api/v1/jobs/" + job["job"],
       "an analysis past --sync-wait: 202 with the job: %d %s" %
       (r.status, data[:200]))
    states = []
    for _ in range(600):
        r, data = request(srv, "GET", job.get("url", "/api/v1/jobs/0"),
                          analyst)
        st = json.loads(data)
        states.append(st.get("status"))
        if st.get("status") != "running":
            break
        time.sleep(0.1)
    ok(st.get("status") == "done" and st.get("result") == path,
       "the job ends done, with its result's URL: %s" % st)
    r, data = request(srv, "GET", st.get("result") or path, analyst)
    want = run("assess", "--json", EXAMPLE).stdout
    ok(r.status == 200 and data == want,
       "the job's result == netvet assess --json, byte for byte")
    r, data = request(srv, "GET", "/api/v1/snapshots/%s/check?policy=nopack"
                      % sid, analyst)
    url = json.loads(data).get("url", "") if r.status == 202 else ""
    for _ in range(600):
        r, data = request(srv, "GET", url or "/api/v1/jobs/0", analyst)
        st = json.loads(data) if r.status == 200 else {}
        if st.get("status") != "running":
            break
        time.sleep(0.1)
    ok(st.get("status") == "failed" and st.get("result") is None and
       "nopack" in (st.get("problem") or {}).get("detail", ""),
       "a job that fails says why: %s" % st)
    r, _ = request(srv, "GET", "/api/v1/jobs/" + "0" * 32, analyst)
    ok(r.status == 404, "no such job: 404")
    ok(srv.stop() == 0, "the job server stops")


def walk(srv, k, limit):
    """Every id the list gives, following its cursor, and the pages."""
    ids, pages, cursor = [], 0, None
    while pages < 100:
        q = "?limit=%d" % limit if limit else ""
        if cursor is not None:
            q += ("&" if q else "?") + "cursor=%d" % cursor
        r, data = request(srv, "GET", "/api/v1/snapshots" + q, k)
        page = json.loads(data)
        ids += [s["id"] for s in page["snapshots"]]
        pages += 1
        cursor = page["next"]
        if cursor is None:
            break
    return ids, pages


def paging(work, admin):
    """More snapshots than a page: the cursor walks them all, once each,
    newest first, at any page size; a withdrawn one drops out."""
    db = os.path.join(work, "pages.db")
    run("store", "init", db)
    k = run("serve", "keys", "add", db, "--name", "admin", "--permissions",
            "read,write,analyse,admin").stdout.decode().strip()
    srv = Server(db)
    made = []
    for i in range(53):
        body = ('{"netvet": 1, "assets": [{"id": "a%d", "layer": "core"}]}'
                % i).encode()
        r, data = request(srv, "POST", "/api/v1/snapshots?message=n%d" % i, k,
                          body=body)
        if r.status == 201:
            made.append(json.loads(data)["id"])
    ok(len(set(made)) == 53, "53 small snapshots uploaded: %d" % len(made))
    newest = list(reversed(made))
    for limit, npages in ((None, 2), (7, 8), (53, 1), (1, 53)):
        ids, pages = walk(srv, k, limit)
        ok(ids == newest and pages == npages,
           "limit %s: %d ids, %d distinct, %d pages, all in order" %
           (limit, len(ids), len(set(ids)), pages))
    r, _ = request(srv, "DELETE", "/api/v1/snapshots/%s?message=x" % made[20],
                   k)
    ids, pages = walk(srv, k, 7)
    ok(ids == [i for i in newest if i != made[20]] and pages == 8,
       "a withdrawn snapshot drops out of the walk: %d ids" % len(ids))
    for bad in ("0", "1001", "-1", "x"):
        r, _ = request(srv, "GET", "/api/v1/snapshots?limit=" + bad, k)
        ok(r.status == 400, "limit=%s: 400 (%d)" % (bad, r.status))
        r, _ = request(srv, "GET", "/api/v1/audit?limit=" + bad, k)
        ok(r.status == 400, "audit limit=%s: 400 (%d)" % (bad, r.status))
    ok(srv.stop() == 0, "the paging server stops")


# ---- HTTPS ----

def make_cert(work, name):
    """A throwaway self-signed certificate for 127.0.0.1, and its key."""
    cert = os.path.join(work, name + "-cert.pem")
    key = os.path.join(work, name + "-key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key,
                    "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


def listening(pid):
    """The TCP ports process pid listens on (from /proc)."""
    inodes = set()
    for fd in os.listdir("/proc/%d/fd" % pid):
        try:
            m = re.fullmatch(r"socket:\[(\d+)\]",
                             os.readlink("/proc/%d/fd/%s" % (pid, fd)))
        except OSError:
            continue
        if m:
            inodes.add(m.group(1))
    ports = set()
    with open("/proc/net/tcp") as f:
        for line in f.read().splitlines()[1:]:
            col = line.split()
            if col[3] == "0A" and col[9] in inodes:
                ports.add(int(col[1].split(":")[1], 16))
    return ports


def bad_tls(db, cert, key, other):
    """A certificate or key that cannot serve: exit 2, a message, and
    no server left listening."""
    garbage = os.path.abspath("garbage.pem")
    with open(garbage, "w") as f:
        f.write("-----BEGIN CERTIFICATE-----\nnot base64\n"
                "-----END CERTIFICATE-----\n")
    cases = ((cert, other[1], "not the private key of the certificate"),
             (key, key, "no PEM certificate"),
             (cert, cert, "no PEM private key"),
             (garbage, key, "no PEM certificate"),
             ("/no/such.pem", key, "/no/such.pem"),
             (cert, "/no/such-key.pem", "/no/such-key.pem"))
    for c, k, want in cases:
        try:
            p = subprocess.run([NETVET, "serve", "--store", db, "--listen",
                                "127.0.0.1:0", "--tls-cert", c, "--tls-key", k],
                               capture_output=True, timeout=30)
            err = p.stderr.decode()
            ok(p.returncode == 2 and want in err and "listening" not in err,
               "bad certificate or key: exit 2, %r: %d %s" %
               (want, p.returncode, err))
        except subprocess.TimeoutExpired:
            ok(False, "a bad certificate or key was served: %s %s" % (c, k))
    p = run("serve", "--store", db, "--tls-cert", cert, check=False)
    ok(p.returncode == 2 and b"--tls-key" in p.stderr,
       "a certificate without its key: exit 2")


def https(work, db, admin, reader, analyst):
    """With --tls-cert and --tls-key the same API answers over HTTPS, the
    cookie is Secure, plain HTTP to that port fails without harm, and the
    attempt limit still sees each client's own address."""
    cert, key = make_cert(work, "tls")
    bad_tls(db, cert, key, make_cert(work, "other"))
    plain = Server(db)
    srv = Server(db, "--threads", "8", cert=(cert, key))
    for path, k in (("/api/v1/openapi.json", None),
                    ("/api/v1/snapshots", reader),
                    ("/api/v1/snapshots?limit=2", reader),
                    ("/api/v1/audit?limit=5", admin)):
        r1, d1 = request(plain, "GET", path, k)
        r2, d2 = request(srv, "GET", path, k)
        ok(r2.status == 200 and (r1.status, d1) == (r2.status, d2),
           "HTTPS answers as HTTP: %s" % path)
    r, data = request(srv, "GET", "/api/v1/snapshots", reader)
    sid = json.loads(data)["snapshots"][-1]["id"]
    for path in ("/api/v1/snapshots/%s/model" % sid,
                 "/api/v1/snapshots/%s/assess" % sid):
        r1, d1 = poll(plain, "GET", path, analyst)
        r2, d2 = poll(srv, "GET", path, analyst)
        ok(r2.status == 200 and d1 == d2 and len(d2) > 50000,
           "a large answer over HTTPS, byte for byte: %s" % path)
    with open(NEXT, "rb") as f:
        model = json.loads(f.read())
    model["assets"][0]["model"] = "over TLS"
    body = json.dumps(model).encode()
    r, data = request(srv, "POST", "/api/v1/snapshots?message=over%20TLS",
                      admin, body=body)
    ok(r.status == 201, "an upload over HTTPS: %d %s" % (r.status, data[:200]))
    tls_parallel(srv, analyst, sid)
    tls_cookie(srv, plain, admin)
    tls_refusals(srv, reader)
    tls_attempts(srv, admin)
    ok(srv.stop() == 0, "SIGTERM stops the HTTPS server cleanly")
    ok(plain.stop() == 0, "and the plain one")


def tls_parallel(srv, k, sid):
    """Eight clients at once, each its own TLS connection."""
    want = request(srv, "GET", "/api/v1/snapshots/%s/assess" % sid, k)[1]
    got = []

    def one():
        try:
            got.append(request(srv, "GET", "/api/v1/snapshots/%s/assess" % sid,
                               k)[1])
        except Exception as e:  # counted below as a missing answer
            got.append(repr(e).encode())
    ts = [threading.Thread(target=one) for _ in range(8)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    ok(len(got) == 8 and all(g == want for g in got),
       "eight clients at once over HTTPS")


def tls_cookie(srv, plain, admin):
    login = json.dumps({"key": admin}).encode()
    r, _ = request(srv, "POST", "/api/v1/session", body=login)
    cookie = r.getheader("Set-Cookie", "")
    ok(r.status == 200 and "; Secure" in cookie and "HttpOnly" in cookie,
       "the session cookie is Secure under TLS: %s" % cookie)
    tok = cookie.split(";")[0]
    r, _ = request(srv, "GET", "/api/v1/snapshots", headers={"Cookie": tok})
    ok(r.status == 200, "the cookie reads over HTTPS")
    r, _ = request(plain, "POST", "/api/v1/session", body=login)
    ok("Secure" not in r.getheader("Set-Cookie", "x"),
       "and is not Secure over plain HTTP")


def tls_refusals(srv, k):
    """What is not TLS, or not TLS enough, is refused; the server goes on."""
    failed = []
    c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
    try:
        c.request("GET", "/api/v1/openapi.json")
        failed.append(c.getresponse().status)
    except (OSError, http.client.HTTPException):
        failed.append("refused")
    c.close()
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=30)
    s.sendall(b"\x16\x03\x01\x00\x05hello")  # a broken handshake
    s.close()
    # A client that would speak TLS 1.1 (it does with `openssl s_server
    # -tls1_1`) is told the version is refused.
    old = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    old.check_hostname = False
    old.verify_mode = ssl.CERT_NONE
    old.set_ciphers("DEFAULT:@SECLEVEL=0")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        old.minimum_version = old.maximum_version = ssl.TLSVersion.TLSv1_1
    try:
        with socket.create_connection(("127.0.0.1", srv.port), 30) as raw:
            with old.wrap_socket(raw) as t:
                failed.append(t.version())
    except ssl.SSLError as e:
        failed.append("refused" if "PROTOCOL_VERSION" in str(e) else str(e))
    ok(failed == ["refused", "refused"],
       "plain HTTP and TLS 1.1 are refused: %s" % failed)
    tls12 = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    tls12.check_hostname = False
    tls12.verify_mode = ssl.CERT_NONE
    tls12.maximum_version = ssl.TLSVersion.TLSv1_2
    with socket.create_connection(("127.0.0.1", srv.port), 30) as raw:
        with tls12.wrap_socket(raw) as t:
            ok(t.version() == "TLSv1.2", "TLS 1.2 is served: %s" % t.version())
    r, _ = request(srv, "GET", "/api/v1/openapi.json")
    ok(r.status == 200, "the server goes on")
    inner = listening(srv.proc.pid) - {srv.port}
    ok(len(inner) == 1, "one internal port besides the public one: %s" % inner)
    for port in inner:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        c.request("GET", "/api/v1/snapshots", headers={"X-Api-Key": k})
        r = c.getresponse()
        r.read()
        c.close()
        ok(r.status == 403, "a request on the internal port, not through the"
           " relay: 403 (%d)" % r.status)


def tls_attempts(srv, admin):
    """Failures from 127.0.0.2 block 127.0.0.2, not 127.0.0.1: the limit
    sees the client's address, not the relay's."""
    statuses = []
    for _ in range(12):
        r, _ = request(srv, "GET", "/api/v1/snapshots", "nvk_bad",
                       source="127.0.0.2")
        statuses.append(r.status)
    ok(statuses[:10] == [401] * 10 and statuses[-1] == 429,
       "failed attempts over HTTPS limited: %s" % statuses)
    r, _ = request(srv, "GET", "/api/v1/snapshots", admin, source="127.0.0.2")
    ok(r.status == 429, "that client waits, even with a good key")
    r, _ = request(srv, "GET", "/api/v1/snapshots", admin)
    ok(r.status == 200, "another client does not: %d" % r.status)


if __name__ == "__main__":
    sys.exit(main())
