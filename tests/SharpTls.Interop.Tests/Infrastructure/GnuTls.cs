using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Infrastructure;

/// <summary>Options shared by gnutls-cli and gnutls-serv.</summary>
public abstract record GnuTlsOptions
{
    /// <summary>--priority ("NORMAL:-VERS-ALL:+VERS-TLS1.3", "NORMAL:-GROUP-ALL:+GROUP-X25519").</summary>
    public string? Priority { get; init; }

    /// <summary>--alpn, one per protocol.</summary>
    public IReadOnlyList<string>? Alpn { get; init; }

    /// <summary>NSS key log (through SSLKEYLOGFILE).</summary>
    public string? KeyLogFile { get; init; }

    /// <summary>Anything else, appended before the host.</summary>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary>Lifetime limit of the process.</summary>
    public TimeSpan HardTimeout { get; init; } = PeerTimeouts.Hard;

    internal void AddCommon(List<string> a)
    {
        if (Priority is not null)
            a.Add("--priority=" + Priority);
        foreach (string p in Alpn ?? [])
            a.Add("--alpn=" + p);
    }

    internal PeerProcessOptions ProcessOptions(string name) => new()
    {
        DisplayName = name,
        HardTimeout = HardTimeout,
        Environment = KeyLogFile is null ? null : new Dictionary<string, string> { ["SSLKEYLOGFILE"] = KeyLogFile },
    };
}

/// <summary>Options for <see cref="GnuTlsClient"/>.</summary>
public sealed record GnuTlsClientOptions : GnuTlsOptions
{
    /// <summary>Server port.</summary>
    public required int Port { get; init; }

    /// <summary>Server address.</summary>
    public string Host { get; init; } = Ports.Loopback;

    /// <summary>--sni-hostname and --verify-hostname; null: --disable-sni.</summary>
    public string? ServerName { get; init; } = "localhost";

    /// <summary>--x509cafile; default the test root.</summary>
    public string? CaFile { get; init; }

    /// <summary>False: --insecure (carry on after a verification failure).</summary>
    public bool Verify { get; init; } = true;

    /// <summary>--resume: connect, disconnect, reconnect resuming; the result describes the second connection.</summary>
    public bool Resume { get; init; }

    /// <summary>--x509certfile (full chain) / --x509keyfile.</summary>
    public TestCertificate? ClientCertificate { get; init; }
}

/// <summary>Options for <see cref="GnuTlsServer"/>.</summary>
public sealed record GnuTlsServerOptions : GnuTlsOptions
{
    /// <summary>Server certificate (full chain); default <see cref="TestPki.ServerEcdsa"/>.</summary>
    public TestCertificate? Certificate { get; init; }

    /// <summary>--http instead of --echo.</summary>
    public bool Http { get; init; }

    /// <summary>Client certificates: None (-a), Request (--verify-client-cert), Require (--require-client-cert).</summary>
    public PeerClientAuth ClientCertificate { get; init; }

    /// <summary>--x509cafile for client certificates; default the test root.</summary>
    public string? ClientCaFile { get; init; }

    /// <summary>--noticket.</summary>
    public bool NoTicket { get; init; }
}

/// <summary>gnutls-cli. One shot: <see cref="RunAsync"/>; interactive: <see cref="ConnectAsync"/>.</summary>
public sealed class GnuTlsClient : PeerClient
{
    private GnuTlsClient(PeerProcess process, TlsPeerResult handshake)
        : base(process, handshake)
    {
    }

    /// <summary>Connects, sends a line, waits for an expected reply, closes; returns the result (with --resume: of the resumed connection).</summary>
    public static async Task<TlsPeerResult> RunAsync(GnuTlsClientOptions options, string? sendLine = null, string? expectReceived = null) =>
        await RunAsync(await ConnectAsync(options), sendLine, expectReceived);

    /// <summary>Starts gnutls-cli and returns once the handshake (both, with resume) completed or failed.</summary>
    public static async Task<GnuTlsClient> ConnectAsync(GnuTlsClientOptions options)
    {
        var a = new List<string> { "-V", "-p", options.Port.ToString(CultureInfo.InvariantCulture), "--x509cafile=" + (options.CaFile ?? TestPki.Shared.RootCaPath) };
        if (options.ServerName is not null)
            a.AddRange(["--sni-hostname=" + options.ServerName, "--verify-hostname=" + options.ServerName]);
        else
            a.Add("--disable-sni");
        if (!options.Verify)
            a.Add("--insecure");
        if (options.Resume)
            a.Add("--resume");
        if (options.ClientCertificate is { } cert)
            a.AddRange(["--x509certfile=" + cert.FullChainPath, "--x509keyfile=" + cert.KeyPath]);
        options.AddCommon(a);
        a.AddRange(options.ExtraArgs);
        a.Add(options.Host);

        var process = await StartAsync("gnutls-cli", a, options.ProcessOptions("gnutls-cli"), p => p.TryWaitForOutputAsync("^- Simple Client Mode:"));
        return new GnuTlsClient(process, GnuTlsOutput.ParseClient(process.Output, process.ExitCode));
    }

    /// <summary>Waits until received data contains <paramref name="text"/>.</summary>
    public override Task WaitForReceivedAsync(string text, TimeSpan? timeout = null) =>
        Process.WaitForOutputAsync(Regex.Escape(text), timeout, startAt: Process.Output.IndexOf("- Simple Client Mode:", StringComparison.Ordinal), stream: OutputStream.Combined);

    /// <summary>Closes stdin (gnutls-cli says bye and exits) and returns the full result.</summary>
    public override async Task<TlsPeerResult> CloseAsync()
    {
        Process.CloseInput();
        int code = await Process.WaitForExitAsync();
        return GnuTlsOutput.ParseClient(Process.Output, code);
    }
}

/// <summary>gnutls-serv (--echo or --http) on a free port.</summary>
public sealed class GnuTlsServer : IAsyncDisposable
{
    private GnuTlsServer(PeerProcess process, int port)
    {
        Process = process;
        Port = port;
    }

    /// <summary>The gnutls-serv process.</summary>
    public PeerProcess Process { get; }

    /// <summary>Listening port (gnutls-serv listens on every address).</summary>
    public int Port { get; }

    /// <summary>Starts gnutls-serv and waits until it listens.</summary>
    public static async Task<GnuTlsServer> StartAsync(GnuTlsServerOptions? options = null)
    {
        options ??= new GnuTlsServerOptions();
        var cert = options.Certificate ?? TestPki.Shared.ServerEcdsa;
        int port = Ports.Free();
        var a = new List<string> { options.Http ? "--http" : "--echo", "-p", port.ToString(CultureInfo.InvariantCulture),
            "--x509certfile=" + cert.FullChainPath, "--x509keyfile=" + cert.KeyPath };
        switch (options.ClientCertificate)
        {
            case PeerClientAuth.None: a.Add("--disable-client-cert"); break;
            case PeerClientAuth.Request: a.Add("--verify-client-cert"); break;
            case PeerClientAuth.Require: a.AddRange(["--require-client-cert", "--verify-client-cert"]); break;
        }
        if (options.ClientCertificate != PeerClientAuth.None)
            a.Add("--x509cafile=" + (options.ClientCaFile ?? TestPki.Shared.RootCaPath));
        if (options.NoTicket)
            a.Add("--noticket");
        options.AddCommon(a);
        a.AddRange(options.ExtraArgs);
        var process = await PeerClient.StartAsync("gnutls-serv", a, options.ProcessOptions("gnutls-serv"), p => Ports.WaitUntilListeningAsync(port, p));
        return new GnuTlsServer(process, port);
    }

    /// <summary>Connections seen so far, parsed.</summary>
    public IReadOnlyList<TlsPeerResult> Connections => GnuTlsOutput.ServerSegments(Process.Output).Select(GnuTlsOutput.ParseServerConnection).ToList();

    /// <summary>Waits until connection <paramref name="number"/> (1-based) finished or failed its handshake.</summary>
    public async Task<TlsPeerResult> WaitForConnectionAsync(int number = 1, TimeSpan? timeout = null)
    {
        bool ok = await Process.TryWaitUntilAsync(text =>
        {
            var s = GnuTlsOutput.ServerSegments(text);
            return s.Count >= number && GnuTlsOutput.ServerSegmentDone(s[number - 1]);
        }, $"connection #{number}", timeout);
        if (!ok)
            throw Process.Failure($"exited before connection #{number}");
        return Connections[number - 1];
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Process.DisposeAsync();
}

/// <summary>Parses gnutls-cli -V and gnutls-serv output (GnuTLS 3.7 wording).</summary>
public static partial class GnuTlsOutput
{
    /// <summary>Parses gnutls-cli output; with --resume the last handshake counts.</summary>
    public static TlsPeerResult ParseClient(string output, int? exitCode = null)
    {
        int simple = output.IndexOf("- Simple Client Mode:", StringComparison.Ordinal);
        bool completed = simple >= 0;
        string handshakePart = completed ? output[..simple] : output;
        var r = ParseCommon(handshakePart, "gnutls-cli", completed);
        var received = new StringBuilder();
        if (completed)
            foreach (Match m in ReceivedLine().Matches(output, simple))
                received.Append(m.Groups[2].Value).Append('\n');
        return r with
        {
            PeerCertificateSubject = First(SubjectLine(), output),
            ReceivedData = received.ToString(),
            ExitCode = exitCode,
            Output = output,
        };
    }

    /// <summary>One segment per accepted connection.</summary>
    public static IReadOnlyList<string> ServerSegments(string output)
    {
        var starts = AcceptedLine().Matches(output).Select(m => m.Index).ToList();
        return starts.Select((s, i) => output[s..(i + 1 < starts.Count ? starts[i + 1] : output.Length)]).ToList();
    }

    /// <summary>True once a server segment shows the handshake's outcome.</summary>
    public static bool ServerSegmentDone(string segment) =>
        segment.Contains("- Channel bindings", StringComparison.Ordinal) || segment.Contains("Error in handshake", StringComparison.Ordinal)
        || segment.Contains("*** Received alert", StringComparison.Ordinal);

    /// <summary>Parses one gnutls-serv connection segment.</summary>
    public static TlsPeerResult ParseServerConnection(string segment)
    {
        bool completed = segment.Contains("- Description:", StringComparison.Ordinal);
        var r = ParseCommon(segment, "gnutls-serv", completed);
        return r with
        {
            ServerName = Last(ServerNameLine(), segment),
            PeerCertificateSubject = First(SubjectLine(), segment),
            ReceivedData = string.Concat(CommandLine().Matches(segment).Select(m => m.Groups[1].Value + "\n")),
            Output = segment,
        };
    }

    private static TlsPeerResult ParseCommon(string text, string peer, bool completed)
    {
        ProtocolVersion? version = null;
        string? group = null, cipher = null;
        string? description = Last(DescriptionLine(), text);
        if (completed && description is not null)
        {
            // (TLS1.3-X.509)-(ECDHE-X25519)-(ECDSA-SECP256R1-SHA256)-(AES-256-GCM), or (TLS1.3-X.509)--(AES-256-GCM) when resumed
            var parts = Parenthesized().Matches(description).Select(m => m.Groups[1].Value).ToList();
            version = TlsNames.ParseVersion(parts[0].Split('-')[0]);
            if (parts.Count == 4 && parts[1].Split('-', 2) is [("ECDHE" or "DHE"), var groupName])
                group = TlsNames.NormalizeGroup(groupName);
            string bulk = parts[^1];
            cipher = version == ProtocolVersion.Tls13 ? Tls13Suite(bulk) : Tls12Suite(Last(KeyExchangeLine(), text), bulk, Last(MacLine(), text));
            group ??= TlsNames.NormalizeGroup(Last(CurveLine(), text));
        }
        var alert = AlertLine().Match(text);
        string status = Last(StatusLine(), text) ?? "";
        bool? verified = status.Length == 0 ? null : status.StartsWith("The certificate is trusted", StringComparison.Ordinal);
        return new TlsPeerResult
        {
            Verified = verified,
            VerificationError = verified == false ? status.Replace("The certificate is NOT trusted. ", "").Trim() : null,
            Peer = peer,
            HandshakeCompleted = completed,
            Version = version,
            Cipher = cipher,
            Group = group,
            Alpn = completed ? Last(AlpnLine(), text) : null,
            Resumed = completed ? text.Contains("*** This is a resumed session", StringComparison.Ordinal) : null,
            Alert = alert.Success ? TlsNames.ParseAlert(alert.Groups[1].Value) : null,
            AlertText = alert.Success ? alert.Value.Trim() : null,
            Error = Last(ErrorLine(), text),
            Output = text,
        };
    }

    private static string? Tls13Suite(string bulk) => bulk switch
    {
        "AES-128-GCM" => "TLS_AES_128_GCM_SHA256",
        "AES-256-GCM" => "TLS_AES_256_GCM_SHA384",
        "CHACHA20-POLY1305" => "TLS_CHACHA20_POLY1305_SHA256",
        "AES-128-CCM" => "TLS_AES_128_CCM_SHA256",
        "AES-128-CCM-8" => "TLS_AES_128_CCM_8_SHA256",
        _ => bulk,
    };

    private static string? Tls12Suite(string? kx, string bulk, string? mac)
    {
        if (kx is null)
            return bulk;
        string k = kx.Replace('-', '_');
        string c = bulk switch
        {
            "3DES-CBC" => "3DES_EDE_CBC",
            _ => bulk.Replace('-', '_'),
        };
        string m = mac switch
        {
            "AEAD" when c.Contains("CCM", StringComparison.Ordinal) => "",
            "AEAD" => c.Contains("256_GCM", StringComparison.Ordinal) ? "_SHA384" : "_SHA256",
            "SHA1" => "_SHA",
            null => "",
            _ => "_" + mac,
        };
        return $"TLS_{k}_WITH_{c}{m}";
    }

    private static string? First(Regex regex, string text)
    {
        var m = regex.Match(text);
        return m.Success ? m.Groups[1].Value.Trim() : null;
    }

    private static string? Last(Regex regex, string text)
    {
        var matches = regex.Matches(text);
        return matches.Count == 0 ? null : matches[^1].Groups[1].Value.Trim();
    }

    [GeneratedRegex(@"\(([^()]*)\)")]
    private static partial Regex Parenthesized();

    [GeneratedRegex(@"^- Description: (.*)$", RegexOptions.Multiline)]
    private static partial Regex DescriptionLine();

    [GeneratedRegex(@"^- Key Exchange: (\S+)", RegexOptions.Multiline)]
    private static partial Regex KeyExchangeLine();

    [GeneratedRegex(@"^- MAC: (\S+)", RegexOptions.Multiline)]
    private static partial Regex MacLine();

    [GeneratedRegex(@"^\s*- Using curve: (\S+)", RegexOptions.Multiline)]
    private static partial Regex CurveLine();

    [GeneratedRegex(@"^- Application protocol: (\S+)", RegexOptions.Multiline)]
    private static partial Regex AlpnLine();

    [GeneratedRegex(@"^- Status: (.*)$", RegexOptions.Multiline)]
    private static partial Regex StatusLine();

    [GeneratedRegex(@"(?:subject `|^\s+Subject: )([^'\n]*)", RegexOptions.Multiline)]
    private static partial Regex SubjectLine();

    [GeneratedRegex(@"^- Received\[(\d+)\]: (.*)$", RegexOptions.Multiline)]
    private static partial Regex ReceivedLine();

    [GeneratedRegex(@"\*\*\* Received alert \[(\d+)\]: .*$", RegexOptions.Multiline)]
    private static partial Regex AlertLine();

    [GeneratedRegex(@"^(\*\*\* (?:Fatal error|Handshake has failed|PKI verification|Verifying server certificate failed).*|Error in handshake.*)$", RegexOptions.Multiline)]
    private static partial Regex ErrorLine();

    [GeneratedRegex(@"^\* Accepted connection from", RegexOptions.Multiline)]
    private static partial Regex AcceptedLine();

    [GeneratedRegex(@"^- Given server name\[\d+\]: (\S+)", RegexOptions.Multiline)]
    private static partial Regex ServerNameLine();

    [GeneratedRegex(@"^\*\*\* Processing \d+ bytes command: (.*)$", RegexOptions.Multiline)]
    private static partial Regex CommandLine();
}
