#!/usr/bin/env python3
"""Issue 11's bulk rows, interleaved: server CPU ms per MB of 1 MB responses on one keep-alive connection.

The same figure as the bench's `all --only bulk` (bench/RESULTS.md), measured so that a shared machine's load hits every
server alike: all servers run at once, and each (suite, round) gives every server `--seconds` of load in turn (order
rotated each round); the CPU and MB of the rounds are summed. A cell's figure is the server's CPU (utime+stime from
/proc; nginx: its one worker and the master) over the MB it sent. `all --only bulk` measures one server after the other,
and on this machine (two cores, seven engineers) a cell moved by up to 30 % between neighbouring rows.

Servers:
  SharpTls           the bench's server (`SharpTls.Benchmarks serve sharptls`: TcpListener + TlsStream, HTTP/1.1)
  SharpTls (before)  the same server from an earlier build (--before DLL), beside this one
  Kestrel+SslStream  the bench's Kestrel app with UseHttps (--kestrel)
  nginx              Debian's nginx as the bench runs it: one worker, sendfile off, access log off
Client: the bench's neutral client (libssl through P/Invoke, `SharpTls.Benchmarks drive PORT SECONDS bulk SUITE`), one
process per cell, GET /1m in a loop on one connection; the same client for every server.

  python3 bench/host/bulk.py [--seconds 3] [--rounds 5] [--before OLD/SharpTls.Benchmarks.dll] [--kestrel]
                             [--suites TLS_AES_128_GCM_SHA256,...]
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as host  # noqa: E402  (the host bench's helpers: ports, /proc CPU, the workspace's certificates)

SUITES = ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"]
NAMES = {"TLS_AES_128_GCM_SHA256": "TLS 1.3 AES-128-GCM", "TLS_AES_256_GCM_SHA384": "TLS 1.3 AES-256-GCM",
         "TLS_CHACHA20_POLY1305_SHA256": "TLS 1.3 ChaCha20-Poly1305", "ECDHE-ECDSA-AES128-GCM-SHA256": "TLS 1.2 AES-128-GCM",
         "ECDHE-ECDSA-AES256-GCM-SHA384": "TLS 1.2 AES-256-GCM", "ECDHE-ECDSA-CHACHA20-POLY1305": "TLS 1.2 ChaCha20-Poly1305"}


class Proc:
    def __init__(self, name, ws):
        self.name, self.ws, self.port, self.proc = name, ws, host.free_port(), None
        self.log = open(os.path.join(ws.dir, re.sub(r"[^a-z0-9]+", "-", name.lower()) + ".log"), "w")

    def pids(self):
        return [self.proc.pid]

    def stop(self):
        host.stop(self.proc, self.log)


class BenchServer(Proc):
    def __init__(self, name, ws, dll, kind="sharptls"):
        super().__init__(name, ws)
        self.proc = subprocess.Popen(["dotnet", dll, "serve", kind, str(self.port), ws.cert, ws.key, ws.www],
                                     stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        host.wait_listening(self.port, self.proc)


class Nginx(Proc):
    def __init__(self, ws):
        super().__init__("nginx", ws)
        d = os.path.join(ws.dir, "nginx-bulk")
        os.makedirs(d, exist_ok=True)
        conf = os.path.join(d, "nginx.conf")
        with open(conf, "w") as f:
            f.write(f"""worker_processes 1;
daemon off;
master_process on;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fastcgi; uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;
  keepalive_timeout 600s;
  keepalive_requests 1000000;
  sendfile off;
  default_type application/octet-stream;
  server {{
    listen 127.0.0.1:{self.port} ssl;
    ssl_certificate {ws.cert};
    ssl_certificate_key {ws.key};
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ciphers ECDHE+AESGCM:ECDHE+CHACHA20;
    location / {{ root {ws.www}; }}
  }}
}}
""")
        exe = shutil.which("nginx") or "/usr/sbin/nginx"
        self.proc = subprocess.Popen([exe, "-c", conf, "-p", d], stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        host.wait_listening(self.port, self.proc)
        time.sleep(0.5)

    def pids(self):
        return [self.proc.pid, *host.children(self.proc.pid)]


def drive(server, seconds, suite):
    """One cell: the neutral client for `seconds`; returns (MB, server CPU seconds, negotiated cipher)."""
    cpu0 = host.cpu_seconds(server.pids())
    out = host.run(["dotnet", host.BENCH_DLL, "drive", str(server.port), str(seconds), "bulk", suite], timeout=seconds + 120)
    cpu = host.cpu_seconds(server.pids()) - cpu0
    m = re.search(r"(\d+) MB in [\d.]+ s (\S+)", out)
    if not m:
        sys.exit(f"drive output not understood:\n{out}")
    return int(m.group(1)), cpu, m.group(2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=3)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--before", help="SharpTls.Benchmarks.dll of an earlier build: its server runs beside this tree's")
    ap.add_argument("--kestrel", action="store_true", help="Kestrel+SslStream too")
    ap.add_argument("--suites", default=",".join(SUITES))
    args = ap.parse_args()
    suites = args.suites.split(",")
    host.run(["dotnet", "build", os.path.join(host.ROOT, "bench", "SharpTls.Benchmarks"), "-c", "Release", "-nologo", "-v", "quiet"])
    ws = host.Workspace()
    for name, size in (("1k", 1024), ("1m", 1024 * 1024)):
        with open(os.path.join(ws.www, name), "wb") as f:
            f.write(os.urandom(size))
        os.chmod(os.path.join(ws.www, name), 0o644)
    servers = []
    try:
        servers.append(BenchServer("SharpTls", ws, host.BENCH_DLL))
        if args.before:
            servers.append(BenchServer("SharpTls (before)", ws, os.path.abspath(args.before)))
        if args.kestrel:
            servers.append(BenchServer("Kestrel+SslStream", ws, host.BENCH_DLL, kind="kestrel"))
        servers.append(Nginx(ws))
        load_before = " ".join(open("/proc/loadavg").read().split()[:3])
        for suite in suites:
            for s in servers:  # warm-up: the JIT's tiers for the write path, one cell per server and suite
                drive(s, args.seconds, suite)
        cells = {}
        for r in range(args.rounds):
            for suite in suites:
                for s in servers[r % len(servers):] + servers[:r % len(servers)]:
                    mb, cpu, cipher = drive(s, args.seconds, suite)
                    c = cells.setdefault((s.name, suite), {"mb": 0, "cpu": 0.0, "per": [], "cipher": cipher})
                    c["mb"] += mb
                    c["cpu"] += cpu
                    c["per"].append(cpu * 1000 / mb if mb else float("nan"))
                    print(f"  round {r + 1} {suite:30} {s.name:18} {mb:5} MB {cpu:6.2f} CPU-s {cpu * 1000 / max(mb, 1):5.2f} ms/MB ({cipher})", flush=True)
        load_after = " ".join(open("/proc/loadavg").read().split()[:3])
    finally:
        for s in servers:
            s.stop()
    names = [s.name for s in servers]
    ref = "nginx"
    lines = [f"Bulk, `python3 bench/host/bulk.py --seconds {args.seconds} --rounds {args.rounds}`, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
             f"load average before / after {load_before} / {load_after}; server CPU ms per MB (MB sent in all rounds), "
             "1 MB responses on one keep-alive connection; ratios of the summed rounds, the per-round range in brackets.", "",
             "| suite | " + " | ".join(names) + " | " + " | ".join(f"{n} ÷ {ref}" for n in names if n != ref)
             + (" | SharpTls ÷ before" if args.before else "") + " |",
             "| --- |" + " ---: |" * (len(names) * 2 - 1 + (1 if args.before else 0))]

    def ms(n, suite):
        c = cells[(n, suite)]
        return c["cpu"] * 1000 / c["mb"] if c["mb"] else float("nan")

    def ratio(a, b, suite):
        per = [x / y for x, y in zip(cells[(a, suite)]["per"], cells[(b, suite)]["per"])]
        return f"{ms(a, suite) / ms(b, suite):.2f}× ({min(per):.2f}-{max(per):.2f})"
    for suite in suites:
        row = [f"{ms(n, suite):.3f} ({cells[(n, suite)]['mb']:,})" for n in names]
        row += [ratio(n, ref, suite) for n in names if n != ref]
        if args.before:
            row.append(ratio("SharpTls", "SharpTls (before)", suite))
        lines.append(f"| {NAMES.get(suite, suite)} | " + " | ".join(row) + " |")
    print("\n".join(lines))
    shutil.rmtree(ws.dir, ignore_errors=True)


if __name__ == "__main__":
    main()
