#!/usr/bin/env python3
"""A loopback HTTP server for the recorder's transport tests (standard library only).

Routes: /page (200, a body of --size bytes, Retry-After and a header sent twice), /redirect (302 to /page),
/redirect?to=URL (302 to URL),
/gzip (the /page body gzip-encoded, when the client accepts it), /echo (the request's headers as JSON),
/cut (announces twice the body it sends, then closes). Prints the port on stdout once listening; ends when
stdin closes.
"""
import argparse, gzip, json, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote


def make_handler(size):
    body = bytes((i * 7 + 3) % 251 for i in range(size))

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, *args):
            pass

        def reply(self, status, data, headers=()):
            self.send_response(status)
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if self.path == "/page":
                self.reply(200, body, [("Retry-After", "7"), ("X-Twice", "first"), ("X-Twice", "second"), ("Content-Type", "application/octet-stream")])
            elif self.path == "/redirect":
                self.reply(302, b"", [("Location", "/page")])
            elif self.path.startswith("/redirect?to="):
                self.reply(302, b"", [("Location", unquote(self.path[len("/redirect?to="):]))])
            elif self.path == "/gzip":
                if "gzip" not in self.headers.get("Accept-Encoding", ""):
                    self.reply(406, b"gzip not accepted")
                else:
                    self.reply(200, gzip.compress(body), [("Content-Encoding", "gzip")])
            elif self.path == "/echo":
                fields = {name.lower(): value for name, value in self.headers.items()}
                self.reply(200, json.dumps(fields, sort_keys=True).encode())
            elif self.path == "/cut":
                self.send_response(200)
                self.send_header("Content-Length", str(2 * len(body)))
                self.end_headers()
                self.wfile.write(body)
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(2)
            else:
                self.reply(404, b"no such route")

    return Handler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100_000)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(args.size))
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdin.read()  # until the test closes the pipe (or ends)
    server.shutdown()


if __name__ == "__main__":
    main()
