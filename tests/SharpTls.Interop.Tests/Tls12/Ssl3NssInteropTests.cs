using SharpTls.Interop.Tests.Infrastructure;
using SharpTls.Interop.Tests.Tls13;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Tls12;

/// <summary>
/// SSL 3.0 against a real, independent peer: NSS (tstclnt and selfserv from libnss3-tools, <c>-V ssl3:ssl3</c>), both
/// directions. OpenSSL 3.0 and GnuTLS 3.7 here have no SSL 3.0 at all. Each SSL 3.0 suite family (RSA, DHE_RSA, DHE_DSS;
/// AES and 3DES), resumption by session ID, TLS_FALLBACK_SCSV from an SSL 3.0 client (tstclnt -K), the switch off, and
/// renegotiation, which neither of our sides does on SSL 3.0 (tstclnt -r, selfserv -rrr): a fatal handshake_failure with
/// the reason, as RFC 5746 §4.5 has SSL 3.0 refuse, since SSL 3.0 has no no_renegotiation warning.
/// </summary>
public class Ssl3NssInteropTests
{
    private static readonly TestPki Pki = TestPki.Shared;
    private const TlsVersions Everything = TlsVersions.Ssl3 | TlsVersions.Tls10 | TlsVersions.Tls11 | TlsVersions.Tls12 | TlsVersions.Tls13;

    private static SharpTlsServer Start(TlsVersions versions)
    {
        var options = SharpTlsServer.DefaultOptions(Pki.ServerRsa);
        options.Certificates = [.. new[] { Pki.ServerRsa, Pki.ServerDsa }.Select(c => new ServerCertificate(c.Certificate, c.Chain))];
        options.Versions = versions;
        return SharpTlsServer.Start(options, ServeMode.Http);
    }

    [Theory]
    [InlineData(CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA)]
    [InlineData(CipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA)]
    [InlineData(CipherSuite.TLS_RSA_WITH_3DES_EDE_CBC_SHA)]
    [InlineData(CipherSuite.TLS_DHE_RSA_WITH_AES_256_CBC_SHA)]
    [InlineData(CipherSuite.TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA)]
    [InlineData(CipherSuite.TLS_DHE_DSS_WITH_AES_128_CBC_SHA)]
    [InlineData(CipherSuite.TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA)]
    public async Task OurServer_Tstclnt_Ssl3_EachFamily(CipherSuite suite)
    {
        await using var server = Start(Everything);
        var nss = await NssDb.CreateAsync();
        string output = await nss.ConnectAsync(server.Port, "ssl3:ssl3", $":{(ushort)suite:x4}");
        // Our HTTP answer names what the server negotiated; tstclnt printed it after a complete handshake.
        Assert.Contains($"SharpTls SSL 3.0 {suite} ", output);
        var s = await server.WaitForHandshakeAsync();
        Assert.Equal((ProtocolVersion.Ssl3, suite), (s.Info.Version!.Value, s.Info.CipherSuite!.Value));
        Assert.Null(s.Failure);
    }

    [Fact]
    public async Task OurServer_Tstclnt_Ssl3_FallbackScsv_IsInappropriateFallback()
    {
        await using var server = Start(TlsVersions.Ssl3 | TlsVersions.Tls10);
        var nss = await NssDb.CreateAsync();
        string output = await nss.ConnectAsync(server.Port, "ssl3:ssl3", extra: ["-K"]);
        Assert.Contains("SSL_ERROR_INAPPROPRIATE_FALLBACK_ALERT", output);
        var s = await server.WaitForEndAsync();
        Assert.Equal(AlertDescription.InappropriateFallback, s.Failure?.Alert);
        // At our highest version the SCSV is no fallback: served.
        await using var ssl3Only = Start(TlsVersions.Ssl3);
        Assert.Contains("SharpTls SSL 3.0 ", await nss.ConnectAsync(ssl3Only.Port, "ssl3:ssl3", extra: ["-K"]));
    }

    [Fact]
    public async Task OurServer_Tstclnt_Ssl3_SwitchedOff_IsProtocolVersionNamingTheSwitch()
    {
        await using var server = Start(TlsVersions.Default | TlsVersions.Tls10);
        var nss = await NssDb.CreateAsync();
        string output = await nss.ConnectAsync(server.Port, "ssl3:ssl3");
        Assert.Contains("SSL_ERROR_PROTOCOL_VERSION_ALERT", output);
        var s = await server.WaitForEndAsync();
        Assert.Equal(AlertDescription.ProtocolVersion, s.Failure?.Alert);
        Assert.Contains("TlsVersions.Ssl3 in TlsServerOptions.Versions", s.Failure!.Reason);
        Assert.Contains("Protocols\\SSL 3.0\\Server\\Enabled", s.Failure.Reason);
    }

    [Fact]
    public async Task OurServer_Tstclnt_Ssl3_Renegotiation_IsAFatalHandshakeFailure()
    {
        var options = SharpTlsServer.DefaultOptions(Pki.ServerRsa);
        options.Versions = TlsVersions.Ssl3;
        options.ClientRenegotiation = ClientRenegotiationPolicy.Allow; // allowed at TLS 1.0 and later: SSL 3.0 still refuses
        await using var server = SharpTlsServer.Start(options, ServeMode.Http);
        var nss = await NssDb.CreateAsync();
        // Our SSL 3.0 ServerHello carries renegotiation_info (RFC 5746 §4.5), so NSS sees a server that signals secure
        // renegotiation and renegotiates (with renegotiation_info in its SSL 3.0 hello); we refuse, fatally.
        // tstclnt writes its request, then renegotiates: the request is left without its blank line, so the server is still
        // reading when the renegotiating hello comes (with a whole request it could answer and close first, a race).
        string output = await nss.ConnectAsync(server.Port, "ssl3:ssl3", extra: ["-r", "1"], until: "SSL_ERROR",
            request: "GET / HTTP/1.0\r\n");
        // NSS reports a received handshake_failure alert as SSL_ERROR_NO_CYPHER_OVERLAP.
        Assert.Contains("read from socket failed: SSL_ERROR_NO_CYPHER_OVERLAP", output);
        var s = await server.WaitForEndAsync();
        Assert.Equal(ProtocolVersion.Ssl3, s.Info.Version);
        Assert.Equal((AlertDescription.HandshakeFailure, true, "Server.Tls12.Connected"), (s.Failure!.Alert, s.Failure.Generated, s.Failure.InternalState));
        Assert.Contains("the client asked to renegotiate: SSL 3.0 connections are not renegotiated", s.Failure.Reason);
    }

    [Fact]
    public async Task OurClient_Selfserv_Ssl3_HelloRequest_IsAFatalHandshakeFailure()
    {
        var nss = await (await NssDb.CreateAsync()).WithCertificateAsync(Pki.ServerRsa);
        // -rrr: selfserv asks for a client certificate on a second handshake (a HelloRequest after the request).
        var (selfserv, port) = await nss.ServeAsync("ssl3:ssl3", extra: ["-r", "-r", "-r"]);
        await using var _ = selfserv;
        await using var client = await SharpTlsClient.ConnectAsync(port, SharpTlsClient.Options(o => { o.Versions = TlsVersions.Ssl3; o.AllowRenegotiation = true; }));
        Assert.True(client.HandshakeCompleted, client.ToString() + selfserv.Output);
        Assert.True(client.Connection.Session!.SecureRenegotiation, "selfserv answered our SCSV with renegotiation_info");
        await client.SendLineAsync("GET /renegotiate HTTP/1.0\r\n\r");
        await Assert.ThrowsAnyAsync<Exception>(() => client.ReadToEndAsync());
        Assert.Equal((AlertDescription.HandshakeFailure, true, "Client.Tls12.Connected"), (client.Failure!.Alert, client.Failure.Generated, client.Failure.InternalState));
        Assert.Contains("the server asked to renegotiate (HelloRequest): SSL 3.0 connections are not renegotiated", client.Failure.Reason);
    }

    [Theory]
    [InlineData(CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA)]
    [InlineData(CipherSuite.TLS_RSA_WITH_3DES_EDE_CBC_SHA)]
    [InlineData(CipherSuite.TLS_DHE_RSA_WITH_AES_256_CBC_SHA)]
    public async Task OurClient_Selfserv_Ssl3_EachFamily_ResumesById(CipherSuite suite)
    {
        var nss = await (await NssDb.CreateAsync()).WithCertificateAsync(Pki.ServerRsa);
        var (selfserv, port) = await nss.ServeAsync("ssl3:ssl3");
        await using var _ = selfserv;
        var store = new Sessions.ClientSessionStore();
        var options = SharpTlsClient.Options(o => { o.Versions = TlsVersions.Ssl3; o.CipherSuites = [suite]; o.SessionStore = store; });
        for (int i = 0; i < 2; i++)
        {
            await using var client = await SharpTlsClient.ConnectAsync(port, options);
            Assert.True(client.HandshakeCompleted, client.ToString() + selfserv.Output);
            Assert.Equal((ProtocolVersion.Ssl3, suite, i == 1), (client.Info.Version!.Value, client.Info.CipherSuite!.Value, client.Info.Resumed));
            // selfserv answers a GET with its page and the request echoed: data both ways under the SSL 3.0 MAC and CBC (1/n-1 split).
            await client.SendLineAsync("GET /ssl3-" + i + " HTTP/1.0\r\n\r");
            string page = await client.ReadToEndAsync();
            Assert.Contains("HTTP/1.0 200 OK", page);
            Assert.Contains("GET /ssl3-" + i + " HTTP/1.0", page);
        }
    }
}
