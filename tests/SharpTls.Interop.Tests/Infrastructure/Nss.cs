using System.Text.RegularExpressions;

namespace SharpTls.Interop.Tests.Infrastructure;

/// <summary>
/// NSS's own test peers from Debian's libnss3-tools: <c>tstclnt</c> (client) and <c>selfserv</c> (server), over a fresh
/// NSS database. NSS still implements SSL 3.0 (off by default, <c>-V ssl3:ssl3</c> turns it on), which neither OpenSSL 3.0
/// nor GnuTLS 3.7 here does: it is the independent SSL 3.0 peer.
/// </summary>
public sealed partial class NssDb
{
    private NssDb(string directory) => Directory = directory;

    /// <summary>The database directory (used as <c>sql:DIR</c>).</summary>
    public string Directory { get; }

    /// <summary>The nickname of the imported server certificate, when there is one.</summary>
    public string? Nickname { get; private set; }

    /// <summary>An empty database (no password) under the test PKI's directory.</summary>
    public static async Task<NssDb> CreateAsync()
    {
        string dir = Path.Combine(TestPki.Shared.Directory, $"nssdb-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(dir);
        await RunAsync("certutil", ["-N", "-d", "sql:" + dir, "--empty-password"]);
        return new NssDb(dir);
    }

    /// <summary>Imports a PFX (key, leaf, intermediates) and remembers the leaf's nickname.</summary>
    public async Task<NssDb> WithCertificateAsync(TestCertificate certificate)
    {
        await RunAsync("pk12util", ["-i", certificate.PfxPath ?? throw new ArgumentException("no PFX for " + certificate), "-d", "sql:" + Directory, "-W", TestPki.PfxPassword]);
        string list = await RunAsync("certutil", ["-L", "-d", "sql:" + Directory]);
        // The leaf is the one with a key: trust "u,u,u".
        Nickname = list.Split('\n').Select(l => UserCertificate().Match(l)).First(m => m.Success).Groups[1].Value.Trim();
        return this;
    }

    /// <summary>
    /// Runs tstclnt once: sends <paramref name="request"/> and returns what it printed (handshake report and the server's
    /// answer) once <paramref name="until"/> appears or it exits (tstclnt waits for the server to close; our HTTP answer
    /// keeps the connection, so the process is ended when the answer is in).
    /// </summary>
    public async Task<string> ConnectAsync(int port, string versions, string? ciphers = null, IReadOnlyList<string>? extra = null,
        string until = "resumed=", string request = "GET / HTTP/1.0\r\n\r\n")
    {
        var args = new List<string> { "-d", "sql:" + Directory, "-h", Ports.Loopback, "-p", port.ToString(), "-V", versions, "-o" };
        if (ciphers is not null) args.AddRange(["-c", ciphers]);
        args.AddRange(extra ?? []);
        await using var p = PeerProcess.Start("tstclnt", args, new PeerProcessOptions { DisplayName = "tstclnt", HardTimeout = TimeSpan.FromSeconds(30) });
        await p.WriteAsync(request);
        p.CloseInput();
        await p.TryWaitUntilAsync(o => o.Contains(until, StringComparison.Ordinal), until, TimeSpan.FromSeconds(30));
        return p.Output;
    }

    /// <summary>Starts selfserv with the imported certificate on a free port and waits until it listens.</summary>
    public async Task<(PeerProcess Process, int Port)> ServeAsync(string versions, string? ciphers = null, IReadOnlyList<string>? extra = null)
    {
        int port = Ports.Free();
        var args = new List<string> { "-d", "sql:" + Directory, "-n", Nickname ?? throw new InvalidOperationException("import a certificate first"), "-p", port.ToString(), "-V", versions, "-v" };
        if (ciphers is not null) args.AddRange(["-c", ciphers]);
        args.AddRange(extra ?? []);
        var p = PeerProcess.Start("selfserv", args, new PeerProcessOptions { DisplayName = "selfserv", HardTimeout = TimeSpan.FromMinutes(2) });
        await Ports.WaitUntilListeningAsync(port, p, TimeSpan.FromSeconds(30));
        return (p, port);
    }

    private static async Task<string> RunAsync(string program, string[] args)
    {
        await using var p = PeerProcess.Start(program, args, new PeerProcessOptions { DisplayName = program, Unbuffered = false });
        int code = await p.WaitForExitAsync(TimeSpan.FromSeconds(30));
        if (code != 0) throw p.Failure($"exited with {code}");
        return p.StandardOutput;
    }

    [GeneratedRegex(@"^(.+?)\s+u,u,u\s*$")]
    private static partial Regex UserCertificate();
}
