using SharpTls.Certificates;
using SharpTls.Messages;
using SharpTls.Tests.Handshake;

namespace SharpTls.Tests.Certificates;

/// <summary>
/// The peer chain's two parsed sets: the handshake's, owned by the engine and disposed when the handshake is done (its
/// native X509 objects freed then, not by a finalizer), and the application's, parsed when read and never disposed by us.
/// </summary>
public class PeerCertificateListTests
{
    /// <summary>An RSA server that requires a client certificate from the unit CA, and a client presenting one: handshaken.</summary>
    private static InMemoryPair VerifiedClientCertificatePair()
    {
        var server = InMemoryPair.DefaultServer(UnitPki.RsaLeaf);
        server.ClientCertificateMode = ClientCertificateMode.Required;
        server.TrustedIssuers = UnitPki.Roots;
        var client = InMemoryPair.DefaultClient();
        client.ClientCertificate = new ServerCertificate(UnitPki.RsaClientLeaf);
        var pair = new InMemoryPair(server, client);
        pair.Handshake();
        return pair;
    }

    [Fact]
    public void Release_disposes_the_handshakes_objects_and_not_the_applications()
    {
        var chain = PeerChain.Parse([new CertificateEntry(UnitPki.RsaLeaf.RawData), new CertificateEntry(UnitPki.Root.RawData)], "the test's");
        var engines = chain.Handshake;
        Assert.Equal(UnitPki.RsaLeaf.Thumbprint, engines[0].Thumbprint);
        var applications = chain[0]; // what the application reads is its own object
        Assert.NotSame(engines[0], applications);

        chain.Release();

        Assert.All(engines, c => Assert.Equal(IntPtr.Zero, c.Handle));
        Assert.NotEqual(IntPtr.Zero, applications.Handle);
        Assert.Equal(UnitPki.RsaLeaf.Thumbprint, applications.Thumbprint);
        Assert.False(chain.HoldsParsed);
        Assert.Throws<InvalidOperationException>(() => chain.Handshake);
        Assert.Equal(UnitPki.Root.Thumbprint, chain[1].Thumbprint); // parsed again when read
        Assert.Equal(UnitPki.RsaLeaf.RawData, PeerChain.LeafDer(chain));
    }

    [Fact]
    public void A_connection_frees_the_handshakes_parse_of_the_peers_chain_once_connected()
    {
        using var pair = VerifiedClientCertificatePair();
        foreach (var side in new[] { pair.Server, pair.Client })
        {
            var chain = Assert.IsType<PeerCertificateList>(side.Info.PeerCertificates);
            Assert.False(chain.HoldsHandshake);
            Assert.False(chain.HoldsParsed);
        }
        Assert.Equal(UnitPki.RsaClientLeaf.Thumbprint, pair.Server.Info.PeerCertificates[0].Thumbprint);
        Assert.StartsWith("OK: subject", pair.Server.Info.CertificateVerification);
        Assert.Equal(ClientCertificateStatus.Verified, pair.Server.Info.ClientCertificateVerdict!.Status);
    }

    [Fact]
    public void A_verified_client_certificates_reasons_are_kept_as_facts_and_read_as_the_same_lines()
    {
        using var pair = VerifiedClientCertificatePair();

        var leaf = UnitPki.RsaClientLeaf;
        string[] expected =
        [
            $"subject {leaf.Subject}, issuer {leaf.Issuer}",
            $"chain to trusted root {UnitPki.Root.Subject} OK",
            $"valid {leaf.NotBefore.ToUniversalTime():yyyy-MM-dd} to {leaf.NotAfter.ToUniversalTime():yyyy-MM-dd}",
        ];
        var verdict = pair.Server.Info.ClientCertificateVerdict!;
        // An idle connection keeps the leaf's DER (which it holds anyway) and the root's name, not the formatted lines.
        Assert.IsType<CertificateVerifier.VerifiedReasons>(verdict.Reasons);
        Assert.Equal(expected, verdict.Reasons);
        Assert.Equal(expected[1], verdict.Reasons[1]);
        Assert.Equal("OK: " + string.Join("; ", expected), pair.Server.Info.CertificateVerification);
        Assert.Equal("verified: " + string.Join("; ", expected), verdict.ToString());

        // The client's view of the server: the same lines plus the name that matched.
        var serverLeaf = UnitPki.RsaLeaf;
        Assert.Equal(
            [$"subject {serverLeaf.Subject}, issuer {serverLeaf.Issuer}", $"chain to trusted root {UnitPki.Root.Subject} OK",
                $"valid {serverLeaf.NotBefore.ToUniversalTime():yyyy-MM-dd} to {serverLeaf.NotAfter.ToUniversalTime():yyyy-MM-dd}",
                $"name {InMemoryPair.DefaultClient().TargetHost} matches"],
            pair.Client.Info.CertificateVerification!["OK: ".Length..].Split("; "));
    }

    [Fact]
    public void A_client_certificate_that_fails_verification_keeps_its_reasons_as_text()
    {
        var server = InMemoryPair.DefaultServer(UnitPki.RsaLeaf);
        server.ClientCertificateMode = ClientCertificateMode.Optional; // no trusted issuers: accepted, not verified
        var client = InMemoryPair.DefaultClient();
        client.ClientCertificate = new ServerCertificate(UnitPki.RogueClientLeaf);
        using var pair = new InMemoryPair(server, client);
        pair.Handshake();

        var verdict = pair.Server.Info.ClientCertificateVerdict!;
        Assert.Equal(ClientCertificateStatus.NotVerified, verdict.Status);
        Assert.IsNotType<CertificateVerifier.VerifiedReasons>(verdict.Reasons);
        Assert.Equal($"subject {UnitPki.RogueClientLeaf.Subject}, issuer {UnitPki.RogueClientLeaf.Issuer}", verdict.Reasons[0]);
        Assert.StartsWith("FAILED: subject", pair.Server.Info.CertificateVerification);
    }

    [Fact]
    public void Connections_holding_the_same_certificate_share_one_copy_of_its_DER()
    {
        // Fresh arrays with equal bytes, as two connections' Certificate messages give them.
        var first = PeerChain.Parse([new CertificateEntry((byte[])UnitPki.RsaClientLeaf.RawData.Clone())], "the test's");
        var second = PeerChain.Parse([new CertificateEntry((byte[])UnitPki.RsaClientLeaf.RawData.Clone())], "the test's");
        var other = PeerChain.Parse([new CertificateEntry((byte[])UnitPki.ClientLeaf.RawData.Clone())], "the test's");
        Assert.Same(first.Der[0], second.Der[0]);
        Assert.NotSame(first.Der[0], other.Der[0]);
        Assert.Equal(UnitPki.RsaClientLeaf.RawData, second.Der[0]);
        Assert.Equal(UnitPki.ClientLeaf.RawData, other.Der[0]);
        Assert.InRange(PeerDerPool.Count, 2, PeerDerPool.MaxEntries);
        first.Release();
        second.Release();
        other.Release();
    }
}
