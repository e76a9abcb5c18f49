using SharpTls.Interop.Tests.Infrastructure;
using SharpTls.Interop.Tests.Tls13;
using SharpTls.Sessions;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Tls12;

/// <summary>
/// The TLS 1.2 cells of issue 9's interop matrix that the other files left open (stop 10's audit): gnutls priority strings
/// per suite family for our client (it had no TLS 1.2 row against gnutls-serv at all; our server's gnutls-cli rows are in
/// <see cref="Tls12PeersTests"/>), our client against Python's ssl server at TLS 1.2 (only TLS 1.1 was run), and insecure
/// renegotiation refused with a real peer that does not speak RFC 5746 (gnutls with %DISABLE_SAFE_RENEGOTIATION; until now
/// only in memory).
/// </summary>
public class Tls12GnuTlsPythonInteropTests
{
    private static readonly TestPki Pki = TestPki.Shared;

    private static string Priority(string family) => $"NONE:+VERS-TLS1.2:+GROUP-ALL:+SIGN-ALL:+COMP-NULL:+CTYPE-X509:{family}";

    private static SharpTlsServer OurServer(Action<TlsServerOptions>? configure = null)
    {
        var options = SharpTlsServer.DefaultOptions(Pki.ServerRsa);
        options.Certificates = [.. new[] { Pki.ServerEcdsa, Pki.ServerRsa }.Select(c => new ServerCertificate(c.Certificate, c.Chain))];
        options.Versions = TlsVersions.Tls12 | TlsVersions.Tls13;
        configure?.Invoke(options);
        return SharpTlsServer.Start(options);
    }

    [Theory]
    [InlineData("+ECDHE-ECDSA:+AES-128-GCM:+AEAD", CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, "server-ecdsa")]
    [InlineData("+ECDHE-ECDSA:+AES-256-CBC:+SHA1", CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA, "server-ecdsa")]
    [InlineData("+ECDHE-RSA:+CHACHA20-POLY1305:+AEAD", CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, "server-rsa")]
    [InlineData("+ECDHE-RSA:+AES-128-CBC:+SHA256", CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256, "server-rsa")]
    [InlineData("+DHE-RSA:+AES-128-GCM:+AEAD", CipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256, "server-rsa")]
    [InlineData("+RSA:+AES-256-GCM:+AEAD", CipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384, "server-rsa")]
    [InlineData("+RSA:+AES-128-CBC:+SHA1", CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA, "server-rsa")]
    public async Task OurClient_GnuTlsServer_Tls12_EachFamily(string family, CipherSuite expected, string certificate)
    {
        await using var server = await GnuTlsServer.StartAsync(new() { Certificate = Pki[certificate], Priority = Priority(family) });
        await using var client = await SharpTlsClient.ConnectAndEchoAsync(server.Port, SharpTlsClient.Options(o =>
        {
            o.Versions = TlsVersions.Tls12;
            o.CipherSuites = [expected];
        }), "to gnutls-serv 1.2", () => server.Process.Output);
        Assert.Equal((ProtocolVersion.Tls12, expected), (client.Info.Version!.Value, client.Info.CipherSuite!.Value));
        var s = await server.WaitForConnectionAsync();
        Assert.True(s.HandshakeCompleted, s.ToString());
        Assert.Equal(ProtocolVersion.Tls12, s.Version);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task OurClient_GnuTlsServer_Tls12_Resumes_by_ticket_and_by_session_id(bool tickets)
    {
        await using var server = await GnuTlsServer.StartAsync(new() { Priority = "NORMAL:-VERS-ALL:+VERS-TLS1.2", NoTicket = !tickets });
        var options = SharpTlsClient.Options(o =>
        {
            o.Versions = TlsVersions.Tls12;
            o.SessionStore = new ClientSessionStore();
        });
        await using (var first = await SharpTlsClient.ConnectAndEchoAsync(server.Port, options, "first", () => server.Process.Output))
            Assert.False(first.Info.Resumed);
        await using var second = await SharpTlsClient.ConnectAndEchoAsync(server.Port, options, "second", () => server.Process.Output);
        Assert.True(second.Info.Resumed, server.Process.Output);
        Assert.Equal(ProtocolVersion.Tls12, second.Info.Version);
        // gnutls-serv's own account of the second connection.
        await server.WaitForConnectionAsync(2);
        Assert.Contains("This is a resumed session", server.Process.Output);
    }

    [Theory]
    [InlineData("ECDHE-RSA-AES256-GCM-SHA384", CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384)]
    [InlineData("AES128-SHA", CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA)]
    public async Task OurClient_PythonServer_Tls12_Resumes(string cipher, CipherSuite expected)
    {
        await using var server = await PythonTls.StartServerAsync(new()
        {
            Certificate = Pki.ServerRsa, MinVersion = ProtocolVersion.Tls12, MaxVersion = ProtocolVersion.Tls12, Ciphers = cipher,
        });
        var options = SharpTlsClient.Options(o =>
        {
            o.Versions = TlsVersions.Tls12;
            o.CipherSuites = [expected];
            o.SessionStore = new ClientSessionStore();
        });
        await using (var first = await SharpTlsClient.ConnectAndEchoAsync(server.Port, options, "to python 1", () => server.Process.Output))
            Assert.Equal((ProtocolVersion.Tls12, expected, false), (first.Info.Version!.Value, first.Info.CipherSuite!.Value, first.Info.Resumed));
        await using var second = await SharpTlsClient.ConnectAndEchoAsync(server.Port, options, "to python 2", () => server.Process.Output);
        Assert.True(second.Info.Resumed, server.Process.Output);
        var (s1, s2) = (await server.WaitForConnectionAsync(1), await server.WaitForConnectionAsync(2));
        Assert.Equal((ProtocolVersion.Tls12, false, true), (s1.Version!.Value, s1.Resumed == true, s2.Resumed == true));
    }

    [Fact]
    public async Task OurServer_GnuTlsClient_WithoutRfc5746_IsNeverRenegotiated_EvenWhenClientRenegotiationIsAllowed()
    {
        // gnutls-cli with %DISABLE_SAFE_RENEGOTIATION sends neither renegotiation_info nor the SCSV, then --rehandshake asks
        // for a renegotiation: insecure renegotiation (RFC 5746 §4.4) is refused although the policy allows client renegotiation.
        await using var server = OurServer(o => o.ClientRenegotiation = ClientRenegotiationPolicy.Allow);
        await using var client = await GnuTlsClient.ConnectAsync(new()
        {
            Port = server.Port, Priority = "NORMAL:-VERS-ALL:+VERS-TLS1.2:%DISABLE_SAFE_RENEGOTIATION", ExtraArgs = ["--rehandshake"],
        });
        var end = await client.CloseAsync();
        Assert.DoesNotContain("safe renegotiation", end.Output); // gnutls-cli's "- Options:" line names it when RFC 5746 is on
        Assert.DoesNotContain("ReHandshake was completed", end.Output);
        Assert.Contains("Received alert [100]: No renegotiation", end.Output);
        var s = await server.WaitForEndAsync();
        Assert.True(s.HandshakeCompleted, s.ToString());
        Assert.Equal(0, s.Info.Renegotiations);
        Assert.False(s.Failure?.Generated == true && s.Failure.Alert != AlertDescription.UnexpectedMessage, s.ToString());
    }

    [Fact]
    public async Task OurClient_GnuTlsServerWithoutRfc5746_IsNeverRenegotiated()
    {
        // gnutls-serv with %DISABLE_SAFE_RENEGOTIATION answers without renegotiation_info: our client will not renegotiate
        // such a session (RFC 5746 §4.2), and says so before anything is sent.
        await using var server = await GnuTlsServer.StartAsync(new() { Priority = "NORMAL:-VERS-ALL:+VERS-TLS1.2:%DISABLE_SAFE_RENEGOTIATION" });
        await using var client = await SharpTlsClient.ConnectAndEchoAsync(server.Port, SharpTlsClient.Options(o => o.Versions = TlsVersions.Tls12),
            "insecure session", () => server.Process.Output);
        Assert.False(client.Connection.Session!.SecureRenegotiation);
        using var cts = new CancellationTokenSource(PeerTimeouts.Wait);
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.Stream.RenegotiateAsync(cts.Token));
        await client.SendLineAsync("still connected");
        await client.WaitForReceivedAsync("still connected\n");
        Assert.Equal(0, client.Info.Renegotiations);
    }
}
