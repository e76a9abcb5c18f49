using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SharpTls.Benchmarks.Harness;

/// <summary>One server under test: how to start it on 127.0.0.1 with a given certificate.</summary>
internal abstract class ServerUnderTest
{
    public abstract string Name { get; }

    /// <summary>TLS 1.2 is measured (false: the row says "n/a (TLS 1.2 not offered)" instead of a number).</summary>
    public virtual bool Tls12 => true;

    /// <summary>Serves many connections at once (openssl s_server serves one at a time).</summary>
    public virtual bool Concurrent => true;

    /// <summary>Closes after each response (HTTP/1.0): bulk is measured per connection, the handshake subtracted.</summary>
    public virtual bool CloseAfterResponse => false;

    /// <summary>The sections this server is measured in (null: all).</summary>
    public virtual IReadOnlySet<Section>? Sections => null;

    /// <summary>Whether the server runs with this certificate configuration (the host's demo has its own ECDSA certificates).</summary>
    public virtual bool Serves(CertKind cert) => true;

    /// <summary>Answers GET /1k with the bench's files (the `sharptls` command serves its own pages).</summary>
    public virtual bool ServesBenchFiles => true;

    /// <summary>False for a server without TLS (a plain-HTTP floor): nothing to warm up with handshakes.</summary>
    public virtual bool Tls => true;

    /// <summary>False for a row this server has no meaningful figure for (within its <see cref="Sections"/>).</summary>
    public virtual bool Runs(Scenario scenario) => true;

    public abstract RunningServer Start(Workspace ws, CertKind cert, TextWriter log);

    /// <summary>The software version printed in RESULTS.md.</summary>
    public abstract string Version();

    protected static RunningServer Launch(string name, string file, IEnumerable<string> args, string workDir, TextWriter log, int port, Func<Process, int>? measuredPid = null,
        IReadOnlyDictionary<string, string>? env = null, TimeSpan? startTimeout = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env is not null)
            foreach (var (k, v) in env) psi.Environment[k] = v;
        var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var output = new System.Text.StringBuilder();
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var server = new RunningServer(name, p, new IPEndPoint(IPAddress.Loopback, port), output);
        server.WaitListening(startTimeout ?? TimeSpan.FromSeconds(30));
        server.MeasuredPid = measuredPid?.Invoke(p) ?? p.Id;
        log.WriteLine($"  started {name}: pid {p.Id} (measured pid {server.MeasuredPid}) on {server.EndPoint}");
        return server;
    }

    protected static string FirstLine(string file, params string[] args)
    {
        try
        {
            var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in args) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            string text = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
            p.WaitForExit();
            return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? "?";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "not installed";
        }
    }

    /// <summary>The CA whose client certificates the server asks for (optionally), when the configuration asks for one.</summary>
    protected static string[] ClientCa(Workspace ws, CertKind cert) => cert == CertKind.RsaClientAuth ? [ws.CaPem] : [];

    /// <summary>How this bench process starts itself in a server mode.</summary>
    protected static (string File, List<string> Args) Self(params string[] args)
    {
        string dll = typeof(ServerUnderTest).Assembly.Location;
        string apphost = Path.Combine(AppContext.BaseDirectory, "SharpTls.Benchmarks");
        return File.Exists(apphost) ? (apphost, [.. args]) : ("dotnet", [dll, .. args]);
    }
}

/// <summary>A started server: its process, the process whose CPU and memory are read, its endpoint.</summary>
internal sealed class RunningServer(string name, Process process, IPEndPoint endPoint, System.Text.StringBuilder output) : IDisposable
{
    public string Name { get; } = name;
    public Process Process { get; } = process;
    public IPEndPoint EndPoint { get; } = endPoint;
    public int MeasuredPid { get; set; }

    /// <summary>The same server's plain-HTTP port (no TLS), for the plain-TCP row; null when the server has none.</summary>
    public IPEndPoint? PlainEndPoint { get; private set; }

    /// <summary>Records the plain-HTTP port once it accepts connections.</summary>
    public void ListensPlainOn(int port, TimeSpan timeout)
    {
        var endPoint = new IPEndPoint(IPAddress.Loopback, port);
        WaitListening(endPoint, timeout);
        PlainEndPoint = endPoint;
    }

    public string Output { get { lock (output) return output.ToString(); } }

    /// <summary>A .NET server of this bench: it runs a full collection when asked (<see cref="Servers.CollectOnRequest"/>).</summary>
    public bool Collects { get; set; }

    /// <summary>A .NET server without the "gc" command (the `sharptls` command): collected through its diagnostics port.</summary>
    public bool InducedGc { get; set; }

    /// <summary>Asks a .NET server for a full, compacting collection; returns its managed heap bytes (null: not a .NET server).</summary>
    public long? Collect(TimeSpan timeout)
    {
        if (InducedGc) return Harness.InducedGc.Collect(MeasuredPid, timeout);
        if (!Collects) return null;
        int before = Answers().Count;
        Process.StandardInput.WriteLine("gc");
        Process.StandardInput.Flush();
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            var answers = Answers();
            if (answers.Count > before) return answers[^1];
            Thread.Sleep(20);
        }
        throw new TimeoutException($"{Name} did not answer the gc request within {timeout.TotalSeconds} s");
    }

    private List<long> Answers() => Output.Split('\n')
        .Where(l => l.StartsWith("gc ", StringComparison.Ordinal))
        .Select(l => long.Parse(l[3..].Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToList();

    public void WaitListening(TimeSpan timeout) => WaitListening(EndPoint, timeout);

    private void WaitListening(IPEndPoint endPoint, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            if (Process.HasExited)
                throw new InvalidOperationException($"{Name} exited with {Process.ExitCode} before listening:\n{Output}");
            try
            {
                using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                s.Connect(endPoint);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        throw new TimeoutException($"{Name} did not listen on {endPoint} within {timeout.TotalSeconds} s:\n{Output}");
    }

    public void Dispose()
    {
        try
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException) { }
        Process.Dispose();
    }
}

/// <summary>
/// A server mode of this bench program (`serve MODE PORT CERT KEY WWW [CLIENT_CA] [--plain PORT]`), started as its own
/// process; with `--plain` it also serves the same files over plain HTTP on a second port (the plain-TCP row).
/// </summary>
internal abstract class SelfHostedUnderTest(string mode, bool plainPort = true) : ServerUnderTest
{
    public override RunningServer Start(Workspace ws, CertKind cert, TextWriter log)
    {
        int port = Workspace.FreePort();
        int plain = plainPort ? Workspace.FreePort() : 0;
        string[] plainArgs = plainPort ? ["--plain", plain.ToString()] : [];
        var (file, args) = Self(["serve", mode, port.ToString(), ws.CertPem(cert), ws.KeyPem(cert), ws.Www, .. ClientCa(ws, cert), .. plainArgs]);
        var running = Launch(Name, file, args, ws.Root, log, port);
        running.Collects = true;
        if (plainPort) running.ListensPlainOn(plain, TimeSpan.FromSeconds(10));
        return running;
    }
}

internal sealed class SharpTlsUnderTest() : SelfHostedUnderTest("sharptls")
{
    public override string Name => "SharpTls";
    public override string Version() => $"SharpTls {typeof(TlsConnection).Assembly.GetName().Version} (this tree), .NET {Environment.Version}";
}

internal sealed class KestrelUnderTest() : SelfHostedUnderTest("kestrel")
{
    public override string Name => "Kestrel+SslStream";
    public override string Version() => $"Kestrel (ASP.NET Core {typeof(Microsoft.AspNetCore.Builder.WebApplication).Assembly.GetName().Version}), SslStream over {Ssl.Version}";
}

/// <summary>
/// The same Kestrel app over plain HTTP: measured only as "TCP connected, no bytes", which for it is an idle connection
/// waiting for its request. The floor under the Kestrel-based TLS servers' idle figures (the host's TLS share is its idle
/// TLS connection minus this).
/// </summary>
internal sealed class KestrelPlainUnderTest() : SelfHostedUnderTest("kestrel-plain", plainPort: false)
{
    public override string Name => "Kestrel (plain HTTP)";
    public override string Version() => $"Kestrel (ASP.NET Core {typeof(Microsoft.AspNetCore.Builder.WebApplication).Assembly.GetName().Version}), no TLS";
    public override IReadOnlySet<Section>? Sections { get; } = new HashSet<Section> { Section.Stall };
    public override bool Serves(CertKind cert) => cert == CertKind.Ecdsa;
    public override bool Runs(Scenario scenario) => scenario.Stall == StallKind.NoBytes;
    public override bool Tls => false;
}

internal sealed class NginxUnderTest : ServerUnderTest
{
    public override string Name => "nginx";
    public override string Version() => FirstLine(Prerequisites.Find("nginx") ?? "nginx", "-V").Replace("nginx version: ", "") + " (1 worker, " + Ssl.Version + ")";

    public override RunningServer Start(Workspace ws, CertKind cert, TextWriter log)
    {
        int port = Workspace.FreePort(), plainPort = Workspace.FreePort();
        string dir = Path.Combine(ws.Root, $"nginx-{cert}");
        Directory.CreateDirectory(Path.Combine(dir, "tmp"));
        string conf = Path.Combine(dir, "nginx.conf");
        string user = Environment.UserName;
        // The `user` directive matters only when started as root (workers would run as nobody and
        // could not read the temp dir); otherwise nginx runs entirely as the current user.
        string userLine = Environment.IsPrivilegedProcess ? $"user {user};" : "";
        File.WriteAllText(conf, $$"""
            {{userLine}}
            worker_processes 1;
            worker_rlimit_nofile 12000;
            daemon off;
            master_process on;
            pid {{dir}}/nginx.pid;
            error_log {{dir}}/error.log warn;
            events { worker_connections 11000; multi_accept on; }
            http {
                access_log off;
                client_body_temp_path {{dir}}/tmp/body;
                proxy_temp_path {{dir}}/tmp/proxy;
                fastcgi_temp_path {{dir}}/tmp/fastcgi;
                uwsgi_temp_path {{dir}}/tmp/uwsgi;
                scgi_temp_path {{dir}}/tmp/scgi;
                keepalive_timeout 600s;
                keepalive_requests 1000000;
                client_header_timeout 600s;
                sendfile off;
                default_type application/octet-stream;
                server {
                    listen 127.0.0.1:{{port}} ssl;
                    ssl_certificate {{ws.CertPem(cert)}};
                    ssl_certificate_key {{ws.KeyPem(cert)}};
                    ssl_protocols TLSv1.2 TLSv1.3;
                    ssl_ciphers ECDHE+AESGCM:ECDHE+CHACHA20;
                    ssl_ecdh_curve X25519:prime256v1;
                    ssl_session_cache shared:bench:10m;
                    ssl_session_tickets on;
                    {{(cert == CertKind.RsaClientAuth ? $"ssl_verify_client optional; ssl_client_certificate {ws.CaPem}; ssl_verify_depth 2;" : "")}}
                    location / { root {{ws.Www}}; }
                }
                # The plain-TCP row: the same files over plain HTTP, same worker.
                server {
                    listen 127.0.0.1:{{plainPort}};
                    location / { root {{ws.Www}}; }
                }
            }
            """);
        var running = Launch(Name, Prerequisites.Find("nginx")!, ["-p", dir, "-c", conf, "-e", Path.Combine(dir, "error.log")], dir, log, port, WorkerPid);
        running.ListensPlainOn(plainPort, TimeSpan.FromSeconds(10));
        return running;
    }

    /// <summary>The one worker (a child of the master): it does all the TLS work.</summary>
    private static int WorkerPid(Process master)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(10))
        {
            foreach (var dir in Directory.GetDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
                try
                {
                    string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    if (int.Parse(fields[1]) == master.Id) return pid;
                }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
            Thread.Sleep(50);
        }
        throw new InvalidOperationException("nginx started no worker process");
    }
}

internal sealed class OpenSslUnderTest : ServerUnderTest
{
    public override string Name => "openssl s_server";
    public override bool Concurrent => false;
    public override bool CloseAfterResponse => true;
    public override string Version() => FirstLine("openssl", "version");

    public override RunningServer Start(Workspace ws, CertKind cert, TextWriter log)
    {
        int port = Workspace.FreePort();
        // -WWW serves files from the working directory as HTTP/1.0 and closes after each response.
        return Launch(Name, Prerequisites.Find("openssl")!,
            ["s_server", "-accept", $"127.0.0.1:{port}", "-cert", ws.CertPem(cert), "-key", ws.KeyPem(cert), "-WWW", "-quiet", "-naccept", "100000000",
                .. (cert == CertKind.RsaClientAuth ? new[] { "-verify", "2", "-CAfile", ws.CaPem } : [])],
            ws.Www, log, port);
    }
}
