"""Every XNYS session from FIRST to LAST (YYYY-MM-DD) by exchange_calendars, for CalendarDifferentialTests.

Prints a comment line naming the versions, then one line per session, oldest first:
    date,open,close        e.g. 2024-07-03,2024-07-03T13:30:00Z,2024-07-03T17:00:00Z
with open and close as UTC instants. A weekday that is not listed is not a session.
"""
import sys

import exchange_calendars
import pandas

first, last = sys.argv[1], sys.argv[2]
calendar = exchange_calendars.get_calendar("XNYS", start=first, end=last)
schedule = calendar.schedule
# Tapebench models one continuous session a day; a lunch break here would need a model there first.
if schedule["break_start"].notna().any():
    sys.exit("XNYS has a session with a break; Tapebench's calendar has none")

print(f"# exchange_calendars {exchange_calendars.__version__}, pandas {pandas.__version__}, XNYS {first}..{last}")
instant = "%Y-%m-%dT%H:%M:%SZ"
lines = zip(
    schedule.index.strftime("%Y-%m-%d"),
    schedule["open"].dt.strftime(instant),
    schedule["close"].dt.strftime(instant),
)
sys.stdout.write("".join(f"{date},{open_},{close}\n" for date, open_, close in lines))
