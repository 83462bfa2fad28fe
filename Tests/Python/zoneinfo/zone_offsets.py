"""Reference answers from Python's zoneinfo (standard library) for TimeZoneDifferentialTests.

Reads lines `u ZONE EPOCH` (the UTC offset at an instant) and `l ZONE LOCAL` (a wall-clock time given as
seconds since 1970-01-01 00:00 as if local were UTC); prints one line per input:
`u OFFSET` or `l unique INSTANT` / `l repeated EARLIER LATER` / `l skipped`.
zoneinfo reads the system tz database first (sysconfig TZPATH), the same files Tapebench reads.
"""
import sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo, TZPATH

EPOCH = datetime(1970, 1, 1)
zones = {}
print("# zoneinfo TZPATH " + ":".join(TZPATH))
for line in sys.stdin:
    kind, name, value = line.split()
    zone = zones.setdefault(name, ZoneInfo(name))
    seconds = int(value)
    if kind == "u":
        instant = datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=seconds)
        print("u %d" % int(instant.astimezone(zone).utcoffset().total_seconds()))
        continue
    local = EPOCH + timedelta(seconds=seconds)
    answers = []
    for fold in (0, 1):
        aware = local.replace(tzinfo=zone, fold=fold)
        instant = int(aware.timestamp())
        # A time that does not come back from its instant was skipped by the clocks.
        back = (datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=instant)).astimezone(zone).replace(tzinfo=None)
        answers.append((instant, back == local))
    (first, first_ok), (second, second_ok) = answers
    if not first_ok and not second_ok:
        print("l skipped")
    elif first != second and first_ok and second_ok:
        print("l repeated %d %d" % (min(first, second), max(first, second)))
    else:
        print("l unique %d" % (first if first_ok else second))
