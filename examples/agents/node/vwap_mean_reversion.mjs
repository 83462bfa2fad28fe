#!/usr/bin/env node
// @ts-check
// Tapebench's built-in VWAP mean-reversion agent in JavaScript, on tapebench_agent.mjs: the same state,
// cadence and floating-point operations as the built-in, so the same signals, orders and fills (a test
// compares them). See ../vwap_mean_reversion.py for the Python version and the rules.

import { Agent, signal } from "./tapebench_agent.mjs";

/** Rounds to the nearest whole number, ties to even (as Swift's and Python's rounding do). @param {number} x */
function roundHalfEven(x) {
  const floor = Math.floor(x);
  const difference = x - floor;
  if (difference > 0.5) return floor + 1;
  if (difference < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

class VWAPMeanReversion extends Agent {
  /** @param {any} hello */
  onHello(hello) {
    const p = this.params;
    this.lookback = p.lookback_bars ?? 30;
    this.entry = p.entry_deviation_bps ?? 40;
    this.exit = p.exit_deviation_bps ?? 0;
    this.minSession = p.min_session_bars ?? 15;
    this.every = this.orchestrator.scan_every_bars ?? 5;
    this.windowBars = this.orchestrator.window_bars ?? 100;
    /** @type {Map<string, {time: string, bar: import("./tapebench_agent.mjs").Bar}[]>} */
    this.windows = new Map(this.tickers.map((ticker) => [ticker, []]));
    /** @type {Map<string, number>} */
    this.counts = new Map(this.tickers.map((ticker) => [ticker, 0]));
  }

  /** @param {import("./tapebench_agent.mjs").BarsMessage} message */
  onBars(message) {
    for (const bar of message.bars) {
      const window = /** @type {any[]} */ (this.windows.get(bar.ticker));
      window.push({ time: message.time, bar });
      if (window.length > /** @type {number} */ (this.windowBars)) window.shift();
      this.counts.set(bar.ticker, /** @type {number} */ (this.counts.get(bar.ticker)) + 1);
    }
    const held = new Map(message.positions.map((position) => [position.ticker, position.quantity]));
    const actions = [];
    for (const bar of message.bars) {
      if (/** @type {number} */ (this.counts.get(bar.ticker)) % /** @type {number} */ (this.every) === 0) {
        actions.push(...this.scan(bar.ticker, held.get(bar.ticker) ?? 0));
      }
    }
    return actions;
  }

  /** @param {string} ticker @param {number} held */
  scan(ticker, held) {
    const window = /** @type {any[]} */ (this.windows.get(ticker));
    // Today's session: regular hours fall inside one UTC day.
    const today = window[window.length - 1].time.slice(0, 10);
    let first = window.length;
    while (first > 0 && window[first - 1].time.slice(0, 10) === today) first -= 1;
    const session = window.slice(first);
    const actions = [];
    for (let end = Math.max(session.length - /** @type {number} */ (this.every), 0); end < session.length; end += 1) {
      if (end + 1 < /** @type {number} */ (this.minSession)) continue;
      const deviation = this.deviation(session, end);
      if (deviation === null) continue;
      const reason = `vwap_deviation=${roundHalfEven(deviation)}bp`;
      if (held === 0 && deviation <= -(/** @type {number} */ (this.entry))) {
        actions.push(signal(ticker, "buy", { reason, time: session[end].time }));
      } else if (held > 0 && deviation >= /** @type {number} */ (this.exit)) {
        actions.push(signal(ticker, "sell", { reason, time: session[end].time }));
      }
    }
    return actions;
  }

  /** @param {any[]} session @param {number} end @returns {number | null} */
  deviation(session, end) {
    let weighted = 0;
    let volume = 0;
    for (let i = Math.max(0, end + 1 - /** @type {number} */ (this.lookback)); i <= end; i += 1) {
      const bar = session[i].bar;
      const price = bar.vwap !== null ? bar.vwap : (bar.high + bar.low + bar.close) / 3;
      weighted += price * bar.volume;
      volume += bar.volume;
    }
    if (volume <= 0) return null;
    const vwap = weighted / volume;
    const deviation = ((session[end].bar.close - vwap) / vwap) * 10_000;
    return Number.isFinite(deviation) ? deviation : null;
  }
}

await new VWAPMeanReversion().run();
