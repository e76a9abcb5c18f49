using SharpTls.Interop.Tests.Infrastructure;
using SharpTls.Interop.Tests.Tls13;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Tls12;

/// <summary>
/// TLS 1.0 and TLS 1.1 behind their switches (issue 9 item 7) against real peers, both directions: openssl s_client and
/// s_server (<c>-tls1</c>/<c>-tls1_1</c> at <c>@SECLEVEL=0</c>; this OpenSSL 3.0 has no SSL 3.0 and no 3DES), gnutls-cli and
/// gnutls-serv (priority strings per version, 3DES and DHE_DSS included; Debian's GnuTLS 3.7 has no SSL 3.0 either), curl and
/// Python's ssl. Each suite family, resumption, client certificates (legacy CertificateVerify both ways), the
/// TLS_FALLBACK_SCSV refusal and the refusal of a switched-off version. SSL 3.0 is covered in memory and by vectors only.
/// </summary>
public class LegacyInteropTests
{
    private static readonly TestPki Pki = TestPki.Shared;
    private const TlsVersions Everything = TlsVersions.Ssl3 | TlsVersions.Tls10 | TlsVersions.Tls11 | TlsVersions.Tls12 | TlsVersions.Tls13;

    private static SharpTlsServer Start(TlsVersions versions, ServeMode mode = ServeMode.Echo, Action<TlsServerOptions>? configure = null)
    {
        var options = SharpTlsServer.DefaultOptions(Pki.ServerRsa);
        options.Certificates = [.. new[] { Pki.ServerRsa, Pki.ServerEcdsa, Pki.ServerDsa }.Select(c => new ServerCertificate(c.Certificate, c.Chain))];
        options.Versions = versions;
        configure?.Invoke(options);
        return SharpTlsServer.Start(options, mode);
    }

    private static TlsVersions Flag(ProtocolVersion v) => v == ProtocolVersion.Tls10 ? TlsVersions.Tls10 : TlsVersions.Tls11;

    [Theory]
    [InlineData(ProtocolVersion.Tls10, "AES128-SHA", CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA)]
    [InlineData(ProtocolVersion.Tls10, "DHE-RSA-AES256-SHA", CipherSuite.TLS_DHE_RSA_WITH_AES_256_CBC_SHA)]
    [InlineData(ProtocolVersion.Tls10, "ECDHE-RSA-AES128-SHA", CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA)]
    [InlineData(ProtocolVersion.Tls10, "ECDHE-ECDSA-AES256-SHA", CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA)]
    [InlineData(ProtocolVersion.Tls10, "DHE-DSS-AES128-SHA", CipherSuite.TLS_DHE_DSS_WITH_AES_128_CBC_SHA)]
    [InlineData(ProtocolVersion.Tls11, "AES256-SHA", CipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA)]
    [InlineData(ProtocolVersion.Tls11, "DHE-RSA-AES128-SHA", CipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA)]
    [InlineData(ProtocolVersion.Tls11, "ECDHE-RSA-AES256-SHA", CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA)]
    [InlineData(ProtocolVersion.Tls11, "ECDHE-ECDSA-AES128-SHA", CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA)]
    [InlineData(ProtocolVersion.Tls11, "DHE-DSS-AES256-SHA", CipherSuite.TLS_DHE_DSS_WITH_AES_256_CBC_SHA)]
    public async Task OurServer_OpenSslClient_EachFamily(ProtocolVersion version, string cipher, CipherSuite expected)
    {
        await using var server = Start(Everything);
        string big = new('l', 3000);
        var c = await OpenSslClient.RunAsync(new() { Port = server.Port, Version = version, Cipher = cipher, SecurityLevel0 = true }, big, big);
        Assert.True(c.HandshakeCompleted, c.ToString());
        Assert.Equal((version, true), (c.Version!.Value, c.Verified!.Value));
        Assert.Equal(TlsNames.CipherName((ushort)expected), c.Cipher);
        var s = await server.WaitForEndAsync();
        Assert.True(s.HandshakeCompleted, s.ToString());
        Assert.Equal((version, expected), (s.Info.Version!.Value, s.Info.CipherSuite!.Value));
        Assert.Contains(big, s.Received);
        Assert.Null(s.Failure);
    }

    [Theory]
    [InlineData(ProtocolVersion.Tls10, true)]
    [InlineData(ProtocolVersion.Tls10, false)]
    [InlineData(ProtocolVersion.Tls11, true)]
    [InlineData(ProtocolVersion.Tls11, false)]
    public async Task OurServer_OpenSslClient_Resumes_ByTicketAndById(ProtocolVersion version, bool ticket)
    {
        string session = Path.Combine(Pki.Directory, $"sess-legacy-{Guid.NewGuid():N}.pem");
        // With tickets our session-ID cache is off: a resumption can only have come from the ticket.
        await using var server = Start(Everything, configure: o => o.EnableSessionIds = !ticket);
        var first = await OpenSslClient.RunAsync(new() { Port = server.Port, Version = version, SecurityLevel0 = true, SessionOut = session, NoTicket = !ticket }, "one", "one");
        Assert.True(first.HandshakeCompleted, first.ToString());
        Assert.Equal(false, first.Resumed);
        var second = await OpenSslClient.RunAsync(new() { Port = server.Port, Version = version, SecurityLevel0 = true, SessionIn = session, NoTicket = !ticket }, "two", "two");
        Assert.True(second.HandshakeCompleted, second.ToString());
        Assert.Equal((true, version), (second.Resumed, second.Version));
        var s2 = await server.WaitForHandshakeAsync(2);
        Assert.True(s2.Info.Resumed, s2.ToString());
        Assert.Equal(version, s2.Info.Version);
    }

    [Fact]
    public async Task OurServer_OpenSslClient_FallbackScsv_IsInappropriateFallback()
    {
        // TLS 1.1 is switched on, but so is TLS 1.2: a client that says it fell back to 1.1 is being downgraded (RFC 7507).
        await using var server = Start(TlsVersions.Tls11 | TlsVersions.Tls12);
        var c = await OpenSslClient.RunAsync(new() { Port = server.Port, Version = ProtocolVersion.Tls11, SecurityLevel0 = true, ExtraArgs = ["-fallback_scsv"] });
        Assert.False(c.HandshakeCompleted, c.ToString());
        Assert.Contains("inappropriate fallback", c.Output);
        var s = await server.WaitForEndAsync();
        Assert.Equal(AlertDescription.InappropriateFallback, s.Failure?.Alert);
        // Without the SCSV the same client is served at TLS 1.1.
        var plain = await OpenSslClient.RunAsync(new() { Port = server.Port, Version = ProtocolVersion.Tls11, SecurityLevel0 = true }, "plain", "plain");
        Assert.True(plain.HandshakeCompleted, plain.ToString());
        Assert.Equal(ProtocolVersion.Tls11, plain.Version);
    }

    [Theory]
    [InlineData(ProtocolVersion.Tls10, "TlsVersions.Tls10", "Protocols\\TLS 1.0\\Server\\Enabled")]
    [InlineData(ProtocolVersion.Tls11, "TlsVersions.Tls11", "Protocols\\TLS 1.1\\Server\\Enabled")]
    public async Task OurServer_OpenSslClient_SwitchedOff_IsProtocolVersionNamingTheSwitch(ProtocolVersion version, string flag, string schannel)
    {
        await using var server = Start(TlsVersions.Default);
        var c = await OpenSslClient.RunAsync(new() { Port = server.Port, Version = version, SecurityLevel0 = true });
        Assert.False(c.HandshakeCompleted, c.ToString());
        Assert.Contains("alert protocol version", c.Output);
        var s = await server.WaitForEndAsync();
        Assert.Equal(AlertDescription.ProtocolVersion, s.Failure?.Alert);
        Assert.Equal(Diagnostics.TlsEvents.ProtocolVersionRefused, s.Failure!.EventId);
        Assert.Contains(flag, s.Failure.Reason);
        Assert.Contains(schannel, s.Failure.Reason);
    }

    [Theory]
    [InlineData(ProtocolVersion.Tls10, "client-rsa")]
    [InlineData(ProtocolVersion.Tls11, "client-ecdsa")]
    public async Task OurServer_OpenSslClient_ClientCertificate(ProtocolVersion version, string certificate)
    {
        await using var server = Start(Everything, configure: SharpTlsServer.ClientCertificates(ClientCertificateMode.Required));
        var c = await OpenSslClient.RunAsync(new() { Port = server.Port, Version = version, SecurityLevel0 = true, ClientCertificate = Pki[certificate] }, "cert", "cert");
        Assert.True(c.HandshakeCompleted, c.ToString());
        var s = await server.WaitForEndAsync();
        Assert.True(s.HandshakeCompleted, s.ToString());
        Assert.Equal(version, s.Info.Version);
        Assert.Equal(ClientCertificateStatus.Verified, s.Info.ClientCertificateVerdict!.Status);
        Assert.Equal(Pki[certificate].Thumbprint, s.Info.PeerCertificates[0].Thumbprint);
    }

    [Theory]
    [InlineData(ProtocolVersion.Tls10, "AES128-SHA", CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA, "server-rsa")]
    [InlineData(ProtocolVersion.Tls10, "ECDHE-ECDSA-AES128-SHA", CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, "server-ecdsa")]
    [InlineData(ProtocolVersion.Tls10, "DHE-DSS-AES256-SHA", CipherSuite.TLS_DHE_DSS_WITH_AES_256_CBC_SHA, "server-dsa")]
    [InlineData(ProtocolVersion.Tls11, "DHE-RSA-AES256-SHA", CipherSuite.TLS_DHE_RSA_WITH_AES_256_CBC_SHA, "server-rsa")]
    [InlineData(ProtocolVersion.Tls11, "ECDHE-RSA-AES128-SHA", CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, "server-rsa")]
    [InlineData(ProtocolVersion.Tls11, "DHE-DSS-AES128-SHA", CipherSuite.TLS_DHE_DSS_WITH_AES_128_CBC_SHA, "server-dsa")]
    public async Task OurClient_OpenSslServer_EachFamily(ProtocolVersion version, string cipher, CipherSuite expected, string certificate)
    {
        var cert = certificate == "server-dsa" ? Pki.ServerDsa : Pki[certificate];
        await using var server = await OpenSslServer.StartAsync(new() { Version = version, Certificate = cert, Cipher = cipher, SecurityLevel0 = true });
        await using var client = await SharpTlsClient.ConnectAsync(server.Port, SharpTlsClient.Options(o =>
        {
            o.Versions = Flag(version);
            o.CipherSuites = [expected];
        }));
        Assert.True(client.HandshakeCompleted, client.ToString());
        // Several writes of several records each: under TLS 1.0 every write is split 1/n-1, and openssl must see it whole.
        string big = new('c', 5000);
        await client.SendLineAsync("to-openssl");
        await client.SendLineAsync(big);
        await server.WaitForReceivedAsync("to-openssl");
        await server.WaitForReceivedAsync(big);
        await server.SendLineAsync("from-openssl");
        await client.WaitForReceivedAsync("from-openssl\n");
        Assert.Equal((version, expected), (client.Info.Version!.Value, client.Info.CipherSuite!.Value));
        var s = await server.WaitForConnectionAsync();
        Assert.Equal((version, TlsNames.CipherName((ushort)expected)), (s.Version!.Value, s.Cipher));
    }

    [Theory]
    [InlineData(ProtocolVersion.Tls10)]
    [InlineData(ProtocolVersion.Tls11)]
    public async Task OurClient_OpenSslServer_ResumesById(ProtocolVersion version)
    {
        // -www: s_server shuts each connection down cleanly, so OpenSSL keeps the session in its cache (an unclean end drops it).
        await using var server = await OpenSslServer.StartAsync(new()
        {
            Version = version, Certificate = Pki.ServerRsa, SecurityLevel0 = true, NoTicket = true, Mode = OpenSslServerMode.Www,
        });
        var store = new Sessions.ClientSessionStore();
        var options = SharpTlsClient.Options(o => { o.Versions = Flag(version); o.SessionStore = store; });
        for (int i = 0; i < 2; i++)
        {
            await using var client = await SharpTlsClient.ConnectAsync(server.Port, options);
            Assert.True(client.HandshakeCompleted, client.ToString());
            Assert.Equal((i == 1, version), (client.Info.Resumed, client.Info.Version!.Value));
            await client.SendLineAsync("GET / HTTP/1.0\r\n\r");
            string page = await client.ReadToEndAsync();
            Assert.Contains(i == 1 ? "Reused, " : "New, ", page);
        }
    }

    [Theory]
    [InlineData(ProtocolVersion.Tls10, "client-rsa")]
    [InlineData(ProtocolVersion.Tls11, "client-ecdsa")]
    public async Task OurClient_OpenSslServer_ClientCertificate(ProtocolVersion version, string certificate)
    {
        await using var server = await OpenSslServer.StartAsync(new()
        {
            Version = version, Certificate = Pki.ServerRsa, SecurityLevel0 = true, ClientCertificate = PeerClientAuth.Require,
        });
        var cert = Pki[certificate];
        await using var client = await SharpTlsClient.ConnectAsync(server.Port, SharpTlsClient.Options(o =>
        {
            o.Versions = Flag(version);
            o.ClientCertificate = new ServerCertificate(cert.Certificate, cert.Chain);
        }));
        Assert.True(client.HandshakeCompleted, client.ToString());
        await client.SendLineAsync("signed");
        await server.WaitForReceivedAsync("signed");
        var s = await server.WaitForConnectionAsync();
        Assert.Equal(version, s.Version);
    }

    [Theory]
    [InlineData("VERS-TLS1.0", "+RSA:+3DES-CBC:+SHA1", ProtocolVersion.Tls10, CipherSuite.TLS_RSA_WITH_3DES_EDE_CBC_SHA)]
    [InlineData("VERS-TLS1.0", "+ECDHE-RSA:+3DES-CBC:+SHA1", ProtocolVersion.Tls10, CipherSuite.TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA)]
    [InlineData("VERS-TLS1.0", "+DHE-DSS:+AES-128-CBC:+SHA1", ProtocolVersion.Tls10, CipherSuite.TLS_DHE_DSS_WITH_AES_128_CBC_SHA)]
    [InlineData("VERS-TLS1.1", "+DHE-RSA:+3DES-CBC:+SHA1", ProtocolVersion.Tls11, CipherSuite.TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA)]
    [InlineData("VERS-TLS1.1", "+DHE-DSS:+3DES-CBC:+SHA1", ProtocolVersion.Tls11, CipherSuite.TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA)]
    [InlineData("VERS-TLS1.1", "+ECDHE-ECDSA:+AES-256-CBC:+SHA1", ProtocolVersion.Tls11, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA)]
    public async Task OurServer_GnuTlsClient_EachFamily_AndResumes(string version, string family, ProtocolVersion expectedVersion, CipherSuite expected)
    {
        await using var server = Start(Everything);
        string priority = $"NONE:+{version}:+GROUP-ALL:+SIGN-ALL:+COMP-NULL:+CTYPE-X509:{family}";
        var c = await GnuTlsClient.RunAsync(new() { Port = server.Port, Priority = priority, Resume = true }, "gnutls-legacy", "gnutls-legacy");
        Assert.True(c.HandshakeCompleted, c.ToString());
        Assert.Equal((expectedVersion, true), (c.Version!.Value, c.Resumed!.Value));
        var s1 = await server.WaitForHandshakeAsync(1);
        var s2 = await server.WaitForHandshakeAsync(2);
        Assert.Equal((expectedVersion, expected, false), (s1.Info.Version!.Value, s1.Info.CipherSuite!.Value, s1.Info.Resumed));
        Assert.Equal((expected, true), (s2.Info.CipherSuite!.Value, s2.Info.Resumed));
    }

    [Theory]
    [InlineData("VERS-TLS1.0", "+RSA:+3DES-CBC:+SHA1", ProtocolVersion.Tls10, CipherSuite.TLS_RSA_WITH_3DES_EDE_CBC_SHA, "server-rsa")]
    [InlineData("VERS-TLS1.1", "+DHE-DSS:+3DES-CBC:+SHA1", ProtocolVersion.Tls11, CipherSuite.TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA, "server-dsa")]
    [InlineData("VERS-TLS1.0", "+ECDHE-ECDSA:+AES-128-CBC:+SHA1", ProtocolVersion.Tls10, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, "server-ecdsa")]
    public async Task OurClient_GnuTlsServer_EachFamily(string version, string family, ProtocolVersion expectedVersion, CipherSuite expected, string certificate)
    {
        var cert = certificate == "server-dsa" ? Pki.ServerDsa : Pki[certificate];
        await using var server = await GnuTlsServer.StartAsync(new()
        {
            Certificate = cert, Priority = $"NONE:+{version}:+GROUP-ALL:+SIGN-ALL:+COMP-NULL:+CTYPE-X509:{family}",
        });
        await using var client = await SharpTlsClient.ConnectAndEchoAsync(server.Port, SharpTlsClient.Options(o =>
        {
            o.Versions = Flag(expectedVersion);
            o.CipherSuites = [expected];
        }), "legacy-echo");
        Assert.True(client.HandshakeCompleted, client.ToString());
        Assert.Equal((expectedVersion, expected), (client.Info.Version!.Value, client.Info.CipherSuite!.Value));
    }

    [Theory]
    [InlineData(ProtocolVersion.Tls10)]
    [InlineData(ProtocolVersion.Tls11)]
    public async Task OurServer_Curl_LegacyVersion(ProtocolVersion version)
    {
        await using var server = Start(Everything, ServeMode.Http);
        var r = await Curl.GetAsync(new() { Port = server.Port, Version = version, Ciphers = "DEFAULT@SECLEVEL=0", Http = "1.1" });
        Assert.True(r.HandshakeCompleted, r.ToString());
        Assert.Equal((0, 200, version), (r.ExitCode!.Value, r.StatusCode!.Value, r.Version!.Value));
        Assert.Contains($"SharpTls {ProtocolVersions.Name(version)} ", r.Body);
    }

    [Theory]
    [InlineData(ProtocolVersion.Tls10)]
    [InlineData(ProtocolVersion.Tls11)]
    public async Task OurServer_PythonClient_LegacyVersion_Resumes(ProtocolVersion version)
    {
        await using var server = Start(Everything);
        var results = await PythonTls.RunClientAsync(new()
        {
            Port = server.Port, MinVersion = version, MaxVersion = version, Ciphers = "DEFAULT:@SECLEVEL=0", Connections = 2, Send = "py-legacy", Expect = "py-legacy",
        });
        Assert.Equal(2, results.Count);
        Assert.All(results, c => Assert.True(c.HandshakeCompleted && c.Version == version, c.ToString()));
        Assert.Equal((false, true), (results[0].Resumed, results[1].Resumed));
        var s2 = await server.WaitForHandshakeAsync(2);
        Assert.Equal((version, true), (s2.Info.Version!.Value, s2.Info.Resumed));
    }

    [Fact]
    public async Task OurClient_PythonServer_Tls11()
    {
        await using var server = await PythonTls.StartServerAsync(new()
        {
            Certificate = Pki.ServerRsa, MinVersion = ProtocolVersion.Tls11, MaxVersion = ProtocolVersion.Tls11, Ciphers = "DEFAULT:@SECLEVEL=0",
        });
        await using var client = await SharpTlsClient.ConnectAsync(server.Port, SharpTlsClient.Options(o => o.Versions = TlsVersions.Tls11 | TlsVersions.Tls10));
        Assert.True(client.HandshakeCompleted, client.ToString());
        Assert.Equal(ProtocolVersion.Tls11, client.Info.Version);
        var s = await server.WaitForConnectionAsync();
        Assert.Equal(ProtocolVersion.Tls11, s.Version);
    }
}
