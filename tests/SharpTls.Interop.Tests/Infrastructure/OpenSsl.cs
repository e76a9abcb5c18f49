using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Infrastructure;

/// <summary>What <c>openssl s_server</c> does with application data.</summary>
public enum OpenSslServerMode
{
    /// <summary>Default: prints what the client sends, sends what is written to its stdin.</summary>
    Interactive,
    /// <summary><c>-www</c>: answers any request with an HTML status page.</summary>
    Www,
    /// <summary><c>-rev</c>: echoes each line back reversed.</summary>
    Rev,
}

/// <summary>How a server asks for client certificates.</summary>
public enum PeerClientAuth
{
    /// <summary>Not requested.</summary>
    None,
    /// <summary>Requested, optional (openssl -verify, gnutls --verify-client-cert).</summary>
    Request,
    /// <summary>Required (openssl -Verify, gnutls --require-client-cert).</summary>
    Require,
}

/// <summary>Options shared by the openssl wrappers (version, groups, ciphers, ALPN, tracing).</summary>
public abstract record OpenSslOptions
{
    /// <summary>Exactly this version (-tls1_3, -tls1_2, -tls1_1, -tls1).</summary>
    public ProtocolVersion? Version { get; init; }

    /// <summary>-min_protocol.</summary>
    public ProtocolVersion? MinVersion { get; init; }

    /// <summary>-max_protocol.</summary>
    public ProtocolVersion? MaxVersion { get; init; }

    /// <summary>-groups, openssl names separated by ':' ("X25519:P-256").</summary>
    public string? Groups { get; init; }

    /// <summary>-ciphersuites (TLS 1.3 suites, ':'-separated).</summary>
    public string? Ciphersuites { get; init; }

    /// <summary>-cipher (TLS 1.2 and below, openssl cipher string).</summary>
    public string? Cipher { get; init; }

    /// <summary>Append @SECLEVEL=0 to the cipher string (needed for TLS 1.0/1.1, SHA-1, small keys).</summary>
    public bool SecurityLevel0 { get; init; }

    /// <summary>-sigalgs ("ecdsa_secp256r1_sha256:rsa_pss_rsae_sha256").</summary>
    public string? SignatureAlgorithms { get; init; }

    /// <summary>-alpn, in preference order.</summary>
    public IReadOnlyList<string>? Alpn { get; init; }

    /// <summary>-keylogfile: NSS key log written here.</summary>
    public string? KeyLogFile { get; init; }

    /// <summary>-msg: trace every protocol message (needed for <see cref="TlsPeerResult.HelloRetryRequest"/> and exact alerts). s_client is always traced.</summary>
    public bool Trace { get; init; }

    /// <summary>Anything else, appended last.</summary>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary>Lifetime limit of the process.</summary>
    public TimeSpan HardTimeout { get; init; } = PeerTimeouts.Hard;

    internal void AddCommon(List<string> a)
    {
        if (Version is { } v)
            a.Add(v switch
            {
                ProtocolVersion.Tls13 => "-tls1_3",
                ProtocolVersion.Tls12 => "-tls1_2",
                ProtocolVersion.Tls11 => "-tls1_1",
                ProtocolVersion.Tls10 => "-tls1",
                _ => throw new ArgumentOutOfRangeException(nameof(Version), v, "openssl 3.0 has no SSL 3.0"),
            });
        if (MinVersion is { } min)
            a.AddRange(["-min_protocol", TlsNames.OpenSslName(min)]);
        if (MaxVersion is { } max)
            a.AddRange(["-max_protocol", TlsNames.OpenSslName(max)]);
        if (Groups is not null)
            a.AddRange(["-groups", Groups]);
        if (Ciphersuites is not null)
            a.AddRange(["-ciphersuites", Ciphersuites]);
        if (Cipher is not null || SecurityLevel0)
            a.AddRange(["-cipher", (Cipher ?? "DEFAULT") + (SecurityLevel0 ? ":@SECLEVEL=0" : "")]);
        if (SignatureAlgorithms is not null)
            a.AddRange(["-sigalgs", SignatureAlgorithms]);
        if (Alpn is { Count: > 0 })
            a.AddRange(["-alpn", string.Join(',', Alpn)]);
        if (KeyLogFile is not null)
            a.AddRange(["-keylogfile", KeyLogFile]);
        if (Trace)
            a.Add("-msg");
    }

    internal static void AddCertificate(List<string> a, TestCertificate cert, string prefix = "")
    {
        a.AddRange([$"-{prefix}cert", cert.CertPath, $"-{prefix}key", cert.KeyPath]);
        if (cert.Chain.Count > 0)
            a.AddRange([$"-{prefix}cert_chain", cert.ChainPath]);
    }
}

/// <summary>Options for <see cref="OpenSslServer"/>.</summary>
public sealed record OpenSslServerOptions : OpenSslOptions
{
    /// <summary>Server certificate (-cert/-key/-cert_chain); default <see cref="TestPki.ServerEcdsa"/>.</summary>
    public TestCertificate? Certificate { get; init; }

    /// <summary>A second certificate of another key type (-dcert/-dkey/-dcert_chain).</summary>
    public TestCertificate? SecondCertificate { get; init; }

    /// <summary>With <see cref="SniCertificate"/>: -servername; a client asking for this name gets that certificate.</summary>
    public string? SniName { get; init; }

    /// <summary>-cert2/-key2: the certificate served for <see cref="SniName"/> (sent without intermediates: verify with <see cref="TestPki.CaBundlePath"/>).</summary>
    public TestCertificate? SniCertificate { get; init; }

    /// <summary>Application data behaviour.</summary>
    public OpenSslServerMode Mode { get; init; } = OpenSslServerMode.Interactive;

    /// <summary>Client certificate request (-verify 1 / -Verify 1 with -verify_return_error).</summary>
    public PeerClientAuth ClientCertificate { get; init; }

    /// <summary>-CAfile for client certificates; default the test root.</summary>
    public string? ClientCaFile { get; init; }

    /// <summary>-num_tickets (TLS 1.3 tickets after the handshake).</summary>
    public int? NumTickets { get; init; }

    /// <summary>-no_ticket: no session tickets (TLS 1.2: no ticket; TLS 1.3: stateful tickets).</summary>
    public bool NoTicket { get; init; }

    /// <summary>-naccept: exit after this many connections.</summary>
    public int? MaxConnections { get; init; }
}

/// <summary>
/// <c>openssl s_server</c> on 127.0.0.1 and a free port. Start with <see cref="StartAsync"/>; it returns once the
/// port listens. Each connection's handshake as the server saw it: <see cref="WaitForConnectionAsync"/>.
/// </summary>
public sealed class OpenSslServer : IAsyncDisposable
{
    private OpenSslServer(PeerProcess process, int port, OpenSslServerOptions options)
    {
        Process = process;
        Port = port;
        Options = options;
    }

    /// <summary>The s_server process (raw output, stdin).</summary>
    public PeerProcess Process { get; }

    /// <summary>Listening port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>Listening address.</summary>
    public string Host => Ports.Loopback;

    /// <summary>The options it was started with.</summary>
    public OpenSslServerOptions Options { get; }

    /// <summary>Starts s_server and waits until it listens.</summary>
    public static async Task<OpenSslServer> StartAsync(OpenSslServerOptions? options = null)
    {
        options ??= new OpenSslServerOptions();
        var pki = TestPki.Shared;
        int port = Ports.Free();
        var a = new List<string> { "s_server", "-accept", $"{Ports.Loopback}:{port}" };
        OpenSslOptions.AddCertificate(a, options.Certificate ?? pki.ServerEcdsa);
        if (options.SecondCertificate is { } second)
        {
            a.AddRange(["-dcert", second.CertPath, "-dkey", second.KeyPath]);
            if (second.Chain.Count > 0)
                a.AddRange(["-dcert_chain", second.ChainPath]);
        }
        if (options.SniName is not null && options.SniCertificate is { } sni)
            a.AddRange(["-servername", options.SniName, "-cert2", sni.CertPath, "-key2", sni.KeyPath]);
        options.AddCommon(a);
        switch (options.Mode)
        {
            case OpenSslServerMode.Www: a.Add("-www"); break;
            case OpenSslServerMode.Rev: a.Add("-rev"); break;
        }
        if (options.ClientCertificate != PeerClientAuth.None)
            a.AddRange([options.ClientCertificate == PeerClientAuth.Require ? "-Verify" : "-verify", "1",
                "-CAfile", options.ClientCaFile ?? pki.RootCaPath, "-verify_return_error"]);
        if (options.NumTickets is { } n)
            a.AddRange(["-num_tickets", n.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        if (options.NoTicket)
            a.Add("-no_ticket");
        if (options.MaxConnections is { } max)
            a.AddRange(["-naccept", max.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        a.AddRange(options.ExtraArgs);

        var process = await PeerClient.StartAsync("openssl", a, new PeerProcessOptions { DisplayName = "openssl s_server", HardTimeout = options.HardTimeout },
            p => Ports.WaitUntilListeningAsync(port, p));
        return new OpenSslServer(process, port, options);
    }

    /// <summary>Connections seen so far, parsed (the last one may still be open).</summary>
    public IReadOnlyList<TlsPeerResult> Connections =>
        OpenSslOutput.ServerSegments(Process.Output).Select(s => OpenSslOutput.ParseServerConnection(s.Text, s.Closed)).ToList();

    /// <summary>
    /// Waits until connection number <paramref name="number"/> (1-based) has finished its handshake or has closed,
    /// and returns what the server saw of it.
    /// </summary>
    public async Task<TlsPeerResult> WaitForConnectionAsync(int number = 1, TimeSpan? timeout = null)
    {
        bool ok = await Process.TryWaitUntilAsync(text =>
        {
            var segments = OpenSslOutput.ServerSegments(text);
            return segments.Count >= number && (segments[number - 1].Closed || segments[number - 1].Text.Contains("\nCIPHER is ", StringComparison.Ordinal)
                || segments[number - 1].Text.StartsWith("CIPHER is ", StringComparison.Ordinal));
        }, $"connection #{number}", timeout);
        if (!ok)
            throw Process.Failure($"exited before connection #{number}");
        return Connections[number - 1];
    }

    /// <summary>Waits until the server has printed <paramref name="text"/> (data from the client, interactive mode).</summary>
    public Task WaitForReceivedAsync(string text, TimeSpan? timeout = null) =>
        Process.WaitForOutputAsync(System.Text.RegularExpressions.Regex.Escape(text), timeout, stream: OutputStream.StandardOutput);

    /// <summary>Sends a line to the connected client (interactive mode). Lines starting with q, Q, r, R, k, K, c, P are s_server commands.</summary>
    public Task SendLineAsync(string line) => Process.WriteLineAsync(line);

    /// <summary>
    /// Sends a TLS 1.3 KeyUpdate; <paramref name="requestPeerUpdate"/> asks the client to update too (K instead of k).
    /// Waits until s_server has sent it: s_server takes a whole stdin read as the command, so a line written
    /// right after the "k" in the same read would be swallowed.
    /// </summary>
    public async Task KeyUpdateAsync(bool requestPeerUpdate = false)
    {
        int from = Process.OutputLength;
        await Process.WriteLineAsync(requestPeerUpdate ? "K" : "k");
        await Process.WaitForOutputAsync("^SSL_do_handshake -> ", startAt: from);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Process.DisposeAsync();
}

/// <summary>Options for <see cref="OpenSslClient"/>.</summary>
public sealed record OpenSslClientOptions : OpenSslOptions
{
    /// <summary>Server port on <see cref="Host"/>.</summary>
    public required int Port { get; init; }

    /// <summary>Server address.</summary>
    public string Host { get; init; } = Ports.Loopback;

    /// <summary>SNI name (-servername) and the name verified; null sends no SNI (-noservername) and verifies the IP.</summary>
    public string? ServerName { get; init; } = "localhost";

    /// <summary>-CAfile; default the test root.</summary>
    public string? CaFile { get; init; }

    /// <summary>Fail the handshake on a verification error (-verify_return_error) and check the host name (-verify_hostname / -verify_ip).</summary>
    public bool Verify { get; init; } = true;

    /// <summary>Client certificate (-cert/-key/-cert_chain).</summary>
    public TestCertificate? ClientCertificate { get; init; }

    /// <summary>-sess_out: where to save the session (ticket).</summary>
    public string? SessionOut { get; init; }

    /// <summary>-sess_in: session to resume.</summary>
    public string? SessionIn { get; init; }

    /// <summary>After a TLS 1.3 handshake, wait for a NewSessionTicket before going on (default: when <see cref="SessionOut"/> is set).</summary>
    public bool? WaitForTicket { get; init; }

    /// <summary>-no_ticket.</summary>
    public bool NoTicket { get; init; }
}

/// <summary>
/// <c>openssl s_client</c>. One shot: <see cref="RunAsync"/>. Interactive: <see cref="ConnectAsync"/>, then
/// <see cref="SendLineAsync"/>, <see cref="WaitForReceivedAsync"/>, <see cref="KeyUpdateAsync"/>, <see cref="CloseAsync"/>.
/// </summary>
public sealed class OpenSslClient : PeerClient
{
    private OpenSslClient(PeerProcess process, TlsPeerResult handshake)
        : base(process, handshake)
    {
    }

    /// <summary>Connects, sends <paramref name="sendLine"/> (if any), waits for <paramref name="expectReceived"/> (if any), closes, returns the result.</summary>
    public static async Task<TlsPeerResult> RunAsync(OpenSslClientOptions options, string? sendLine = null, string? expectReceived = null) =>
        await RunAsync(await ConnectAsync(options), sendLine, expectReceived);

    // End of s_client's summary: TLS 1.3 ends with "Verify return code", TLS 1.2 with the SSL-Session block.
    private const string HandshakeDone = @"^(?:Verify return code: .*|    Extended master secret: .*)\n---\n";

    /// <summary>Starts s_client and returns once the handshake completed or failed (see <see cref="Handshake"/>).</summary>
    public static async Task<OpenSslClient> ConnectAsync(OpenSslClientOptions options)
    {
        var pki = TestPki.Shared;
        var a = new List<string> { "s_client", "-connect", $"{options.Host}:{options.Port}" };
        if (options.ServerName is not null)
            a.AddRange(["-servername", options.ServerName]);
        else
            a.Add("-noservername");
        a.AddRange(["-CAfile", options.CaFile ?? pki.RootCaPath]);
        if (options.Verify)
        {
            a.Add("-verify_return_error");
            if (options.ServerName is not null)
                a.AddRange(["-verify_hostname", options.ServerName]);
            else if (System.Net.IPAddress.TryParse(options.Host, out _))
                a.AddRange(["-verify_ip", options.Host]);
        }
        if (options.ClientCertificate is { } cert)
            OpenSslOptions.AddCertificate(a, cert);
        if (options.SessionOut is not null)
            a.AddRange(["-sess_out", options.SessionOut]);
        if (options.SessionIn is not null)
            a.AddRange(["-sess_in", options.SessionIn]);
        if (options.NoTicket)
            a.Add("-no_ticket");
        options.AddCommon(a);
        if (!options.Trace)
            a.Add("-msg"); // always traced: whether Finished went both ways is the reliable completion signal
        a.AddRange(options.ExtraArgs);

        TlsPeerResult? result = null;
        var process = await StartAsync("openssl", a, new PeerProcessOptions { DisplayName = "openssl s_client", HardTimeout = options.HardTimeout }, async p =>
        {
            var done = await p.TryWaitForOutputAsync(HandshakeDone);
            result = OpenSslOutput.ParseClient(p.Output, p.ExitCode);
            if (done is not null && result.Version == ProtocolVersion.Tls13 && (options.WaitForTicket ?? options.SessionOut is not null))
            {
                await p.WaitForOutputAsync(@"Post-Handshake New Session Ticket arrived:\n(?:.*\n)*?---\n", startAt: done.Index);
                result = OpenSslOutput.ParseClient(p.Output, p.ExitCode);
            }
        });
        return new OpenSslClient(process, result!);
    }

    /// <summary>Waits until the server's data contains <paramref name="text"/>. (Sent lines starting with Q, R, k, K are s_client commands.)</summary>
    public override Task WaitForReceivedAsync(string text, TimeSpan? timeout = null) =>
        Process.WaitForOutputAsync(System.Text.RegularExpressions.Regex.Escape(text), timeout, stream: OutputStream.StandardOutput);

    /// <summary>Sends a TLS 1.3 KeyUpdate ("k", or "K" to request one back) and waits for s_client to confirm it.</summary>
    public async Task KeyUpdateAsync(bool requestPeerUpdate = false)
    {
        int from = Process.OutputLength;
        await Process.WriteLineAsync(requestPeerUpdate ? "K" : "k");
        await Process.WaitForOutputAsync("^KEYUPDATE$", startAt: from);
    }

    /// <summary>Asks for a TLS 1.2 renegotiation ("R") and waits for s_client to start it.</summary>
    public async Task RenegotiateAsync()
    {
        int from = Process.OutputLength;
        await Process.WriteLineAsync("R");
        await Process.WaitForOutputAsync("^RENEGOTIATING$", startAt: from);
    }

    /// <summary>Closes stdin (s_client sends close_notify and exits), waits for the exit, returns the full result.</summary>
    public override async Task<TlsPeerResult> CloseAsync()
    {
        Process.CloseInput();
        int code = await Process.WaitForExitAsync();
        return OpenSslOutput.ParseClient(Process.Output, code);
    }

    /// <summary>Waits for s_client to exit by itself (the server closed or sent an alert); returns the full result.</summary>
    public async Task<TlsPeerResult> WaitForPeerCloseAsync(TimeSpan? timeout = null)
    {
        int code = await Process.WaitForExitAsync(timeout);
        return OpenSslOutput.ParseClient(Process.Output, code);
    }
}
