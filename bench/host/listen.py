#!/usr/bin/env python3
"""`sharptls listen` with its default logging against nginx with its access log on (issue 11, "what users run").

Both serve TLS 1.3 with the same ECDSA P-256 certificate on 127.0.0.1; the client is `openssl s_time -new` (a full
handshake, one HTTP/1.0 GET and a close per connection, no resumption). Measured: server CPU per connection (utime+stime
from /proc; nginx's master and workers summed), in interleaved rounds with both servers running (the machine may be
shared), after a warm-up that runs until listen's JIT has settled. Also counted: the lines each server logs per
connection (listen's stderr, nginx's access log), to show what "default logging" writes on the connection's path.

  python3 bench/host/listen.py [--seconds 4] [--rounds 3]     (prints a Markdown table; bench/HOST.md quotes it)
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ left in the tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as hostbench  # noqa: E402  (the workspace, servers and /proc helpers of bench/host/run.py)


class Listen(hostbench.Server):
    name = "sharptls listen"

    def start(self):
        self.stderr_path = os.path.join(self.ws.dir, "listen.stderr")
        self.stderr = open(self.stderr_path, "w")
        self.proc = subprocess.Popen(["dotnet", hostbench.CLI_DLL, "listen", "--port", str(self.port), "--cert", self.ws.cert, "--key", self.ws.key],
                                     env=self.dotnet_env(), stdout=self.log, stderr=self.stderr, stdin=subprocess.DEVNULL)
        hostbench.wait_listening(self.port, self.proc)

    def logged_lines(self):
        self.stderr.flush()
        with open(self.stderr_path, "rb") as f:
            return sum(1 for _ in f)


class NginxLogged(hostbench.Nginx):
    name = "nginx (access log on)"

    def logged_lines(self):
        path = os.path.join(self.ws.dir, "nginx", "access.log")
        if not os.path.exists(path):
            return 0
        with open(path, "rb") as f:
            return sum(1 for _ in f)


def s_time(port, seconds):
    out = hostbench.run(["openssl", "s_time", "-connect", f"127.0.0.1:{port}", "-new", "-tls1_3", "-time", str(seconds), "-www", "/1k.bin"],
                        check=False, timeout=seconds + 60)
    m = re.search(r"(\d+) connections in [\d.]+s", out)
    if not m:  # s_time prints no total when no connection completed (a cold server under load)
        print(f"  s_time: no connection completed in {seconds} s:\n{out}", flush=True)
        return 0
    return int(m.group(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=4)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    hostbench.ensure_tools()
    hostbench.run(["dotnet", "build", os.path.join(hostbench.ROOT, "src/SharpTls.Cli"), "-c", "Release", "-nologo", "-v", "quiet"])
    ws = hostbench.Workspace()
    # nginx as Debian ships it: the access log on (to a file in the workspace), its default session settings.
    hostbench.Nginx.access_log = f"access_log {os.path.join(ws.dir, 'nginx', 'access.log')};"
    servers = [Listen(ws), NginxLogged(ws)]
    totals = {s.name: {"conns": 0, "cpu": 0.0, "lines": 0} for s in servers}
    try:
        for s in servers:
            s.start()
        load_before = " ".join(open("/proc/loadavg").read().split()[:3])
        listen = servers[0]
        for _ in range(40):  # warm-up: until the JIT has settled (fewer than 20 methods in a step)
            before = listen.jitted()
            s_time(listen.port, 3)
            if listen.jitted() - before < 20:
                break
        s_time(servers[1].port, 2)
        for r in range(args.rounds):
            for s in servers[r % 2:] + servers[:r % 2]:
                lines0, cpu0 = s.logged_lines(), hostbench.cpu_seconds(s.measured_pids())
                conns = s_time(s.port, args.seconds)
                time.sleep(0.5)  # the last connections' log lines
                cpu = hostbench.cpu_seconds(s.measured_pids()) - cpu0
                t = totals[s.name]
                t["conns"] += conns
                t["cpu"] += cpu
                t["lines"] += s.logged_lines() - lines0
                print(f"  {s.name:22} round {r + 1}: {conns} connections, {cpu:.2f} CPU-s, {cpu * 1e6 / max(conns, 1):.0f} µs/conn", flush=True)
        load_after = " ".join(open("/proc/loadavg").read().split()[:3])
    finally:
        for s in servers:
            s.stop()
    a, b = totals["sharptls listen"], totals["nginx (access log on)"]
    ua, ub = a["cpu"] * 1e6 / max(a["conns"], 1), b["cpu"] * 1e6 / max(b["conns"], 1)
    print(f"\n{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {args.rounds} interleaved rounds of {args.seconds} s, "
          f"load average before / after {load_before} / {load_after}\n")
    print("| server | connections | server CPU µs per connection | log lines per connection |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| sharptls listen (default logging) | {a['conns']:,} | {ua:,.0f} | {a['lines'] / max(a['conns'], 1):.2f} |")
    print(f"| nginx (access log on) | {b['conns']:,} | {ub:,.0f} | {b['lines'] / max(b['conns'], 1):.2f} |")
    print(f"\nlisten / nginx: {ua / ub:.2f}× the server CPU per connection")
    shutil.rmtree(ws.dir, ignore_errors=True)


if __name__ == "__main__":
    main()
