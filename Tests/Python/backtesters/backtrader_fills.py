"""Replays an order tape through backtrader's own broker (BackBroker) and prints every fill.

    python backtrader_fills.py DATA_FOLDER TAPE [key=value ...]

keys: slip_perc, slip_fixed (numbers), slip_open, slip_match, slip_limit, slip_out (true/false), commission (a
number), commtype (fixed: per share, as backtrader's COMM_FIXED for a stock; perc: a fraction of the value, COMM_PERC).

An order of a tape row is placed in the strategy's next() of the first bar of its ticker that starts at or after
the row's time, as Tapebench submits it at that bar's close. Prints a comment line naming the versions, then one
line per fill: tape line, bar start (epoch ns), price, size (signed), commission, and `stale` when the ticker had
no new bar in the cycle that filled it (backtrader tried the order against the ticker's previous bar again). A
stop-limit whose stop backtrader triggered in such a cycle gets a line `LINE,0,0,0,0,stale_trigger`.
"""
import sys

import backtrader as bt
import pandas

from tape_common import read_bars, read_tape

folder, tape_path = sys.argv[1], sys.argv[2]
options = dict(arg.split("=", 1) for arg in sys.argv[3:])
flag = {"true": True, "false": False}


class Tape(bt.Strategy):
    def __init__(self):
        self.queues = {}
        for order in read_tape(tape_path):
            self.queues.setdefault(order["ticker"], []).append(order)
        for queue in self.queues.values():
            queue.sort(key=lambda o: (o["time"], o["line"]))
        self.seen = {}  # data -> its length at the end of the last next()
        self.fills = []
        self.untriggered = []  # stop-limit orders whose stop has not fired yet

    def notify_order(self, order):
        line = order.info.line
        if order.status in (order.Completed, order.Partial):
            data = order.data
            stale = len(data) == self.seen.get(data._name)
            when = pandas.Timestamp(bt.num2date(order.executed.dt)).round("s").value
            self.fills.append((line, when, order.executed.price, order.executed.size, order.executed.comm, stale))
        elif order.status in (order.Margin, order.Rejected):
            self.fills.append((line, 0, 0.0, 0, 0.0, "rejected"))

    def prenext(self):
        self.next()

    def next(self):
        # A stop-limit triggered in this cycle on a ticker without a new bar was triggered on a stale bar.
        for order in list(self.untriggered):
            if order.triggered or not order.alive():
                self.untriggered.remove(order)
                if order.triggered and len(order.data) == self.seen.get(order.data._name):
                    self.fills.append((order.info.line, 0, 0.0, 0, 0.0, "stale_trigger"))
        for data in self.datas:
            if len(data) == 0 or len(data) == self.seen.get(data._name):
                continue  # no new bar of this ticker in this cycle
            start = pandas.Timestamp(data.datetime.datetime(0)).round("s").value
            queue = self.queues.get(data._name, [])
            while queue and queue[0]["time"] <= start:
                row = queue.pop(0)
                kind = {"market": bt.Order.Market, "limit": bt.Order.Limit, "stop": bt.Order.Stop,
                        "stop_limit": bt.Order.StopLimit}[row["type"]]
                price = row["stop"] if row["type"] in ("stop", "stop_limit") else row["limit"]
                place = self.buy if row["side"] == "buy" else self.sell
                order = place(data=data, size=row["quantity"], exectype=kind, price=price, plimit=row["limit"], line=row["line"])
                if kind == bt.Order.StopLimit:
                    self.untriggered.append(order)
            self.seen[data._name] = len(data)


cerebro = bt.Cerebro(stdstats=False)
for ticker, frame in read_bars(folder).items():
    cerebro.adddata(bt.feeds.PandasData(dataname=frame, timeframe=bt.TimeFrame.Minutes, compression=1), name=ticker)
broker = cerebro.broker
broker.setcash(1e11)
broker.set_slippage_perc(float(options.get("slip_perc", 0)), slip_open=flag[options.get("slip_open", "false")],
                         slip_limit=flag[options.get("slip_limit", "true")], slip_match=flag[options.get("slip_match", "true")],
                         slip_out=flag[options.get("slip_out", "false")])
if float(options.get("slip_fixed", 0)):
    broker.set_slippage_fixed(float(options["slip_fixed"]), slip_open=broker.p.slip_open, slip_limit=broker.p.slip_limit,
                              slip_match=broker.p.slip_match, slip_out=broker.p.slip_out)
commission = float(options.get("commission", 0))
if options.get("commtype", "perc") == "fixed":
    broker.setcommission(commission=commission, commtype=bt.CommInfoBase.COMM_FIXED, stocklike=True)
else:
    broker.setcommission(commission=commission, commtype=bt.CommInfoBase.COMM_PERC, stocklike=True, percabs=True)
cerebro.addstrategy(Tape)
strategy = cerebro.run()[0]

print(f"# backtrader {bt.__version__}, pandas {pandas.__version__}")
for line, when, price, size, comm, stale in strategy.fills:
    tag = stale if isinstance(stale, str) else ("stale" if stale else "")
    print(f"{line},{when},{price!r},{size!r},{comm!r},{tag}")
