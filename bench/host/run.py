#!/usr/bin/env python3
"""The host rows of issue 11, side by side in one run.

Servers (each alone on 127.0.0.1, one after the other, all serving the same folder of static files over TLS 1.3
with one ECDSA P-256 certificate):
  Kestrel+SharpTls   the bench's static-file Kestrel app with ListenOptions.UseSharpTls (the host library)
  Kestrel+SslStream  the same app with Kestrel's UseHttps (SslStream over the system OpenSSL)
  sharptls serve     the product: a site from --config and an ipport SSL binding, with serve's default logging
  nginx              Debian's nginx, access log off, keepalive_requests raised (as Kestrel has no such limit), its
                     default session tickets (Kestrel's servers issue tickets too, and wrk resumes with each of them)
Clients: wrk (HTTP/1.1) and h2load (HTTP/2), on the same machine.
  (a) new TLS connection per request: wrk -H 'Connection: close' (wrk reconnects with a full handshake each time)
  (b) HTTP/1.1 keep-alive: wrk
  (c) HTTP/2, 100 concurrent streams: h2load -m 100
Measured: requests per second of server CPU (utime+stime from /proc, nginx's master and workers summed) and
p50/p99 latency as the client reports it. The machine may be shared, so every server runs at once and the cells are
interleaved: each (scenario, file) is measured in --rounds rounds, each round giving every server --seconds in turn,
and the sums are reported (load that comes and goes hits all servers alike). Before a scenario is measured, each .NET
server runs its load until the JIT has settled (fewer than 20 methods compiled in 3 s, counted in the runtime's perf
map): tiered compilation on a busy machine takes tens of seconds, and a short warm-up measured the JIT, not the server.

TLS 1.2 rows (d)-(i): full ECDHE-ECDSA and RSA key-transport handshakes and resumption by session ID and by ticket with
`openssl s_time` (one sequential client; HTTP/1.0, the server closes), keep-alive with AES-128-GCM and CBC with wrk; the
clients are pinned to TLS 1.2 and one suite by an OPENSSL_CONF file. (e) runs a second instance of each server with an
RSA-2048 certificate.

  python3 bench/host/run.py [--seconds 3] [--rounds 3] [--quick] [--out FILE] [--scenarios a,b,...] [--only SERVERS]
                            [--warm-cap SECONDS] [--before OLD/SharpTls.Benchmarks.dll]
      (default FILE: bench/HOST.md; --quick: 1 round, stdout; --before: that build's Kestrel+SharpTls runs beside this one)
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


def stop(proc, log):
    """Ends a server this script started (SIGTERM, then SIGKILL after 15 s) and closes its log."""
    if proc and proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    log.close()


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
        # The TLS 1.2 RSA key-transport row needs an RSA certificate (the CA stays ECDSA: a signature the client never checks).
        run(["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{d}/rsa.key", "-out", f"{d}/rsa.csr", "-subj", "/CN=localhost"])
        run(["openssl", "x509", "-req", "-in", f"{d}/rsa.csr", "-CA", f"{d}/ca.pem", "-CAkey", f"{d}/ca.key", "-CAcreateserial",
             "-out", f"{d}/rsa.pem", "-days", "2", "-extfile", f"{d}/ext.cnf"])
        self.rsa_cert, self.rsa_key = f"{d}/rsa.pem", f"{d}/rsa.key"
        run(["openssl", "pkcs12", "-export", "-in", self.rsa_cert, "-inkey", self.rsa_key, "-out", f"{d}/rsa.pfx", "-passout", "pass:bench"])
        self.rsa_pfx = f"{d}/rsa.pfx"
        # TLS 1.2 client settings for wrk and s_time (both read OpenSSL's configuration; h2load sets its own versions).
        for name, cipher, tickets in (("tls12-gcm", "ECDHE-ECDSA-AES128-GCM-SHA256", True), ("tls12-cbc", "ECDHE-ECDSA-AES128-SHA256", True),
                                      ("tls12-rsa", "AES128-GCM-SHA256", True), ("tls12-id", "ECDHE-ECDSA-AES128-GCM-SHA256", False)):
            with open(f"{d}/{name}.cnf", "w") as f:
                f.write("openssl_conf = default_conf\n[default_conf]\nssl_conf = ssl_sect\n[ssl_sect]\nsystem_default = tls12\n[tls12]\n"
                        f"MinProtocol = TLSv1.2\nMaxProtocol = TLSv1.2\nCipherString = {cipher}\n" + ("" if tickets else "Options = -SessionTicket\n"))

    def tls12_env(self, name):
        return {**os.environ, "OPENSSL_CONF": os.path.join(self.dir, f"{name}.cnf")}


SUFFIX = {"": "", "rsa": " (RSA)", "tls12": " (TLS 1.2 only)"}


class Server:
    name = ""
    # "rsa": serves the RSA certificate (the TLS 1.2 RSA key-transport row) instead of the ECDSA one; "tls12": restricted to
    # TLS 1.2 on the server's side (the HTTP/2 over TLS 1.2 row: h2load ignores OPENSSL_CONF, so the client cannot be pinned)
    variant = ""

    @property
    def rsa(self):
        return self.variant == "rsa"

    def __init__(self, ws):
        self.ws = ws
        if self.variant:
            self.name = self.column + SUFFIX[self.variant]
        self.port = free_port()
        self.proc = None
        self.log = open(os.path.join(ws.dir, f"{self.slug}.log"), "w")

    def dotnet_env(self, env=None):
        """The runtime writes a perf map (one line per compiled method) into the workspace: how the warm-up knows the JIT has settled."""
        return {**(env or os.environ), "DOTNET_PerfMapEnabled": "3", "DOTNET_PerfMapJitDumpPath": self.ws.dir}

    def jitted(self):
        """Methods compiled so far (0 for a native server)."""
        path = os.path.join(self.ws.dir, f"perf-{self.proc.pid}.map")
        if not os.path.exists(path):
            return 0
        with open(path, "rb") as f:
            return sum(1 for _ in f)

    @property
    def column(self):
        """The report's column: the RSA instance of a server is reported in its server's column."""
        if isinstance(type(self).name, str) and type(self).name:
            return type(self).name
        for suffix in SUFFIX.values():
            if suffix and self.name.endswith(suffix):
                return self.name[:-len(suffix)]
        return self.name

    def cert_key(self):
        return (self.ws.rsa_cert, self.ws.rsa_key) if self.rsa else (self.ws.cert, self.ws.key)

    @property
    def slug(self):
        return re.sub(r"[^a-z0-9]+", "-", self.name.lower())

    def measured_pids(self):
        return [self.proc.pid]

    def stop(self):
        stop(self.proc, self.log)


class StaticApp(Server):
    def __init__(self, ws, tls, variant="", dll=None):
        self.tls = tls
        self.variant = variant
        self.dll = dll or BENCH_DLL  # --before: the same app built from an earlier tree, measured beside this one
        self.name = self.column
        super().__init__(ws)

    @property
    def column(self):
        return ("Kestrel+SharpTls" if self.tls == "sharptls" else "Kestrel+SslStream") + (" (before)" if self.dll != BENCH_DLL else "")

    def start(self):
        extra = ["tls12"] if self.variant == "tls12" else []
        self.proc = subprocess.Popen(["dotnet", self.dll, "static", self.tls, str(self.port), *self.cert_key(), self.ws.www, *extra],
                                     env=self.dotnet_env(), stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        wait_listening(self.port, self.proc)


class Serve(Server):
    name = "sharptls serve"

    def __init__(self, ws, variant=""):
        self.variant = variant
        super().__init__(ws)

    def start(self):
        home = os.path.join(self.ws.dir, f"{self.slug}-home")
        os.makedirs(home, exist_ok=True)
        env = {**os.environ, "HOME": home, "SHARPTLS_HOME": os.path.join(home, "data"), "SHARPTLS_PFX_PASSWORD": "bench"}
        imported = run(["dotnet", CLI_DLL, "cert", "import", self.ws.rsa_pfx if self.rsa else self.ws.pfx], env=env)
        thumb = re.search(r"\b[0-9A-F]{40}\b", imported).group(0)
        run(["dotnet", CLI_DLL, "http", "add", "sslcert", f"ipport=127.0.0.1:{self.port}", f"certhash={thumb}", f"appid={APPID}",
             *(["disabletls13=enable"] if self.variant == "tls12" else [])], env=env)
        config = os.path.join(self.ws.dir, f"{self.slug}.json")
        with open(config, "w") as f:
            f.write('{ "SharpTls": { "Sites": [ { "Name": "bench", "Bindings": [ "https/127.0.0.1:%d:" ], "PhysicalPath": "%s" } ] } }\n'
                    % (self.port, self.ws.www))
        self.proc = subprocess.Popen(["dotnet", CLI_DLL, "serve", "--config", config], env=self.dotnet_env(env),
                                     stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=self.ws.dir)
        wait_listening(self.port, self.proc)


class Nginx(Server):
    name = "nginx"
    access_log = "access_log off;"  # bench/host/listen.py turns it on

    def __init__(self, ws, variant=""):
        self.variant = variant
        super().__init__(ws)

    def start(self):
        d = os.path.join(self.ws.dir, self.slug)
        os.makedirs(d, exist_ok=True)
        conf = os.path.join(d, "nginx.conf")
        with open(conf, "w") as f:
            f.write(f"""worker_processes auto;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
daemon off;
events {{ worker_connections 4096; }}
http {{
  {self.access_log}
  sendfile on;
  keepalive_requests 1000000;
  keepalive_timeout 130s;
  default_type application/octet-stream;
  client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fastcgi; uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;
  server {{
    listen 127.0.0.1:{self.port} ssl http2;
    ssl_certificate {self.cert_key()[0]};
    ssl_certificate_key {self.cert_key()[1]};
    ssl_protocols {"TLSv1.2" if self.variant == "tls12" else "TLSv1.2 TLSv1.3"};
    ssl_session_cache shared:hostbench:10m;
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


def wrk(url, seconds, close, env=None):
    args = ["wrk", "-t1", "-c16", f"-d{seconds}s", "--latency", url]
    if close:
        args[1:1] = ["-H", "Connection: close"]
    out = run(args, env=env, timeout=seconds + 60)
    if not re.search(r"(\d+) requests in", out) or not re.search(r"^\s+50%\s+(\S+)", out, re.M):
        print(f"wrk output not understood:\n{out}", flush=True)
        return 0, 1, float("nan"), float("nan")
    done = int(re.search(r"(\d+) requests in", out).group(1))
    errors = 0
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(x) for x in m.groups())
    p50 = to_ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))  # anchored: "37.50%" in the thread stats is not it
    if p50 != p50:
        print(f"wrk latency not understood:\n{out}", flush=True)
    p99 = to_ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    return done, errors, p50, p99


def h2load(url, seconds, log, protocol="TLSv1.3"):
    if os.path.exists(log):
        os.remove(log)
    # TLS 1.2 (the servers restricted to it): one suite for all, as wrk's TLS 1.2 rows pin theirs.
    ciphers = ["--ciphers=ECDHE-ECDSA-AES128-GCM-SHA256"] if protocol == "TLSv1.2" else []
    out = run(["h2load", "-c4", "-m100", "-D", str(seconds), f"--log-file={log}", *ciphers, url], timeout=seconds + 60)
    if f"TLS Protocol: {protocol}" not in out:
        sys.exit(f"h2load did not negotiate {protocol}:\n{out}")
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


def s_time(port, path, seconds, reuse, env):
    """TLS 1.2 connections from `openssl s_time` (one process, one connection at a time; HTTP/1.0 GET, the server closes).
    Returns (done, errors, p50, p99, resumed): s_time reports no latency, and with -reuse one character per connection
    says whether it was resumed ('r')."""
    out = run(["openssl", "s_time", "-connect", f"127.0.0.1:{port}", "-reuse" if reuse else "-new", "-time", str(seconds), "-www", path],
              env=env, check=False, timeout=seconds + 60)
    m = re.search(r"(\d+) connections in \d+ real seconds", out)
    if not m:  # refused (no suite in common) or nothing completed
        return 0, 1, float("nan"), float("nan"), 0
    done = int(m.group(1))
    progress = out.split("starting", 1)[-1].split(" connections in ", 1)[0] if reuse else ""
    return done, 0, float("nan"), float("nan"), progress.count("r")


# key, title, files, TLS 1.2 client configuration (None: TLS 1.3), the servers' variant ("rsa": their certificate is RSA;
# "tls12": each server restricted to TLS 1.2 on its side)
SCENARIOS = [
    ("a", "new TLS connection per request (HTTP/1.1, wrk -c16, Connection: close)", list(FILES), None, ""),
    ("b", "HTTP/1.1 keep-alive (wrk -c16)", list(FILES), None, ""),
    ("c", "HTTP/2, 100 concurrent streams (h2load -c4 -m100)", list(FILES), None, ""),
    ("d", "TLS 1.2 full handshake per connection, ECDHE-ECDSA (X25519) AES128-GCM (openssl s_time -new, HTTP/1.0 GET, close)",
     ["1k.bin"], "tls12-gcm", ""),
    ("e", "TLS 1.2 full handshake per connection, RSA key transport AES128-GCM-SHA256, RSA-2048 certificate (openssl s_time -new)",
     ["1k.bin"], "tls12-rsa", "rsa"),
    ("f", "TLS 1.2 resumed by session ID per connection (openssl s_time -reuse, tickets off in the client)", ["1k.bin"], "tls12-id", ""),
    ("g", "TLS 1.2 resumed by ticket per connection (openssl s_time -reuse)", ["1k.bin"], "tls12-gcm", ""),
    ("h", "TLS 1.2 HTTP/1.1 keep-alive, ECDHE-ECDSA-AES128-GCM-SHA256 (wrk -c16)", list(FILES), "tls12-gcm", ""),
    ("i", "TLS 1.2 HTTP/1.1 keep-alive, CBC bulk: ECDHE-ECDSA-AES128-SHA256 (wrk -c16; encrypt_then_mac where the server agrees)",
     list(FILES), "tls12-cbc", ""),
    ("j", "HTTP/2 over TLS 1.2, 100 concurrent streams (h2load -c4 -m100; every server restricted to TLS 1.2 on its side: "
     "ECDHE-ECDSA with X25519, AES-128-GCM)", list(FILES), None, "tls12"),
]
SCENARIO = {sc[0]: sc for sc in SCENARIOS}


def run_load(server, key, name, seconds, ws):
    url = f"https://127.0.0.1:{server.port}/{name}"
    _, _, _, tls12, _ = SCENARIO[key]
    if key in ("c", "j"):
        return (*h2load(url, seconds, os.path.join(ws.dir, "h2load.log"), "TLSv1.2" if key == "j" else "TLSv1.3"), 0)
    if key in ("d", "e", "f", "g"):
        return s_time(server.port, "/" + name, seconds, reuse=key in ("f", "g"), env=ws.tls12_env(tls12))
    return (*wrk(url, seconds, close=(key == "a"), env=ws.tls12_env(tls12) if tls12 else None), 0)


WARM_CHUNK = 3      # seconds of load per warm-up step
WARM_SETTLED = 20   # fewer methods compiled than this in a step: the JIT has settled
WARM_CAP = 120      # seconds at most per server and scenario


def warm(server, key, ws, cap):
    """Runs the scenario's load until the server's JIT has settled; returns the seconds spent."""
    spent = 0
    while spent < cap:
        before = server.jitted()
        for name in SCENARIO[key][2]:
            run_load(server, key, name, WARM_CHUNK, ws)
            spent += WARM_CHUNK
        if server.jitted() - before < WARM_SETTLED:
            break
    return spent


def measure_cell(server, key, name, seconds, ws):
    jit0, cpu0 = server.jitted(), cpu_seconds(server.measured_pids())
    done, errors, p50, p99, resumed = run_load(server, key, name, seconds, ws)
    cpu = cpu_seconds(server.measured_pids()) - cpu0
    return {"requests": done, "errors": errors, "cpu": cpu, "p50": p50, "p99": p99, "jitted": server.jitted() - jit0, "resumed": resumed}


def combine(cells):
    """The rounds of one cell: requests and CPU summed, latency the median of the rounds' percentiles."""
    total = {k: sum(c[k] for c in cells) for k in ("requests", "errors", "cpu", "jitted", "resumed")}
    total["per_cpu"] = total["requests"] / total["cpu"] if total["cpu"] > 0 else 0
    total["p50"] = statistics.median(c["p50"] for c in cells)
    total["p99"] = statistics.median(c["p99"] for c in cells)
    return total


def measure_all(all_servers, seconds, rounds, ws, warm_cap, only_keys=None):
    """Every scenario: warm each server up, then interleave the rounds (server order rotated each round). Cells are
    reported under the server's column (an RSA instance under its server's)."""
    cells = {s.column: {} for s in all_servers}
    warmed = {s.column: {} for s in all_servers}
    for key, _, files, _, variant in SCENARIOS:
        if only_keys and key not in only_keys:
            continue
        servers = [s for s in all_servers if s.variant == variant]
        for server in servers:
            warmed[server.column][key] = warm(server, key, ws, warm_cap)
            print(f"  {server.name:18} {key} warm-up {warmed[server.column][key]} s", flush=True)
        for name in files:
            for r in range(rounds):
                for server in servers[r % len(servers):] + servers[:r % len(servers)]:
                    c = measure_cell(server, key, name, seconds, ws)
                    cells[server.column].setdefault((key, name), []).append(c)
                    per_cpu = c["requests"] / c["cpu"] if c["cpu"] > 0 else 0
                    print(f"  {server.name:18} {key} {name:9} round {r + 1}: {c['requests']:8} req  {c['cpu']:6.2f} CPU-s  {per_cpu:9.0f} req/CPU-s"
                          f"  p50 {c['p50']:7.2f} ms  p99 {c['p99']:7.2f} ms  errors {c['errors']}  resumed {c['resumed']}  jitted {c['jitted']}", flush=True)
    results = {n: {cell: combine(v) for cell, v in per.items()} for n, per in cells.items()}
    return results, warmed


def version(cmd):
    try:
        out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout.strip().splitlines()
        return out[0] if out else "?"
    except OSError:
        return "not installed"


def report(all_results, warmed, seconds, rounds, load_before, load_after):
    names = [s for s in all_results]
    before = int("Kestrel+SharpTls (before)" in names)
    lines = ["# Host benchmark: Kestrel+SharpTls against Kestrel+SslStream and nginx (issue 11)", "",
             f"One side-by-side run, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, `python3 bench/host/run.py`: every server running at once,",
             f"each cell measured in {rounds} interleaved round(s) of {seconds} s per server (sums reported), after a warm-up that ran each",
             "scenario's load until the server's JIT had settled (the methods compiled during the measured cells are listed under each table).",
             f"Load average before / after: {load_before} / {load_after}. The machine (2 cores) was shared with other work while this ran:",
             "absolute numbers are noisy; the ratios, taken in the same run, are what to read. Clients and server share the cores.", "",
             "Every server serves the same two random files over TLS 1.3 (X25519, ECDSA P-256 certificate, TLS_AES_128_GCM_SHA256 with",
             "OpenSSL 3.0's clients). **req/CPU-s** = requests completed per second of server CPU (user+system, from /proc; nginx's",
             "master and workers summed); p50/p99 = the client's latency percentiles (wrk --latency; h2load's per-request log).", "",
             "| server | what runs |", "| --- | --- |",
             "| Kestrel+SharpTls | the bench's static-file Kestrel app with `ListenOptions.UseSharpTls` (no logging providers) |",
             "| Kestrel+SslStream | the same app with `UseHttps` (SslStream over OpenSSL 3.0) |",
             "| sharptls serve | the product: `serve --config` with a static site and an `ipport` SSL binding, its default logging |",
             "| nginx | Debian's nginx, `worker_processes auto`, access log off, its default session tickets, a shared session cache (for TLS 1.2 session IDs; its default is none), `keepalive_requests 1000000` |",
             "",
             "wrk keeps the TLS session of a connection for the next one (SSL_clear keeps it), so in (a) every server resumes by ticket",
             "(TLS 1.3 psk_dhe_ke: an X25519 exchange, no signature) after each connection's first handshake.", "",
             "TLS 1.2 rows (d)-(i): the clients read an OpenSSL configuration (`OPENSSL_CONF`) that pins TLS 1.2 and one cipher suite",
             "(and, for (f), turns tickets off so only the session ID can resume). `openssl s_time` is one sequential client, so its",
             "rows leave most of a core idle; s_time reports no latency. Each server keeps its own default cipher list: a cell",
             "without a figure is a suite that server refuses. (e) runs a second instance of each server with an RSA-2048 certificate.", "",
             "(j), HTTP/2 over TLS 1.2: h2load ignores OPENSSL_CONF, so the servers are restricted instead, each by the setting its",
             "operator would use: Kestrel+SharpTls `TlsServerOptions.Versions = Tls12`, Kestrel+SslStream `SslProtocols = Tls12`, sharptls",
             "serve its binding's `disabletls13=enable`, nginx `ssl_protocols TLSv1.2` (a second instance of each); h2load is pinned to",
             "ECDHE-ECDSA-AES128-GCM-SHA256 with `--ciphers`, and a cell fails unless h2load reports TLSv1.2.",
             ""]
    for key, title, files, _, _ in SCENARIOS:
        if not any((key, f) in all_results[n] for n in names for f in files):
            continue
        lines += [f"## ({key}) {title}", "",
                  "| file | " + " | ".join(f"{n} req/CPU-s" for n in names) + " | SharpTls / SslStream | SharpTls / nginx | serve / SslStream | "
                  + ("SharpTls / before | " if before else "") + " | ".join(f"{n} p50 / p99 ms" for n in names) + " |",
                  "| --- |" + " ---: |" * (len(names) * 2 + 3 + before)]
        for f in files:
            r = {n: all_results[n][(key, f)] for n in names if (key, f) in all_results[n]}

            def ratio(a, b):
                return f"{r[a]['per_cpu'] / r[b]['per_cpu']:.2f}×" if a in r and b in r and r[a]["requests"] and r[b]["per_cpu"] > 0 else "n/a"

            def cell(n):
                if n not in r:
                    return "not run"
                if r[n]["requests"] == 0:
                    return "refused or failed"
                text = f"{r[n]['per_cpu']:,.0f}" + (f" ({r[n]['errors']} errors)" if r[n]["errors"] else "")
                if key in ("f", "g"):
                    text += f" ({r[n]['resumed']:,} of {r[n]['requests']:,} resumed)"
                return text
            cells = [cell(n) for n in names]
            lat = [f"{r[n]['p50']:.2f} / {r[n]['p99']:.2f}" if n in r and r[n]["p50"] == r[n]["p50"] else "-" for n in names]
            lines.append(f"| {f} | " + " | ".join(cells) + f" | {ratio('Kestrel+SharpTls', 'Kestrel+SslStream')} | {ratio('Kestrel+SharpTls', 'nginx')}"
                         f" | {ratio('sharptls serve', 'Kestrel+SslStream')} | " + (f"{ratio('Kestrel+SharpTls', 'Kestrel+SharpTls (before)')} | " if before else "")
                         + " | ".join(lat) + " |")
        lines.append("")
        lines.append("Methods compiled during the measured cells: " + ", ".join(
            f"{n} {sum(all_results[n][(key, f)]['jitted'] for f in files if (key, f) in all_results[n])} (warm-up {warmed[n].get(key, 0)} s)" for n in names) + ".")
        lines.append("")
    lines += ["Goals (issue 11): (a) ≥ 2× Kestrel+SslStream, (b) and (c) ≥ 1.2× Kestrel+SslStream, all ≥ 1.0× nginx per CPU-second;",
              "the TLS 1.2 rows with the same goals (new connection and resumption as (a), keep-alive as (b)).", "",
              f"Versions: {version(['nginx', '-v'])}; {version(['wrk', '-v'])}; {version(['h2load', '--version'])}; {version(['openssl', 'version'])}; "
              f"dotnet {version(['dotnet', '--version'])}.", ""]
    return "\n".join(lines)


KEEP_MARKER = "<!-- written by hand: bench/host/run.py keeps what follows -->"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=3)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out")
    ap.add_argument("--only", help="comma-separated server names to run (default all)")
    ap.add_argument("--scenarios", help="comma-separated scenario keys a-i (default all)")
    ap.add_argument("--warm-cap", type=int, default=WARM_CAP, help="seconds of warm-up at most per server and scenario")
    ap.add_argument("--before", help="SharpTls.Benchmarks.dll of an earlier build: its Kestrel+SharpTls runs beside this tree's")
    args = ap.parse_args()
    seconds, rounds, warm_cap = (2, 1, 30) if args.quick else (args.seconds, args.rounds, args.warm_cap)
    ensure_tools()
    for project in ("bench/SharpTls.Benchmarks", "src/SharpTls.Cli"):
        run(["dotnet", "build", os.path.join(ROOT, project), "-c", "Release", "-nologo", "-v", "quiet"])
    ws = Workspace()
    keys = args.scenarios.split(",") if args.scenarios else [sc[0] for sc in SCENARIOS]
    makers = [lambda: StaticApp(ws, "sharptls"), lambda: StaticApp(ws, "sslstream"), lambda: Serve(ws), lambda: Nginx(ws)]
    if args.before:
        makers.insert(1, lambda: StaticApp(ws, "sharptls", dll=os.path.abspath(args.before)))
    if "e" in keys:  # the RSA key-transport row: the same servers with the RSA certificate
        makers += [lambda: StaticApp(ws, "sharptls", variant="rsa"), lambda: StaticApp(ws, "sslstream", variant="rsa"),
                   lambda: Serve(ws, variant="rsa"), lambda: Nginx(ws, variant="rsa")]
    if "j" in keys:  # HTTP/2 over TLS 1.2: the same servers restricted to TLS 1.2 on their side
        makers += [lambda: StaticApp(ws, "sharptls", variant="tls12"), lambda: StaticApp(ws, "sslstream", variant="tls12"),
                   lambda: Serve(ws, variant="tls12"), lambda: Nginx(ws, variant="tls12")]  # (no --before instance: a build older than the row has no `tls12` switch)
    servers = []
    try:
        for make in makers:
            server = make()
            if args.only and server.column not in args.only.split(","):
                server.log.close()
                continue
            print(f"{server.name} on port {server.port}", flush=True)
            server.start()
            servers.append(server)
        load_before = " ".join(open("/proc/loadavg").read().split()[:3])
        results, warmed = measure_all(servers, seconds, rounds, ws, warm_cap, keys)
        load_after = " ".join(open("/proc/loadavg").read().split()[:3])
    finally:
        for server in servers:
            server.stop()
    text = report(results, warmed, seconds, rounds, load_before, load_after)
    out = args.out or (None if args.quick else os.path.join(ROOT, "bench", "HOST.md"))
    if out:
        # The hand-written analysis below the marker survives a re-run (the tables above it are replaced).
        if os.path.exists(out):
            with open(out) as f:
                old = f.read()
            if KEEP_MARKER in old:
                text += "\n" + old[old.index(KEEP_MARKER):]
        with open(out, "w") as f:
            f.write(text)
        print(f"wrote {out}")
    else:
        print(text)
    shutil.rmtree(ws.dir, ignore_errors=True)


if __name__ == "__main__":
    main()
