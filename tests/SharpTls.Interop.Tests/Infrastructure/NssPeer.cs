using System.Text.Json;

namespace SharpTls.Interop.Tests.Infrastructure;

/// <summary>
/// <c>Nss/nsspeer.c</c>, built here with gcc against Debian's NSS headers and run on the NSS that Firefox ESR 153 ships
/// (3.12x, in /usr/lib/firefox-esr): the peer for RFC 8879 certificate compression in both directions (Firefox's own
/// codec hook, <c>SSL_SetCertificateCompressionAlgorithm</c>, with zlib, libbrotli and libzstd as the codecs) and a second one for
/// the ML-KEM hybrid groups. Debian's NSS 3.87, OpenSSL 3.0 and GnuTLS 3.7.9 (built without zlib/brotli: its
/// --compress-cert answers "Unknown compression method") cannot compress certificates; neither can Node.js 26's OpenSSL.
/// </summary>
public static class NssPeer
{
    /// <summary>Where firefox-esr keeps its NSS.</summary>
    public const string FirefoxNss = "/usr/lib/firefox-esr";

    private static readonly Lazy<Task<string>> s_binary = new(BuildAsync);

    private static async Task<string> BuildAsync()
    {
        if (!File.Exists(Path.Combine(FirefoxNss, "libssl3.so"))) throw new PeerNotInstalledException($"{FirefoxNss}/libssl3.so", "firefox-esr");
        PeerProcess.Require("gcc");
        string source = Path.Combine(AppContext.BaseDirectory, "Infrastructure", "Nss", "nsspeer.c");
        string binary = Path.Combine(TestPki.Shared.Directory, "nsspeer");
        string[] args =
        [
            "-O1", "-Wall", "-Werror", "-Wno-deprecated-declarations", "-I/usr/include/nss", "-I/usr/include/nspr", "-o", binary, source,
            $"-L{FirefoxNss}", "-lssl3", "-lnss3", "-lnssutil3", "-lplc4", "-lnspr4", "-lz", "-lbrotlienc", "-lbrotlidec", "-lzstd",
        ];
        await using var gcc = PeerProcess.Start("gcc", args, new() { DisplayName = "gcc nsspeer.c (needs libnss3-dev zlib1g-dev libbrotli-dev libzstd-dev)", Unbuffered = false });
        if (await gcc.WaitForExitAsync(TimeSpan.FromSeconds(60)) != 0) throw gcc.Failure("nsspeer.c did not build");
        return binary;
    }

    /// <summary>
    /// How long an nsspeer process may live. A server waits, listening, while the test starts its client, and
    /// <c>sharptls connect</c> is given 60 s to start and finish (a .NET start on a loaded 2-core machine); the harness's
    /// default 45 s killed the server first (one failure in 33 at stop 9). Every wait of a test stays bounded on its own.
    /// </summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(3);

    /// <summary>How long a server may take to print that it listens (NSS_Init on an SQL database, under load).</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    internal static Task<string> BinaryAsync() => s_binary.Value;

    internal static PeerProcessOptions ClientOptions() => Options("nsspeer client (Firefox's NSS)");

    internal static PeerProcessOptions ServerOptions() => Options("nsspeer server (Firefox's NSS)");

    private static PeerProcessOptions Options(string name) => new()
    {
        DisplayName = name,
        Unbuffered = false,
        HardTimeout = Lifetime,
        Environment = new Dictionary<string, string> { ["LD_LIBRARY_PATH"] = FirefoxNss },
    };

    /// <summary>Groups as nsspeer takes them: "default", or hex code points.</summary>
    public static string Groups(params ushort[] groups) => groups.Length == 0 ? "default" : string.Join(',', groups.Select(g => $"0x{g:x4}"));

    /// <summary>
    /// Runs a test's body with an <see cref="NssRun"/> that starts the nsspeer processes. Whatever fails in the body (an
    /// assertion, a timeout, our side's exception), the failure carries every nsspeer's command line, state (exit code, or
    /// killed after its lifetime) and whole output, so no failure is left without the peer's side.
    /// </summary>
    public static async Task RunAsync(Func<NssRun, Task> body)
    {
        await using var run = new NssRun();
        try
        {
            await body(run);
        }
        catch (Exception e)
        {
            throw new PeerOutputException(e, run.Report());
        }
    }
}

/// <summary>The nsspeer processes of one test (<see cref="NssPeer.RunAsync"/>), kept until the test ends so their output can be reported.</summary>
public sealed class NssRun : IAsyncDisposable
{
    private readonly List<PeerProcess> _processes = [];

    /// <summary>Starts any process of the test (nsspeer, or the other side), reported with the peers if the test fails.</summary>
    public PeerProcess Start(string binary, IEnumerable<string> args, PeerProcessOptions options)
    {
        var p = PeerProcess.Start(binary, args, options);
        lock (_processes) _processes.Add(p);
        return p;
    }

    /// <summary>Connects to our server on <paramref name="port"/>, sends a line and waits for it back; returns what nsspeer reported.</summary>
    public async Task<NssPeerResult> RunClientAsync(int port, string groups, string compress, string line = "nss")
    {
        string binary = await NssPeer.BinaryAsync();
        var p = Start(binary, ["client", port.ToString(), groups, compress, line], NssPeer.ClientOptions());
        int code = await p.WaitForExitAsync(TimeSpan.FromSeconds(20));
        var result = new NssPeerResult(p.StandardOutput, p.Output);
        if (code != 0 && result.Handshake) throw p.Failure($"exited with {code}");
        return result;
    }

    /// <summary>Starts a one-connection echo server with the ECDSA test certificate; waits until it listens.</summary>
    public async Task<NssPeerServer> StartServerAsync(string groups, string compress)
    {
        string binary = await NssPeer.BinaryAsync();
        var db = await (await NssDb.CreateAsync()).WithCertificateAsync(TestPki.Shared.ServerEcdsa);
        int port = Ports.Free();
        var p = Start(binary, ["server", "sql:" + db.Directory, db.Nickname!, port.ToString(), groups, compress], NssPeer.ServerOptions());
        await p.WaitForOutputAsync("\"listening\"", NssPeer.StartTimeout, stream: OutputStream.StandardOutput);
        return new NssPeerServer(p, port);
    }

    /// <summary>Each process's command line, state and output.</summary>
    public string Report()
    {
        lock (_processes)
            return string.Join("\n", _processes.Select(p => p.Failure($"(pid {p.Id}) as it was when the test failed").Message));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        PeerProcess[] all;
        lock (_processes) all = [.. _processes];
        foreach (var p in all) await p.DisposeAsync();
    }
}

/// <summary>A test failed; the message adds what its peer processes printed (<see cref="NssPeer.RunAsync"/>).</summary>
public sealed class PeerOutputException(Exception failure, string peers)
    : Exception($"{failure.GetType().Name}: {failure.Message}\n==== the peers ====\n{peers}", failure);

/// <summary>What nsspeer printed: its handshake report and each use of a compression codec.</summary>
public sealed class NssPeerResult
{
    internal NssPeerResult(string stdout, string output)
    {
        Output = output;
        foreach (string line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!line.StartsWith('{')) continue;
            var o = JsonDocument.Parse(line).RootElement;
            if (o.TryGetProperty("event", out var e))
                Codec.Add((e.GetString()!, o.GetProperty("algorithm").GetString()!));
            else if (o.TryGetProperty("handshake", out var h))
            {
                Handshake = h.GetBoolean();
                if (Handshake) Group = Convert.ToUInt16(o.GetProperty("group").GetString(), 16);
            }
            else if (o.TryGetProperty("received", out var r))
                Received = r.GetString();
        }
    }

    /// <summary>The handshake completed (nsspeer's own report).</summary>
    public bool Handshake { get; }

    /// <summary>SSLChannelInfo.keaGroup, as NSS reports it.</summary>
    public ushort? Group { get; }

    /// <summary>Codec calls in order: ("encoded" | "decoded", algorithm).</summary>
    public List<(string What, string Algorithm)> Codec { get; } = [];

    /// <summary>The line read back (client) or echoed (server), newline as a space.</summary>
    public string? Received { get; }

    /// <summary>Everything nsspeer printed.</summary>
    public string Output { get; }

    /// <inheritdoc />
    public override string ToString() => Output;
}

/// <summary>A running nsspeer server; its <see cref="NssRun"/> ends it.</summary>
public sealed class NssPeerServer(PeerProcess process, int port)
{
    /// <summary>The nsspeer process.</summary>
    public PeerProcess Process { get; } = process;

    /// <summary>Listening port on 127.0.0.1.</summary>
    public int Port { get; } = port;

    /// <summary>Waits for the server to finish its one connection and returns its report.</summary>
    public async Task<NssPeerResult> WaitForExitAsync()
    {
        await Process.WaitForExitAsync(TimeSpan.FromSeconds(20));
        return new NssPeerResult(Process.StandardOutput, Process.Output);
    }
}
