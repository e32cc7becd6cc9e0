"""HTTP as a browser's form or the JavaScript client sends it, for the scripts that drive a
running Kyodo (cluster_check.py, crash_check.py). Standard library only; never follows a
redirect, so that a server function's 303 and its `Location` can be checked."""
import json
import urllib.error
import urllib.parse
import urllib.request


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def request(base, path, fields=None, cookie=None, body=None, content_type=None, origin=None,
            timeout=120):
    """POST `fields` (a form) or `body` (of `content_type`), or GET when neither, to
    `base + path` with `Origin: origin` (default `base`; Kyodo refuses cross-site POSTs).
    Returns (status, headers, body bytes)."""
    headers = {"Origin": origin or base, "Accept": "application/json"}
    if cookie:
        headers["Cookie"] = cookie
    data = None
    if fields is not None:
        data = urllib.parse.urlencode(fields).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif body is not None:
        data, headers["Content-Type"] = body, content_type
    req = urllib.request.Request(base + path, data=data, headers=headers,
                                 method="POST" if data is not None else "GET")
    try:
        with _OPENER.open(req, timeout=timeout) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def csv_upload(file_name, content):
    """A multipart form with one `file` field holding `content` (bytes) as a CSV named
    `file_name`, as the import form sends it; returns (body, content_type)."""
    boundary = "kyodoSCRIPTboundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n"
            f"Content-Type: text/csv\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def api(base, endpoint, fields, cookie, origin=None):
    """Calls server function `endpoint` (POST /api/<endpoint>); returns (status, JSON or text)."""
    status, _, body = request(base, f"/api/{endpoint}", fields, cookie, origin=origin)
    if body and body[:1] in b"{[":
        return status, json.loads(body)
    return status, body.decode(errors="replace") if body else None


def sign_in(base, persona, origin=None):
    """Demo sign-in as `persona`; returns the `kyodo_session=…` cookie pair."""
    status, headers, _ = request(base, "/api/demo_sign_in", {"persona": persona}, origin=origin)
    for value in headers.get_all("Set-Cookie") or []:
        if value.startswith("kyodo_session="):
            return value.split(";", 1)[0]
    raise SystemExit(f"sign-in as {persona} through {base} failed: {status}")
