#!/usr/bin/env python3
"""Tapebench's built-in VWAP mean-reversion agent (`kind: vwap_mean_reversion`), rewritten in Python on
tapebench_agent. On the same scenario it gives the same signals, so the same orders and fills, as the
built-in (a test in CI compares them): it keeps the same state (each ticker's last `window_bars` bars and
their count), scans at the same cadence (every `scan_every_bars`-th bar of a ticker, over the bars since
the last scan) and computes the deviation with the same floating-point operations in the same order.

Parameters (defaults): lookback_bars 30, entry_deviation_bps 40, exit_deviation_bps 0, min_session_bars 15.
"""

from collections import deque

from tapebench_agent import Agent, signal


class VWAPMeanReversion(Agent):
    def on_hello(self, hello):
        params = self.params
        self.lookback = int(params.get("lookback_bars", 30))
        self.entry = float(params.get("entry_deviation_bps", 40))
        self.exit = float(params.get("exit_deviation_bps", 0))
        self.min_session = int(params.get("min_session_bars", 15))
        self.every = int(self.orchestrator.get("scan_every_bars", 5))
        window = int(self.orchestrator.get("window_bars", 100))
        self.windows = {ticker: deque(maxlen=window) for ticker in self.tickers}
        self.counts = dict.fromkeys(self.tickers, 0)

    def on_bars(self, message):
        time = message["time"]
        bars = message["bars"]
        # Every bar of the minute is kept first, then the scans run: as the built-in reads its windows.
        for bar in bars:
            ticker = bar["ticker"]
            # A bar ends at the message's time. Regular hours (09:30-16:00 New York) fall inside one UTC
            # day, so the session is the UTC date of the time.
            self.windows[ticker].append((time, time[:10], bar))
            self.counts[ticker] += 1
        held = {position["ticker"]: position["quantity"] for position in message["positions"]}
        actions = []
        for bar in bars:
            ticker = bar["ticker"]
            if self.counts[ticker] % self.every == 0:
                actions.extend(self.scan(ticker, held.get(ticker, 0)))
        return actions

    def scan(self, ticker, held):
        window = self.windows[ticker]
        # Today's session in the window, oldest first.
        today = window[-1][1]
        session = []
        for item in reversed(window):
            if item[1] != today:
                break
            session.append(item)
        session.reverse()
        actions = []
        for end in range(max(len(session) - self.every, 0), len(session)):
            if end + 1 < self.min_session:
                continue
            deviation = self.deviation(session, end)
            if deviation is None:
                continue
            time, _, _ = session[end]
            reason = "vwap_deviation=%dbp" % round(deviation)
            if held == 0 and deviation <= -self.entry:
                actions.append(signal(ticker, "buy", reason=reason, time=time))
            elif held > 0 and deviation >= self.exit:
                actions.append(signal(ticker, "sell", reason=reason, time=time))
        return actions

    def deviation(self, session, end):
        """(close - VWAP) / VWAP in basis points over the `lookback` bars ending at `end`."""
        weighted = 0.0
        volume = 0.0
        for _, _, bar in session[max(0, end + 1 - self.lookback):end + 1]:
            vwap = bar["vwap"]
            price = vwap if vwap is not None else (bar["high"] + bar["low"] + bar["close"]) / 3
            weighted += price * bar["volume"]
            volume += bar["volume"]
        if volume <= 0:
            return None
        vwap = weighted / volume
        deviation = (session[end][2]["close"] - vwap) / vwap * 10_000
        return deviation if deviation - deviation == 0 else None  # not finite: no signal


if __name__ == "__main__":
    VWAPMeanReversion().run()
