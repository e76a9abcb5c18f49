#!/usr/bin/env python3
"""The host rows of issue 11, side by side in one run.

Servers (each alone on 127.0.0.1, one after the other, all serving the same folder of static files over TLS 1.3
with one ECDSA P-256 certificate):
  Kestrel+SharpTls   the bench's static-file Kestrel app with ListenOptions.UseSharpTls (the host library)
  Kestrel+SslStream  the same app with Kestrel's UseHttps (SslStream over the system OpenSSL)
  sharptls serve     the product: a site from --config and an ipport SSL binding, with serve's default logging
  nginx              Debian's nginx, access log off, keepalive_requests raised (as Kestrel has no such limit)
Clients: wrk (HTTP/1.1) and h2load (HTTP/2), on the same machine.
  (a) new TLS connection per request: wrk -H 'Connection: close' (wrk reconnects with a full handshake each time)
  (b) HTTP/1.1 keep-alive: wrk
  (c) HTTP/2, 100 concurrent streams: h2load -m 100
Measured: requests per second of server CPU (utime+stime from /proc, nginx's master and workers summed) and
p50/p99 latency as the client reports it. The machine may be shared: report the ratios of one run.

  python3 bench/host/run.py [--seconds 5] [--quick] [--out FILE]    (default FILE: bench/HOST.md; --quick: 2 s, stdout)
"""
import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BENCH_DLL = os.path.join(ROOT, "bench", "SharpTls.Benchmarks", "bin", "Release", "net10.0", "SharpTls.Benchmarks.dll")
CLI_DLL = os.path.join(ROOT, "src", "SharpTls.Cli", "bin", "Release", "net10.0", "SharpTls.Cli.dll")
FILES = {"1k.bin": 1024, "100k.bin": 100 * 1024}
APPID = "{2f9d8c7b-6a5e-4d3c-8b1a-0e9f8d7c6b5a}"


def run(cmd, env=None, check=True, timeout=600, cwd=None):
    p = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout)
    if check and p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({p.returncode}):\n{p.stdout}")
    return p.stdout


def ensure_tools():
    missing = [pkg for tool, pkg in (("h2load", "nghttp2-client"), ("wrk", "wrk"), ("openssl", "openssl")) if shutil.which(tool) is None]
    if shutil.which("nginx") is None and not os.path.exists("/usr/sbin/nginx"):
        missing.append("nginx")
    if missing:
        if os.geteuid() != 0:
            sys.exit(f"missing: {' '.join(missing)} (apt-get install {' '.join(missing)})")
        run(["apt-get", "update", "-qq"])
        run(["apt-get", "install", "-y", "-qq", *missing], env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port, proc, seconds=60):
    until = time.time() + seconds
    while time.time() < until:
        if proc.poll() is not None:
            sys.exit(f"server exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"nothing listens on {port} after {seconds} s")


def cpu_seconds(pids):
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def children(pid):
    out = subprocess.run(["pgrep", "-P", str(pid)], stdout=subprocess.PIPE, text=True).stdout.split()
    return [int(x) for x in out]


class Workspace:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="sharptls-hostbench-")
        os.chmod(self.dir, 0o755)  # nginx's workers (not root) read the files
        self.www = os.path.join(self.dir, "www")
        os.makedirs(self.www)
        for name, size in FILES.items():
            with open(os.path.join(self.www, name), "wb") as f:
                f.write(os.urandom(size))
            os.chmod(os.path.join(self.www, name), 0o644)
        d = self.dir
        run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", f"{d}/ca.key",
             "-out", f"{d}/ca.pem", "-subj", "/CN=Host Bench CA", "-days", "2"])
        with open(f"{d}/ext.cnf", "w") as f:
            f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n")
        run(["openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", f"{d}/server.key",
             "-out", f"{d}/server.csr", "-subj", "/CN=localhost"])
        run(["openssl", "x509", "-req", "-in", f"{d}/server.csr", "-CA", f"{d}/ca.pem", "-CAkey", f"{d}/ca.key", "-CAcreateserial",
             "-out", f"{d}/server.pem", "-days", "2", "-extfile", f"{d}/ext.cnf"])
        self.cert, self.key = f"{d}/server.pem", f"{d}/server.key"
        run(["openssl", "pkcs12", "-export", "-in", self.cert, "-inkey", self.key, "-out", f"{d}/server.pfx", "-passout", "pass:bench"])
        self.pfx = f"{d}/server.pfx"


class Server:
    name = ""

    def __init__(self, ws):
        self.ws = ws
        self.port = free_port()
        self.proc = None
        self.log = open(os.path.join(ws.dir, f"{self.slug}.log"), "w")

    @property
    def slug(self):
        return re.sub(r"[^a-z0-9]+", "-", self.name.lower())

    def measured_pids(self):
        return [self.proc.pid]

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


class StaticApp(Server):
    def __init__(self, ws, tls):
        self.tls = tls
        self.name = "Kestrel+SharpTls" if tls == "sharptls" else "Kestrel+SslStream"
        super().__init__(ws)

    def start(self):
        self.proc = subprocess.Popen(["dotnet", BENCH_DLL, "static", self.tls, str(self.port), self.ws.cert, self.ws.key, self.ws.www],
                                     stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        wait_listening(self.port, self.proc)


class Serve(Server):
    name = "sharptls serve"

    def start(self):
        home = os.path.join(self.ws.dir, "serve-home")
        os.makedirs(home, exist_ok=True)
        env = {**os.environ, "HOME": home, "SHARPTLS_HOME": os.path.join(home, "data"), "SHARPTLS_PFX_PASSWORD": "bench"}
        imported = run(["dotnet", CLI_DLL, "cert", "import", self.ws.pfx], env=env)
        thumb = re.search(r"\b[0-9A-F]{40}\b", imported).group(0)
        run(["dotnet", CLI_DLL, "http", "add", "sslcert", f"ipport=127.0.0.1:{self.port}", f"certhash={thumb}", f"appid={APPID}"], env=env)
        config = os.path.join(self.ws.dir, "serve.json")
        with open(config, "w") as f:
            f.write('{ "SharpTls": { "Sites": [ { "Name": "bench", "Bindings": [ "https/127.0.0.1:%d:" ], "PhysicalPath": "%s" } ] } }\n'
                    % (self.port, self.ws.www))
        self.proc = subprocess.Popen(["dotnet", CLI_DLL, "serve", "--config", config], env=env,
                                     stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=self.ws.dir)
        wait_listening(self.port, self.proc)


class Nginx(Server):
    name = "nginx"

    def start(self):
        d = os.path.join(self.ws.dir, "nginx")
        os.makedirs(d, exist_ok=True)
        conf = os.path.join(d, "nginx.conf")
        with open(conf, "w") as f:
            f.write(f"""worker_processes auto;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
daemon off;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  sendfile on;
  keepalive_requests 1000000;
  keepalive_timeout 130s;
  default_type application/octet-stream;
  client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fastcgi; uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;
  server {{
    listen 127.0.0.1:{self.port} ssl http2;
    ssl_certificate {self.ws.cert};
    ssl_certificate_key {self.ws.key};
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_cache off;
    ssl_session_tickets off;
    root {self.ws.www};
  }}
}}
""")
        exe = shutil.which("nginx") or "/usr/sbin/nginx"
        self.proc = subprocess.Popen([exe, "-c", conf, "-p", d], stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        wait_listening(self.port, self.proc)
        time.sleep(0.5)

    def measured_pids(self):
        return [self.proc.pid, *children(self.proc.pid)]


def to_ms(text):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", text)
    if not m:
        return float("nan")
    value, unit = float(m.group(1)), m.group(2)
    return {"us": value / 1000, "ms": value, "s": value * 1000, "m": value * 60000}[unit]


def wrk(url, seconds, close):
    args = ["wrk", "-t1", "-c16", f"-d{seconds}s", "--latency", url]
    if close:
        args[1:1] = ["-H", "Connection: close"]
    out = run(args, timeout=seconds + 60)
    if not re.search(r"(\d+) requests in", out) or not re.search(r"50%\s+(\S+)", out):
        print(f"wrk output not understood:\n{out}", flush=True)
        return 0, 1, float("nan"), float("nan")
    done = int(re.search(r"(\d+) requests in", out).group(1))
    errors = 0
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(x) for x in m.groups())
    p50 = to_ms(re.search(r"50%\s+(\S+)", out).group(1))
    if p50 != p50:
        print(f"wrk latency not understood:\n{out}", flush=True)
    p99 = to_ms(re.search(r"99%\s+(\S+)", out).group(1))
    return done, errors, p50, p99


def h2load(url, seconds, log):
    if os.path.exists(log):
        os.remove(log)
    out = run(["h2load", "-c4", "-m100", "-D", str(seconds), f"--log-file={log}", url], timeout=seconds + 60)
    m = re.search(r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored", out)
    if not m:
        sys.exit(f"h2load output not understood:\n{out}")
    succeeded, failed, errored = int(m.group(4)), int(m.group(5)), int(m.group(6))
    if "h2" not in out.split("Application protocol:")[-1][:10]:
        sys.exit(f"h2load did not negotiate h2:\n{out}")
    with open(log) as f:
        elapsed = sorted(int(line.split("\t")[2]) / 1000 for line in f if line.strip())
    q = statistics.quantiles(elapsed, n=100) if len(elapsed) > 1 else [0] * 99
    return succeeded, failed + errored, q[49], q[98]


SCENARIOS = [
    ("a", "new TLS connection per request (HTTP/1.1, wrk -c16, Connection: close)"),
    ("b", "HTTP/1.1 keep-alive (wrk -c16)"),
    ("c", "HTTP/2, 100 concurrent streams (h2load -c4 -m100)"),
]


def measure(server, seconds, ws):
    results = {}
    base = f"https://127.0.0.1:{server.port}/"
    wrk(base + "1k.bin", 2, close=False)  # warm-up (JIT, caches)
    for key, _ in SCENARIOS:
        for name in FILES:
            url = base + name
            cpu0 = cpu_seconds(server.measured_pids())
            if key == "c":
                done, errors, p50, p99 = h2load(url, seconds, os.path.join(ws.dir, "h2load.log"))
            else:
                done, errors, p50, p99 = wrk(url, seconds, close=(key == "a"))
            cpu = cpu_seconds(server.measured_pids()) - cpu0
            results[(key, name)] = {"requests": done, "errors": errors, "cpu": cpu, "per_cpu": done / cpu if cpu > 0 else 0, "p50": p50, "p99": p99}
            print(f"  {server.name:18} {key} {name:9} {done:8} req  {cpu:6.2f} CPU-s  {results[(key, name)]['per_cpu']:9.0f} req/CPU-s"
                  f"  p50 {p50:7.2f} ms  p99 {p99:7.2f} ms  errors {errors}", flush=True)
    return results


def version(cmd):
    try:
        out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout.strip().splitlines()
        return out[0] if out else "?"
    except OSError:
        return "not installed"


def report(all_results, seconds, load_before, load_after):
    names = [s for s in all_results]
    lines = ["# Host benchmark: Kestrel+SharpTls against Kestrel+SslStream and nginx (issue 11)", "",
             f"One side-by-side run, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {seconds} s per cell, `python3 bench/host/run.py`.",
             f"Load average before / after: {load_before} / {load_after}. The machine (2 cores) was shared with other work while this ran:",
             "absolute numbers are noisy; the ratios, taken in the same run, are what to read. Clients and server share the cores.", "",
             "Every server serves the same two random files over TLS 1.3 (X25519, ECDSA P-256 certificate, TLS_AES_128_GCM_SHA256 with",
             "OpenSSL 3.0's clients). **req/CPU-s** = requests completed per second of server CPU (user+system, from /proc; nginx's",
             "master and workers summed); p50/p99 = the client's latency percentiles (wrk --latency; h2load's per-request log).", "",
             "| server | what runs |", "| --- | --- |",
             "| Kestrel+SharpTls | the bench's static-file Kestrel app with `ListenOptions.UseSharpTls` (no logging providers) |",
             "| Kestrel+SslStream | the same app with `UseHttps` (SslStream over OpenSSL 3.0) |",
             "| sharptls serve | the product: `serve --config` with a static site and an `ipport` SSL binding, its default logging |",
             "| nginx | Debian's nginx, `worker_processes auto`, access log off, session cache and tickets off, `keepalive_requests 1000000` |",
             ""]
    for key, title in SCENARIOS:
        lines += [f"## ({key}) {title}", "",
                  "| file | " + " | ".join(f"{n} req/CPU-s" for n in names) + " | SharpTls / SslStream | SharpTls / nginx | serve / SslStream | "
                  + " | ".join(f"{n} p50 / p99 ms" for n in names) + " |",
                  "| --- |" + " ---: |" * (len(names) * 2 + 3)]
        for f in FILES:
            r = {n: all_results[n][(key, f)] for n in names}

            def ratio(a, b):
                return f"{r[a]['per_cpu'] / r[b]['per_cpu']:.2f}×" if a in r and b in r and r[b]["per_cpu"] > 0 else "n/a"
            cells = [f"{r[n]['per_cpu']:,.0f}" + (f" ({r[n]['errors']} errors)" if r[n]["errors"] else "") for n in names]
            lat = [f"{r[n]['p50']:.2f} / {r[n]['p99']:.2f}" for n in names]
            lines.append(f"| {f} | " + " | ".join(cells) + f" | {ratio('Kestrel+SharpTls', 'Kestrel+SslStream')} | {ratio('Kestrel+SharpTls', 'nginx')}"
                         f" | {ratio('sharptls serve', 'Kestrel+SslStream')} | " + " | ".join(lat) + " |")
        lines.append("")
    lines += ["Goals (issue 11): (a) ≥ 2× Kestrel+SslStream, (b) and (c) ≥ 1.2× Kestrel+SslStream, all ≥ 1.0× nginx per CPU-second.", "",
              f"Versions: {version(['nginx', '-v'])}; {version(['wrk', '-v'])}; {version(['h2load', '--version'])}; {version(['openssl', 'version'])}; "
              f"dotnet {version(['dotnet', '--version'])}.", ""]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out")
    ap.add_argument("--only", help="comma-separated server names to run (default all)")
    args = ap.parse_args()
    seconds = 2 if args.quick else args.seconds
    ensure_tools()
    for project in ("bench/SharpTls.Benchmarks", "src/SharpTls.Cli"):
        run(["dotnet", "build", os.path.join(ROOT, project), "-c", "Release", "-nologo", "-v", "quiet"])
    ws = Workspace()
    load_before = " ".join(open("/proc/loadavg").read().split()[:3])
    servers = [lambda: StaticApp(ws, "sharptls"), lambda: StaticApp(ws, "sslstream"), lambda: Serve(ws), lambda: Nginx(ws)]
    results = {}
    try:
        for make in servers:
            server = make()
            if args.only and server.name not in args.only.split(","):
                server.log.close()
                continue
            print(f"{server.name} on port {server.port}", flush=True)
            server.start()
            try:
                results[server.name] = measure(server, seconds, ws)
            finally:
                server.stop()
    finally:
        load_after = " ".join(open("/proc/loadavg").read().split()[:3])
    text = report(results, seconds, load_before, load_after)
    out = args.out or (None if args.quick else os.path.join(ROOT, "bench", "HOST.md"))
    if out:
        with open(out, "w") as f:
            f.write(text)
        print(f"wrote {out}")
    else:
        print(text)
    shutil.rmtree(ws.dir, ignore_errors=True)


if __name__ == "__main__":
    main()
