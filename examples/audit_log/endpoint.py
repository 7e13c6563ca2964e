"""A local audit-log endpoint for an HTTP stream trigger (standard library only).

openddb POSTs each batch of stream records (a Lambda DynamoDB event) to
``http://127.0.0.1:9100/audit``; this server appends one line per change to
``audit.jsonl``: when, which table and key, what happened, before and after.

    python3 examples/audit_log/endpoint.py --port 9100 --log audit.jsonl
"""

from __future__ import annotations

import argparse
import http.server
import json
import threading
from typing import Any


def audit_lines(event: dict[str, Any]) -> list[dict[str, Any]]:
    lines = []
    for record in event["Records"]:
        change = record["dynamodb"]
        lines.append({
            "at": change["ApproximateCreationDateTime"],
            "table": record["eventSourceARN"].split(":table/", 1)[1].split("/", 1)[0],
            "event": record["eventName"],
            "key": change["Keys"],
            "before": change.get("OldImage"),
            "after": change.get("NewImage"),
            "sequence_number": change["SequenceNumber"],
            "by": record.get("userIdentity", {}).get("principalId", "user"),
        })
    return lines


def make_server(port: int, log_path: str) -> http.server.ThreadingHTTPServer:
    lock = threading.Lock()

    class AuditHandler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            if self.path != "/audit":
                self.send_error(404)
                return
            event = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            with lock, open(log_path, "a", encoding="utf-8") as log:
                for line in audit_lines(event):
                    log.write(json.dumps(line) + "\n")
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return http.server.ThreadingHTTPServer(("127.0.0.1", port), AuditHandler)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=9100)
    parser.add_argument("--log", default="audit.jsonl")
    arguments = parser.parse_args()
    server = make_server(arguments.port, arguments.log)
    print(f"audit endpoint on http://127.0.0.1:{arguments.port}/audit -> {arguments.log}")
    server.serve_forever()


if __name__ == "__main__":
    main()
