"""The load generators: programs apart from the site that drive it over loopback.

Reads one phase as JSON on stdin and writes its figures as JSON on stdout::

    {"host": "127.0.0.1", "port": 8000, "seconds": 5, "max_requests": 4000, "repeat": true,
     "generator": "wrk", "processes": 4,
     "clients": [[{"method": "GET", "path": "/", "headers": {}, "body": ""}], ...]}

A client has its own keep-alive connection and sends its list of requests in turn (again and
again when ``repeat`` is set) until the phase's time or request budget is spent. Two
generators do this:

- ``wrk``, the native one, when it is installed: a thread and a connection per client, the
  request lists in a generated Lua script, its latency histogram read back exactly (to the
  microsecond). Its time is whole seconds and it has no request budget.
- ``python``: the clients spread over ``processes`` worker processes, so that one interpreter
  lock is not what limits the load; in each, a client is a thread. Standard library only.
"""

import http.client
import itertools
import json
import math
import shutil
import subprocess
import sys
import tempfile
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


WRK = shutil.which("wrk")


def run_phase(plan: dict) -> dict:
    """Run the phase with ``plan["generator"]``; return its duration, every request's latency
    and the status counts."""
    if plan.get("generator") == "wrk":
        return _run_wrk(plan)
    return _run_python(plan)


# Sends each client's requests over its own connection and counts the answers per status;
# ``done`` writes the phase's figures as JSON, the latencies as percentiles in microseconds.
WRK_SCRIPT = """
local clients, again = %(clients)s, %(repeat)s
local PERCENTILES = %(percentiles)s
local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
  thread:set("client", #threads)
end

function init(args)
  requests, sent, answered, statuses = {}, 0, 0, {}
  for _, r in ipairs(clients[client]) do
    requests[#requests + 1] = wrk.format(r[1], r[2], r[3], r[4])
  end
end

function request()
  sent = sent + 1
  if sent > #requests and not again then wrk.thread:stop() end
  return requests[(sent - 1) %% #requests + 1]
end

function response(status, headers, body)
  answered = answered + 1
  if again or answered <= #requests then
    local code = tostring(status)
    statuses[code] = (statuses[code] or 0) + 1
  end
  if answered >= #requests and not again then wrk.thread:stop() end
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for code, count in pairs(thread:get("statuses")) do
      counts[code] = (counts[code] or 0) + count
    end
  end
  for kind, count in pairs(summary.errors) do
    if kind ~= "status" and count > 0 then counts["wrk " .. kind] = count end
  end
  local parts, quantiles = {}, {}
  for code, count in pairs(counts) do
    parts[#parts + 1] = string.format('"%%s": %%d', code, count)
  end
  if summary.requests > 0 then
    for _, p in ipairs(PERCENTILES) do
      quantiles[#quantiles + 1] = string.format("[%%f, %%d]", p, latency:percentile(p))
    end
  end
  io.write(string.format(
    '{"seconds": %%f, "requests": %%d, "statuses": {%%s}, "percentiles_us": [%%s]}\\n',
    summary.duration / 1e6, summary.requests, table.concat(parts, ", "),
    table.concat(quantiles, ", ")))
end
"""


# The percentiles wrk reports: every per cent, and every tenth of a per cent above the 90th,
# where the p99 of several rounds together is read.
PERCENTILES = [float(p) for p in range(1, 90)] + [90 + n / 10 for n in range(101)]


def _samples(percentiles: list[list[float]], requests: int) -> list[float]:
    """``requests`` latencies in milliseconds spread as wrk's ``percentiles`` say: the n-th
    fastest takes the latency of the first percentile at or above its rank. Exact at every
    listed percentile, so the rounds of a page can be pooled as the Python generator's are."""
    samples, index = [], 0
    for n in range(requests):
        rank = 100 * (n + 0.5) / requests
        while index < len(percentiles) - 1 and percentiles[index][0] < rank:
            index += 1
        samples.append(percentiles[index][1] / 1000)
    return samples


def _lua(value) -> str:
    """``value`` (lists, dicts, numbers and strings) as a Lua literal."""
    if isinstance(value, float | int):
        return repr(value)
    if isinstance(value, list):
        return "{" + ", ".join(_lua(item) for item in value) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"[{_lua(k)}] = {_lua(v)}" for k, v in value.items()) + "}"
    return json.dumps(str(value))  # a JSON string is a valid Lua string


def _run_wrk(plan: dict) -> dict:
    """The phase under wrk: one thread and one connection per client."""
    clients = [
        [
            [r.get("method", "GET"), r["path"], r.get("headers", {}), r.get("body", "")]
            for r in requests
        ]
        for requests in plan["clients"]
    ]
    script = WRK_SCRIPT % {
        "clients": _lua(clients),
        "repeat": "true" if plan.get("repeat", True) else "false",
        "percentiles": _lua(PERCENTILES),
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as file:
        file.write(script)
        file.flush()
        finished = subprocess.run(
            [
                WRK,
                "--threads",
                str(len(clients)),
                "--connections",
                str(len(clients)),
                "--duration",
                f"{max(1, math.ceil(plan['seconds']))}s",
                "--timeout",
                "30s",
                "--script",
                file.name,
                f"http://{plan['host']}:{plan['port']}/",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    figures = json.loads(finished.stdout.strip().splitlines()[-1])
    return {
        "seconds": figures["seconds"],
        "latencies_ms": _samples(figures["percentiles_us"], figures["requests"]),
        "statuses": figures["statuses"],
    }


def _run_python(plan: dict) -> dict:
    """Run the phase over ``plan["processes"]`` processes."""
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
