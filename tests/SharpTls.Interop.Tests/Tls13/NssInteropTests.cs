using SharpTls.Interop.Tests.Infrastructure;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Tls13;

/// <summary>
/// Firefox ESR 153's NSS (through <see cref="NssPeer"/>) against our client and server: RFC 8879 certificate compression
/// both ways, each codec call reported by the peer, and the ML-KEM hybrid groups as NSS's channel info reports them.
/// </summary>
public class NssInteropTests
{
    [Theory]
    [InlineData("zlib")]
    [InlineData("brotli")]
    public async Task Client_inflates_the_certificate_that_nss_compressed(string algorithm)
    {
        // RFC 8879 §4: NSS compresses with the one algorithm it has and our client's offer (brotli, zlib) lists.
        await using var server = await NssPeer.StartServerAsync(NssPeer.Groups(), algorithm);
        await using var client = await SharpTlsClient.ConnectAndEchoAsync(server.Port, SharpTlsClient.Options(), "compressed", () => server.Process.Output);
        Assert.Equal(algorithm, client.Info.ServerCertificateCompression);
        Assert.Equal(TestPki.Shared.ServerEcdsa.Certificate.Thumbprint, client.Info.PeerCertificates[0].Thumbprint);
        await client.CloseAsync();
        var peer = await server.WaitForExitAsync();
        Assert.True(peer.Handshake, peer.ToString());
        Assert.Equal([("encoded", algorithm)], peer.Codec);
    }

    [Theory]
    [InlineData("zlib", "zlib")]
    [InlineData("brotli", "brotli")]
    [InlineData("zlib,brotli", "brotli")] // both offered: ours is brotli first
    public async Task Server_compresses_its_certificate_for_an_nss_client(string offered, string sent)
    {
        await using var server = SharpTlsServer.Start();
        var peer = await NssPeer.RunClientAsync(server.Port, NssPeer.Groups(), offered);
        Assert.True(peer.Handshake, peer.ToString());
        Assert.Equal("nss ", peer.Received);
        // NSS called its decoder for the algorithm we chose: it inflated our CompressedCertificate.
        Assert.Equal([("decoded", sent)], peer.Codec);
        var s = await server.WaitForEndAsync();
        Assert.Equal(sent, s.Info.ServerCertificateCompression);
    }

    [Fact]
    public async Task Server_sends_a_plain_certificate_to_an_nss_client_that_offers_no_compression()
    {
        await using var server = SharpTlsServer.Start();
        var peer = await NssPeer.RunClientAsync(server.Port, NssPeer.Groups(), "none");
        Assert.True(peer.Handshake, peer.ToString());
        Assert.Empty(peer.Codec);
        Assert.Null((await server.WaitForEndAsync()).Info.ServerCertificateCompression);
    }

    public static TheoryData<ushort> Hybrids => new()
    {
        (ushort)NamedGroup.X25519MlKem768, (ushort)NamedGroup.SecP256r1MlKem768, (ushort)NamedGroup.SecP384r1MlKem1024,
    };

    [Theory]
    [MemberData(nameof(Hybrids))]
    public async Task Server_negotiates_the_hybrid_an_nss_client_offers_alone(ushort code)
    {
        await using var server = SharpTlsServer.Start();
        var peer = await NssPeer.RunClientAsync(server.Port, NssPeer.Groups(code), "none");
        Assert.True(peer.Handshake, peer.ToString());
        Assert.Equal(code, peer.Group);
        Assert.Equal((NamedGroup)code, (await server.WaitForEndAsync()).Info.Group);
    }

    [Theory]
    [MemberData(nameof(Hybrids))]
    public async Task Client_negotiates_the_hybrid_an_nss_server_takes_alone(ushort code)
    {
        await using var server = await NssPeer.StartServerAsync(NssPeer.Groups(code), "none");
        await using var client = await SharpTlsClient.ConnectAndEchoAsync(server.Port, SharpTlsClient.Options(), "hybrid", () => server.Process.Output);
        Assert.Equal((NamedGroup)code, client.Info.Group);
        await client.CloseAsync();
        var peer = await server.WaitForExitAsync();
        Assert.True(peer.Handshake, peer.ToString());
        Assert.Equal(code, peer.Group);
    }
}
