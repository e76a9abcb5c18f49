using SharpTls.Interop.Tests.Infrastructure;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Tls13;

/// <summary>Refusals with real peers: the right alert in our <see cref="TlsConnection.Failure"/> and in the peer's own account.</summary>
public class NegativeTests
{
    private static readonly TestPki Pki = TestPki.Shared;

    [Theory]
    [InlineData("server-expired", AlertDescription.CertificateExpired, "expired")]
    [InlineData("server-other-name", AlertDescription.BadCertificate, "localhost")]
    [InlineData("server-untrusted", AlertDescription.UnknownCa, "root")]
    public async Task OurClient_RefusesServerCertificate(string certificate, AlertDescription alert, string reasonMentions)
    {
        await using var server = await OpenSslServer.StartAsync(new() { Certificate = Pki[certificate], Version = ProtocolVersion.Tls13, Trace = true });
        await using var client = await SharpTlsClient.ConnectAsync(server.Port, SharpTlsClient.DefaultOptions());
        Assert.False(client.HandshakeCompleted, client.ToString());
        var failure = client.Failure;
        Assert.NotNull(failure);
        Assert.Equal((alert, true, TlsStatus.Failed), (failure.Alert, failure.Generated, client.Connection.Status));
        Assert.Contains(reasonMentions, failure.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Client.Tls13.ExpectCertificate", failure.InternalState);
        Assert.IsType<IO.TlsHandshakeException>(client.Error);
        // s_server decrypted our alert (sent under the handshake keys) and names it.
        var s = await server.WaitForConnectionAsync();
        Assert.False(s.HandshakeCompleted, s.ToString());
        Assert.Equal(alert, s.Alert);
        Assert.Matches($@"<<< [^\n]*Alert \[length 0002\], fatal {Alerts.Name(alert)}", s.Output);
    }

    [Fact]
    public async Task OurServer_RequiredClientCertificate_ClientSendsNone_CertificateRequired()
    {
        await using var server = SharpTlsServer.Start(SharpTlsServer.ClientCertificates(ClientCertificateMode.Required));
        await using var client = await OpenSslClient.ConnectAsync(new() { Port = server.Port });
        // In TLS 1.3 the client has finished its side before our verdict arrives: the alert comes on its next read.
        var c = await client.WaitForPeerCloseAsync();
        Assert.Equal(AlertDescription.CertificateRequired, c.Alert);
        Assert.Matches(@"<<< [^\n]*Alert \[length 0002\], fatal certificate_required", c.Output);
        Assert.Matches(@">>> [^\n]*Handshake \[length 0008\], Certificate", c.Output); // the empty Certificate it sent
        var s = await server.WaitForEndAsync();
        Assert.False(s.HandshakeCompleted);
        Assert.Equal((AlertDescription.CertificateRequired, true), (s.Failure!.Alert, s.Failure.Generated));
        Assert.Equal("Server.Tls13.ExpectCertificate", s.Failure.InternalState);
        Assert.Empty(s.Info.PeerCertificates);
    }

    [Fact]
    public async Task OurServer_Tls13Only_Tls12OnlyClient_ProtocolVersion()
    {
        // The default server speaks TLS 1.2 too (see Tls12/); one with TLS 1.3 only still refuses it.
        await using var server = SharpTlsServer.Start(o => o.Versions = TlsVersions.Tls13);
        var c = await OpenSslClient.RunAsync(new() { Port = server.Port, Version = ProtocolVersion.Tls12 });
        Assert.False(c.HandshakeCompleted, c.ToString());
        Assert.Equal(AlertDescription.ProtocolVersion, c.Alert);
        Assert.Matches(@"<<< [^\n]*Alert \[length 0002\], fatal protocol_version", c.Output);
        var s = await server.WaitForEndAsync();
        var failure = s.Failure!;
        Assert.Equal((AlertDescription.ProtocolVersion, true), (failure.Alert, failure.Generated));
        Assert.Equal(Diagnostics.TlsEvents.ProtocolVersionRefused, failure.EventId);
        Assert.Contains("the client offers TLS 1.2", failure.Reason);
        Assert.Contains("this server enables TLS 1.3", failure.Reason);
    }

    /// <summary>
    /// RFC 8446 §4.4.2.2 (issue 10 deviation 4): s_client offering only rsa_pss_pss_* or only rsa_pkcs1_* to an
    /// rsa_pss_rsae certificate gets handshake_failure instead of a ServerHello.
    /// </summary>
    [Theory]
    [InlineData("rsa_pss_pss_sha256")]
    [InlineData("rsa_pkcs1_sha256")]
    public async Task OurServer_NoSignatureSchemeInCommon_IsHandshakeFailureBeforeServerHello(string only)
    {
        await using var server = SharpTlsServer.Start(SharpTlsServer.DefaultOptions(Pki.ServerRsa));
        var c = await OpenSslClient.RunAsync(new() { Port = server.Port, Version = ProtocolVersion.Tls13, SignatureAlgorithms = only });
        Assert.False(c.HandshakeCompleted, c.ToString());
        Assert.Equal(AlertDescription.HandshakeFailure, c.Alert);
        Assert.Matches(@"<<< [^\n]*Alert \[length 0002\], fatal handshake_failure", c.Output);
        Assert.DoesNotMatch(@"<<< [^\n]*ServerHello", c.Output);
        var s = await server.WaitForEndAsync();
        var failure = s.Failure!;
        Assert.Equal((AlertDescription.HandshakeFailure, true, "Server.AwaitPolicy"), (failure.Alert, failure.Generated, failure.InternalState));
        Assert.Contains("no certificate can sign", failure.Reason);
    }

    /// <summary>
    /// Issue 10 (CCM_8 stays opt-in): s_client offering only TLS_AES_128_CCM_8_SHA256 gets handshake_failure, and our
    /// event (36874, no cipher suite in common) names the switch that would allow it.
    /// </summary>
    [Fact]
    public async Task OurServer_ClientOffersOnlyCcm8_IsHandshakeFailureNamingTheSwitch()
    {
        await using var server = SharpTlsServer.Start();
        var c = await OpenSslClient.RunAsync(new() { Port = server.Port, Version = ProtocolVersion.Tls13, Ciphersuites = "TLS_AES_128_CCM_8_SHA256" });
        Assert.False(c.HandshakeCompleted, c.ToString());
        Assert.Equal(AlertDescription.HandshakeFailure, c.Alert);
        Assert.Matches(@"<<< [^\n]*Alert \[length 0002\], fatal handshake_failure", c.Output);
        var s = await server.WaitForEndAsync();
        var failure = s.Failure!;
        Assert.Equal((AlertDescription.HandshakeFailure, true), (failure.Alert, failure.Generated));
        Assert.Equal(Diagnostics.TlsEvents.NoCipherSuiteInCommon, failure.EventId);
        Assert.Contains("TLS_AES_128_CCM_8_SHA256 is off on this server (TlsServerOptions.EnableCcm8)", failure.Reason);
    }
}
