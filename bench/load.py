"""The load generator: separate processes that drive the site over loopback.

Reads one phase as JSON on stdin and writes its figures as JSON on stdout. The clients are
spread over ``processes`` worker processes, so that one interpreter lock is not what limits
the load; in each, a client is a thread with its own keep-alive connection that sends its list
of requests in turn (again and again when ``repeat`` is set) until the phase's time or request
budget is spent.

Standard library only, so it measures the site and not a client framework::

    {"host": "127.0.0.1", "port": 8000, "seconds": 5, "max_requests": 4000, "repeat": true,
     "processes": 4,
     "clients": [[{"method": "GET", "path": "/", "headers": {}, "body": ""}], ...]}
"""

import http.client
import itertools
import json
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor


def _send(connection: http.client.HTTPConnection, request: dict) -> int:
    body = request.get("body", "")
    connection.request(
        request.get("method", "GET"),
        request["path"],
        body=body.encode() if body else None,
        headers=request.get("headers", {}),
    )
    response = connection.getresponse()
    response.read()
    if response.will_close:
        connection.close()
    return response.status


def run_phase(plan: dict) -> dict:
    """Run the phase over ``plan["processes"]`` processes; return its duration, every
    request's latency and the status counts."""
    processes = min(plan.get("processes", 1), len(plan["clients"]))
    if processes <= 1:
        return _run_clients(plan)
    budget = plan.get("max_requests")
    shares = [
        {
            **plan,
            "clients": plan["clients"][index::processes],
            **({"max_requests": -(-budget // processes)} if budget else {}),
        }
        for index in range(processes)
    ]
    with ProcessPoolExecutor(processes) as pool:
        parts = list(pool.map(_run_clients, shares))
    statuses: dict[str, int] = {}
    for part in parts:
        for code, count in part["statuses"].items():
            statuses[code] = statuses.get(code, 0) + count
    return {
        "seconds": max(part["seconds"] for part in parts),
        "latencies_ms": [latency for part in parts for latency in part["latencies_ms"]],
        "statuses": statuses,
    }


def _run_clients(plan: dict) -> dict:
    """One process's share of the phase: its clients as threads."""
    budget = itertools.count()
    max_requests = plan.get("max_requests", 10**9)
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    lock = threading.Lock()
    started = time.perf_counter()
    deadline = started + plan["seconds"]

    def client(requests: list[dict]) -> None:
        connection = http.client.HTTPConnection(plan["host"], plan["port"], timeout=30)
        mine, codes = [], {}
        sequence = itertools.cycle(requests) if plan.get("repeat", True) else iter(requests)
        for request in sequence:
            if time.perf_counter() > deadline or next(budget) >= max_requests:
                break
            begin = time.perf_counter()
            try:
                code = str(_send(connection, request))
            except (OSError, http.client.HTTPException) as error:
                code = type(error).__name__
                connection.close()
            mine.append(time.perf_counter() - begin)
            codes[code] = codes.get(code, 0) + 1
        connection.close()
        with lock:
            latencies.extend(mine)
            for code, count in codes.items():
                statuses[code] = statuses.get(code, 0) + count

    threads = [threading.Thread(target=client, args=(requests,)) for requests in plan["clients"]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "seconds": time.perf_counter() - started,
        "latencies_ms": [round(1000 * latency, 3) for latency in latencies],
        "statuses": statuses,
    }


if __name__ == "__main__":
    json.dump(run_phase(json.load(sys.stdin)), sys.stdout)
