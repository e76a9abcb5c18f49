#!/usr/bin/env python3
"""How cost grows (issue 11): handshakes per second and server CPU per handshake by concurrent clients, and resident
memory by idle TLS 1.3 connections, for SharpTls, Kestrel+SharpTls, Kestrel+SslStream and nginx side by side in one run.

Servers (all running at once on 127.0.0.1, the same ECDSA P-256 certificate, each serving GET /1k with 1,024 bytes):
  SharpTls           the bench's own server (`serve sharptls`: TcpListener + TlsStream, as `sharptls listen` serves)
  Kestrel+SharpTls   Kestrel with ListenOptions.UseSharpTls (`scaling host`), HTTP/1.1
  Kestrel+SslStream  the same Kestrel app shape with UseHttps (`serve kestrel`: SslStream over the system OpenSSL)
  nginx              Debian's nginx, 2 workers (one per core, as the .NET servers use both cores), access log off
Concurrency: C `openssl s_time -new -tls1_3` processes at once (C = 1, 2, 8, 64, 256), each a sequential client doing
  a full handshake (X25519, ECDSA P-256), one HTTP/1.0 GET of /1k and a close. Processes, not threads in one client:
  each s_time is a plain libssl loop with no managed runtime, and the processes spread over both cores. Measured: server
  CPU (utime+stime from /proc, nginx's master and workers summed) per completed connection, handshakes per second of
  wall clock (the sum of each s_time's own rate), the clients' CPU per connection (their rusage), and how busy the
  machine's two cores were during the cell (/proc/stat). Cells are interleaved: every round gives each server each
  level in turn (server order rotated), so load from elsewhere hits all servers alike.
Memory: idle TLS 1.3 connections (handshake done, no request) opened by holder processes (Python's ssl, at most 5,000
  connections each, four holders at a time), to 1,000, 10,000 and then as many as the server's open-files limit
  allows (RLIMIT_NOFILE: the soft limit is raised to the hard one; the top stage is the hard limit minus the most file
  descriptors any server had open before the first connection, minus 32 of headroom, the same count for every
  server). VmRSS (nginx: master and workers summed) after 2 s and, for the .NET servers, after a full compacting GC
  ("gc" on their stdin). The connections still open at each reading are counted from the server's socket descriptors.

  python3 bench/scaling/run.py [--seconds 4] [--rounds 2] [--quick] [--only NAMES] [--out DIR]
      writes DIR/scaling.json, DIR/scaling.md (the section bench/RESULTS.md quotes) and DIR/scaling-*.png
      (default DIR: a temp directory; the run prints where; --quick: 2 s, 1 round, 1,000/2,000/3,000 connections)
"""
import argparse
import json
import os
import re
import resource
import select
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ left in the tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "host"))
import run as hostbench  # noqa: E402  (workspace, JIT-settle counting and /proc helpers of bench/host/run.py)

LEVELS = [1, 2, 8, 64, 256]
PER_HOLDER = 5000


class DotnetServer(hostbench.Server):
    """A server of the bench project; reads "gc" on stdin and prints "ready" when listening."""

    def __init__(self, ws, name, verb):
        self.name = name
        self.verb = verb
        super().__init__(ws)

    def start(self):
        self.proc = subprocess.Popen(["dotnet", hostbench.BENCH_DLL, *self.verb, str(self.port), self.ws.cert, self.ws.key, self.ws.www],
                                     env=self.dotnet_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.proc.stdout.readline()
        if line.strip() != "ready":
            sys.exit(f"{self.name} did not start: {line!r}")

    def collect(self):
        self.proc.stdin.write("gc\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline().split()
        return int(line[1]) if len(line) == 2 and line[0] == "gc" else None

    def request_path(self):
        # s_time sends "GET <path> HTTP/1.0" and reads until the server closes; this server keeps HTTP/1.1 connections
        # open, so a second line that is no GET follows the first request, and the server closes after answering it.
        return "/1k HTTP/1.0\r\n\r\nEND" if self.verb[:2] == ["serve", "sharptls"] else "/1k"


class NginxScaling(hostbench.Nginx):
    name = "nginx"

    def start(self):
        d = os.path.join(self.ws.dir, "nginx")
        os.makedirs(d, exist_ok=True)
        conf = os.path.join(d, "nginx.conf")
        with open(conf, "w") as f:
            f.write(f"""worker_processes 2;
worker_rlimit_nofile {resource.getrlimit(resource.RLIMIT_NOFILE)[1]};
pid {d}/nginx.pid;
error_log {d}/error.log warn;
daemon off;
events {{ worker_connections 20000; multi_accept on; }}
http {{
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 600s;
  client_header_timeout 600s;
  default_type application/octet-stream;
  client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fastcgi; uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;
  server {{
    listen 127.0.0.1:{self.port} ssl backlog=4096;
    ssl_certificate {self.ws.cert};
    ssl_certificate_key {self.ws.key};
    ssl_protocols TLSv1.2 TLSv1.3;
    root {self.ws.www};
  }}
}}
""")
        exe = shutil.which("nginx") or "/usr/sbin/nginx"
        self.proc = subprocess.Popen([exe, "-c", conf, "-p", d], stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        hostbench.wait_listening(self.port, self.proc)
        time.sleep(0.5)
        self.pids = [self.proc.pid, *hostbench.children(self.proc.pid)]

    def measured_pids(self):
        return self.pids  # found once: pgrep per cell would add its own children to the clients' rusage

    def collect(self):
        return None

    def request_path(self):
        return "/1k"


def rss_kb(pids):
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/status") as f:
            total += int(re.search(r"^VmRSS:\s+(\d+) kB", f.read(), re.M).group(1))
    return total


def open_fds(pids):
    return sum(len(os.listdir(f"/proc/{pid}/fd")) for pid in pids)


def sockets(pids):
    n = 0
    for pid in pids:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:"):
                    n += 1
            except OSError:
                pass
    return n


def cpu_busy():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + v[4]
    return sum(v) - idle, sum(v)


def s_time_cell(server, clients, seconds):
    """C s_time processes at once; returns connections, rate, server CPU s, clients' CPU s, machine busy share."""
    cmd = ["openssl", "s_time", "-connect", f"127.0.0.1:{server.port}", "-new", "-tls1_3", "-time", str(seconds), "-www", server.request_path(),
           "-no-CAfile", "-no-CApath", "-no-CAstore"]  # nothing is verified: no CA bundle parsed per process
    pids = server.measured_pids()
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu0, (busy0, all0), t0 = hostbench.cpu_seconds(pids), cpu_busy(), time.monotonic()
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True) for _ in range(clients)]
    outs = [p.communicate(timeout=seconds + 120)[0] for p in procs]
    cpu, (busy1, all1), wall = hostbench.cpu_seconds(pids) - cpu0, cpu_busy(), time.monotonic() - t0
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    conns, rate, failed, busy_seconds = 0, 0.0, 0, 0
    for out in outs:
        # Each s_time's count over its own timed loop (whole seconds); its other total line divides by its user CPU time.
        m = re.search(r"(\d+) connections in (\d+) real seconds", out)
        if not m:
            failed += 1
            continue
        conns += int(m.group(1))
        rate += int(m.group(1)) / max(int(m.group(2)), 1)
        busy_seconds += int(m.group(2))
    client_cpu = (ru1.ru_utime + ru1.ru_stime) - (ru0.ru_utime + ru0.ru_stime)
    if failed:
        print(f"  {server.name}: {failed} of {clients} s_time processes completed nothing:\n{outs[0][-400:]}", flush=True)
    tick = os.sysconf("SC_CLK_TCK")
    return {"connections": conns, "rate": rate, "cpu": cpu, "client_cpu": client_cpu, "wall": wall, "overlap": busy_seconds / wall,
            "busy": (busy1 - busy0) / max(all1 - all0, 1), "ours": (cpu + client_cpu) / (wall * os.cpu_count()), "failed": failed,
            "machine_cpu": (busy1 - busy0) / tick}


def warm(server, seconds_cap):
    spent = 0
    while spent < seconds_cap:
        before = server.jitted()
        s_time_cell(server, 64, 3)
        spent += 3
        if server.proc and server.jitted() - before < hostbench.WARM_SETTLED:
            break
    return spent


def measure_concurrency(servers, seconds, rounds, warm_cap):
    warmed = {}
    for s in servers:
        warmed[s.name] = warm(s, warm_cap)
        print(f"  {s.name:18} warm-up {warmed[s.name]} s", flush=True)
    cells = {s.name: {c: [] for c in LEVELS} for s in servers}
    for r in range(rounds):
        for c in LEVELS:
            for s in servers[r % len(servers):] + servers[:r % len(servers)]:
                jit0 = s.jitted()
                cell = s_time_cell(s, c, seconds)
                cell["jitted"] = s.jitted() - jit0
                cells[s.name][c].append(cell)
                print(f"  {s.name:18} c={c:3} round {r + 1}: {cell['connections']:6} conn  {cell['rate']:7.0f}/s  "
                      f"{cell['cpu'] * 1e6 / max(cell['connections'], 1):6.0f} µs server  {cell['client_cpu'] * 1e6 / max(cell['connections'], 1):6.0f} µs clients"
                      f"  cores busy {cell['busy'] * 100:3.0f}% (server+clients {cell['ours'] * 100:3.0f}%)  wall {cell['wall']:.1f} s  clients at once {cell['overlap']:.0f}  jitted {cell['jitted']}", flush=True)
    out = {}
    for s in servers:
        rows = []
        for c in LEVELS:
            v = cells[s.name][c]
            n = sum(x["connections"] for x in v)
            rows.append({"clients": c, "connections": n, "rate": sum(x["rate"] for x in v) / len(v), "wall_rate": n / sum(x["wall"] for x in v), "overlap": sum(x["overlap"] for x in v) / len(v),
                         "cpu_us": sum(x["cpu"] for x in v) * 1e6 / max(n, 1), "client_cpu_us": sum(x["client_cpu"] for x in v) * 1e6 / max(n, 1),
                         "busy": sum(x["busy"] for x in v) / len(v), "ours": sum(x["ours"] for x in v) / len(v),
                         "server_share": sum(x["cpu"] for x in v) / max(sum(x["cpu"] + x["client_cpu"] for x in v), 1e-9), "jitted": sum(x["jitted"] for x in v),
                         "per_round_cpu_us": [x["cpu"] * 1e6 / max(x["connections"], 1) for x in v], "failed": sum(x["failed"] for x in v)})
        out[s.name] = rows
    return out, warmed


def hold(port, count):
    """Holder process: opens COUNT idle TLS 1.3 connections, prints "open N failed F", holds them until stdin closes."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    held, failed, first_error = [], 0, ""
    for _ in range(count):
        try:
            raw = socket.create_connection(("127.0.0.1", port), timeout=60)
            held.append(ctx.wrap_socket(raw, server_hostname="localhost"))
        except (OSError, ssl.SSLError) as e:
            failed += 1
            first_error = first_error or repr(e)
            if failed > 50:
                break
    print(f"open {len(held)} failed {failed} {first_error}", flush=True)
    sys.stdin.read()
    return 0


def measure_memory(servers, stages):
    out = {}
    for s in servers:
        pids = s.measured_pids()
        holders, opened, rows = [], 0, []
        time.sleep(1)
        managed0 = s.collect()
        base_rss, base_sockets = rss_kb(pids), sockets(pids)
        try:
            for target in stages:
                new = []
                want = target - opened
                while want > 0:
                    n = min(PER_HOLDER, want)
                    new.append(subprocess.Popen([sys.executable, os.path.abspath(__file__), "hold", str(s.port), str(n)],
                                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True))
                    want -= n
                t0 = time.time()
                failed = 0
                for h in new:
                    m = re.match(r"open (\d+) failed (\d+)(.*)", h.stdout.readline())
                    opened += int(m.group(1)) if m else 0
                    failed += int(m.group(2)) if m else 0
                    if m and int(m.group(2)):
                        print(f"  {s.name}: holder failures: {m.group(3).strip()}", flush=True)
                holders += new
                took = time.time() - t0
                time.sleep(2)
                managed = s.collect()
                rss, open_now = rss_kb(pids), sockets(pids) - base_sockets
                row = {"target": target, "opened": opened, "connections": open_now, "failed": failed, "rss_growth_kb": rss - base_rss,
                       "kb_per_conn": (rss - base_rss) / max(open_now, 1), "open_seconds": took,
                       "managed_kb_per_conn": (managed - managed0) / 1024 / max(open_now, 1) if managed is not None and managed0 is not None else None}
                rows.append(row)
                print(f"  {s.name:18} {target:6} wanted, {opened} opened, {open_now} open at the reading: RSS +{row['rss_growth_kb'] / 1024:.1f} MB, "
                      f"{row['kb_per_conn']:.2f} KB/conn (opened in {took:.0f} s, {failed} failed)", flush=True)
        finally:
            for h in holders:
                h.stdin.close()
            for h in holders:
                h.wait(60)
        out[s.name] = rows
        time.sleep(3)  # the server closes what the holders left
    return out


def fmt(v, digits=0):
    return f"{v:,.{digits}f}"


def report(res):
    names = res["servers"]
    lines = [f"## How cost grows (issue 11): concurrency and idle connections, measured side by side on {res['date']}", "",
             f"`python3 bench/scaling/run.py` ({res['rounds']} interleaved round(s) of {res['seconds']} s per cell; all servers running at once; "
             f"load average before / after {res['load_before']} / {res['load_after']}). The machine (2 cores) was shared with six other engineers "
             "building and testing: absolute figures are inflated and the rates move with their load; read the ratios within a row.",
             "Every server: TLS 1.3, X25519, ECDSA P-256 certificate, the same 1 KB response. SharpTls is the bench's own server "
             "(TcpListener + TlsStream, as `sharptls listen`); Kestrel+SharpTls is Kestrel with `UseSharpTls`; Kestrel+SslStream the same "
             "Kestrel app with `UseHttps`; nginx has 2 workers. Clients: C `openssl s_time -new` processes at once, each a sequential "
             "client (full handshake, HTTP/1.0 GET, close). Server CPU is utime+stime from /proc (nginx: master and workers).", ""]
    lines += ["### Server CPU µs per handshake by concurrent clients", "",
              "| clients | " + " | ".join(names) + " | " + " | ".join(f"SharpTls ÷ {n}" for n in names[1:])
              + " | clients' CPU µs/conn | server's share of server+client CPU | cores busy (whole machine) | of it, this bench |",
              "| ---: |" + " ---: |" * (len(names) * 2 + 3)]
    for i, c in enumerate(res["levels"]):
        row = {n: res["concurrency"][n][i] for n in names}
        first = row[names[0]]["cpu_us"]

        def span(key, scale=1.0, digits=0, unit=""):
            lo, hi = min(row[n][key] for n in names) * scale, max(row[n][key] for n in names) * scale
            return f"{lo:,.{digits}f}{unit}" if f"{lo:.{digits}f}" == f"{hi:.{digits}f}" else f"{lo:,.{digits}f}–{hi:,.{digits}f}{unit}"
        lines.append(f"| {c} | " + " | ".join(fmt(row[n]["cpu_us"]) for n in names) + " | "
                     + " | ".join(f"{first / row[n]['cpu_us']:.2f}×" if row[n]["cpu_us"] else "-" for n in names[1:]) + " | "
                     + f"{span('client_cpu_us')} | {span('server_share', 100, 0, '%')} | {span('busy', 100, 0, '%')} | {span('ours', 100, 0, '%')} |")
    lines += ["", "### Handshakes per second (wall clock, clients and servers on the same two cores)", "",
              "| clients | " + " | ".join(names) + " | clients running at once, on average |", "| ---: |" + " ---: |" * (len(names) + 1)]
    for i, c in enumerate(res["levels"]):
        row = [res["concurrency"][n][i] for n in names]
        lo, hi = f"{min(r['overlap'] for r in row):.0f}", f"{max(r['overlap'] for r in row):.0f}"
        lines.append(f"| {c} | " + " | ".join(fmt(r["rate"]) for r in row) + f" | {lo if lo == hi else lo + '–' + hi} |")
    lines += ["", "Rate: the sum of each s_time's connections over its own timed loop (whole seconds). 'At once': the s_time "
              "processes' timed seconds summed over the cell's wall-clock time (their windows start as the processes do).", ""]
    lines += ["", "Connections per cell and methods compiled during the measured cells: " + "; ".join(
        f"{n} {sum(r['connections'] for r in res['concurrency'][n]):,} connections, {sum(r['jitted'] for r in res['concurrency'][n])} methods "
        f"(warm-up {res['warmed'][n]} s)" for n in names) + ".", ""]
    lines += ["### Resident memory by idle TLS 1.3 connections", "",
              "| connections wanted | " + " | ".join(f"{n} open / MB / KB per conn" for n in names) + " | " + " | ".join(f"SharpTls ÷ {n}" for n in names[1:]) + " |",
              "| ---: |" + " ---: |" * (len(names) * 2 - 1)]
    mem = res["memory"]
    for i, target in enumerate(res["stages"]):
        row = {n: mem[n][i] if n in mem and i < len(mem[n]) else None for n in names}
        cells = [f"{r['connections']:,} / {r['rss_growth_kb'] / 1024:.1f} / {r['kb_per_conn']:.2f}" if r else "-" for r in row.values()]
        first = row[names[0]]
        ratios = [f"{first['kb_per_conn'] / row[n]['kb_per_conn']:.2f}×" if first and row[n] and row[n]["kb_per_conn"] > 0 else "-" for n in names[1:]]
        lines.append(f"| {target:,} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")
    slopes = []
    for n in names:
        r = mem.get(n, [])
        if len(r) >= 2 and r[-1]["connections"] > r[-2]["connections"]:
            slopes.append(f"{n} {(r[-1]['rss_growth_kb'] - r[-2]['rss_growth_kb']) / (r[-1]['connections'] - r[-2]['connections']):.2f}")
    lines += ["", "KB per connection between the last two stages (the slope): " + ", ".join(slopes) + ".", ""]
    managed = [f"{n} " + " / ".join(f"{r['managed_kb_per_conn']:.2f}" for r in mem[n]) for n in names if n in mem and mem[n] and mem[n][0]["managed_kb_per_conn"] is not None]
    if managed:
        lines += ["Managed heap growth per connection after a full GC, KB (by stage): " + "; ".join(managed) + ".", ""]
    lines += [f"Open files: RLIMIT_NOFILE hard {res['nofile_hard']}, soft raised to it; the servers had at most {res['base_fds']} descriptors "
              f"open before the first connection, so the top stage asks for {res['stages'][-1]:,} connections (hard limit − {res['base_fds']} − 32 of headroom). "
              "Holders: Python's ssl, at most 5,000 connections each; 'open' is the server's socket descriptors at the reading minus those before.", "",
              "![server CPU per handshake by concurrency](scaling-cpu.png)", "", "![handshakes per second by concurrency](scaling-rate.png)", "",
              "![resident memory by idle connections](scaling-memory.png)", ""]
    return "\n".join(lines)


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "hold":
        return hold(int(sys.argv[2]), int(sys.argv[3]))
    if len(sys.argv) == 3 and sys.argv[1] == "report":  # the Markdown and charts again from a run's scaling.json
        out = os.path.dirname(os.path.abspath(sys.argv[2]))
        with open(sys.argv[2]) as f:
            res = json.load(f)
        with open(os.path.join(out, "scaling.md"), "w") as f:
            f.write(report(res))
        hostbench.run(["dotnet", hostbench.BENCH_DLL, "scaling", "chart", sys.argv[2], out])
        return 0
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=4)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", help="comma-separated server names (default all)")
    ap.add_argument("--skip", default="", help="concurrency and/or memory")
    ap.add_argument("--out")
    args = ap.parse_args()
    seconds, rounds, warm_cap = (2, 1, 30) if args.quick else (args.seconds, args.rounds, hostbench.WARM_CAP)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    hostbench.ensure_tools()
    hostbench.run(["dotnet", "build", os.path.join(hostbench.ROOT, "bench/SharpTls.Benchmarks"), "-c", "Release", "-nologo", "-v", "quiet"])
    out = args.out or tempfile.mkdtemp(prefix="sharptls-scaling-")
    os.makedirs(out, exist_ok=True)
    ws = hostbench.Workspace()
    for name, size in (("1k", 1024), ("1m", 1024 * 1024)):  # the bench servers' fixed responses; nginx serves the same file
        with open(os.path.join(ws.www, name), "wb") as f:
            f.write(os.urandom(size))
        os.chmod(os.path.join(ws.www, name), 0o644)
    makers = [lambda: DotnetServer(ws, "SharpTls", ["serve", "sharptls"]), lambda: DotnetServer(ws, "Kestrel+SharpTls", ["scaling", "host"]),
              lambda: DotnetServer(ws, "Kestrel+SslStream", ["serve", "kestrel"]), lambda: NginxScaling(ws)]
    servers = []
    try:
        for make in makers:
            s = make()
            if args.only and s.name not in args.only.split(","):
                s.log.close()
                continue
            s.start()
            servers.append(s)
            print(f"{s.name} on port {s.port}", flush=True)
        base_fds = max(max(len(os.listdir(f"/proc/{p}/fd")) for p in s.measured_pids()) for s in servers)
        top = hard - base_fds - 32
        stages = [1000, 2000, 3000] if args.quick else [1000, 10000, min(20000, top)]
        load_before = " ".join(open("/proc/loadavg").read().split()[:3])
        concurrency, warmed = ({}, {}) if "concurrency" in args.skip else measure_concurrency(servers, seconds, rounds, warm_cap)
        memory = {} if "memory" in args.skip else measure_memory(servers, stages)
        load_after = " ".join(open("/proc/loadavg").read().split()[:3])
    finally:
        for s in servers:
            s.stop()
    res = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "servers": [s.name for s in servers], "levels": LEVELS, "stages": stages,
           "seconds": seconds, "rounds": rounds, "load_before": load_before, "load_after": load_after, "concurrency": concurrency,
           "warmed": warmed, "memory": memory, "nofile_hard": hard, "base_fds": base_fds}
    with open(os.path.join(out, "scaling.json"), "w") as f:
        json.dump(res, f, indent=1)
    if concurrency and memory:
        with open(os.path.join(out, "scaling.md"), "w") as f:
            f.write(report(res))
        hostbench.run(["dotnet", hostbench.BENCH_DLL, "scaling", "chart", os.path.join(out, "scaling.json"), out])
    print(f"wrote {out}")
    shutil.rmtree(ws.dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
