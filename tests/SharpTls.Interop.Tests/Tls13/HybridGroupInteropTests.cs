using SharpTls.Interop.Tests.Infrastructure;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Tls13;

/// <summary>
/// The ML-KEM hybrid groups (draft-ietf-tls-ecdhe-mlkem: X25519MLKEM768 0x11EC, SecP256r1MLKEM768 0x11EB,
/// SecP384r1MLKEM1024 0x11ED) against OpenSSL 3.5 inside Node.js 26, both ways. The peer offers or accepts one group
/// only, so a completed handshake used it; the group is also read from the peer's own OpenSSL trace of the ServerHello.
/// </summary>
public class HybridGroupInteropTests
{
    public static TheoryData<string, ushort> Hybrids => new()
    {
        { "X25519MLKEM768", (ushort)NamedGroup.X25519MlKem768 },
        { "SecP256r1MLKEM768", (ushort)NamedGroup.SecP256r1MlKem768 },
        { "SecP384r1MLKEM1024", (ushort)NamedGroup.SecP384r1MlKem1024 },
    };

    [Theory]
    [MemberData(nameof(Hybrids))]
    public async Task Server_negotiates_the_hybrid_that_a_node_client_offers_alone(string name, ushort code)
    {
        var group = (NamedGroup)code;
        await using var server = SharpTlsServer.Start(); // default groups: all three hybrids are accepted
        var r = await NodeTls.RunClientAsync(server.Port, name);
        Assert.True(r.Result.HandshakeCompleted, r.ToString());
        Assert.Equal(("node\n", true), (r.Result.ReceivedData, r.Result.Verified));
        Assert.Equal(name, r.ServerHelloGroup);
        var s = await server.WaitForEndAsync();
        Assert.Equal(group, s.Info.Group);
        // OpenSSL 3.5 sends a share for the one group it offers: no HelloRetryRequest was needed.
        Assert.False(s.Info.HelloRetryRequested);
    }

    [Fact]
    public async Task Server_prefers_X25519MLKEM768_from_openssl_35s_default_hello()
    {
        // OpenSSL 3.5's default ClientHello carries X25519MLKEM768 and X25519 shares; ours prefers the hybrid when a share
        // for it came (issue 10: post-quantum by default, as browsers expect).
        await using var server = SharpTlsServer.Start();
        var r = await NodeTls.RunClientAsync(server.Port, groups: null);
        Assert.True(r.Result.HandshakeCompleted, r.ToString());
        Assert.Contains("NamedGroup: X25519MLKEM768", r.Trace); // in the ClientHello's key_share
        Assert.Equal("X25519MLKEM768", r.ServerHelloGroup);
        var s = await server.WaitForEndAsync();
        Assert.Equal((NamedGroup.X25519MlKem768, false), (s.Info.Group!.Value, s.Info.HelloRetryRequested));
    }

    [Theory]
    [MemberData(nameof(Hybrids))]
    public async Task Client_negotiates_the_hybrid_that_a_node_server_accepts_alone(string name, ushort code)
    {
        var group = (NamedGroup)code;
        await using var server = await NodeTls.StartServerAsync(name);
        // Our default client sends X25519MLKEM768 and X25519 shares and lists every hybrid: for the SecP groups the
        // server must ask again (HelloRetryRequest) for a share of its one group.
        await using var client = await SharpTlsClient.ConnectAndEchoAsync(server.Port, SharpTlsClient.Options(), "hybrid", () => server.Process.Output);
        Assert.Equal(group, client.Info.Group);
        Assert.Equal(group != NamedGroup.X25519MlKem768, client.Info.HelloRetryRequested);
        var peer = await server.WaitForConnectionAsync();
        Assert.True(peer.Result.HandshakeCompleted, peer.ToString());
        Assert.Equal(name, peer.ServerHelloGroup);
    }

    [Fact]
    public async Task Client_with_only_SecP384r1MLKEM1024_sends_its_share_up_front()
    {
        await using var server = await NodeTls.StartServerAsync("SecP384r1MLKEM1024");
        var options = SharpTlsClient.Options(o => o.Groups = [NamedGroup.SecP384r1MlKem1024]);
        await using var client = await SharpTlsClient.ConnectAndEchoAsync(server.Port, options, "p384", () => server.Process.Output);
        Assert.Equal((NamedGroup.SecP384r1MlKem1024, false), (client.Info.Group!.Value, client.Info.HelloRetryRequested));
        var peer = await server.WaitForConnectionAsync();
        Assert.Equal("SecP384r1MLKEM1024", peer.ServerHelloGroup);
    }
}
