using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Infrastructure;

/// <summary>Options for <see cref="PythonTls.RunClientAsync"/>.</summary>
public sealed record PythonTlsClientOptions
{
    /// <summary>Server port.</summary>
    public required int Port { get; init; }

    /// <summary>Server address.</summary>
    public string Host { get; init; } = Ports.Loopback;

    /// <summary>server_hostname: SNI (unless an IP) and the name checked.</summary>
    public string ServerName { get; init; } = "localhost";

    /// <summary>load_verify_locations; default the test root.</summary>
    public string? CaFile { get; init; }

    /// <summary>False: CERT_NONE and no hostname check.</summary>
    public bool Verify { get; init; } = true;

    /// <summary>set_alpn_protocols.</summary>
    public IReadOnlyList<string>? Alpn { get; init; }

    /// <summary>minimum_version.</summary>
    public ProtocolVersion? MinVersion { get; init; }

    /// <summary>maximum_version.</summary>
    public ProtocolVersion? MaxVersion { get; init; }

    /// <summary>set_ciphers (TLS 1.2 and below, openssl cipher string).</summary>
    public string? Ciphers { get; init; }

    /// <summary>load_cert_chain (full chain + key).</summary>
    public TestCertificate? ClientCertificate { get; init; }

    /// <summary>keylog_filename.</summary>
    public string? KeyLogFile { get; init; }

    /// <summary>set_ecdh_curve: the only key-exchange group offered (openssl name, "prime256v1").</summary>
    public string? Curve { get; init; }

    /// <summary>Connections made one after another; each after the first offers the previous session (resumption).</summary>
    public int Connections { get; init; } = 1;

    /// <summary>Data sent on each connection. In TLS 1.3 the session ticket is only read with a reply, so resumption needs Send and Expect.</summary>
    public string? Send { get; init; }

    /// <summary>Read until the reply contains this (or the server closes).</summary>
    public string? Expect { get; init; }
}

/// <summary>Options for <see cref="PythonTls.StartServerAsync"/>.</summary>
public sealed record PythonTlsServerOptions
{
    /// <summary>Server certificate (full chain); default <see cref="TestPki.ServerEcdsa"/>.</summary>
    public TestCertificate? Certificate { get; init; }

    /// <summary>set_alpn_protocols.</summary>
    public IReadOnlyList<string>? Alpn { get; init; }

    /// <summary>minimum_version.</summary>
    public ProtocolVersion? MinVersion { get; init; }

    /// <summary>maximum_version.</summary>
    public ProtocolVersion? MaxVersion { get; init; }

    /// <summary>set_ciphers.</summary>
    public string? Ciphers { get; init; }

    /// <summary>Client certificate request (CERT_OPTIONAL / CERT_REQUIRED against the test root).</summary>
    public PeerClientAuth ClientCertificate { get; init; }

    /// <summary>num_tickets (TLS 1.3).</summary>
    public int? NumTickets { get; init; }
}

/// <summary>python3's ssl module as client or echo server; results come back as JSON lines.</summary>
public static class PythonTls
{
    private const string Common = """
import json, socket, ssl, sys
cfg = json.loads(sys.argv[1])
def out(o):
    print(json.dumps(o), flush=True)
def versions(ctx):
    if cfg.get("min"): ctx.minimum_version = getattr(ssl.TLSVersion, cfg["min"])
    if cfg.get("max"): ctx.maximum_version = getattr(ssl.TLSVersion, cfg["max"])
    if cfg.get("ciphers"): ctx.set_ciphers(cfg["ciphers"])
    if cfg.get("alpn"): ctx.set_alpn_protocols(cfg["alpn"])
    if cfg.get("keylog"): ctx.keylog_filename = cfg["keylog"]
def subject(cert):
    names = {"commonName": "CN", "organizationName": "O", "countryName": "C"}
    if not cert: return None
    return ", ".join(names.get(k, k) + "=" + v for rdn in cert.get("subject", ()) for (k, v) in rdn)
def describe(s, r):
    r.update(handshake=True, version=s.version(), cipher=s.cipher()[0], alpn=s.selected_alpn_protocol(),
             session_reused=s.session_reused, peer_subject=subject(s.getpeercert()))
def failure(e, r):
    r.update(handshake=False, error=str(e), reason=getattr(e, "reason", None))
    if isinstance(e, ssl.SSLCertVerificationError):
        r.update(verified=False, verify_error=e.verify_message)

""";

    private const string ClientScript = Common + """
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.load_verify_locations(cfg["cafile"])
if not cfg["verify"]:
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
if cfg.get("cert"): ctx.load_cert_chain(cfg["cert"], cfg["key"])
if cfg.get("curve"): ctx.set_ecdh_curve(cfg["curve"])
versions(ctx)
session = None
for i in range(cfg["connections"]):
    r = {"connection": i + 1}
    try:
        with socket.create_connection((cfg["host"], cfg["port"]), timeout=10) as raw:
            with ctx.wrap_socket(raw, server_hostname=cfg["server_name"], session=session) as s:
                describe(s, r)
                r["verified"] = cfg["verify"]
                data = b""
                if cfg.get("send") is not None:
                    s.sendall(cfg["send"].encode())
                    expect = (cfg.get("expect") or "").encode()
                    while True:
                        chunk = s.recv(65536)
                        if not chunk: break
                        data += chunk
                        if expect and expect in data: break
                r["received"] = data.decode("utf-8", "replace")
                session = s.session
    except (ssl.SSLError, OSError) as e:
        failure(e, r)
    out(r)
""";

    private const string ServerScript = Common + """
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cfg["cert"], cfg["key"])
if cfg.get("client_auth"):
    ctx.verify_mode = ssl.CERT_REQUIRED if cfg["client_auth"] == "require" else ssl.CERT_OPTIONAL
    ctx.load_verify_locations(cfg["cafile"])
if cfg.get("num_tickets") is not None: ctx.num_tickets = cfg["num_tickets"]
versions(ctx)
sni = {}
def on_sni(sslobj, name, c):
    sni["name"] = name
ctx.sni_callback = on_sni
srv = socket.create_server(("127.0.0.1", cfg["port"]))
out({"listening": cfg["port"]})
n = 0
while True:
    conn, _ = srv.accept()
    n += 1
    sni.clear()
    conn.settimeout(10)
    r = {"connection": n}
    try:
        with ctx.wrap_socket(conn, server_side=True) as s:
            describe(s, r)
            r["server_name"] = sni.get("name")
            out(r)
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk: break
                data += chunk
                s.sendall(chunk)
            out({"connection": n, "received": data.decode("utf-8", "replace"), "closed": True})
    except (ssl.SSLError, OSError) as e:
        failure(e, r)
        r["closed"] = True
        out(r)
""";

    private static string? PyVersion(ProtocolVersion? v) => v switch
    {
        null => null,
        ProtocolVersion.Tls13 => "TLSv1_3",
        ProtocolVersion.Tls12 => "TLSv1_2",
        ProtocolVersion.Tls11 => "TLSv1_1",
        ProtocolVersion.Tls10 => "TLSv1",
        _ => throw new ArgumentOutOfRangeException(nameof(v), v, null),
    };

    // The distribution's interpreter starts in a fraction of the time a pyenv shim takes.
    private static string Python => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    private static PeerProcessOptions ProcessOptions(string name) => new()
    {
        DisplayName = name,
        Unbuffered = false,
        Environment = new Dictionary<string, string> { ["PYTHONUNBUFFERED"] = "1" },
    };

    /// <summary>Runs the client; one result per connection (the second onwards tried to resume the previous session).</summary>
    public static async Task<IReadOnlyList<TlsPeerResult>> RunClientAsync(PythonTlsClientOptions options)
    {
        var cfg = new JsonObject
        {
            ["host"] = options.Host,
            ["port"] = options.Port,
            ["server_name"] = options.ServerName,
            ["cafile"] = options.CaFile ?? TestPki.Shared.RootCaPath,
            ["verify"] = options.Verify,
            ["alpn"] = options.Alpn is null ? null : new JsonArray(options.Alpn.Select(a => (JsonNode?)a).ToArray()),
            ["min"] = PyVersion(options.MinVersion),
            ["max"] = PyVersion(options.MaxVersion),
            ["ciphers"] = options.Ciphers,
            ["cert"] = options.ClientCertificate?.FullChainPath,
            ["key"] = options.ClientCertificate?.KeyPath,
            ["keylog"] = options.KeyLogFile,
            ["curve"] = options.Curve,
            ["connections"] = options.Connections,
            ["send"] = options.Send,
            ["expect"] = options.Expect,
        };
        await using var p = PeerProcess.Start(Python, ["-c", ClientScript, cfg.ToJsonString()], ProcessOptions("python ssl client"));
        int code = await p.WaitForExitAsync(TimeSpan.FromSeconds(20));
        var results = JsonLines(p.StandardOutput).Select(o => ToResult(o, "python ssl client", p.Output) with { ExitCode = code }).ToList();
        if (code != 0 || results.Count != options.Connections)
            throw p.Failure($"expected {options.Connections} result line(s), got {results.Count}");
        return results;
    }

    /// <summary>Starts the echo server (echoes everything until the client closes) and waits for it to listen.</summary>
    public static async Task<PythonTlsServer> StartServerAsync(PythonTlsServerOptions? options = null)
    {
        options ??= new PythonTlsServerOptions();
        var cert = options.Certificate ?? TestPki.Shared.ServerEcdsa;
        int port = Ports.Free();
        var cfg = new JsonObject
        {
            ["port"] = port,
            ["cert"] = cert.FullChainPath,
            ["key"] = cert.KeyPath,
            ["cafile"] = TestPki.Shared.RootCaPath,
            ["client_auth"] = options.ClientCertificate switch { PeerClientAuth.Require => "require", PeerClientAuth.Request => "request", _ => null },
            ["num_tickets"] = options.NumTickets,
            ["alpn"] = options.Alpn is null ? null : new JsonArray(options.Alpn.Select(a => (JsonNode?)a).ToArray()),
            ["min"] = PyVersion(options.MinVersion),
            ["max"] = PyVersion(options.MaxVersion),
            ["ciphers"] = options.Ciphers,
        };
        var p = await PeerClient.StartAsync(Python, ["-c", ServerScript, cfg.ToJsonString()], ProcessOptions("python ssl server"),
            p => p.WaitForOutputAsync("\"listening\"", stream: OutputStream.StandardOutput));
        return new PythonTlsServer(p, port);
    }

    internal static IEnumerable<JsonElement> JsonLines(string stdout) =>
        stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith('{'))
            .Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .Where(e => e.TryGetProperty("connection", out _));

    internal static TlsPeerResult ToResult(JsonElement o, string peer, string output)
    {
        string? Str(string name) => o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        bool? Bool(string name) => o.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;
        string? reason = Str("reason");
        return new TlsPeerResult
        {
            Peer = peer,
            HandshakeCompleted = Bool("handshake") ?? false,
            Version = TlsNames.ParseVersion(Str("version")),
            Cipher = TlsNames.NormalizeCipher(Str("cipher")),
            Alpn = Str("alpn"),
            Resumed = Bool("session_reused"),
            Verified = Bool("verified"),
            VerificationError = Str("verify_error"),
            Alert = reason is not null && reason.Contains("ALERT", StringComparison.Ordinal) ? TlsNames.ParseAlert(reason.Replace('_', ' ')) : null,
            AlertText = reason,
            PeerCertificateSubject = Str("peer_subject"),
            ServerName = Str("server_name"),
            ReceivedData = Str("received") ?? "",
            Error = Str("error"),
            Output = output,
        };
    }
}

/// <summary>The python echo server started by <see cref="PythonTls.StartServerAsync"/>.</summary>
public sealed class PythonTlsServer : IAsyncDisposable
{
    internal PythonTlsServer(PeerProcess process, int port)
    {
        Process = process;
        Port = port;
    }

    /// <summary>The python process.</summary>
    public PeerProcess Process { get; }

    /// <summary>Listening port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>
    /// Waits for connection <paramref name="number"/>'s handshake (or, with <paramref name="closed"/>, its end, which
    /// adds <see cref="TlsPeerResult.ReceivedData"/>) and returns what the server saw.
    /// </summary>
    public async Task<TlsPeerResult> WaitForConnectionAsync(int number = 1, bool closed = false, TimeSpan? timeout = null)
    {
        string n = number.ToString(CultureInfo.InvariantCulture);
        await Process.WaitForOutputAsync($"\"connection\": {n},{(closed ? ".*\"closed\": true" : "")}", timeout, stream: OutputStream.StandardOutput);
        var lines = PythonTls.JsonLines(Process.StandardOutput).Where(e => e.GetProperty("connection").GetInt32() == number).ToList();
        var result = PythonTls.ToResult(lines[0], "python ssl server", Process.Output);
        return lines.Count > 1 && lines[0].TryGetProperty("handshake", out _) && !lines[0].TryGetProperty("closed", out _)
            ? result with { ReceivedData = PythonTls.ToResult(lines[1], "python ssl server", "").ReceivedData }
            : result;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
