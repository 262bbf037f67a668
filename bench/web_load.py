"""Web app under load: "today", "log a set" and "progress" on ten years of logs.

Run: python bench/web_load.py [--seconds 10] [--levels 1,10,50]  (or `make bench`)

Starts `calfcoach serve` on 127.0.0.1 with a SQLite database holding the sample runner and
ten years of logs (about 150,000 sets, as bench/log_speed.py), then drives it from a second
process (asyncio + httpx) for a fixed time and a bounded number of requests at each level of
concurrent clients: first a mix of phone requests — the Today page (50 %), a set logged by the
page's form (30 %) and the Progress page for the last 12 weeks (20 %) — then the static
`/healthz` as the ceiling of this server and client on this machine. Prints requests per
second, p50 and p99 latency and errors per request kind and level, the mix's throughput as a
share of the ceiling, and checks afterwards that every set the server acknowledged is in the
database (aim: "log a set" p99 under 50 ms at 10 clients, zero errors, zero lost sets).
Then, where the time goes: the server's CPU time per request of each kind, sent one at a time.

Club mode (issue 16): python bench/web_load.py --club [--seconds 10] [--levels 10,50]
runs the same mix against `calfcoach serve --workers 1` and then `--workers 2` on PostgreSQL,
with 100 athletes holding a year of logs each (two or three sessions a week), every client
signed in as one of them with an API token, and prints one table with the two side by side.
It needs PostgreSQL: --postgres URL, else CALFCOACH_TEST_POSTGRES_URL, else it runs itself
again under scripts/with-postgres.sh (a throwaway server; root installs it when missing).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

TODAY = date(2026, 12, 1)  # a Tuesday in week 1 of the plan: a strength session today
MIX = ("today", "log", "today", "log", "today", "progress", "today", "log", "today", "progress")
MAX_REQUESTS = 20_000  # per level and scenario


# ---------------------------------------------------------------------------- the client


async def client_main(args: argparse.Namespace) -> None:
    import httpx

    kinds = ["healthz"] if args.scenario == "healthz" else list(MIX)
    latencies: dict[str, list[float]] = {k: [] for k in set(kinds)}
    errors: dict[str, int] = {k: 0 for k in set(kinds)}
    logged = 0
    budget = args.max_requests
    deadline = time.perf_counter() + args.seconds
    limits = httpx.Limits(max_connections=args.clients, max_keepalive_connections=args.clients)
    cookies = {"calfcoach_csrf": args.token}
    # Club mode: client n is the athlete of token n (modulo), signed in by its API token.
    tokens = json.loads(Path(args.tokens).read_text()) if args.tokens else [None]
    form = {
        "csrf_token": args.token,
        "date": TODAY.isoformat(),
        "exercise": "seated-dumbbell-calf-raise",
        "reps": "10",
        "load": "20",
        "rpe": "8",
    }
    paths = {
        "today": "/today",
        "progress": "/progress?weeks=12",
        "healthz": "/healthz",
    }
    async with httpx.AsyncClient(
        base_url=args.url, limits=limits, cookies=cookies, timeout=30
    ) as http:

        async def worker(n: int) -> None:
            nonlocal budget, logged
            token = tokens[n % len(tokens)]
            headers = {"authorization": f"Bearer {token}"} if token else None
            i = n
            while time.perf_counter() < deadline and budget > 0:
                budget -= 1
                kind = kinds[i % len(kinds)]
                i += 1
                started = time.perf_counter()
                try:
                    if kind == "log":
                        response = await http.post("/today/log", data=form, headers=headers)
                        ok = response.status_code == 303
                        logged += ok
                    else:
                        response = await http.get(paths[kind], headers=headers)
                        ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies[kind].append(time.perf_counter() - started)
                errors[kind] += not ok

        began = time.perf_counter()
        await asyncio.gather(*(worker(n) for n in range(args.clients)))
        elapsed = time.perf_counter() - began
    print(
        json.dumps(
            {
                "elapsed": elapsed,
                "logged": logged,
                "kinds": {k: {"latencies": latencies[k], "errors": errors[k]} for k in latencies},
            }
        )
    )


# ---------------------------------------------------------------------------- the driver


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare(folder: Path) -> tuple[str, int]:
    from calfcoach.services import athletes, context
    from log_speed import fill

    path = folder / "ten-years.sqlite"
    db = context.open_database(str(path))
    monday = TODAY - timedelta(days=TODAY.weekday())
    athletes.init_athlete(db, ROOT / "examples" / "profile.toml", monday, TODAY)
    sets = fill(db)
    db.engine.dispose()
    return str(path), sets


def count_sets(path: str) -> int:
    import sqlite3

    with sqlite3.connect(path) as conn:
        return int(conn.execute("select count(*) from set_logs").fetchone()[0])


def server_cpu_ms(url: str, pid: int, token: str, requests: int = 100) -> dict[str, float]:
    """Where the server's time goes: its CPU time (from /proc) per request of each kind, sent
    one at a time, so nothing else runs in it meanwhile. Empty where /proc is not there."""
    import httpx

    stat = Path(f"/proc/{pid}/stat")
    if not stat.exists():
        return {}
    ticks = os.sysconf("SC_CLK_TCK")

    def cpu_s() -> float:
        fields = stat.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime

    form = {
        "csrf_token": token,
        "date": TODAY.isoformat(),
        "exercise": "seated-dumbbell-calf-raise",
        "reps": "10",
        "load": "20",
        "rpe": "8",
    }
    sends = {
        "healthz": lambda http: http.get("/healthz"),
        "today": lambda http: http.get("/today"),
        "log": lambda http: http.post("/today/log", data=form),
        "progress": lambda http: http.get("/progress?weeks=12"),
    }
    found = {}
    with httpx.Client(base_url=url, cookies={"calfcoach_csrf": token}, timeout=30) as http:
        for kind, send in sends.items():
            send(http)
            before = cpu_s()
            for _ in range(requests):
                send(http)
            found[kind] = (cpu_s() - before) * 1000 / requests
    return found


def sets_on(path: str, day: date) -> int:
    import sqlite3

    with sqlite3.connect(path) as conn:
        return int(
            conn.execute(
                "select count(*) from set_logs where day = ?", (day.isoformat(),)
            ).fetchone()[0]
        )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--levels", help="clients, comma-separated (default 1,10,50; club 10,50)")
    parser.add_argument("--client", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--clients", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--scenario", default="mix", help=argparse.SUPPRESS)
    parser.add_argument("--token", default="", help=argparse.SUPPRESS)
    parser.add_argument("--max-requests", type=int, default=MAX_REQUESTS, help=argparse.SUPPRESS)
    parser.add_argument("--tokens", default="", help=argparse.SUPPRESS)
    parser.add_argument(
        "--club", action="store_true", help="1 and 2 workers on PostgreSQL, 100 athletes"
    )
    parser.add_argument("--postgres", help="club mode: a PostgreSQL URL to make a database on")
    args = parser.parse_args()
    if args.client:
        asyncio.run(client_main(args))
        return
    if args.club:
        from web_load_club import run_club

        run_club(args, __file__)
        return

    from rich.console import Console
    from rich.table import Table

    console = Console()
    levels = [int(n) for n in (args.levels or "1,10,50").split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        console.print("preparing ten years of logs …")
        db_path, filled = prepare(folder)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        env = {**os.environ, "CALFCOACH_TODAY": TODAY.isoformat()}
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "calfcoach"),
                "serve",
                "--port",
                str(port),
                "--db",
                db_path,
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=(folder / "serve.log").open("w"),
        )
        try:
            import httpx

            for _ in range(300):
                try:
                    if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            page = httpx.get(f"{url}/today")
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
            assert token, "no CSRF token on /today"
            before = count_sets(db_path)
            results = []
            acknowledged = 0
            for level in levels:
                for scenario in ("mix", "healthz"):
                    run = subprocess.run(
                        [
                            sys.executable,
                            __file__,
                            "--client",
                            "--url",
                            url,
                            "--clients",
                            str(level),
                            "--scenario",
                            scenario,
                            "--seconds",
                            str(args.seconds),
                            f"--token={token.group(1)}",  # = : a token may start with "-"
                        ],
                        capture_output=True,
                        text=True,
                        check=True,
                    )
                    outcome = json.loads(run.stdout)
                    acknowledged += outcome["logged"]
                    results.append((level, scenario, outcome))
            stored = count_sets(db_path) - before
            on_the_day = sets_on(db_path, TODAY)
            cpu = server_cpu_ms(url, server.pid, token.group(1))
        finally:
            server.terminate()
            server.wait(timeout=10)
    table = Table(
        title=f"calfcoach serve, SQLite with {filled:,} logged sets, {args.seconds:g} s a run"
    )
    for column in (
        "clients",
        "request",
        "requests",
        "req/s",
        "p50 ms",
        "p99 ms",
        "errors",
        "× ceiling",
    ):
        table.add_column(column, justify="right" if column != "request" else "left")
    for level, scenario, outcome in results:
        ceiling = next(
            sum(len(k["latencies"]) for k in o["kinds"].values()) / o["elapsed"]
            for lv, sc, o in results
            if lv == level and sc == "healthz"
        )
        for kind, data in sorted(outcome["kinds"].items()):
            values = data["latencies"]
            rate = len(values) / outcome["elapsed"]
            share = f"{rate / ceiling:.2f}" if scenario == "mix" else "1.00"
            table.add_row(
                str(level),
                kind,
                f"{len(values):,}",
                f"{rate:,.0f}",
                f"{statistics.median(values) * 1000:.1f}" if values else "-",
                f"{percentile(values, 0.99) * 1000:.1f}",
                str(data["errors"]),
                share,
            )
    console.print(table)
    lost = acknowledged - stored
    console.print(
        f"sets acknowledged {acknowledged:,}, stored {stored:,}: "
        f"{'no set lost' if lost == 0 else f'{lost} LOST'}"
    )
    if cpu:
        where = Table(
            title="where the server's time goes: CPU a request, one at a time, after the runs"
        )
        for column in ("request", "server CPU ms", "× healthz"):
            where.add_column(column, justify="left" if column == "request" else "right")
        for kind, ms in cpu.items():
            where.add_row(kind, f"{ms:.2f}", f"{ms / cpu['healthz']:.1f}")
        console.print(where)
        mix = sum(cpu[kind] for kind in MIX) / len(MIX)
        console.print(
            f"the mix costs {mix:.1f} ms of server CPU a request on average (the Today page "
            f"showed {on_the_day:,} sets logged on the day by then: every logged set adds "
            "one); at N clients that never pause, a request waits for about N - 1 others"
        )
    log10 = next((o for lv, sc, o in results if lv == 10 and sc == "mix"), None)
    if log10 is not None:
        p99 = percentile(log10["kinds"]["log"]["latencies"], 0.99) * 1000
        verdict = "met" if p99 < 50 else "NOT met"
        console.print(f"aim: 'log a set' p99 under 50 ms at 10 clients: {p99:.1f} ms, {verdict}")


if __name__ == "__main__":
    main()
