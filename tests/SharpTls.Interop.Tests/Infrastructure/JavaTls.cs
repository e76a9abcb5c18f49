using System.Text.RegularExpressions;

namespace SharpTls.Interop.Tests.Infrastructure;

/// <summary>One connection as Java's JSSE reported it (a <c>CONNECTION</c> line of JavaTlsPeer.java).</summary>
public sealed record JavaConnection(int Number, string Protocol, string Cipher, bool Resumed, string Peer, string Line);

/// <summary>
/// Java's own TLS stack (JSSE, Debian's default-jdk-headless) as a peer: Infrastructure/Java/JavaTlsPeer.java, compiled
/// once per test run with javac. A missing JDK fails the tests (<see cref="PeerProcess.Require"/>).
/// </summary>
public static partial class JavaTls
{
    private static readonly Lazy<Task<string>> Classes = new(CompileAsync);

    private static async Task<string> CompileAsync()
    {
        string javac = PeerProcess.Require("javac");
        // Inside this run's PKI folder, so it goes with it.
        string dir = Directory.CreateDirectory(Path.Combine(TestPki.Shared.Directory, "java-classes")).FullName;
        string source = Path.Combine(AppContext.BaseDirectory, "Infrastructure", "Java", "JavaTlsPeer.java");
        await using var p = PeerProcess.Start(javac, ["-d", dir, source], new PeerProcessOptions { DisplayName = "javac", HardTimeout = TimeSpan.FromMinutes(2) });
        int exit = await p.WaitForExitAsync(TimeSpan.FromMinutes(2));
        if (exit != 0) throw new PeerException($"javac failed ({exit}): {p.Output}");
        return dir;
    }

    /// <summary>Starts <c>java JavaTlsPeer</c> with <paramref name="args"/>; <paramref name="properties"/> become <c>-Dname=value</c>.</summary>
    public static async Task<PeerProcess> StartAsync(IEnumerable<string> args, params string[] properties)
    {
        string classes = await Classes.Value;
        string java = PeerProcess.Require("java");
        // Tiered compilation stopped at C1: these runs are short, and the machine is shared.
        return PeerProcess.Start(java, ["-XX:TieredStopAtLevel=1", .. properties.Select(p => "-D" + p), "-cp", classes, "JavaTlsPeer", .. args],
            new PeerProcessOptions { DisplayName = "java JavaTlsPeer", HardTimeout = TimeSpan.FromMinutes(2) });
    }

    /// <summary>A JSSE client: <paramref name="connections"/> connections in a row with one SSLContext (so it may resume).</summary>
    public static async Task<IReadOnlyList<JavaConnection>> RunClientAsync(int port, string protocol, string? cipher, int connections = 1,
        TestCertificate? clientCertificate = null, params string[] properties)
    {
        var pki = TestPki.Shared;
        List<string> args = ["client", Ports.Loopback, port.ToString(System.Globalization.CultureInfo.InvariantCulture), "localhost", pki.RootCaPath, protocol, cipher ?? "-",
            connections.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        if (clientCertificate is not null) args.AddRange([clientCertificate.PfxPath!, TestPki.PfxPassword]);
        await using var p = await StartAsync(args, properties);
        int exit = await p.WaitForExitAsync(TimeSpan.FromMinutes(2));
        var list = Connections(p.Output);
        if (exit != 0 || list.Count != connections) throw new PeerException($"java client exited {exit} with {list.Count} of {connections} connections:\n{p.Output}");
        return list;
    }

    /// <summary>Parses the CONNECTION lines of a run.</summary>
    public static IReadOnlyList<JavaConnection> Connections(string output)
        => ConnectionLine().Matches(output).Select(m => new JavaConnection(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
            m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value == "true", m.Groups[5].Value, m.Value)).ToList();

    [GeneratedRegex(@"^CONNECTION (\d+) protocol=(\S+) cipher=(\S+) resumed=(true|false) peer=(.*?)(?: echo=\S+| received=.*)?$", RegexOptions.Multiline)]
    private static partial Regex ConnectionLine();
}

/// <summary>A JSSE server on 127.0.0.1 (JavaTlsPeer.java server mode): serves a fixed number of connections, echoing a line each.</summary>
public sealed class JavaTlsServer : IAsyncDisposable
{
    private JavaTlsServer(PeerProcess process, int port)
    {
        Process = process;
        Port = port;
    }

    public PeerProcess Process { get; }
    public int Port { get; }

    public static async Task<JavaTlsServer> StartAsync(TestCertificate certificate, string protocol, string? cipher, int connections = 1,
        bool requireClientCertificate = false, params string[] properties)
    {
        int port = Ports.Free();
        var p = await JavaTls.StartAsync(["server", port.ToString(System.Globalization.CultureInfo.InvariantCulture), certificate.PfxPath!, TestPki.PfxPassword, protocol,
            cipher ?? "-", connections.ToString(System.Globalization.CultureInfo.InvariantCulture), requireClientCertificate ? "require" : "none", TestPki.Shared.RootCaPath],
            properties);
        await p.WaitForOutputAsync("^LISTENING ", TimeSpan.FromMinutes(1));
        return new JavaTlsServer(p, port);
    }

    /// <summary>Waits for the report of connection <paramref name="number"/>.</summary>
    public async Task<JavaConnection> WaitForConnectionAsync(int number = 1)
    {
        await Process.WaitForOutputAsync($"^CONNECTION {number} ", TimeSpan.FromMinutes(1));
        return JavaTls.Connections(Process.Output).FirstOrDefault(c => c.Number == number)
            ?? throw new PeerException($"java server: connection {number} failed:\n{Process.Output}");
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
