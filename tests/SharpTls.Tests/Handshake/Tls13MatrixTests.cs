using System.Security.Cryptography.X509Certificates;
using SharpTls.Wire;

namespace SharpTls.Tests.Handshake;

/// <summary>Every TLS 1.3 suite × group × signature scheme, in memory, with data both ways.</summary>
public class Tls13MatrixTests
{
    public static readonly CipherSuite[] Suites =
    [
        CipherSuite.TLS_AES_128_GCM_SHA256,
        CipherSuite.TLS_AES_256_GCM_SHA384,
        CipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_AES_128_CCM_SHA256,
        CipherSuite.TLS_AES_128_CCM_8_SHA256,
    ];

    public static readonly NamedGroup[] Groups =
        [NamedGroup.X25519, NamedGroup.Secp256r1, NamedGroup.Secp384r1, NamedGroup.Secp521r1, NamedGroup.X25519MlKem768];

    public static readonly SignatureScheme[] Schemes =
    [
        SignatureScheme.EcdsaSecp256r1Sha256, SignatureScheme.EcdsaSecp384r1Sha384, SignatureScheme.EcdsaSecp521r1Sha512,
        SignatureScheme.RsaPssRsaeSha256, SignatureScheme.RsaPssRsaeSha384, SignatureScheme.RsaPssRsaeSha512,
    ];

    internal static X509Certificate2 LeafFor(SignatureScheme scheme) => scheme switch
    {
        SignatureScheme.EcdsaSecp256r1Sha256 => UnitPki.EcdsaLeaf,
        SignatureScheme.EcdsaSecp384r1Sha384 => UnitPki.Ecdsa384Leaf,
        SignatureScheme.EcdsaSecp521r1Sha512 => UnitPki.Ecdsa521Leaf,
        _ => UnitPki.RsaLeaf,
    };

    /// <summary>The full product: 5 suites × 5 groups × 6 schemes.</summary>
    public static TheoryData<CipherSuite, NamedGroup, SignatureScheme> Matrix()
    {
        var data = new TheoryData<CipherSuite, NamedGroup, SignatureScheme>();
        for (int s = 0; s < Suites.Length; s++)
            for (int g = 0; g < Groups.Length; g++)
                for (int k = 0; k < Schemes.Length; k++)
                    data.Add(Suites[s], Groups[g], Schemes[k]);
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void SuiteGroupScheme(CipherSuite suite, NamedGroup group, SignatureScheme scheme)
    {
        bool ccm8 = suite == CipherSuite.TLS_AES_128_CCM_8_SHA256;
        var server = InMemoryPair.DefaultServer(LeafFor(scheme));
        server.EnableCcm8 = ccm8;
        var client = InMemoryPair.DefaultClient();
        client.CipherSuites = [suite];
        client.EnableCcm8 = ccm8;
        client.Groups = [group];
        client.KeyShareGroups = [group];
        client.SignatureSchemes = [scheme];
        using var pair = new InMemoryPair(server, client);
        pair.Handshake();

        foreach (var side in new[] { pair.Client, pair.Server })
        {
            Assert.Equal(ProtocolVersion.Tls13, side.Info.Version);
            Assert.Equal(suite, side.Info.CipherSuite);
            Assert.Equal(group, side.Info.Group);
            Assert.Equal(scheme, side.Info.SignatureScheme);
            Assert.False(side.Info.Resumed);
            Assert.False(side.Info.HelloRetryRequested);
        }
        Assert.Equal(LeafFor(scheme).Thumbprint, pair.Client.Info.PeerCertificates[0].Thumbprint);
        Assert.StartsWith("OK", pair.Client.Info.CertificateVerification);

        byte[] up = Enumerable.Range(0, 3000).Select(i => (byte)i).ToArray();
        Assert.Equal(up, pair.Send(pair.Client, pair.Server, up));
        byte[] down = Enumerable.Range(0, 5000).Select(i => (byte)(i * 7)).ToArray();
        Assert.Equal(down, pair.Send(pair.Server, pair.Client, down));
    }

    [Theory]
    [InlineData(CipherSuite.TLS_AES_128_GCM_SHA256)]
    [InlineData(CipherSuite.TLS_CHACHA20_POLY1305_SHA256)]
    [InlineData(CipherSuite.TLS_AES_128_CCM_8_SHA256)]
    public void FullSizeRecordsBothWays(CipherSuite suite)
    {
        var server = InMemoryPair.DefaultServer();
        server.EnableCcm8 = true;
        var client = InMemoryPair.DefaultClient();
        client.CipherSuites = [suite];
        client.EnableCcm8 = true;
        client.RecordPaddingBlock = 512;
        using var pair = new InMemoryPair(server, client);
        pair.Handshake();
        byte[] big = new byte[100_000];
        new Random(1).NextBytes(big);
        Assert.Equal(big, pair.Send(pair.Client, pair.Server, big));
        Assert.Equal(big, pair.Send(pair.Server, pair.Client, big));
        Assert.Equal(TlsStatus.Connected, pair.Client.Status);
        Assert.Equal(TlsStatus.Connected, pair.Server.Status);
    }

    [Fact]
    public void Ccm8IsRefusedUnlessEnabledOnTheServer()
    {
        var client = InMemoryPair.DefaultClient();
        client.CipherSuites = [CipherSuite.TLS_AES_128_CCM_8_SHA256];
        client.EnableCcm8 = true;
        using var pair = new InMemoryPair(InMemoryPair.DefaultServer(), client);
        // Issue 10: a client offering only CCM_8 to a server that has it off gets handshake_failure, and the event (36874,
        // no cipher suite in common) names the switch.
        pair.HandshakeFails(pair.Server, AlertDescription.HandshakeFailure, "AwaitPolicy", "TLS_AES_128_CCM_8_SHA256 is off on this server (TlsServerOptions.EnableCcm8)");
        Assert.Equal(SharpTls.Diagnostics.TlsEvents.NoCipherSuiteInCommon, pair.Server.Failure!.EventId);
    }

    [Fact]
    public void Ccm8IsRefusedWhenListedButNotEnabled()
    {
        var server = InMemoryPair.DefaultServer();
        server.CipherSuites = [CipherSuite.TLS_AES_128_CCM_8_SHA256];
        var client = InMemoryPair.DefaultClient();
        client.CipherSuites = [CipherSuite.TLS_AES_128_CCM_8_SHA256];
        client.EnableCcm8 = true;
        using var pair = new InMemoryPair(server, client);
        pair.HandshakeFails(pair.Server, AlertDescription.HandshakeFailure, "AwaitPolicy", "no cipher suite in common");
    }

    [Fact]
    public void ClientDoesNotOfferCcm8UnlessEnabled()
    {
        var trace = new SharpTls.Diagnostics.HandshakeTraceCollector();
        var client = InMemoryPair.DefaultClient();
        client.CipherSuites = [CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_AES_128_CCM_8_SHA256];
        client.Trace = trace;
        using var pair = new InMemoryPair(InMemoryPair.DefaultServer(), client);
        pair.Handshake();
        var hello = SharpTls.Messages.HandshakeMessage.Decode<SharpTls.Messages.ClientHello>(trace.Entries[0].Bytes, SharpTls.Messages.MessageContext.None);
        Assert.DoesNotContain((ushort)CipherSuite.TLS_AES_128_CCM_8_SHA256, hello.CipherSuites);
    }

    [Theory]
    [InlineData(new[] { SignatureScheme.RsaPssRsaeSha256 }, SignatureScheme.RsaPssRsaeSha256, "rsa")]
    [InlineData(new[] { SignatureScheme.RsaPssRsaeSha512 }, SignatureScheme.RsaPssRsaeSha512, "rsa")]
    [InlineData(new[] { SignatureScheme.EcdsaSecp256r1Sha256 }, SignatureScheme.EcdsaSecp256r1Sha256, "ecdsa")]
    [InlineData(new[] { SignatureScheme.EcdsaSecp521r1Sha512, SignatureScheme.RsaPssRsaeSha384 }, SignatureScheme.RsaPssRsaeSha384, "rsa")]
    [InlineData(new[] { SignatureScheme.EcdsaSecp384r1Sha384, SignatureScheme.EcdsaSecp256r1Sha256 }, SignatureScheme.EcdsaSecp256r1Sha256, "ecdsa")]
    public void SeveralCertificatesChosenBySignatureAlgorithms(SignatureScheme[] offered, SignatureScheme expected, string kind)
    {
        var server = InMemoryPair.DefaultServer(UnitPki.RsaLeaf, UnitPki.EcdsaLeaf);
        var client = InMemoryPair.DefaultClient();
        client.SignatureSchemes = offered;
        using var pair = new InMemoryPair(server, client);
        pair.Handshake();
        var expectedLeaf = kind == "rsa" ? UnitPki.RsaLeaf : UnitPki.EcdsaLeaf;
        Assert.Equal(expected, pair.Client.Info.SignatureScheme);
        Assert.Equal(expected, pair.Server.Info.SignatureScheme);
        Assert.Equal(expectedLeaf.Thumbprint, pair.Client.Info.PeerCertificates[0].Thumbprint);
        Assert.Equal(expectedLeaf.Thumbprint, pair.Server.Info.LocalCertificate!.Thumbprint);
    }

    [Fact]
    public void NoCertificateForTheClientsSchemes()
    {
        var client = InMemoryPair.DefaultClient();
        client.SignatureSchemes = [SignatureScheme.RsaPssRsaeSha256];
        using var pair = new InMemoryPair(InMemoryPair.DefaultServer(UnitPki.EcdsaLeaf), client);
        pair.HandshakeFails(pair.Server, AlertDescription.HandshakeFailure, "AwaitPolicy", "no certificate can sign");
    }
}
