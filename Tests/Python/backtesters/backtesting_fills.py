"""Replays an order tape through backtesting.py's own broker (_Broker), one Backtest per ticker, and prints
every fill.

    python backtesting_fills.py DATA_FOLDER TAPE [key=value ...]

keys: spread, commission (fractions), trade_on_close, exclusive_orders (true/false). Accounts are netting
(hedging=False). A tape's optional sl and tp columns are the order's contingent stop-loss and take-profit.

An order of a tape row is placed in Strategy.next() of the first bar of its ticker that starts at or after the
row's time, as Tapebench submits it at that bar's close. backtesting.py executes an order in parts (closing
opposite trades at the price, opening a trade at the price adjusted by the spread); the parts are summed into one
fill: tape line, bar start (epoch ns), average price, size (signed), commission, and what filled: empty for the
row's order, sl, tp or close for the orders of the trade it opened (they carry its line).
"""
import sys
import warnings

import backtesting
import pandas
from backtesting import Backtest, Strategy
from backtesting.backtesting import _Broker

from tape_common import read_bars, read_tape

folder, tape_path = sys.argv[1], sys.argv[2]
options = dict(arg.split("=", 1) for arg in sys.argv[3:])
warnings.simplefilter("ignore")

# Every trade opening and closing, with the order being processed (`_process_orders`' local `order`) when it
# happened; consecutive parts of one order are one fill. An order's own removal from the queue cannot mark its
# fill: closing a trade removes that trade's SL and TP orders too, in the middle of another order's fill.
parts = []


def processed_order():
    frame = sys._getframe(2)
    while frame is not None and frame.f_code.co_name != "_process_orders":
        frame = frame.f_back
    return frame.f_locals.get("order") if frame is not None else None


def kind(order):
    """How the fill is named: '' for a stand-alone order, sl, tp or close for its trade's orders."""
    trade = order.parent_trade if order is not None else None
    if trade is None:
        return ""
    return "sl" if order is trade._sl_order else "tp" if order is trade._tp_order else "close"


original_open, original_close = _Broker._open_trade, _Broker._close_trade


def open_trade(self, price, size, sl, tp, time_index, tag):
    order = processed_order()
    parts.append((order, kind(order), self._data.index[time_index], price, size, self._commission(size, price)))
    original_open(self, price, size, sl, tp, time_index, tag)


def close_trade(self, trade, price, time_index):
    order = processed_order()
    parts.append((order, kind(order), self._data.index[time_index], price, -trade.size, self._commission(trade.size, price)))
    original_close(self, trade, price, time_index)


_Broker._open_trade, _Broker._close_trade = open_trade, close_trade


def fills():
    """(tape line, kind, bar start, average price, size, commission), one per order's run of parts."""
    runs = []
    for part in parts:
        if runs and runs[-1][0][0] is part[0]:
            runs[-1].append(part)
        else:
            runs.append([part])
    for run in runs:
        order, what, when = run[0][0], run[0][1], run[0][2]
        size = sum(p[4] for p in run)
        yield getattr(order, "tag", None), what, when, sum(p[3] * p[4] for p in run) / size, size, sum(p[5] for p in run)


rows = read_tape(tape_path)


def tape_strategy(ticker):
    queue = sorted((r for r in rows if r["ticker"] == ticker), key=lambda r: (r["time"], r["line"]))

    class Tape(Strategy):
        def init(self):
            self.queue = list(queue)

        def next(self):
            start = pandas.Timestamp(self.data.index[-1]).value
            while self.queue and self.queue[0]["time"] <= start:
                row = self.queue.pop(0)
                place = self.buy if row["side"] == "buy" else self.sell
                place(size=row["quantity"], limit=row["limit"], stop=row["stop"], sl=row["sl"], tp=row["tp"], tag=row["line"])

    return Tape


for ticker, frame in read_bars(folder).items():
    test = Backtest(frame, tape_strategy(ticker), cash=1e12, spread=float(options.get("spread", 0)),
                    commission=float(options.get("commission", 0)),
                    trade_on_close=options.get("trade_on_close", "false") == "true", hedging=False,
                    exclusive_orders=options.get("exclusive_orders", "false") == "true")
    test.run()

print(f"# backtesting.py {backtesting.__version__}, pandas {pandas.__version__}")
# One order fills once; an entry's SL, TP and close orders carry its tape line, told apart by their kind.
for line, what, when, price, size, comm in sorted(fills(), key=lambda f: (f[0], pandas.Timestamp(f[2]).value)):
    print(f"{line},{pandas.Timestamp(when).value},{float(price)!r},{int(size)},{float(comm)!r},{what}")
