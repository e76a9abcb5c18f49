using SharpTls.Interop.Tests.Infrastructure;
using SharpTls.Interop.Tests.Tls13;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Tls12;

/// <summary>The TLS 1.2 suite families and resumption against peers other than openssl: gnutls-cli, curl and Python's ssl module.</summary>
public class Tls12PeersTests
{
    private static readonly TestPki Pki = TestPki.Shared;

    private static SharpTlsServer Start(ServeMode mode = ServeMode.Echo)
    {
        var options = SharpTlsServer.DefaultOptions(Pki.ServerRsa);
        // Both leaves: the client's suite picks (ECDSA for ECDHE-ECDSA, RSA for the rest).
        options.Certificates = [.. new[] { Pki.ServerEcdsa, Pki.ServerRsa }.Select(c => new ServerCertificate(c.Certificate, c.Chain))];
        options.Versions = TlsVersions.Tls12 | TlsVersions.Tls13;
        return SharpTlsServer.Start(options, mode);
    }

    [Theory]
    [InlineData("+RSA:+AES-128-CBC:+SHA1", CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA)]
    [InlineData("+RSA:+AES-256-GCM:+AEAD", CipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384)]
    [InlineData("+DHE-RSA:+AES-128-GCM:+AEAD", CipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256)]
    [InlineData("+ECDHE-RSA:+AES-256-CBC:+SHA384", CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384)]
    [InlineData("+ECDHE-RSA:+AES-128-GCM:+AEAD", CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)]
    [InlineData("+ECDHE-ECDSA:+AES-128-GCM:+AEAD", CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)]
    [InlineData("+ECDHE-ECDSA:+AES-256-CBC:+SHA384", CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384)]
    [InlineData("+ECDHE-ECDSA:+CHACHA20-POLY1305:+AEAD", CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256)]
    [InlineData("+DHE-RSA:+AES-256-CBC:+SHA256", CipherSuite.TLS_DHE_RSA_WITH_AES_256_CBC_SHA256)]
    [InlineData("+DHE-RSA:+CHACHA20-POLY1305:+AEAD", CipherSuite.TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256)]
    [InlineData("+RSA:+AES-128-CBC:+SHA256", CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256)]
    public async Task OurServer_GnuTlsClient_EachFamily_AndResumes(string family, CipherSuite expected)
    {
        await using var server = Start();
        string priority = $"NONE:+VERS-TLS1.2:+GROUP-ALL:+SIGN-ALL:+COMP-NULL:+CTYPE-X509:{family}";
        var c = await GnuTlsClient.RunAsync(new() { Port = server.Port, Priority = priority, Resume = true }, "gnutls12", "gnutls12");
        Assert.True(c.HandshakeCompleted, c.ToString());
        Assert.Equal((ProtocolVersion.Tls12, true), (c.Version!.Value, c.Resumed!.Value));
        var s1 = await server.WaitForHandshakeAsync(1);
        var s2 = await server.WaitForHandshakeAsync(2);
        Assert.Equal((expected, false), (s1.Info.CipherSuite!.Value, s1.Info.Resumed));
        Assert.Equal((expected, true), (s2.Info.CipherSuite!.Value, s2.Info.Resumed));
    }

    [Theory]
    [InlineData("AES128-SHA", CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA)]
    [InlineData("DHE-RSA-AES256-GCM-SHA384", CipherSuite.TLS_DHE_RSA_WITH_AES_256_GCM_SHA384)]
    public async Task OurServer_Curl_Tls12_Cbc_And_Dhe(string cipher, CipherSuite expected)
    {
        await using var server = Start(ServeMode.Http);
        var r = await Curl.GetAsync(new() { Port = server.Port, Version = ProtocolVersion.Tls12, Ciphers = cipher, Http = "1.1" });
        Assert.True(r.HandshakeCompleted, r.ToString());
        Assert.Equal((0, 200, ProtocolVersion.Tls12), (r.ExitCode!.Value, r.StatusCode!.Value, r.Version!.Value));
        Assert.Contains($"SharpTls TLS 1.2 {expected}", r.Body);
    }

    [Fact]
    public async Task OurServer_PythonClient_Tls12_Cbc_Resumes()
    {
        await using var server = Start();
        var results = await PythonTls.RunClientAsync(new()
        {
            Port = server.Port, MaxVersion = ProtocolVersion.Tls12, Ciphers = "ECDHE-RSA-AES128-SHA256", Connections = 2, Send = "py12", Expect = "py12",
        });
        Assert.Equal(2, results.Count);
        Assert.All(results, c => Assert.True(c.HandshakeCompleted && c.Version == ProtocolVersion.Tls12, c.ToString()));
        Assert.Equal((false, true), (results[0].Resumed, results[1].Resumed));
        var s2 = await server.WaitForHandshakeAsync(2);
        Assert.Equal((CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256, true), (s2.Info.CipherSuite!.Value, s2.Info.Resumed));
    }
}
