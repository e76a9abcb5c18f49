using SharpTls.Interop.Tests.Infrastructure;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Tls13;

/// <summary>
/// Firefox ESR 153's NSS (through <see cref="NssPeer"/>) against our client and server: RFC 8879 certificate compression
/// both ways, each codec call reported by the peer, and the ML-KEM hybrid groups as NSS's channel info reports them.
/// Each test runs under <see cref="NssPeer.RunAsync"/>: a failure carries every nsspeer's state and output.
/// </summary>
public class NssInteropTests
{
    [Theory]
    [InlineData("zlib")]
    [InlineData("brotli")]
    [InlineData("zstd")]
    public Task Client_inflates_the_certificate_that_nss_compressed(string algorithm) => NssPeer.RunAsync(async nss =>
    {
        // RFC 8879 §4: NSS compresses with the one algorithm it has and our client's offer (brotli, zlib, zstd) lists.
        var server = await nss.StartServerAsync(NssPeer.Groups(), algorithm);
        await using var client = await SharpTlsClient.ConnectAndEchoAsync(server.Port, SharpTlsClient.Options(), "compressed", () => server.Process.Output);
        Assert.Equal(algorithm, client.Info.ServerCertificateCompression);
        Assert.Equal(TestPki.Shared.ServerEcdsa.Certificate.Thumbprint, client.Info.PeerCertificates[0].Thumbprint);
        await client.CloseAsync();
        var peer = await server.WaitForExitAsync();
        Assert.True(peer.Handshake, peer.ToString());
        Assert.Equal([("encoded", algorithm)], peer.Codec);
    });

    [Theory]
    [InlineData("zlib", "zlib")]
    [InlineData("brotli", "brotli")]
    [InlineData("zstd", "zstd")]
    [InlineData("zlib,brotli", "brotli")] // both offered: ours is brotli first
    [InlineData("zlib,zstd", "zlib")]     // zstd comes after zlib in our order
    [InlineData("zlib,brotli,zstd", "brotli")] // what Firefox offers
    public Task Server_compresses_its_certificate_for_an_nss_client(string offered, string sent) => NssPeer.RunAsync(async nss =>
    {
        await using var server = SharpTlsServer.Start();
        var peer = await nss.RunClientAsync(server.Port, NssPeer.Groups(), offered);
        Assert.True(peer.Handshake, peer.ToString());
        Assert.Equal("nss ", peer.Received);
        // NSS called its decoder for the algorithm we chose: it inflated our CompressedCertificate.
        Assert.Equal([("decoded", sent)], peer.Codec);
        var s = await server.WaitForEndAsync();
        Assert.Equal(sent, s.Info.ServerCertificateCompression);
    });

    /// <summary>
    /// <c>sharptls connect</c> against an NSS server that compresses its Certificate: the trace shows the CompressedCertificate
    /// (algorithm, lengths) and the certificate inflated from it, the summary names the algorithm, and the chain verifies.
    /// </summary>
    [Theory]
    [InlineData("zlib", 1)]
    [InlineData("brotli", 2)]
    [InlineData("zstd", 3)]
    public Task Connect_shows_the_compressed_certificate_an_nss_server_sent(string algorithm, int code) => NssPeer.RunAsync(async nss =>
    {
        var server = await nss.StartServerAsync(NssPeer.Groups(), algorithm);
        string cli = Path.Combine(AppContext.BaseDirectory, "SharpTls.Cli.dll");
        // A .NET start on a loaded machine: starved of CPU (nice 19 at load 50-60) the command did not finish in 60 s, the
        // server's flight already sent. 120 s to finish, inside its own lifetime and the server's (NssPeer.Lifetime).
        var connect = nss.Start("dotnet", [cli, "connect", $"127.0.0.1:{server.Port}", "--servername", "localhost",
            "--cafile", TestPki.Shared.RootCaPath, "--tls13"], new PeerProcessOptions { DisplayName = "sharptls connect", HardTimeout = TimeSpan.FromSeconds(150) });
        int exit = await connect.WaitForExitAsync(TimeSpan.FromSeconds(120));
        string output = connect.StandardOutput;
        Assert.True(exit == 0, output + connect.StandardError + server.Process.Output);
        Assert.Contains("Handshake Protocol: Compressed Certificate [decrypted]", output);
        Assert.DoesNotContain("Handshake Protocol: Certificate [decrypted]", output);
        Assert.Contains($"Algorithm: {algorithm} ({code})", output);
        Assert.Contains("decompressed): Certificate", output);
        Assert.Contains($"SHA-1 Thumbprint: {TestPki.Shared.ServerEcdsa.Certificate.Thumbprint.ToLowerInvariant()}", output);
        Assert.DoesNotContain("[Not decompressed", output);
        Assert.Contains($"Server certificate compression: {algorithm}", output);
        Assert.Contains("Protocol: TLS 1.3", output);
        var peer = await server.WaitForExitAsync();
        Assert.True(peer.Handshake, peer.ToString());
        Assert.Equal([("encoded", algorithm)], peer.Codec);
    });

    [Fact]
    public Task Server_sends_a_plain_certificate_to_an_nss_client_that_offers_no_compression() => NssPeer.RunAsync(async nss =>
    {
        await using var server = SharpTlsServer.Start();
        var peer = await nss.RunClientAsync(server.Port, NssPeer.Groups(), "none");
        Assert.True(peer.Handshake, peer.ToString());
        Assert.Empty(peer.Codec);
        Assert.Null((await server.WaitForEndAsync()).Info.ServerCertificateCompression);
    });

    public static TheoryData<ushort> Hybrids => new()
    {
        (ushort)NamedGroup.X25519MlKem768, (ushort)NamedGroup.SecP256r1MlKem768, (ushort)NamedGroup.SecP384r1MlKem1024,
    };

    [Theory]
    [MemberData(nameof(Hybrids))]
    public Task Server_negotiates_the_hybrid_an_nss_client_offers_alone(ushort code) => NssPeer.RunAsync(async nss =>
    {
        await using var server = SharpTlsServer.Start();
        var peer = await nss.RunClientAsync(server.Port, NssPeer.Groups(code), "none");
        Assert.True(peer.Handshake, peer.ToString());
        Assert.Equal(code, peer.Group);
        Assert.Equal((NamedGroup)code, (await server.WaitForEndAsync()).Info.Group);
    });

    [Theory]
    [MemberData(nameof(Hybrids))]
    public Task Client_negotiates_the_hybrid_an_nss_server_takes_alone(ushort code) => NssPeer.RunAsync(async nss =>
    {
        var server = await nss.StartServerAsync(NssPeer.Groups(code), "none");
        await using var client = await SharpTlsClient.ConnectAndEchoAsync(server.Port, SharpTlsClient.Options(), "hybrid", () => server.Process.Output);
        Assert.Equal((NamedGroup)code, client.Info.Group);
        await client.CloseAsync();
        var peer = await server.WaitForExitAsync();
        Assert.True(peer.Handshake, peer.ToString());
        Assert.Equal(code, peer.Group);
    });
}
