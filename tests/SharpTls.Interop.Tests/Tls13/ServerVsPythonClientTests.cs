using SharpTls.Interop.Tests.Infrastructure;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Tls13;

/// <summary>Our TLS 1.3 server (TlsStream) with Python's ssl module as the client.</summary>
public class ServerVsPythonClientTests
{
    private static readonly TestPki Pki = TestPki.Shared;

    private static Task<IReadOnlyList<TlsPeerResult>> RunAsync(SharpTlsServer server, PythonTlsClientOptions options) =>
        PythonTls.RunClientAsync(options with { Port = server.Port, MinVersion = ProtocolVersion.Tls13, Send = "py\n", Expect = "py\n" });

    [Theory]
    [InlineData(null, NamedGroup.X25519)]
    [InlineData("prime256v1", NamedGroup.Secp256r1)]
    public async Task Group_EchoesData(string? curve, NamedGroup expected)
    {
        await using var server = SharpTlsServer.Start();
        var r = (await RunAsync(server, new() { Port = 0, Curve = curve }))[0];
        Assert.True(r.HandshakeCompleted, r.ToString());
        Assert.Equal((ProtocolVersion.Tls13, false, "py\n"), (r.Version!.Value, r.Resumed, r.ReceivedData));
        Assert.Equal("O=SharpTls Tests, CN=localhost", r.PeerCertificateSubject);
        var s = await server.WaitForEndAsync();
        Assert.Equal((expected, false), (s.Info.Group!.Value, s.Info.HelloRetryRequested));
        Assert.Equal(TlsNames.CipherName((ushort)s.Info.CipherSuite!.Value), r.Cipher);
    }

    [Fact]
    public async Task HelloRetryRequest_PythonSharesX25519_ServerTakesOnlyP256()
    {
        await using var server = SharpTlsServer.Start(o => o.Groups = [NamedGroup.Secp256r1]);
        var r = (await RunAsync(server, new() { Port = 0 }))[0];
        Assert.True(r.HandshakeCompleted, r.ToString());
        Assert.Equal("py\n", r.ReceivedData);
        var s = await server.WaitForEndAsync();
        Assert.Equal((true, NamedGroup.Secp256r1), (s.Info.HelloRetryRequested, s.Info.Group!.Value));
    }

    [Fact]
    public async Task Resumption_SessionReuse()
    {
        await using var server = SharpTlsServer.Start();
        var r = await RunAsync(server, new() { Port = 0, Connections = 2 });
        Assert.True(r[1].HandshakeCompleted, r[1].ToString());
        Assert.Equal((false, true), (r[0].Resumed, r[1].Resumed));
        Assert.Equal((false, true), ((await server.WaitForEndAsync(1)).Info.Resumed, (await server.WaitForEndAsync(2)).Info.Resumed));
    }

    [Fact]
    public async Task ClientCertificate_Required()
    {
        await using var server = SharpTlsServer.Start(SharpTlsServer.ClientCertificates(ClientCertificateMode.Required));
        var r = (await RunAsync(server, new() { Port = 0, ClientCertificate = Pki.ClientRsa }))[0];
        Assert.True(r.HandshakeCompleted, r.ToString());
        var s = await server.WaitForEndAsync();
        Assert.Equal(Pki.ClientRsa.Certificate.Thumbprint, s.Info.PeerCertificates[0].Thumbprint);
    }

    [Theory]
    [InlineData("h2")]
    [InlineData("http/1.1")]
    public async Task Alpn(string protocol)
    {
        await using var server = SharpTlsServer.Start(o => o.ApplicationProtocols = [protocol]);
        var r = (await RunAsync(server, new() { Port = 0, Alpn = ["h2", "http/1.1"] }))[0];
        Assert.True(r.HandshakeCompleted, r.ToString());
        Assert.Equal(protocol, r.Alpn);
        Assert.Equal(protocol, (await server.WaitForEndAsync()).Info.ApplicationProtocol);
    }
}
