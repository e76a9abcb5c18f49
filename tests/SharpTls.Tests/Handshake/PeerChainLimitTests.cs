using System.Security.Cryptography.X509Certificates;
using SharpTls.Certificates;
using SharpTls.Wire;

namespace SharpTls.Tests.Handshake;

/// <summary>
/// Issue 10, "peer-controlled sizes each have a limit and a test": the number of certificates in a peer's chain
/// (<see cref="PeerChain.MaxChainLength"/>) on both sides. The chain's size in bytes is bounded by the handshake message
/// limit (HandshakeReassemblerTests) and, compressed, by CertificateCompression.MaxUncompressedLength.
/// </summary>
public class PeerChainLimitTests
{
    /// <summary>A chain of <paramref name="count"/> certificates: the leaf, then copies of the root.</summary>
    private static ServerCertificate ChainOf(X509Certificate2 leaf, int count)
    {
        var extra = new X509Certificate2Collection();
        for (int i = 1; i < count; i++) extra.Add(UnitPki.Root);
        return new ServerCertificate(leaf, extra);
    }

    [Theory]
    [InlineData(PeerChain.MaxChainLength, true)]
    [InlineData(PeerChain.MaxChainLength + 1, false)]
    public void A_server_chain_longer_than_the_limit_is_bad_certificate(int count, bool accepted)
    {
        var server = InMemoryPair.DefaultServer();
        server.Certificates = [ChainOf(UnitPki.EcdsaLeaf, count)];
        using var pair = new InMemoryPair(server, InMemoryPair.DefaultClient());
        if (accepted)
        {
            pair.Handshake();
            Assert.Equal(count, pair.Client.Info.PeerCertificates.Count);
        }
        else
        {
            pair.HandshakeFails(pair.Client, AlertDescription.BadCertificate, "Client.Tls13.ExpectCertificate",
                $"the server's chain has {count} certificates; at most {PeerChain.MaxChainLength} are accepted");
        }
    }

    [Theory]
    [InlineData(TlsVersions.Tls13, "Server.Tls13.ExpectCertificate")]
    [InlineData(TlsVersions.Tls12, "Server.Tls12.")]
    public void A_client_chain_longer_than_the_limit_is_bad_certificate(TlsVersions version, string state)
    {
        var server = InMemoryPair.DefaultServer();
        server.ClientCertificateMode = ClientCertificateMode.Required;
        server.TrustedIssuers = [.. UnitPki.Roots];
        var client = InMemoryPair.DefaultClient();
        client.Versions = version;
        client.ClientCertificate = ChainOf(UnitPki.ClientLeaf, PeerChain.MaxChainLength + 1);
        using var pair = new InMemoryPair(server, client);
        pair.HandshakeFails(pair.Server, AlertDescription.BadCertificate, state,
            $"the client's chain has {PeerChain.MaxChainLength + 1} certificates");
    }
}
