"""Replays an order tape through backtesting.py's own broker (_Broker), one Backtest per ticker, and prints
every fill.

    python backtesting_fills.py DATA_FOLDER TAPE [key=value ...]

keys: spread, commission (fractions), trade_on_close (true/false). Accounts are netting (hedging=False), orders
are not exclusive (exclusive_orders=False).

An order of a tape row is placed in Strategy.next() of the first bar of its ticker that starts at or after the
row's time, as Tapebench submits it at that bar's close. backtesting.py executes an order in parts (closing
opposite trades at the price, opening a trade at the price adjusted by the spread); the parts are summed into one
fill: tape line, bar start (epoch ns), average price, size (signed), commission, and an empty tag.
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

# What the broker did for the order being processed: its trade closings and openings, attributed to the order
# when the broker removes it from its queue ("Order processed").
parts = []
fills = []


class Orders(list):
    def remove(self, order):
        if order.tag is not None and parts:
            size = sum(p[2] for p in parts)
            value = sum(p[1] * p[2] for p in parts)
            fills.append((order.tag, parts[0][0], value / size, size, sum(p[3] for p in parts)))
        parts.clear()
        super().remove(order)


original_init, original_open, original_close = _Broker.__init__, _Broker._open_trade, _Broker._close_trade


def init(self, *args, **kwargs):
    original_init(self, *args, **kwargs)
    self.orders = Orders()


def open_trade(self, price, size, sl, tp, time_index, tag):
    parts.append((self._data.index[time_index], price, size, self._commission(size, price)))
    original_open(self, price, size, sl, tp, time_index, tag)


def close_trade(self, trade, price, time_index):
    parts.append((self._data.index[time_index], price, -trade.size, self._commission(trade.size, price)))
    original_close(self, trade, price, time_index)


_Broker.__init__, _Broker._open_trade, _Broker._close_trade = init, open_trade, close_trade

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
                place(size=row["quantity"], limit=row["limit"], stop=row["stop"], tag=row["line"])

    return Tape


for ticker, frame in read_bars(folder).items():
    test = Backtest(frame, tape_strategy(ticker), cash=1e12, spread=float(options.get("spread", 0)),
                    commission=float(options.get("commission", 0)),
                    trade_on_close=options.get("trade_on_close", "false") == "true", hedging=False, exclusive_orders=False)
    test.run()

print(f"# backtesting.py {backtesting.__version__}, pandas {pandas.__version__}")
for line, when, price, size, comm in sorted(fills, key=lambda f: f[0]):
    print(f"{line},{pandas.Timestamp(when).value},{float(price)!r},{int(size)},{float(comm)!r},")
