using System.Net;
using System.Net.Sockets;
using SharpTls.Interop.Tests.Infrastructure;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Tls13;

/// <summary>
/// The options README's "The command" lists for <c>sharptls listen</c> and <c>sharptls connect</c>, through the real
/// processes against openssl: each one must reach the engine (the engine features themselves have their own tests).
/// listen: --client-cert required --cafile, --alpn, --keylog, --no-tickets --no-session-ids, --max-handshakes;
/// connect: --cert/--key, --alpn, --groups, --keylog and SSLKEYLOGFILE.
/// </summary>
public class CliOptionsInteropTests
{
    private static readonly TestPki Pki = TestPki.Shared;
    private static string Cli => SharpTlsCli.Dll;

    private static Task<PeerProcess> ListenAsync(int port, params string[] extra) => SharpTlsCli.ListenAsync(port, ["--echo", .. extra], TimeSpan.FromMinutes(2));

    private static string NewPath(string name) => Path.Combine(Pki.Directory, $"{name}-{Guid.NewGuid():N}");

    /// <summary>The key-log lines of a file, without comments and blank lines.</summary>
    private static string[] KeyLogLines(string path) => File.ReadAllLines(path).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();

    [Fact]
    public async Task Listen_client_cert_cafile_alpn_and_keylog_reach_the_server()
    {
        string ours = NewPath("listen.keylog"), theirs = NewPath("s_client.keylog");
        int port = Ports.Free();
        await using var listen = await ListenAsync(port, "--client-cert", "required", "--cafile", Pki.RootCaPath, "--alpn", "h2,http/1.1", "--keylog", ours);

        var ok = await OpenSslClient.RunAsync(new()
        {
            Port = port, Version = ProtocolVersion.Tls13, ClientCertificate = Pki.ClientEcdsa, Alpn = ["http/1.1"], KeyLogFile = theirs,
        }, "with-cert", "with-cert");
        Assert.True(ok.HandshakeCompleted, ok.ToString() + listen.Output);
        Assert.Equal("http/1.1", ok.Alpn);
        // The server's key log has the five TLS 1.3 secrets of this connection, the same as the client's.
        Assert.True(await listen.TryWaitUntilAsync(_ => File.Exists(ours) && KeyLogLines(ours).Length >= 5, "five key-log lines", TimeSpan.FromSeconds(10)), listen.Output);
        Assert.Equal(KeyLogLines(theirs).Order(), KeyLogLines(ours).Order());
        Assert.Contains("TLS key logging is on", listen.Output);

        // Without a certificate: --client-cert required refuses it (RFC 8446 §4.4.2.4: certificate_required).
        // In TLS 1.3 the client has finished its side before the verdict arrives: the alert comes on its next read.
        await using (var none = await OpenSslClient.ConnectAsync(new() { Port = port, Version = ProtocolVersion.Tls13 }))
        {
            var refused = await none.WaitForPeerCloseAsync();
            Assert.Equal(AlertDescription.CertificateRequired, refused.Alert);
        }
        // A certificate that does not chain to the --cafile's root is refused too.
        await using (var other = await OpenSslClient.ConnectAsync(new() { Port = port, Version = ProtocolVersion.Tls13, ClientCertificate = Pki.ServerUntrusted }))
        {
            var untrusted = await other.WaitForPeerCloseAsync();
            Assert.True(untrusted.Alert is AlertDescription.UnknownCa or AlertDescription.BadCertificate or AlertDescription.UnsupportedCertificate, untrusted.ToString());
        }
        Assert.True(await listen.TryWaitUntilAsync(o => o.Contains("(certificate_required)", StringComparison.Ordinal), "the certificate_required event", TimeSpan.FromSeconds(10)), listen.Output);
    }

    [Fact]
    public async Task Listen_no_tickets_and_no_session_ids_leave_TLS12_nothing_to_resume_with()
    {
        int port = Ports.Free();
        await using var listen = await ListenAsync(port, "--no-tickets", "--no-session-ids");
        string session = NewPath("no-resume.pem");
        var first = await OpenSslClient.RunAsync(new() { Port = port, Version = ProtocolVersion.Tls12, SessionOut = session }, "one", "one");
        Assert.True(first.HandshakeCompleted, first.ToString());
        // Seed 004's third case: no session ID, and no ticket either, so s_client has no resumable session to save.
        Assert.Matches(@"Session-ID: *\n", first.Output);
        Assert.DoesNotContain("TLS session ticket:", first.Output);
        Assert.False(File.Exists(session), "s_client saved a resumable session");

        // The same two connections to a default listen resume (the check above can fail).
        int other = Ports.Free();
        await using var resuming = await ListenAsync(other);
        string kept = NewPath("resume.pem");
        var a = await OpenSslClient.RunAsync(new() { Port = other, Version = ProtocolVersion.Tls12, SessionOut = kept }, "one", "one");
        Assert.True(a.HandshakeCompleted, a.ToString());
        Assert.Matches(@"Session-ID: [0-9A-F]{64}", a.Output);
        var b = await OpenSslClient.RunAsync(new() { Port = other, Version = ProtocolVersion.Tls12, SessionIn = kept }, "two", "two");
        Assert.Contains("Reused, TLSv1.2", b.Output);
    }

    [Fact]
    public async Task Listen_max_handshakes_closes_the_oldest_stalled_handshake_and_serves_openssl()
    {
        int port = Ports.Free();
        await using var listen = await ListenAsync(port, "--max-handshakes", "1");
        using var stalled = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await stalled.ConnectAsync(IPAddress.Loopback, port);
        await stalled.SendAsync(new byte[] { 0x16, 0x03, 0x01 }); // part of a record header, then silence: it holds the one place
        await Task.Delay(1000); // accepted and counted (no signal to wait for; if it is not yet, openssl is served anyway and 36894 is missing)
        var served = await OpenSslClient.RunAsync(new() { Port = port, Version = ProtocolVersion.Tls13 }, "served", "served");
        Assert.True(served.HandshakeCompleted, served.ToString() + listen.Output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Assert.Equal(0, await stalled.ReceiveAsync(new byte[16], cts.Token)); // closed to make room, long before the 10 s timeout ends it
        Assert.True(await listen.TryWaitUntilAsync(o => o.Contains("[36894]", StringComparison.Ordinal),
            "event 36894", TimeSpan.FromSeconds(10)), listen.Output);
    }

    [Fact]
    public async Task Connect_cert_key_alpn_groups_and_keylog_reach_the_client()
    {
        await using var server = await OpenSslServer.StartAsync(new()
        {
            Version = ProtocolVersion.Tls13, ClientCertificate = PeerClientAuth.Require, Alpn = ["h2"], Groups = "P-384", Trace = true, MaxConnections = 2,
            KeyLogFile = NewPath("s_server.keylog"),
        });
        string ours = NewPath("connect.keylog");
        await using (var connect = PeerProcess.Start("dotnet", [Cli, "connect", $"127.0.0.1:{server.Port}", "--servername", "localhost", "--cafile", Pki.RootCaPath,
            "--cert", Pki.ClientEcdsa.FullChainPath, "--key", Pki.ClientEcdsa.KeyPath, "--alpn", "h2", "--groups", "secp384r1", "--keylog", ours],
            new PeerProcessOptions { DisplayName = "sharptls connect" }))
        {
            int exit = await connect.WaitForExitAsync(TimeSpan.FromSeconds(60));
            string output = connect.StandardOutput;
            Assert.True(exit == 0, output + connect.StandardError);
            Assert.Contains("Key exchange group: secp384r1", output);
            Assert.Contains("HelloRetryRequest: no", output); // --groups made the P-384 share the first one sent
            Assert.Contains("ALPN: h2", output);
        }
        // s_server required a certificate and verified ours (-verify_return_error), and it logged the same secrets.
        var theirs = await server.WaitForConnectionAsync();
        Assert.True(theirs.HandshakeCompleted, theirs.ToString());
        Assert.Contains("SharpTls Test Client ECDSA", server.Process.Output);
        Assert.Equal(KeyLogLines(server.Options.KeyLogFile!).Order(), KeyLogLines(ours).Order());

        // SSLKEYLOGFILE: the commands honour it as curl does (the library never reads it by itself).
        string fromEnvironment = NewPath("env.keylog");
        await using (var again = PeerProcess.Start("dotnet", [Cli, "connect", $"127.0.0.1:{server.Port}", "--servername", "localhost", "--cafile", Pki.RootCaPath,
            "--cert", Pki.ClientEcdsa.FullChainPath, "--key", Pki.ClientEcdsa.KeyPath, "--groups", "secp384r1"],
            new PeerProcessOptions { DisplayName = "sharptls connect", Environment = new Dictionary<string, string> { ["SSLKEYLOGFILE"] = fromEnvironment } }))
        {
            int exit = await again.WaitForExitAsync(TimeSpan.FromSeconds(60));
            Assert.True(exit == 0, again.StandardOutput + again.StandardError);
        }
        Assert.Equal(5, KeyLogLines(fromEnvironment).Length);
        Assert.All(KeyLogLines(fromEnvironment), line => Assert.Contains(line, KeyLogLines(server.Options.KeyLogFile!)));
    }
}
