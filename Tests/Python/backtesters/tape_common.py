"""Reading what the differential tests write: Polygon flat files (one per day) and an order tape."""
import csv
import glob
import os

import pandas


def read_bars(folder):
    """{ticker: DataFrame indexed by bar start (naive UTC), columns Open High Low Close Volume}."""
    rows = {}
    for path in sorted(glob.glob(os.path.join(folder, "*.csv"))):
        with open(path, newline="") as f:
            for r in csv.DictReader(f):
                rows.setdefault(r["ticker"], []).append(
                    (int(r["window_start"]), float(r["open"]), float(r["high"]), float(r["low"]),
                     float(r["close"]), float(r["volume"])))
    frames = {}
    for ticker, bars in sorted(rows.items()):
        bars.sort()
        index = pandas.to_datetime([b[0] for b in bars], unit="ns")
        frames[ticker] = pandas.DataFrame(
            {"Open": [b[1] for b in bars], "High": [b[2] for b in bars], "Low": [b[3] for b in bars],
             "Close": [b[4] for b in bars], "Volume": [b[5] for b in bars]}, index=index)
    return frames


def read_tape(path):
    """Tape rows in file order: dicts with line (the file's line number), time (ns), ticker, side, type,
    quantity, limit, stop, sl, tp (floats or None; sl and tp from optional columns); the time is epoch nanoseconds, as the tests write it."""
    orders = []
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        for number, row in enumerate(reader, start=2):
            r = dict(zip(header, row))
            orders.append({
                "line": number, "time": int(r["time"]), "ticker": r["ticker"], "side": r["side"], "type": r["type"],
                "quantity": int(r["quantity"]),
                "limit": float(r["limit_price"]) if r["limit_price"] else None,
                "stop": float(r["stop_price"]) if r["stop_price"] else None,
                "sl": float(r["sl"]) if r.get("sl") else None,
                "tp": float(r["tp"]) if r.get("tp") else None,
            })
    return orders
