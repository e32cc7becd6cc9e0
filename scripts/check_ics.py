#!/usr/bin/env python3
"""Checks a consultation invite (.ics) with the PyPI `icalendar` parser, independent of the Rust
`icalendar` crate that wrote it (app/src/consultations/ics.rs).

    python3 scripts/check_ics.py FILE [--uid U] [--method REQUEST|CANCEL] [--sequence N]
                                 [--min-sequence N] [--start RFC3339] [--end RFC3339] [--json]

Requires one VCALENDAR with VERSION 2.0, a PRODID and exactly one VEVENT, no property that RFC
5545 allows once given twice (--allow-duplicate PROP lets one pass with a warning), a CANCEL with
STATUS:CANCELLED; each option given is checked (DTSTART/DTEND are compared as instants in UTC; a
floating or date-only value fails). --itip also asks for ORGANIZER/ATTENDEE (RFC 5546).
Exits 1 with a message naming what differs; on success prints one summary line, or with --json
the parsed UID/SEQUENCE/METHOD/STATUS/DTSTART/DTEND as one JSON object (summary on stderr), so
that a caller can compare two invites (a CANCEL keeps the UID and raises the SEQUENCE).
Install the parser with `source scripts/tools.sh; kyodo_ensure_python_packages`.
"""

import argparse
import datetime as dt
import json
import sys

try:
    import icalendar
except ImportError:
    sys.exit("check_ics: the Python package `icalendar` is missing "
             "(source scripts/tools.sh; kyodo_ensure_python_packages)")

UTC = dt.timezone.utc


def fail(path, message):
    print(f"check_ics: {path}: {message}", file=sys.stderr)
    sys.exit(1)


def instant(text):
    """An RFC 3339 instant (with a zone or Z) as an aware datetime in UTC."""
    value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text!r} has no time zone (RFC 3339 needs one)")
    return value.astimezone(UTC)


# Properties RFC 5545 allows at most once in their component (§3.6.1, §3.7).
ONCE = {
    "VCALENDAR": ["VERSION", "PRODID", "CALSCALE", "METHOD"],
    "VEVENT": ["UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "STATUS", "SUMMARY", "URL",
               "DESCRIPTION"],
}


WARNED = set()


def once(path, component, name, allowed):
    """The property's value; a repeated one fails unless its name is in `allowed` (then the
    last one counts, with a warning)."""
    value = component.get(name)
    if isinstance(value, list):
        shown = ", ".join(repr(str(v)) for v in value)
        where = f"{component.name} has {len(value)} {name} lines ({shown}); RFC 5545 allows one"
        if name not in allowed:
            fail(path, where)
        if (component.name, name) not in WARNED:
            WARNED.add((component.name, name))
            print(f"check_ics: warning: {path}: {where} (allowed by --allow-duplicate)",
                  file=sys.stderr)
        value = value[-1]
    return value


def utc(path, event, name, allowed):
    prop = once(path, event, name, allowed)
    if prop is None:
        fail(path, f"the VEVENT has no {name}")
    value = prop.dt
    if not isinstance(value, dt.datetime):
        fail(path, f"{name} is a date ({value}), not a date-time")
    if value.tzinfo is None or value.utcoffset() is None:
        fail(path, f"{name} is a floating time ({value}): no zone, ambiguous")
    return value.astimezone(UTC)


def iso(value):
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file")
    parser.add_argument("--uid")
    parser.add_argument("--method", choices=["REQUEST", "CANCEL"])
    parser.add_argument("--sequence", type=int)
    parser.add_argument("--min-sequence", type=int)
    parser.add_argument("--start", type=instant)
    parser.add_argument("--end", type=instant)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--allow-duplicate", action="append", default=[], metavar="PROP",
                        help="accept a repeated PROP (e.g. PRODID) with a warning")
    parser.add_argument("--itip", action="store_true",
                        help="also require what RFC 5546 needs of a REQUEST/CANCEL: "
                             "DTSTAMP, ORGANIZER, at least one ATTENDEE")
    args = parser.parse_args()
    path = args.file

    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        fail(path, f"cannot read: {e}")
    if not raw.strip():
        fail(path, "empty file")
    try:
        calendars = icalendar.Calendar.from_ical(raw, multiple=True)
    except Exception as e:  # the parser's own errors are ValueError and friends
        fail(path, f"not parseable as iCalendar: {e}")
    if len(calendars) != 1:
        fail(path, f"{len(calendars)} VCALENDARs, expected 1")
    cal = calendars[0]
    if cal.name != "VCALENDAR":
        fail(path, f"top component is {cal.name}, expected VCALENDAR")
    problems = [(c.name, e) for c in cal.walk() for e in getattr(c, "errors", [])]
    if problems:
        fail(path, f"parse errors: {problems}")

    allowed = {p.upper() for p in args.allow_duplicate}
    for name in ONCE["VCALENDAR"]:
        once(path, cal, name, allowed)
    version = str(once(path, cal, "VERSION", allowed) or "")
    if version != "2.0":
        fail(path, f"VERSION is {version or 'missing'}, expected 2.0")
    prodid = str(once(path, cal, "PRODID", allowed) or "").strip()
    if not prodid:
        fail(path, "PRODID missing")
    events = cal.walk("VEVENT")
    if len(events) != 1:
        fail(path, f"{len(events)} VEVENTs, expected exactly 1")
    event = events[0]
    for name in ONCE["VEVENT"]:
        once(path, event, name, allowed)

    method = str(once(path, cal, "METHOD", allowed) or "").upper()
    uid = str(once(path, event, "UID", allowed) or "")
    if not uid:
        fail(path, "the VEVENT has no UID")
    if "SEQUENCE" not in event:
        fail(path, "the VEVENT has no SEQUENCE")
    try:
        sequence = int(once(path, event, "SEQUENCE", allowed))
    except (TypeError, ValueError):
        fail(path, f"SEQUENCE {event.get('SEQUENCE')!r} is not a whole number")
    status = str(once(path, event, "STATUS", allowed) or "").upper()
    start = utc(path, event, "DTSTART", allowed)
    end = utc(path, event, "DTEND", allowed)
    if end <= start:
        fail(path, f"DTEND {iso(end)} is not after DTSTART {iso(start)}")

    if args.method is not None and method != args.method:
        fail(path, f"METHOD is {method or 'missing'}, expected {args.method}")
    if args.uid is not None and uid != args.uid:
        fail(path, f"UID is {uid!r}, expected {args.uid!r}")
    if args.sequence is not None and sequence != args.sequence:
        fail(path, f"SEQUENCE is {sequence}, expected {args.sequence}")
    if args.min_sequence is not None and sequence < args.min_sequence:
        fail(path, f"SEQUENCE is {sequence}, expected at least {args.min_sequence}")
    if args.start is not None and start != args.start:
        fail(path, f"DTSTART is {iso(start)}, expected {iso(args.start)}")
    if args.end is not None and end != args.end:
        fail(path, f"DTEND is {iso(end)}, expected {iso(args.end)}")
    # RFC 5546: a CANCEL's event is STATUS:CANCELLED; a REQUEST's is not.
    if method == "CANCEL" and status != "CANCELLED":
        fail(path, f"METHOD:CANCEL with STATUS {status or 'missing'}, expected CANCELLED")
    if method == "REQUEST" and status == "CANCELLED":
        fail(path, "METHOD:REQUEST with STATUS:CANCELLED")

    if args.itip:
        missing = [n for n in ("DTSTAMP", "ORGANIZER", "ATTENDEE") if n not in event]
        if missing:
            fail(path, f"METHOD:{method} without {', '.join(missing)} (RFC 5546 §3.2.2/§3.2.5 "
                       "require them of a REQUEST and a CANCEL)")

    summary = (f"ok {path}: METHOD {method or '-'} UID {uid} SEQUENCE {sequence} "
               f"STATUS {status or '-'} {iso(start)}/{iso(end)} (PRODID {prodid})")
    if args.json:
        print(summary, file=sys.stderr)
        print(json.dumps({"uid": uid, "sequence": sequence, "method": method, "status": status,
                          "dtstart": iso(start), "dtend": iso(end), "prodid": prodid}))
    else:
        print(summary)


if __name__ == "__main__":
    main()
