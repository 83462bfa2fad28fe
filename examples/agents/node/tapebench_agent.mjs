// @ts-check
// Write a Tapebench agent in JavaScript (Node 18+), protocol version 1 (docs/agent-protocol.md): extend
// `Agent`, implement `onBars`, return actions. No dependencies. Types are given in JSDoc, so an editor
// with TypeScript checks a user's agent as it is typed.
//
//   import { Agent, signal } from "./tapebench_agent.mjs";
//   class Mine extends Agent { onBars(message) { return []; } }
//   await new Mine().run();
//
// stdout carries the protocol: log with console.error, whose end Tapebench quotes when the program fails.

import { createInterface } from "node:readline";

export const PROTOCOL = 1;

/**
 * @typedef {{ticker: string, open: number, high: number, low: number, close: number, volume: number,
 *            vwap: number | null, transactions: number | null}} Bar
 * @typedef {{type: "bars", time: string, bars: Bar[], account: {cash: number, equity: number, buying_power: number},
 *            positions: {ticker: string, quantity: number, average_price: number}[], fills: object[], open_orders: object[]}} BarsMessage
 * @typedef {{type: string} & Record<string, unknown>} Action
 */

export class Agent {
  constructor() {
    /** @type {string | null} */ this.agentId = null;
    /** @type {Record<string, any>} */ this.params = {};
    /** @type {string[]} */ this.tickers = [];
    /** @type {string | null} */ this.fillModel = null;
    /** @type {Record<string, number>} */ this.orchestrator = {};
  }

  /** Called once before the first bars. @param {any} hello */
  onHello(hello) {}

  /** Called once per minute with bars. @param {BarsMessage} message @returns {Action[]} */
  onBars(message) { return []; }

  /** Called when the replay is over, before the program exits 0. */
  onEnd() {}

  /** Answers Tapebench's messages until `end` (or until its input closes). */
  async run() {
    const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of lines) {
      const message = JSON.parse(line);
      if (message.type === "bars") {
        const actions = this.onBars(message);
        process.stdout.write(actions.length === 0 ? '{"actions":[]}\n' : `{"actions":[${actions.map(encode).join(",")}]}\n`);
      } else if (message.type === "hello") {
        if (message.protocol !== PROTOCOL) throw new Error(`tapebench_agent speaks protocol ${PROTOCOL}, Tapebench sent ${message.protocol}`);
        this.agentId = message.agent_id;
        this.params = message.params;
        this.tickers = message.tickers;
        this.fillModel = message.fill_model;
        this.orchestrator = message.orchestrator ?? {};
        this.onHello(message);
        process.stdout.write('{"type":"ready"}\n');
      } else if (message.type === "end") {
        this.onEnd();
        lines.close();
        return;
      } else {
        throw new Error(`tapebench_agent: unknown message type ${message.type}`);
      }
    }
  }
}

/**
 * A signal through Tapebench's orchestrator. `time`: the end of the bar it was read from (default now).
 * @param {string} ticker @param {"buy" | "sell"} side
 * @param {{reason?: string, strength?: number, time?: string}} [options]
 * @returns {Action}
 */
export function signal(ticker, side, options = {}) {
  return { type: "signal", ticker, side, ...options };
}

/**
 * An order straight to the executor. Prices are written with at most 8 decimals.
 * @param {string} ticker @param {"buy" | "sell"} side @param {"market" | "limit" | "stop" | "stop_limit"} orderType
 * @param {number} quantity
 * @param {{limitPrice?: number, stopPrice?: number, clientId?: string}} [options]
 * @returns {Action}
 */
export function order(ticker, side, orderType, quantity, options = {}) {
  /** @type {Action} */
  const action = { type: "order", ticker, side, order_type: orderType, quantity };
  if (options.limitPrice !== undefined) action.limit_price = new Price(options.limitPrice);
  if (options.stopPrice !== undefined) action.stop_price = new Price(options.stopPrice);
  if (options.clientId !== undefined) action.client_id = options.clientId;
  return action;
}

/** Cancels the open order placed with `clientId`. @param {string} clientId @returns {Action} */
export function cancel(clientId) {
  return { type: "cancel", client_id: clientId };
}

class Price {
  /** @param {number} value */
  constructor(value) {
    this.text = value.toFixed(8).replace(/\.?0+$/, "");
  }
}

/** @param {unknown} value @returns {string} */
function encode(value) {
  if (value instanceof Price) return value.text;
  if (Array.isArray(value)) return `[${value.map(encode).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.entries(value).filter(([, item]) => item !== undefined).map(([key, item]) => `${JSON.stringify(key)}:${encode(item)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
