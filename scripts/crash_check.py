#!/usr/bin/env python3
"""Crash harness (issue #14): SIGKILL at random moments during a write load, then restart and
check that nothing acknowledged is lost, nothing is there twice and nothing is half-written.

    python3 scripts/crash_check.py embedded|server ROUNDS

Run by `scripts/crash.sh`, which sets the environment: KYODO_BIN, LEPTOS_SITE_ROOT,
CRASH_DIR (a fresh folder), and for `server` SURREALDB_BIN. Standard library only.

Each round starts the store (for `server`: the SurrealDB server, then Kyodo over ws://), signs
in as the Tokyo officer and runs three writers against one municipality (a different one each
round, so that no record's history outgrows the page that reads it back):
  - comments on step 1 of its 住民記録 record, each body unique;
  - saves of that record, each with a unique ベンダ and the version just read;
  - imports of a two-line file setting a unique ベンダ on its 戸籍 and 戸籍附票 records at once.
After a random 0.3–2.5 s the storage process is killed with SIGKILL (for `server` the SurrealDB
server, then Kyodo), everything is restarted and the municipality is read back:
  - every acknowledged comment is there exactly once (and nothing is there twice);
  - every acknowledged save is in the history exactly once, and the record holds its newest;
  - every acknowledged import is in the history of both records exactly once, and both records
    hold the same import (a file is one transaction: both lines or neither).
Prints one line per round and a summary; exits 1 on any loss, duplicate or half-write.
"""
import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.request

import kyodo_http

MODE, ROUNDS = sys.argv[1], int(sys.argv[2])
DIR = os.environ["CRASH_DIR"]
KYODO_ADDR, DB_ADDR = "127.0.0.1:3541", "127.0.0.1:3540"
BASE = f"http://{KYODO_ADDR}"
PASSWORD = "crash-harness-only"
SAVE_SYSTEM, IMPORT_SYSTEMS = "resident_registry", ("family_register", "family_register_annex")
random.seed(int(os.environ.get("CRASH_SEED", "20261201")))


def municipalities():
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "app", "data", "tokyo_local_governments.csv")
    with open(path, encoding="utf-8") as f:
        rows = [line.split(",") for line in f.read().splitlines()[1:]]
    return [r[0] for r in rows if r[4] != "prefecture"]


def request(path, fields=None, cookie=None, body=None, content_type=None):
    return kyodo_http.request(BASE, path, fields, cookie, body, content_type, timeout=30)


def api(endpoint, fields, cookie):
    return kyodo_http.api(BASE, endpoint, fields, cookie)


def up(url, seconds):
    started = time.time()
    while time.time() - started < seconds:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return True
        except Exception:
            pass
        time.sleep(0.2)
    return False


processes = {}


def start():
    env = dict(os.environ, LEPTOS_SITE_ADDR=KYODO_ADDR, LEPTOS_OUTPUT_NAME="kyodo",
               KYODO_DEMO="1", KYODO_DEMO_PROJECTS="0", KYODO_RATE_POSTS_PER_SECOND="100000",
               KYODO_RATE_SIGN_IN_PER_MINUTE="100000", KYODO_DATA_DIR=os.path.join(DIR, "kyodo"))
    if MODE == "server":
        processes["db"] = subprocess.Popen(
            [os.environ["SURREALDB_BIN"], "start", "--bind", DB_ADDR, "--user", "root", "--pass",
             PASSWORD, f"surrealkv://{DIR}/surrealdb"],
            stdout=open(os.path.join(DIR, "surrealdb.log"), "ab"), stderr=subprocess.STDOUT,
            env=dict(os.environ, SURREAL_LOG="warn"))
        if not up(f"http://{DB_ADDR}/health", 60):
            raise SystemExit("the SurrealDB server did not start: see surrealdb.log")
        env.update(KYODO_DATABASE_URL=f"ws://{DB_ADDR}", KYODO_DATABASE_USER="root",
                   KYODO_DATABASE_PASSWORD=PASSWORD)
    processes["kyodo"] = subprocess.Popen(
        [os.environ["KYODO_BIN"]], stdout=open(os.path.join(DIR, "kyodo.log"), "ab"),
        stderr=subprocess.STDOUT, env=env)
    if not up(f"{BASE}/healthz", 300):
        raise SystemExit("Kyodo did not start on the store left by the crash: see kyodo.log")


def kill():
    for name in ("db", "kyodo"):
        p = processes.pop(name, None)
        if p:
            p.send_signal(signal.SIGKILL)
            p.wait()


def sign_in():
    return kyodo_http.sign_in(BASE, "tokyo_officer")


def writers(cookie, lg, tag, stop, acked, errors, killed):
    def ok(status):
        return 200 <= status < 400

    def comments():
        n = 0
        while not stop.is_set():
            body = f"{tag} comment {n}"
            try:
                status, _ = api("post_step_comment", {"lg_code": lg, "system": SAVE_SYSTEM,
                                                      "step": "1", "body": body}, cookie)
            except Exception as e:
                if not killed.is_set():
                    errors.append(f"comment: {e!r}")
                return
            if ok(status):
                acked["comments"].append(body)
            n += 1

    def saves():
        n = 0
        while not stop.is_set() and n < 150:
            vendor = f"{tag} save {n}"
            try:
                status, view = api("get_record", {"lg_code": lg, "system": SAVE_SYSTEM}, cookie)
                version = view["progress"].get("updated_at") or "new"
                fields = [("lg_code", lg), ("system", SAVE_SYSTEM), ("vendor", vendor),
                          ("gov_cloud", "aws"), ("version", version)]
                # Every step stated (a whole record): 未着手 needs no go-live date.
                fields += [(f"steps[{i}]", "done" if i < n % 30 else "not_started") for i in range(40)]
                status, _ = api("save_record", fields, cookie)
            except Exception as e:
                if not killed.is_set():
                    errors.append(f"save: {e!r}")
                return
            if ok(status):
                acked["saves"].append(vendor)
            n += 1

    def imports():
        n = 0
        while not stop.is_set() and n < 60:
            vendor = f"{tag} import {n}"
            csv = "団体コード,業務,進捗状況,ベンダ\r\n" + "".join(
                f"{lg},{s},作業中,{vendor}\r\n" for s in IMPORT_SYSTEMS)
            body, content_type = kyodo_http.csv_upload("c.csv", csv.encode())
            try:
                status, headers, _ = request("/standardization/import/upload", cookie=cookie, body=body,
                                             content_type=content_type)
            except Exception as e:
                if not killed.is_set():
                    errors.append(f"import: {e!r}")
                return
            location = headers.get("Location") or ""
            if status == 303 and "/import/" in location:
                # Acknowledged only when the run says it was applied (a refused run has a page too).
                run = location.rstrip("/").rsplit("/", 1)[-1]
                try:
                    status, report = api("get_import_run", {"id": run}, cookie)
                except Exception:
                    return
                if status == 200 and report.get("applied"):
                    acked["imports"].append(vendor)
                elif status == 200:
                    errors.append(f"import {vendor} refused: {report.get('errors')}")
            n += 1

    return [threading.Thread(target=f) for f in (comments, saves, imports)]


def history_vendors(cookie, lg, system):
    status, view = api("get_record", {"lg_code": lg, "system": system}, cookie)
    assert status == 200, (status, view)
    afters = [c["after"] for h in view["history"] for c in h["changes"] if c["field"] == "vendor"]
    return view["progress"].get("vendor"), afters


def main():
    os.makedirs(DIR, exist_ok=True)
    codes = municipalities()
    totals = {k: [0, 0] for k in ("comments", "saves", "imports")}
    duplicates = half = lost = failed_writes = 0
    start()
    for r in range(ROUNDS):
        lg, tag = codes[r % len(codes)], f"r{r}"
        cookie = sign_in()
        acked = {"comments": [], "saves": [], "imports": []}
        stop, killed, errors = threading.Event(), threading.Event(), []
        threads = writers(cookie, lg, tag, stop, acked, errors, killed)
        for t in threads:
            t.start()
        time.sleep(random.uniform(0.3, 2.5))
        killed.set()
        kill()
        stop.set()
        for t in threads:
            t.join()
        start()
        cookie = sign_in()
        # Comments.
        status, thread = api("get_step_thread", {"lg_code": lg, "system": SAVE_SYSTEM, "step": "1"}, cookie)
        bodies = [c["body"] for c in thread["comments"] if c["body"].startswith(f"{tag} ")]
        found_c = sum(1 for b in acked["comments"] if b in bodies)
        dup = len(bodies) - len(set(bodies))
        # Saves.
        vendor, afters = history_vendors(cookie, lg, SAVE_SYSTEM)
        mine = [a for a in afters if a.startswith(f"{tag} save")]
        found_s = sum(1 for v in acked["saves"] if v in mine)
        dup += len(mine) - len(set(mine))
        bad = int(bool(mine) and vendor != mine[0])
        # Imports.
        (v1, h1), (v2, h2) = (history_vendors(cookie, lg, s) for s in IMPORT_SYSTEMS)
        i1 = [a for a in h1 if a.startswith(f"{tag} import")]
        i2 = [a for a in h2 if a.startswith(f"{tag} import")]
        found_i = sum(1 for v in acked["imports"] if v in i1 and v in i2)
        dup += len(i1) - len(set(i1)) + len(i2) - len(set(i2))
        bad += int(set(i1) != set(i2) or v1 != v2)
        round_lost = (len(acked["comments"]) - found_c) + (len(acked["saves"]) - found_s) + (len(acked["imports"]) - found_i)
        for k, found in (("comments", found_c), ("saves", found_s), ("imports", found_i)):
            totals[k][0] += len(acked[k])
            totals[k][1] += found
        if errors:
            print(f"round {r + 1}: writer errors before the kill: {errors[:3]}", flush=True)
            failed_writes += len(errors)
        duplicates += dup
        half += bad
        lost += round_lost
        print(f"round {r + 1:2}/{ROUNDS} ({lg}): acknowledged {len(acked['comments'])} comments, "
              f"{len(acked['saves'])} saves, {len(acked['imports'])} imports; found "
              f"{found_c}/{found_s}/{found_i}; duplicates {dup}; half-written {bad}", flush=True)
    kill()
    print(f"\n{MODE}: {ROUNDS} rounds; acknowledged / found after restart: "
          + ", ".join(f"{k} {a}/{f}" for k, (a, f) in totals.items())
          + f"; duplicates {duplicates}; half-written {half}")
    idle = [k for k, (a, _) in totals.items() if a == 0]
    if idle or failed_writes:
        print(f"the load did not run: nothing acknowledged for {idle}; {failed_writes} writer errors before a kill")
    ok = lost == 0 and duplicates == 0 and half == 0 and not idle and failed_writes == 0
    print("ok: no acknowledged write lost, none twice, none half-written" if ok else "FAILED")
    sys.exit(0 if ok else 1)


try:
    main()
finally:
    kill()
