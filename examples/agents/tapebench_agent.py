"""Write a Tapebench agent in Python: subclass `Agent`, implement `on_bars`, return actions.

Tapebench starts your program once per lane (an agent under one fill model) and talks to it in lockstep
over JSON lines on stdin/stdout, protocol version 1 (docs/agent-protocol.md). This module speaks the
protocol for you, with the standard library only:

    from tapebench_agent import Agent, signal, order, cancel

    class Mine(Agent):
        def on_bars(self, message):
            return [signal(bar["ticker"], "buy", reason="my_rule") for bar in message["bars"] if ...]

    if __name__ == "__main__":
        Mine().run()

Print nothing else to stdout (it carries the protocol); log to stderr, whose end Tapebench quotes when
your program fails. An exception ends the program with its traceback on stderr, and the run with it.
"""

import json
import sys
from decimal import Decimal

PROTOCOL = 1

__all__ = ["Agent", "signal", "order", "cancel", "PROTOCOL"]


class Agent:
    """One lane's agent. After hello, `agent_id`, `params`, `tickers`, `fill_model`, `orchestrator` and
    `hello` (the whole message) are set. Prices arrive as floats (the nearest double to Tapebench's exact
    value), or as `Decimal` when `exact_prices` is True."""

    exact_prices = False

    def __init__(self):
        self.agent_id = None
        self.params = {}
        self.tickers = []
        self.fill_model = None
        self.orchestrator = {}
        self.hello = None

    def on_hello(self, hello):
        """Called once before the first bars; override to read `self.params`."""

    def on_bars(self, message):
        """Called once per minute with bars: return a list of actions (`signal`, `order`, `cancel`)."""
        return []

    def on_end(self):
        """Called when the replay is over, before the program exits 0."""

    def run(self, input=None, output=None):
        """Answers Tapebench's messages until `end` (or until its input closes)."""
        input = input or sys.stdin.buffer
        output = output or sys.stdout.buffer
        loads = json.loads
        if self.exact_prices:
            loads = lambda line: json.loads(line, parse_float=Decimal)  # noqa: E731
        nothing = b'{"actions":[]}\n'
        for line in input:
            message = loads(line)
            kind = message.get("type")
            if kind == "bars":
                actions = self.on_bars(message)
                output.write(nothing if not actions else _answer(actions))
                output.flush()
            elif kind == "hello":
                if message.get("protocol") != PROTOCOL:
                    raise SystemExit(f"tapebench_agent speaks protocol {PROTOCOL}, Tapebench sent {message.get('protocol')}")
                self.hello = message
                self.agent_id = message["agent_id"]
                self.params = message["params"]
                self.tickers = message["tickers"]
                self.fill_model = message["fill_model"]
                self.orchestrator = message.get("orchestrator", {})
                self.on_hello(message)
                output.write(b'{"type":"ready"}\n')
                output.flush()
            elif kind == "end":
                self.on_end()
                return
            else:
                raise SystemExit(f"tapebench_agent: unknown message type {kind!r}")


def signal(ticker, side, reason=None, strength=None, time=None):
    """A signal through Tapebench's orchestrator (signal age, sizing, stop-loss, take-profit), as the
    built-in agents send. `time`: the end of the bar it was read from (a message's `time`), default now."""
    action = {"type": "signal", "ticker": ticker, "side": side}
    if reason is not None:
        action["reason"] = reason
    if strength is not None:
        action["strength"] = strength
    if time is not None:
        action["time"] = time
    return action


def order(ticker, side, order_type, quantity, limit_price=None, stop_price=None, client_id=None):
    """An order straight to the executor (the risk checks apply). Prices are rounded to 8 decimals."""
    action = {"type": "order", "ticker": ticker, "side": side, "order_type": order_type, "quantity": int(quantity)}
    if limit_price is not None:
        action["limit_price"] = _Price(limit_price)
    if stop_price is not None:
        action["stop_price"] = _Price(stop_price)
    if client_id is not None:
        action["client_id"] = client_id
    return action


def cancel(client_id):
    """Cancels the open order placed with `client_id` (nothing when it is no longer open)."""
    return {"type": "cancel", "client_id": client_id}


class _Price:
    """A price written as a JSON number with at most 8 decimals (what Tapebench reads exactly)."""

    __slots__ = ("text",)

    def __init__(self, value):
        text = format(Decimal(value if isinstance(value, (Decimal, int)) else repr(float(value))).quantize(Decimal("1e-8")), "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        self.text = text


def _answer(actions):
    return ('{"actions":[' + ",".join(_encode(action) for action in actions) + "]}\n").encode()


def _encode(value):
    if isinstance(value, dict):
        return "{" + ",".join(json.dumps(str(key)) + ":" + _encode(item) for key, item in value.items()) + "}"
    if isinstance(value, _Price):
        return value.text
    if isinstance(value, Decimal):
        return _Price(value).text
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_encode(item) for item in value) + "]"
    return json.dumps(value)
