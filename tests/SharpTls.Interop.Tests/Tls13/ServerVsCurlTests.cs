using SharpTls.Interop.Tests.Infrastructure;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Tls13;

/// <summary>Our TLS 1.3 server (TlsStream) answering curl's HTTP/1.1 and HTTP/2 requests.</summary>
public class ServerVsCurlTests
{
    private static readonly TestPki Pki = TestPki.Shared;

    private static SharpTlsServer Start(Action<TlsServerOptions>? configure = null) => SharpTlsServer.Start(o =>
    {
        o.ApplicationProtocols = ["h2", "http/1.1"];
        configure?.Invoke(o);
    }, ServeMode.Http);

    [Theory]
    [InlineData("X25519", NamedGroup.X25519)]
    [InlineData("P-256", NamedGroup.Secp256r1)]
    public async Task Group_Http11(string curve, NamedGroup expected)
    {
        await using var server = Start();
        var r = await Curl.GetAsync(new() { Port = server.Port, Curves = curve, Http = "1.1", Version = ProtocolVersion.Tls13 });
        Assert.True(r.HandshakeCompleted, r.ToString());
        Assert.Equal((0, 200, "1.1", "http/1.1", true), (r.ExitCode!.Value, r.StatusCode!.Value, r.HttpVersion, r.Alpn, r.Verified));
        var s = await server.WaitForEndAsync();
        Assert.Equal((expected, false), (s.Info.Group!.Value, s.Info.HelloRetryRequested));
        Assert.Equal(TlsNames.CipherName((ushort)s.Info.CipherSuite!.Value), r.Cipher);
        Assert.StartsWith("GET / HTTP/1.1\r\nHost: localhost:", s.Received);
        Assert.Equal($"SharpTls TLS 1.3 {s.Info.CipherSuite} {expected} alpn=http/1.1 resumed=False\n", r.Body);
    }

    [Fact]
    public async Task Http2_OverAlpnH2()
    {
        await using var server = Start();
        var r = await Curl.GetAsync(new() { Port = server.Port, Http = "2" });
        Assert.True(r.HandshakeCompleted, r.ToString());
        Assert.Equal((0, 200, "2", "h2"), (r.ExitCode!.Value, r.StatusCode!.Value, r.HttpVersion, r.Alpn));
        Assert.Contains("alpn=h2", r.Body);
        var s = await server.WaitForEndAsync();
        Assert.Equal("h2", s.Info.ApplicationProtocol);
        Assert.StartsWith("PRI * HTTP/2.0", s.Received);
    }

    [Fact]
    public async Task HelloRetryRequest_CurlSharesP256_ServerTakesOnlyX25519()
    {
        await using var server = Start(o => o.Groups = [NamedGroup.X25519]);
        var r = await Curl.GetAsync(new() { Port = server.Port, Curves = "P-256:X25519", Http = "1.1" });
        Assert.True(r.HandshakeCompleted, r.ToString());
        Assert.Equal(200, r.StatusCode);
        var s = await server.WaitForEndAsync();
        Assert.Equal((true, NamedGroup.X25519), (s.Info.HelloRetryRequested, s.Info.Group!.Value));
    }

    [Fact]
    public async Task Resumption_TwoRequests()
    {
        await using var server = Start();
        // Our HTTP/1.1 answer says "Connection: close", so the second URL needs a new connection, which resumes.
        var r = await Curl.GetAsync(new() { Port = server.Port, Http = "1.1", Requests = 2 });
        Assert.True(r.HandshakeCompleted, r.ToString());
        Assert.Equal(true, r.Resumed);
        Assert.Contains("resumed=False", r.Body);
        Assert.Contains("resumed=True", r.Body);
        Assert.Equal((false, true), ((await server.WaitForEndAsync(1)).Info.Resumed, (await server.WaitForEndAsync(2)).Info.Resumed));
    }

    [Fact]
    public async Task ClientCertificate_Required()
    {
        await using var server = Start(SharpTlsServer.ClientCertificates(ClientCertificateMode.Required));
        var r = await Curl.GetAsync(new() { Port = server.Port, Http = "1.1", ClientCertificate = Pki.ClientEcdsa });
        Assert.True(r.HandshakeCompleted, r.ToString());
        Assert.Equal(200, r.StatusCode);
        Assert.Contains("TLS handshake, CERT verify (15)", r.Output);
        var s = await server.WaitForEndAsync();
        Assert.Equal(Pki.ClientEcdsa.Certificate.Thumbprint, s.Info.PeerCertificates[0].Thumbprint);
    }
}
