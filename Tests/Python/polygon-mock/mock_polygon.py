#!/usr/bin/env python3
"""A loopback stand-in for Polygon's aggregates API v2, serving real recorded bodies.

Bars come from real/rest/<T>/<T>_1_minute_<date>.json (shared data, see SOURCES.md). The server answers
/v2/aggs/ticker/<T>/range/1/minute/<from>/<to> (dates or millisecond timestamps) with pages of
--page-size bars, each page but the last carrying a next_url on api.polygon.io (as the vendor's do), and
follows a plan (JSON) of faults: per ticker, the first N requests may get a status with a body and a
Retry-After, or a connection cut in the middle of the body; some tickers answer DELAYED; some minutes are
left out of whole-day answers (found again by a range request); a next_url may carry apiKey=<the key>.
Every request is logged to --log as JSON lines (path, authorization header). Standard library only.
Prints the port on stdout once listening.
"""
import argparse, json, os, signal, sys, threading, glob
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit, parse_qs

def load(data):
    days = {}
    for path in glob.glob(os.path.join(data, "*", "*_1_minute_*.json")):
        with open(path) as f:
            body = json.load(f)
        ticker = body["ticker"]
        date = os.path.basename(path).rsplit("_", 1)[1][:-5]
        days.setdefault(ticker, {})[date] = body.get("results", [])
    return days

class State:
    def __init__(self, plan, days, log):
        self.plan, self.days, self.log = plan, days, log
        self.counts = {}
        self.lock = threading.Lock()

def make_handler(state, page_size):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in two writes: without this, Nagle's algorithm and the client's delayed
        # ACK hold each response about 40 ms.
        disable_nagle_algorithm = True

        def log_message(self, *args):
            pass

        def send(self, status, body, headers=()):
            data = json.dumps(body).encode() if not isinstance(body, bytes) else body
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in headers:
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            url = urlsplit(self.path)
            query = parse_qs(url.query)
            parts = url.path.strip("/").split("/")
            with state.lock:
                with open(state.log, "a") as f:
                    f.write(json.dumps({"path": self.path, "authorization": self.headers.get("Authorization", "")}) + "\n")
            if len(parts) != 9 or parts[:3] != ["v2", "aggs", "ticker"] or parts[4:7] != ["range", "1", "minute"]:
                return self.send(404, {"status": "NOT_FOUND", "request_id": "x", "message": "Not found."})
            ticker, frm, to = parts[3], parts[7], parts[8]
            plan = state.plan
            with state.lock:
                n = state.counts.get(ticker, 0)
                state.counts[ticker] = n + 1
            faults = plan.get("faults", {}).get(ticker, [])
            if n < len(faults) and faults[n]:
                fault = faults[n]
                if fault.get("cut"):
                    # Promise a long body, send part of it, close: a connection dropped mid-body.
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", "100000")
                    self.end_headers()
                    self.wfile.write(b'{"ticker":"' + ticker.encode() + b'","status":"OK","results":[{"o":1')
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                headers = [("Retry-After", str(fault["retry_after"]))] if "retry_after" in fault else []
                body = fault.get("body", {"status": "ERROR", "request_id": "x", "error": "fault"})
                if fault.get("echo_key"):
                    body = {"status": "ERROR", "request_id": "x", "error": "bad request " + self.path + " auth " + self.headers.get("Authorization", "")}
                return self.send(fault["status"], body, headers)
            bars = []
            for date, results in sorted(state.days.get(ticker, {}).items()):
                for bar in results:
                    t = bar["t"]
                    if not (within(t, date, frm, lower=True) and within(t, date, to, lower=False)):
                        continue
                    if frm[:1] != "1" and t in plan.get("omit", {}).get(ticker, []):
                        continue  # left out of whole-day answers only
                    bars.append(bar)
            offset = int(query.get("cursor", ["0"])[0])
            page = bars[offset:offset + page_size]
            body = {"ticker": ticker, "queryCount": len(page), "resultsCount": len(page), "adjusted": query.get("adjusted", ["true"])[0] == "true",
                    "status": "DELAYED" if ticker in plan.get("delayed", []) else "OK", "request_id": "mock-%d" % n}
            if page:
                body["results"] = page
            if offset + page_size < len(bars):
                key = plan.get("next_url_key")
                body["next_url"] = "https://api.polygon.io/v2/aggs/ticker/%s/range/1/minute/%s/%s?cursor=%d%s" % (
                    ticker, frm, to, offset + page_size, "&apiKey=" + key if key else "")
            self.send(200, body)
    return Handler

def within(t, date, bound, lower):
    if bound[:1] == "1" and bound.isdigit():
        return t >= int(bound) if lower else t <= int(bound)
    return date >= bound if lower else date <= bound

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--plan", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--page-size", type=int, default=300)
    args = parser.parse_args()
    with open(args.plan) as f:
        plan = json.load(f)
    state = State(plan, load(args.data), args.log)
    # A test process may spawn us with SIGTERM blocked: unblock it, and also end when stdin closes (the
    # test ended, or died), so that no server outlives its test.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(state, args.page_size))
    print(server.server_address[1], flush=True)
    server.serve_forever()

if __name__ == "__main__":
    main()
