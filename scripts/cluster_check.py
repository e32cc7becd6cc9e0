#!/usr/bin/env python3
"""Cross-server checks of two Kyodo servers over one SurrealDB server (issue #14).

    python3 scripts/cluster_check.py LB_URL A_URL B_URL

Run by `scripts/cluster.sh test`, which starts the servers. Prints a Markdown report, one line
per check; exits 1 when any check fails. Only the standard library (urllib, threads).

What must hold across processes, each through server A, server B or the balancer:
  1. a session made on A works on B; signing out on A ends it on B;
  2. disabling an account (through the balancer) ends its sessions on A and on B;
  3. a save through B with the version A's save replaced is refused (the tracker's version check);
  4. a save through A shows on B's next heatmap (its cached aggregate), and back;
  5. 20 simultaneous saves with one version through the balancer: exactly one is kept, the
     others are refused as stale, and the history gains one entry;
  6. two imports of the whole tracker at once, one through A and one through B: every record is
     then entirely from one file (never a mix inside the file's single transaction), and each
     changed record's latest history entry says what the record holds.
Rate limits are per server (in-process token buckets): README, "Several servers".
"""
import concurrent.futures
import sys
import time

import kyodo_http

LB, A, B = sys.argv[1:4]
TOSHIMA, SYSTEM = "131164", "resident_registry"
STEPS = 40
failures = []


def request(base, path, fields=None, cookie=None, body=None, content_type=None):
    # Every request says it comes from the balancer's address, the site people use.
    return kyodo_http.request(base, path, fields, cookie, body, content_type, origin=LB)


def api(base, endpoint, fields, cookie):
    return kyodo_http.api(base, endpoint, fields, cookie, origin=LB)


def sign_in(base, persona):
    return kyodo_http.sign_in(base, persona, origin=LB)


def who(base, cookie):
    """The signed-in user's id, None when signed out; any answer but 200 stops the check."""
    status, user = api(base, "current_user", {}, cookie)
    if status != 200:
        raise SystemExit(f"current_user through {base} answered {status}: {user}")
    return user.get("id") if isinstance(user, dict) else None


def check(name, ok, detail=""):
    print(f"- {'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}")
    if not ok:
        failures.append(name)


def record(base, cookie):
    status, view = api(base, "get_record", {"lg_code": TOSHIMA, "system": SYSTEM}, cookie)
    assert status == 200, (status, view)
    return view


def save(base, cookie, version, vendor, done=0):
    fields = [("lg_code", TOSHIMA), ("system", SYSTEM)]
    fields += [(f"steps[{i}]", "done" if i < done else "not_started") for i in range(STEPS)]
    fields += [("planned_go_live", "2026-10-01"), ("gov_cloud", "aws"), ("vendor", vendor),
               ("version", version)]
    status, reply = api(base, "save_record", fields, cookie)
    return status, reply


def cell(base, cookie):
    status, matrix = api(base, "get_matrix", {}, cookie)
    assert status == 200, (status, matrix)
    column = [sys["code"] for sys in matrix["systems"]].index(SYSTEM)
    for row in matrix["rows"]:
        if row["organisation"]["key"] == TOSHIMA:
            found = row["cells"][column]
            return found and found["steps_done"]
    return None


print(f"### Cluster check ({time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())})\n")
print(f"balancer {LB}, server A {A}, server B {B}, one SurrealDB server\n")

# 1. Sessions.
cio = sign_in(A, "ward_cio")
check("a session made on A works on B", who(B, cio) == "demo_ward_cio", str(who(B, cio)))
check("… and through the balancer", all(who(LB, cio) == "demo_ward_cio" for _ in range(4)))
request(A, "/api/sign_out", {}, cio)
check("signing out on A ends the session on B", who(B, cio) is None)

# 2. Disabling an account ends its sessions everywhere.
admin = sign_in(LB, "admin")
staff_a, staff_b = sign_in(A, "city_staff"), sign_in(B, "city_staff")
check("the account is signed in on A and on B",
      who(A, staff_a) == who(B, staff_b) == "demo_city_staff")
status, reply = api(LB, "set_user_access",
                    {"user_id": "demo_city_staff", "status": "disabled", "role": "staff"}, admin)
check("the administrator disables an account through the balancer", status == 200, f"{status} {reply}")
check("its session on A has ended", who(A, staff_a) is None)
check("its session on B has ended", who(B, staff_b) is None)
api(LB, "set_user_access", {"user_id": "demo_city_staff", "status": "active", "role": "staff"}, admin)

# 3. The version check across servers.
officer = sign_in(LB, "tokyo_officer")
version = record(A, officer)["progress"].get("updated_at") or "new"
status, _ = save(A, officer, version, "ベンダA", done=10)
check("a save through A", status in (200, 302, 303), str(status))
status, reply = save(B, officer, version, "ベンダB", done=11)
check("a save through B with the version A replaced is refused", status == 400
      and isinstance(reply, dict) and reply.get("field") == "version", f"{status} {reply}")
check("… and A's save is what B reads", record(B, officer)["progress"].get("vendor") == "ベンダA")

# 4. Cached aggregates follow writes made through the other server.
check("B's heatmap shows A's save", cell(B, officer) == 10, str(cell(B, officer))[:200])
version = record(B, officer)["progress"]["updated_at"]
status, _ = save(B, officer, version, "ベンダB", done=12)
check("A's heatmap shows B's save", status in (200, 302, 303) and cell(A, officer) == 12,
      str(cell(A, officer))[:200])

# 5. Simultaneous saves with one version through the balancer.
view = record(LB, officer)
version, history_before = view["progress"]["updated_at"], len(view["history"])
with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
    outcomes = list(pool.map(lambda i: save(LB, officer, version, f"同時{i}", done=13 + i % 5),
                             range(20)))
kept = [i for i, (s, _) in enumerate(outcomes) if s in (200, 302, 303)]
stale = [i for i, (s, r) in enumerate(outcomes)
         if s == 400 and isinstance(r, dict) and r.get("field") == "version"]
others = [s for s, _ in outcomes if s not in (200, 302, 303, 400)]
view = record(LB, officer)
check("20 simultaneous saves with one version: exactly one kept", len(kept) == 1,
      f"kept {len(kept)}, refused as stale {len(stale)}, other answers {others}")
check("… the other 19 refused as stale, none with a 5xx", len(stale) == 19 and not others)
check("… the record holds the kept one", kept and view["progress"]["vendor"] == f"同時{kept[0]}")
check("… and the history gained one entry", len(view["history"]) == history_before + 1,
      f"{history_before} → {len(view['history'])}")

# 6. Two imports of the whole tracker at once, through A and through B.
status, _, export = request(LB, "/standardization/export.csv", cookie=officer)
assert status == 200, status
lines = export.decode("utf-8-sig").splitlines()
header = lines[0].split(",")
vendor_col = header.index("ベンダ")


def with_vendor(name):
    out = [lines[0]]
    import csv
    import io
    rows = list(csv.reader(io.StringIO("\n".join(lines[1:]))))
    for row in rows:
        row[vendor_col] = name
        buf = io.StringIO()
        csv.writer(buf, lineterminator="").writerow(row)
        out.append(buf.getvalue())
    return ("\ufeff" + "\r\n".join(out) + "\r\n").encode("utf-8")


def upload(base, name):
    body, content_type = kyodo_http.csv_upload(f"{name}.csv", with_vendor(name))
    status, headers, reply = request(base, "/standardization/import/upload", cookie=officer, body=body,
                                     content_type=content_type)
    return status, headers.get("Location"), reply[:300]


started = time.time()
with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
    results = list(pool.map(lambda a: upload(*a), [(A, "インポートA"), (B, "インポートB")]))
check("two whole-tracker imports at once (A and B) both answered without a 5xx",
      all(s < 500 for s, _, _ in results), f"{results} in {time.time() - started:.1f} s")
status, _, export = request(LB, "/standardization/export.csv", cookie=officer)
import csv
import io
rows = list(csv.reader(io.StringIO(export.decode("utf-8-sig"))))[1:]
vendors = {row[vendor_col] for row in rows}
check("every record is from one file, never a mix", len(vendors) == 1 and vendors <= {"インポートA", "インポートB"},
      f"{len(rows)} records, vendors {sorted(vendors)}")
last = record(LB, officer)
latest = last["history"][0] if last["history"] else {}
said = [c["after"] for c in latest.get("changes", []) if c["field"] == "vendor"]
check("the latest history entry says what the record holds",
      said == [last["progress"]["vendor"]], f"{said} vs {last['progress']['vendor']}")

print(f"\n{'all checks passed' if not failures else f'{len(failures)} checks failed'}")
sys.exit(1 if failures else 0)
