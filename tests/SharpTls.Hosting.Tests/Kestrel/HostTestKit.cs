using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SharpTls.Hosting.Certificates;

namespace SharpTls.Hosting.Tests.Kestrel;

/// <summary>A real peer's run: exit code and output.</summary>
public sealed record PeerResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}

/// <summary>Runs real peers (curl, openssl, browsers); a missing peer fails the test.</summary>
public static class Peer
{
    public static async Task<PeerResult> RunAsync(string file, IEnumerable<string> args, TimeSpan? timeout = null, string? stdin = null, IDictionary<string, string>? env = null,
        string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        if (workingDirectory is not null) psi.WorkingDirectory = workingDirectory;
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null) await p.StandardInput.WriteAsync(stdin);
        p.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
            return new PeerResult(-1, await stdout, await stderr + $"\n[killed after {(timeout ?? TimeSpan.FromSeconds(60)).TotalSeconds} s]");
        }
        return new PeerResult(p.ExitCode, await stdout, await stderr);
    }

    public static Task<PeerResult> CurlAsync(params string[] args) => RunAsync("curl", ["-sS", "--max-time", "20", .. args]);

    /// <summary>Runs curl every 250 ms until <paramref name="done"/> holds or 20 s have passed; returns the last run (the caller asserts on it).</summary>
    public static async Task<PeerResult> CurlUntilAsync(Func<PeerResult, bool> done, params string[] args)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        var result = await CurlAsync(args);
        while (!done(result) && DateTime.UtcNow < until)
        {
            await Task.Delay(250);
            result = await CurlAsync(args);
        }
        return result;
    }

    /// <summary>Runs <paramref name="run"/> every 250 ms until <paramref name="done"/> holds or 20 s have passed; returns the last run (the
    /// caller asserts on it). For a change a running host applies within a second or so.</summary>
    public static async Task<PeerResult> UntilAsync(Func<Task<PeerResult>> run, Func<PeerResult, bool> done)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        var result = await run();
        while (!done(result) && DateTime.UtcNow < until)
        {
            await Task.Delay(250);
            result = await run();
        }
        return result;
    }

    /// <summary>The subject of the certificate a server presents, as openssl prints it ("CN = www.contoso.test").</summary>
    public static async Task<string> ServedSubjectAsync(int port, string? serverName, string caFile)
    {
        var connect = await RunAsync("openssl", ["s_client", "-connect", $"127.0.0.1:{port}", .. serverName is null ? new[] { "-noservername" } : ["-servername", serverName], "-CAfile", caFile], TimeSpan.FromSeconds(20), stdin: "");
        var x509 = await RunAsync("openssl", ["x509", "-noout", "-subject"], TimeSpan.FromSeconds(10), stdin: connect.Stdout);
        Assert.True(x509.ExitCode == 0, $"openssl got no certificate: {connect}");
        return x509.Stdout.Trim();
    }
}

/// <summary>Test certificates on disk: one CA, leaves for names, a client CA and a client certificate.</summary>
public sealed class TestCerts : IDisposable
{
    public TestCerts()
    {
        Directory.CreateDirectory(Dir);
        Ca = CertificateFactory.CreateAuthority("SharpTls Test CA", CertificateKeyKind.Ecdsa, TimeSpan.FromDays(2));
        CaPath = Write("ca.pem", Ca.ExportCertificatePem() + "\n");
        ClientCa = CertificateFactory.CreateAuthority("SharpTls Test Client CA", CertificateKeyKind.Ecdsa, TimeSpan.FromDays(2));
        OtherClientCa = CertificateFactory.CreateAuthority("Some Other CA", CertificateKeyKind.Ecdsa, TimeSpan.FromDays(2));
    }

    public string Dir { get; } = Path.Combine(Path.GetTempPath(), "sharptls-kestrel-tests-" + Guid.NewGuid().ToString("N")[..8]);
    public X509Certificate2 Ca { get; }
    public string CaPath { get; }
    public X509Certificate2 ClientCa { get; }
    public X509Certificate2 OtherClientCa { get; }

    public ServerCertificate Server(params string[] names) => new(CertificateFactory.CreateServer(names, Ca, CertificateKeyKind.Ecdsa, TimeSpan.FromDays(1)));

    /// <summary>A client certificate signed by <paramref name="issuer"/>: (cert.pem, key.pem).</summary>
    public (string Cert, string Key) Client(string commonName, X509Certificate2 issuer)
    {
        var c = CertificateFactory.CreateClient(commonName, issuer, CertificateKeyKind.Ecdsa, TimeSpan.FromDays(1));
        return (Write($"{commonName}.pem", c.ExportCertificatePem() + "\n"), Write($"{commonName}.key", c.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem() + "\n"));
    }

    /// <summary>A certificate signed by <paramref name="issuer"/> whose only extended key usage is <paramref name="ekuOid"/>: (cert.pem, key.pem).</summary>
    public (string Cert, string Key) ClientWithUsage(string commonName, X509Certificate2 issuer, string ekuOid)
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest($"CN={commonName}", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new System.Security.Cryptography.Oid(ekuOid)], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        var now = DateTimeOffset.UtcNow;
        using var c = request.Create(issuer, now.AddMinutes(-5), now.AddDays(1), System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
        return (Write($"{commonName}.pem", c.ExportCertificatePem() + "\n"), Write($"{commonName}.key", key.ExportPkcs8PrivateKeyPem() + "\n"));
    }

    public string Write(string name, string text)
    {
        string path = Path.Combine(Dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Dir, true); } catch (IOException) { }
    }
}

/// <summary>Events captured from a host, with their structured state.</summary>
public sealed class EventLog : ILoggerProvider
{
    public ConcurrentQueue<(EventId Id, LogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, object?>> State)> Events { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose() { }

    public IEnumerable<(EventId Id, LogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, object?>> State)> WithId(int id)
        => Events.Where(e => e.Id.Id == id);

    /// <summary>Waits until an event with <paramref name="id"/> arrives (the server logs after the client has seen the failure).</summary>
    public async Task<(EventId Id, LogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, object?>> State)> WaitForAsync(int id, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (DateTime.UtcNow < until)
        {
            var hit = WithId(id).FirstOrDefault();
            if (hit.Message is not null) return hit;
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException($"no event {id}; events: {string.Join("\n", Events.Select(e => $"{e.Id.Id} {e.Message}"))}");
    }

    private sealed class Logger(EventLog log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => log.Events.Enqueue((eventId, logLevel, formatter(state, exception),
                state as IReadOnlyList<KeyValuePair<string, object?>> ?? []));
    }
}

/// <summary>A Kestrel host on a loopback port, with SharpTls on it.</summary>
public sealed class KestrelHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KestrelHost(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<KestrelHost> StartAsync(SharpTlsConnectionOptions options, Action<WebApplication> map, EventLog? log = null, HttpProtocols protocols = HttpProtocols.Http1AndHttp2)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (log is not null) builder.Logging.AddProvider(log).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddSharpTls();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l =>
        {
            if (protocols != HttpProtocols.Http1AndHttp2) l.Protocols = protocols;
            l.UseSharpTls(options);
        }));
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new KestrelHost(app, new Uri(address).Port);
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
    }
}

/// <summary><c>sharptls serve</c> as a child process, with its output collected.</summary>
public sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output = new();

    private ServeProcess(Process process) => _process = process;

    /// <summary>The server's process id.</summary>
    public int Pid => _process.Id;

    /// <summary>Everything the process wrote so far (stdout and stderr).</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>A free TCP port on loopback.</summary>
    public static int FreePort()
    {
        using var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>Starts <c>sharptls serve</c> and waits until <paramref name="port"/> accepts connections.</summary>
    public static async Task<ServeProcess> StartAsync(string dataDirectory, int port, params string[] args)
    {
        var psi = Cli.StartInfo(dataDirectory, ["serve", .. args]);
        var p = new ServeProcess(Process.Start(psi)!);
        p._process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (p._output) p._output.AppendLine(e.Data); };
        p._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (p._output) p._output.AppendLine(e.Data); };
        p._process.BeginOutputReadLine();
        p._process.BeginErrorReadLine();
        p._process.StandardInput.Close();
        var until = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < until)
        {
            if (p._process.HasExited) throw new Xunit.Sdk.XunitException($"sharptls serve exited with {p._process.ExitCode}:\n{p.Output}");
            if (p.Output.Contains("sharptls serve:"))
            {
                try
                {
                    using var c = new System.Net.Sockets.TcpClient();
                    await c.ConnectAsync(IPAddress.Loopback, port);
                    return p;
                }
                catch (System.Net.Sockets.SocketException) { }
            }
            await Task.Delay(100);
        }
        await p.DisposeAsync();
        throw new Xunit.Sdk.XunitException($"sharptls serve did not listen on {port} within 60 s:\n{p.Output}");
    }

    /// <summary>Waits until the output contains <paramref name="text"/>.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (DateTime.UtcNow < until)
        {
            if (Output.Contains(text)) return;
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException($"no '{text}' in the output of sharptls serve:\n{Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}

/// <summary>Files a test keeps for people to look at: under the repository's TestResults/ (ignored by git).</summary>
public static class TestArtifacts
{
    public static string PathFor(string folder, string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "SharpTls.slnx"))) dir = dir.Parent;
        string path = System.IO.Path.Combine(dir?.FullName ?? AppContext.BaseDirectory, "TestResults", folder);
        Directory.CreateDirectory(path);
        return System.IO.Path.Combine(path, name);
    }
}

/// <summary>An HTTP/1.1 keep-alive connection over .NET's SslStream, for requests before and after a change.</summary>
public sealed class KeptConnection : IDisposable
{
    private readonly TcpClient _tcp;
    private readonly SslStream _tls;
    private readonly string _host;

    private KeptConnection(TcpClient tcp, SslStream tls, string host)
    {
        _tcp = tcp;
        _tls = tls;
        _host = host;
    }

    public static async Task<KeptConnection> OpenAsync(int port, string host, string caFile)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        var ca = X509CertificateLoader.LoadCertificateFromFile(caFile);
        var tls = new SslStream(tcp.GetStream(), false);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = host,
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, CustomTrustStore = { ca }, RevocationMode = X509RevocationMode.NoCheck },
        });
        return new KeptConnection(tcp, tls, host);
    }

    /// <summary>One GET of the text page; returns the response (Content-Length or chunked).</summary>
    public async Task<string> GetAsync()
    {
        await _tls.WriteAsync(Encoding.ASCII.GetBytes($"GET /?format=text HTTP/1.1\r\nHost: {_host}\r\n\r\n"));
        var received = new List<byte>();
        var buffer = new byte[16384];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            string text = Encoding.UTF8.GetString([.. received]);
            int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                var length = text[..end].Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
                if (length is null ? text.EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal) // chunked: the last chunk came
                    : Encoding.UTF8.GetByteCount(text[(end + 4)..]) >= int.Parse(length[15..].Trim(), System.Globalization.CultureInfo.InvariantCulture))
                    return text;
            }
            int n = await _tls.ReadAsync(buffer, cts.Token);
            Assert.True(n > 0, $"the kept connection was closed: {text}");
            received.AddRange(buffer.AsSpan(0, n).ToArray());
        }
    }

    public void Dispose()
    {
        _tls.Dispose();
        _tcp.Dispose();
    }
}
