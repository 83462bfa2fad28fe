"""The peers' side of benchmarks/peers/run.sh: one order tape replayed through backtrader, backtesting.py and
nautilus_trader, each used the way its documentation shows, each loading the same Polygon flat files itself.

    peers.py tape DATA OUT.csv          the SMA-cross order tape (Tapebench's order-tape CSV) from DATA's bars
    peers.py backtrader DATA TAPE.csv   replay the tape; print `bars N`, `orders N`, `filled N`
    peers.py backtesting DATA TAPE.csv
    peers.py nautilus DATA TAPE.csv

DATA is a folder of per-day Polygon flat files (`YYYY-MM-DD.csv.gz`) of one ticker. Each tool is timed from the
interpreter's start to its exit by run.sh, so importing the tool, reading and decompressing the files, building
its data objects, the replay and its own end-of-run statistics all count, as they do for a user.
Every peer gets every row of the files (its strategy sees every bar, as a user's would); the tape's orders
are keyed by row position, which costs the peer less per bar than matching times would.
"""

import glob
import os
import sys

import pandas as pd

TICKER_COLUMNS = ["open", "high", "low", "close", "volume"]
FAST, SLOW, QUANTITY = 10, 30, 10
# Orders are placed between 09:45 and 12:45 New York time only: never at a session's end (13:00 on early-close
# days), so every order's next bar is a regular-hours bar in every tool and every order fills.
FIRST_MINUTE, LAST_MINUTE = 9 * 60 + 45, 12 * 60 + 45


def load_bars(data):
    """Every row of DATA's day files, in file (date) order, indexed by the bar's start (UTC)."""
    files = sorted(glob.glob(os.path.join(data, "**", "*.csv.gz"), recursive=True))
    if not files:
        sys.exit(f"peers.py: no .csv.gz day files under {data}")
    frame = pd.concat([pd.read_csv(path) for path in files], ignore_index=True)
    if frame["ticker"].nunique() != 1:
        sys.exit("peers.py: the peers benchmark takes one ticker (backtesting.py trades one instrument)")
    frame.index = pd.to_datetime(frame["window_start"], unit="ns", utc=True)
    return frame


def load_tape(path, index):
    """The tape's orders by row position in the bars: {position: (side, quantity)}."""
    tape = pd.read_csv(path)
    positions = index.get_indexer(pd.to_datetime(tape["time"].astype("int64"), unit="ns", utc=True))
    if (positions < 0).any():
        sys.exit("peers.py: an order's time is not the start of a bar in the data")
    return {int(p): (side, int(q)) for p, side, q in zip(positions, tape["side"], tape["quantity"])}


def report(bars, orders, filled):
    print(f"bars {bars}")
    print(f"orders {orders}")
    print(f"filled {filled}")


# MARK: - the tape


def make_tape(data, out):
    """A 10/30-bar SMA cross on regular-hours closes: buy 10 shares when the fast average crosses above the
    slow one while flat, sell them when it crosses back below; decided at the close of the crossing bar."""
    bars = load_bars(data)
    local = bars.index.tz_convert("America/New_York")
    minute = local.hour * 60 + local.minute
    regular = bars[(minute >= 9 * 60 + 30) & (minute < 16 * 60)]
    fast = regular["close"].rolling(FAST).mean()
    slow = regular["close"].rolling(SLOW).mean()
    above = (fast > slow).to_numpy()
    valid = slow.notna().to_numpy()
    regular_minute = minute[(minute >= 9 * 60 + 30) & (minute < 16 * 60)]
    rows, long = [], False
    for i in range(1, len(regular)):
        if not (valid[i - 1] and FIRST_MINUTE <= regular_minute[i] < LAST_MINUTE):
            continue
        if above[i] and not above[i - 1] and not long:
            rows.append((int(regular["window_start"].iloc[i]), "buy"))
            long = True
        elif not above[i] and above[i - 1] and long:
            rows.append((int(regular["window_start"].iloc[i]), "sell"))
            long = False
    ticker = bars["ticker"].iloc[0]
    with open(out, "w") as tape:
        tape.write("time,ticker,side,type,quantity,limit_price,stop_price\n")
        for time, side in rows:
            tape.write(f"{time},{ticker},{side},market,{QUANTITY},,\n")
    print(f"{len(rows)} orders from {len(regular)} regular-hours bars of {len(bars)}")


# MARK: - backtrader (Cerebro, a PandasData feed, a Strategy, default broker)


def run_backtrader(data, tape_path):
    import backtrader as bt

    bars = load_bars(data)
    tape = load_tape(tape_path, bars.index)
    feed = bars[TICKER_COLUMNS].copy()
    feed.index = feed.index.tz_localize(None)  # backtrader's date2num takes naive datetimes (UTC here)

    class TapeStrategy(bt.Strategy):
        def __init__(self):
            self.bar = -1
            self.filled = 0

        def next(self):
            self.bar += 1
            order = tape.get(self.bar)
            if order:
                side, quantity = order
                (self.buy if side == "buy" else self.sell)(size=quantity)

        def notify_order(self, order):
            if order.status == order.Completed:
                self.filled += 1

    cerebro = bt.Cerebro()
    cerebro.adddata(bt.feeds.PandasData(dataname=feed))
    cerebro.addstrategy(TapeStrategy)
    cerebro.broker.setcash(100_000)
    strategy = cerebro.run()[0]
    report(strategy.bar + 1, len(tape), strategy.filled)


# MARK: - backtesting.py (Backtest over an OHLCV DataFrame, a Strategy)


def run_backtesting(data, tape_path):
    from backtesting import Backtest, Strategy

    bars = load_bars(data)
    tape = load_tape(tape_path, bars.index)
    frame = bars[TICKER_COLUMNS].rename(columns=str.capitalize)
    frame.index = frame.index.tz_localize(None)
    seen = [0]

    class TapeStrategy(Strategy):
        def init(self):
            pass

        def next(self):
            seen[0] += 1
            order = tape.get(len(self.data) - 1)
            if order:
                side, quantity = order
                (self.buy if side == "buy" else self.sell)(size=quantity)

    stats = Backtest(frame, TapeStrategy, cash=100_000).run()
    strategy = stats["_strategy"]
    # A buy opens a trade and the next sell closes it: two filled orders per closed trade, one per open one.
    filled = 2 * len(strategy.closed_trades) + len(strategy.trades)
    # backtesting.py calls next() from the second bar on (the first has no previous close to act on).
    report(seen[0] + 1, len(tape), filled)


# MARK: - nautilus_trader (BacktestEngine, a venue, Bar data from BarDataWrangler, a Strategy)


def run_nautilus(data, tape_path):
    from nautilus_trader.backtest.engine import BacktestEngine, BacktestEngineConfig
    from nautilus_trader.config import LoggingConfig
    from nautilus_trader.model.currencies import USD
    from nautilus_trader.model.data import BarType
    from nautilus_trader.model.enums import AccountType, OmsType, OrderSide
    from nautilus_trader.model.identifiers import Venue
    from nautilus_trader.model.objects import Money, Quantity
    from nautilus_trader.persistence.wranglers import BarDataWrangler
    from nautilus_trader.test_kit.providers import TestInstrumentProvider
    from nautilus_trader.trading.strategy import Strategy

    bars = load_bars(data)
    tape = load_tape(tape_path, bars.index)
    instrument = TestInstrumentProvider.equity(symbol=bars["ticker"].iloc[0], venue="XNAS")
    bar_type = BarType.from_str(f"{instrument.id}-1-MINUTE-LAST-EXTERNAL")
    records = BarDataWrangler(bar_type, instrument).process(bars[TICKER_COLUMNS])

    class TapeStrategy(Strategy):
        def __init__(self):
            super().__init__()
            self.bar = -1
            self.filled = set()

        def on_start(self):
            self.subscribe_bars(bar_type)

        def on_bar(self, bar):
            self.bar += 1
            order = tape.get(self.bar)
            if order:
                side, quantity = order
                self.submit_order(self.order_factory.market(
                    instrument.id, OrderSide.BUY if side == "buy" else OrderSide.SELL, Quantity.from_int(quantity)))

        def on_order_filled(self, event):
            self.filled.add(event.client_order_id)  # an order may fill in parts: count orders

    # Logging at ERROR: INFO (the default) writes lines per order and event, which no benchmark wants.
    engine = BacktestEngine(config=BacktestEngineConfig(logging=LoggingConfig(log_level="ERROR")))
    engine.add_venue(Venue("XNAS"), OmsType.NETTING, AccountType.CASH, [Money(1_000_000, USD)], base_currency=USD)
    engine.add_instrument(instrument)
    engine.add_data(records)
    strategy = TapeStrategy()
    engine.add_strategy(strategy)
    engine.run()
    report(strategy.bar + 1, len(tape), len(strategy.filled))
    engine.dispose()


COMMANDS = {"backtrader": run_backtrader, "backtesting": run_backtesting, "nautilus": run_nautilus}

if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "tape":
        make_tape(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] in COMMANDS:
        COMMANDS[sys.argv[1]](sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
