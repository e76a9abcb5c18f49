using SharpTls.Interop.Tests.Infrastructure;
using SharpTls.Sessions;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Tls13;

/// <summary>Our TLS 1.3 client (TlsStream over a TcpClient) against openssl s_server (traced with -msg).</summary>
public class ClientVsOpenSslServerTests
{
    private static readonly TestPki Pki = TestPki.Shared;

    private static Task<OpenSslServer> StartAsync(OpenSslServerOptions? options = null) =>
        OpenSslServer.StartAsync((options ?? new()) with { Version = ProtocolVersion.Tls13, Trace = true });

    /// <summary>One line each way: ours to s_server, s_server's stdin back to us.</summary>
    private static async Task ExchangeAsync(SharpTlsClient client, OpenSslServer server, string tag)
    {
        await client.SendLineAsync($"to-server-{tag}");
        await server.WaitForReceivedAsync($"to-server-{tag}");
        await server.SendLineAsync($"to-client-{tag}");
        await client.WaitForReceivedAsync($"to-client-{tag}\n");
    }

    [Fact]
    public async Task X25519_DataBothWays()
    {
        await using var server = await StartAsync(new() { Groups = "X25519" });
        await using var client = await SharpTlsClient.ConnectAsync(server.Port, SharpTlsClient.Options());
        Assert.True(client.HandshakeCompleted, client.ToString());
        await ExchangeAsync(client, server, "x25519");
        Assert.Equal((ProtocolVersion.Tls13, NamedGroup.X25519, false, false), (client.Info.Version!.Value, client.Info.Group!.Value, client.Info.HelloRetryRequested, client.Info.Resumed));
        Assert.Equal(SignatureScheme.EcdsaSecp256r1Sha256, client.Info.SignatureScheme);
        Assert.Equal(Pki.ServerEcdsa.Thumbprint, client.Info.PeerCertificates[0].Thumbprint);
        var s = await server.WaitForConnectionAsync();
        Assert.True(s.HandshakeCompleted, s.ToString());
        Assert.Equal(("x25519", false), (s.Group, s.HelloRetryRequest));
        Assert.Equal(TlsNames.CipherName((ushort)client.Info.CipherSuite!.Value), s.Cipher);
    }

    /// <summary>X448 and the RFC 7919 groups as TLS 1.3 key shares (RFC 8446 §4.2.8.1): s_server takes only that group, our client shares it.</summary>
    [Theory]
    [InlineData("x448", NamedGroup.X448, "x448")]
    [InlineData("ffdhe2048", NamedGroup.Ffdhe2048, "ffdhe2048")]
    [InlineData("ffdhe3072", NamedGroup.Ffdhe3072, "ffdhe3072")]
    [InlineData("ffdhe4096", NamedGroup.Ffdhe4096, "ffdhe4096")]
    [InlineData("ffdhe6144", NamedGroup.Ffdhe6144, "ffdhe6144")]
    [InlineData("ffdhe8192", NamedGroup.Ffdhe8192, "ffdhe8192")]
    public async Task Group_DataBothWays(string opensslGroup, NamedGroup ours, string theirs)
    {
        await using var server = await StartAsync(new() { Groups = opensslGroup });
        await using var client = await SharpTlsClient.ConnectAsync(server.Port, SharpTlsClient.Options(o => o.KeyShareGroups = [ours]));
        Assert.True(client.HandshakeCompleted, client.ToString());
        await ExchangeAsync(client, server, opensslGroup);
        Assert.Equal((ours, false), (client.Info.Group!.Value, client.Info.HelloRetryRequested));
        var s = await server.WaitForConnectionAsync();
        Assert.True(s.HandshakeCompleted, s.ToString());
        Assert.Equal((theirs, false), (s.Group, s.HelloRetryRequest));
    }

    [Fact]
    public async Task P256_OnlyGroupOffered_RsaServer()
    {
        await using var server = await StartAsync(new() { Certificate = Pki.ServerRsa });
        await using var client = await SharpTlsClient.ConnectAsync(server.Port, SharpTlsClient.Options(o =>
        {
            o.Groups = [NamedGroup.Secp256r1];
            o.KeyShareGroups = [NamedGroup.Secp256r1];
        }));
        Assert.True(client.HandshakeCompleted, client.ToString());
        await ExchangeAsync(client, server, "p256");
        Assert.Equal((NamedGroup.Secp256r1, false), (client.Info.Group!.Value, client.Info.HelloRetryRequested));
        Assert.Equal(SignatureScheme.RsaPssRsaeSha256, client.Info.SignatureScheme);
        Assert.Equal("secp256r1", (await server.WaitForConnectionAsync()).Group);
    }

    [Fact]
    public async Task HelloRetryRequest_ServerTakesOnlyP256()
    {
        await using var server = await StartAsync(new() { Groups = "P-256" });
        await using var client = await SharpTlsClient.ConnectAsync(server.Port, SharpTlsClient.Options());
        Assert.True(client.HandshakeCompleted, client.ToString());
        await ExchangeAsync(client, server, "hrr");
        Assert.Equal((true, NamedGroup.Secp256r1), (client.Info.HelloRetryRequested, client.Info.Group!.Value));
        var s = await server.WaitForConnectionAsync();
        Assert.Equal(true, s.HelloRetryRequest); // two ClientHellos in s_server's trace
        Assert.Matches(@">>> [^\n]*ServerHello", s.Output);
    }

    [Fact]
    public async Task Resumption_SecondConnectionResumes()
    {
        await using var server = await StartAsync();
        var store = new ClientSessionStore();
        await using (var first = await SharpTlsClient.ConnectAsync(server.Port, SharpTlsClient.Options(o => o.SessionStore = store)))
        {
            Assert.True(first.HandshakeCompleted, first.ToString());
            await ExchangeAsync(first, server, "first"); // reading also takes in s_server's NewSessionTickets
            Assert.False(first.Info.Resumed);
            await first.CloseAsync();
        }
        Assert.True(store.Count("localhost") > 0, "no ticket was stored");
        await server.WaitForConnectionAsync(1);
        await using var second = await SharpTlsClient.ConnectAsync(server.Port, SharpTlsClient.Options(o => o.SessionStore = store));
        Assert.True(second.HandshakeCompleted, second.ToString());
        await ExchangeAsync(second, server, "second");
        Assert.True(second.Info.Resumed, second.ToString());
        Assert.Equal(Pki.ServerEcdsa.Thumbprint, second.Info.PeerCertificates[0].Thumbprint);
        var s = await server.WaitForConnectionAsync(2);
        Assert.Equal(true, s.Resumed);
        Assert.Contains("Reused session-id", s.Output);
    }

    [Fact]
    public async Task ClientCertificate_ServerRequiresOne()
    {
        await using var server = await StartAsync(new() { ClientCertificate = PeerClientAuth.Require });
        await using var client = await SharpTlsClient.ConnectAsync(server.Port, SharpTlsClient.Options(o => o.ClientCertificate = Certs.Of(Pki.ClientEcdsa)));
        Assert.True(client.HandshakeCompleted, client.ToString());
        await ExchangeAsync(client, server, "cert");
        var s = await server.WaitForConnectionAsync();
        Assert.True(s.HandshakeCompleted, s.ToString());
        Assert.Equal(("O=SharpTls Tests, CN=SharpTls Test Client ECDSA", true), (s.PeerCertificateSubject, s.Verified));
        Assert.Matches(@"<<< [^\n]*CertificateVerify", s.Output[s.Output.IndexOf(">>> TLS 1.3, Handshake [length", StringComparison.Ordinal)..]);
    }

    [Theory]
    [InlineData("h2")]
    [InlineData("http/1.1")]
    public async Task Alpn(string protocol)
    {
        await using var server = await StartAsync(new() { Alpn = [protocol] });
        await using var client = await SharpTlsClient.ConnectAsync(server.Port, SharpTlsClient.Options(o => o.ApplicationProtocols = ["h2", "http/1.1"]));
        Assert.True(client.HandshakeCompleted, client.ToString());
        await ExchangeAsync(client, server, "alpn");
        Assert.Equal(protocol, client.Info.ApplicationProtocol);
        Assert.Equal(protocol, (await server.WaitForConnectionAsync()).Alpn);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(false, true)]
    public async Task KeyUpdate_WhileDataFlows(bool fromOurClient, bool requestPeer)
    {
        await using var server = await StartAsync();
        await using var client = await SharpTlsClient.ConnectAsync(server.Port, SharpTlsClient.Options());
        Assert.True(client.HandshakeCompleted, client.ToString());
        await ExchangeAsync(client, server, "before");
        for (int round = 0; round < 3; round++)
        {
            int from = server.Process.OutputLength;
            if (fromOurClient)
                await client.Stream.UpdateKeysAsync(requestPeer);
            else
                await server.KeyUpdateAsync(requestPeer); // s_server's k / K
            await ExchangeAsync(client, server, $"after-{round}");
            // s_server's trace: the update arrived (ours) or went out (theirs), and the answer to update_requested.
            await MsgTrace.KeyUpdateAsync(server.Process, from, fromOurClient ? "<<<" : ">>>", answered: requestPeer);
        }
        Assert.Null(client.Failure);
    }
}
