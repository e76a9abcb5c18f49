using SharpTls.Interop.Tests.Infrastructure;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Tls13;

/// <summary>Our TLS 1.3 server (TlsStream) with gnutls-cli as the client.</summary>
public class ServerVsGnuTlsClientTests
{
    private static readonly TestPki Pki = TestPki.Shared;
    private const string Tls13Only = "NORMAL:-VERS-ALL:+VERS-TLS1.3";

    [Theory]
    [InlineData("X25519", "x25519", NamedGroup.X25519)]
    [InlineData("SECP256R1", "secp256r1", NamedGroup.Secp256r1)]
    [InlineData("X448", "x448", NamedGroup.X448)]
    [InlineData("FFDHE2048", "ffdhe2048", NamedGroup.Ffdhe2048)]
    [InlineData("FFDHE3072", "ffdhe3072", NamedGroup.Ffdhe3072)]
    [InlineData("FFDHE4096", "ffdhe4096", NamedGroup.Ffdhe4096)]
    [InlineData("FFDHE6144", "ffdhe6144", NamedGroup.Ffdhe6144)]
    [InlineData("FFDHE8192", "ffdhe8192", NamedGroup.Ffdhe8192)]
    public async Task Group_EchoesData(string gnutlsGroup, string expected, NamedGroup ours)
    {
        await using var server = SharpTlsServer.Start();
        var c = await GnuTlsClient.RunAsync(new() { Port = server.Port, Priority = $"{Tls13Only}:-GROUP-ALL:+GROUP-{gnutlsGroup}" }, "gnutls says hi", "gnutls says hi");
        Assert.True(c.HandshakeCompleted, c.ToString());
        Assert.Equal((ProtocolVersion.Tls13, expected, true, false), (c.Version!.Value, c.Group, c.Verified, c.Resumed));
        var s = await server.WaitForEndAsync();
        Assert.True(s.HandshakeCompleted, s.ToString());
        Assert.Equal((ours, false, "localhost"), (s.Info.Group!.Value, s.Info.HelloRetryRequested, s.Info.ServerName));
        Assert.Equal(TlsNames.CipherName((ushort)s.Info.CipherSuite!.Value), c.Cipher);
        Assert.Contains("gnutls says hi", s.Received);
        Assert.Null(s.Failure);
    }

    [Fact]
    public async Task HelloRetryRequest_ClientSharesOtherGroups_ServerTakesOnlyP384()
    {
        await using var server = SharpTlsServer.Start(o => o.Groups = [NamedGroup.Secp384r1]);
        // gnutls sends key shares for its first groups (P-256, X25519), not for P-384, which is all our server takes.
        var c = await GnuTlsClient.RunAsync(new()
        {
            Port = server.Port,
            Priority = $"{Tls13Only}:-GROUP-ALL:+GROUP-SECP256R1:+GROUP-X25519:+GROUP-SECP384R1",
            ExtraArgs = ["-d", "4"],
        }, "hrr", "hrr");
        Assert.True(c.HandshakeCompleted, c.ToString());
        Assert.Equal("secp384r1", c.Group);
        Assert.Contains("HELLO RETRY REQUEST", c.Output);
        var s = await server.WaitForHandshakeAsync();
        Assert.Equal((true, NamedGroup.Secp384r1), (s.Info.HelloRetryRequested, s.Info.Group!.Value));
    }

    [Fact]
    public async Task Resumption_Resume()
    {
        await using var server = SharpTlsServer.Start();
        var c = await GnuTlsClient.RunAsync(new() { Port = server.Port, Priority = Tls13Only, Resume = true }, "resumed?", "resumed?");
        Assert.True(c.HandshakeCompleted, c.ToString());
        Assert.Equal(true, c.Resumed);
        var s1 = await server.WaitForHandshakeAsync(1);
        var s2 = await server.WaitForHandshakeAsync(2);
        Assert.Equal((false, true), (s1.Info.Resumed, s2.Info.Resumed));
    }

    [Fact]
    public async Task ClientCertificate_Required_RsaClient()
    {
        await using var server = SharpTlsServer.Start(SharpTlsServer.ClientCertificates(ClientCertificateMode.Required));
        var c = await GnuTlsClient.RunAsync(new() { Port = server.Port, Priority = Tls13Only, ClientCertificate = Pki.ClientRsa }, "cert", "cert");
        Assert.True(c.HandshakeCompleted, c.ToString());
        Assert.Contains("- Server has requested a certificate.", c.Output);
        var s = await server.WaitForHandshakeAsync();
        Assert.True(s.HandshakeCompleted, s.ToString());
        Assert.Equal(Pki.ClientRsa.Certificate.Thumbprint, s.Info.PeerCertificates[0].Thumbprint);
    }

    [Theory]
    [InlineData("h2")]
    [InlineData("http/1.1")]
    public async Task Alpn(string protocol)
    {
        await using var server = SharpTlsServer.Start(o => o.ApplicationProtocols = ["h2", "http/1.1"]);
        var c = await GnuTlsClient.RunAsync(new() { Port = server.Port, Priority = Tls13Only, Alpn = [protocol] }, "alpn", "alpn");
        Assert.True(c.HandshakeCompleted, c.ToString());
        Assert.Equal(protocol, c.Alpn);
        Assert.Equal(protocol, (await server.WaitForHandshakeAsync()).Info.ApplicationProtocol);
    }

    [Theory]
    [InlineData("rekey1")]
    [InlineData("rekey")]
    public async Task KeyUpdate_InlineCommand_WhileDataFlows(string command)
    {
        await using var server = SharpTlsServer.Start();
        // --inline-commands: ^rekey1^ updates gnutls' sending keys only, ^rekey^ also asks our server to update (update_requested).
        await using var client = await GnuTlsClient.ConnectAsync(new() { Port = server.Port, Priority = Tls13Only, ExtraArgs = ["--inline-commands"] });
        Assert.True(client.Handshake.HandshakeCompleted, client.Handshake.ToString());
        var s = await server.WaitForHandshakeAsync();
        for (int round = 0; round < 3; round++)
        {
            await client.SendLineAsync($"^{command}^");
            await client.SendLineAsync($"after-{command}-{round}");
            await client.WaitForReceivedAsync($"after-{command}-{round}");
        }
        var end = await client.CloseAsync();
        Assert.DoesNotContain("*** Fatal error", end.Output);
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Matches(end.Output, "^- Rekey was completed$", System.Text.RegularExpressions.RegexOptions.Multiline).Count);
        await server.WaitForEndAsync();
        Assert.Null(s.Failure);
        Assert.Contains("after-" + command + "-2", s.Received);
    }
}
