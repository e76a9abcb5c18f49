using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SharpTls.Crypto;
using SharpTls.Handshake.Tls12;
using SharpTls.Tests.Handshake;
using SharpTls.Wire;

namespace SharpTls.Tests.Tls12;

/// <summary>
/// Legacy handshake signatures (SSL 3.0 to TLS 1.1: MD5+SHA-1 RSA, SHA-1 DSA and ECDSA, with no signature_algorithms) go
/// through <see cref="ICryptoProvider.SignLegacyHandshakeDigest"/>, as every other engine signature goes through
/// <see cref="ICryptoProvider.Sign"/>, so a provider that keeps keys elsewhere (an HSM) can make them: the server's
/// ServerKeyExchange and the client's CertificateVerify, each key kind, with what the provider returns on the wire (a
/// provider that signs wrongly makes the peer fail). The default's RSA path is libcrypto's MD5-SHA1 PKCS#1 signature,
/// byte for byte what BouncyCastle's PKCS#1 encoding makes (the signature is deterministic).
/// </summary>
public class LegacySignatureProviderTests
{
    /// <summary>The default provider, recording each legacy signature it is asked for, optionally spoiling it.</summary>
    internal sealed class RecordingProvider(bool spoil = false) : ICryptoProvider
    {
        private static readonly ICryptoProvider Inner = CryptoProviders.Default;
        public List<(string Thumbprint, byte[] Digest, byte[] Signature)> LegacyCalls { get; } = [];
        public void Fill(Span<byte> destination) => Inner.Fill(destination);
        public bool SupportsGroup(NamedGroup group) => Inner.SupportsGroup(group);
        public IKeyShare GenerateKeyShare(NamedGroup group) => Inner.GenerateKeyShare(group);
        public KeyShareResponse RespondKeyShare(NamedGroup group, ReadOnlySpan<byte> peerShare) => Inner.RespondKeyShare(group, peerShare);

        public byte[] SignLegacyHandshakeDigest(X509Certificate2 certificate, ReadOnlySpan<byte> md5Sha1)
        {
            byte[] signature = Inner.SignLegacyHandshakeDigest(certificate, md5Sha1);
            if (spoil) signature[^1] ^= 1;
            LegacyCalls.Add((certificate.Thumbprint, md5Sha1.ToArray(), signature));
            return signature;
        }
    }

    public static TheoryData<ProtocolVersion, CipherSuite> ServerKeyExchanges() => new()
    {
        { ProtocolVersion.Tls10, CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA },
        { ProtocolVersion.Tls11, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA },
        { ProtocolVersion.Tls10, CipherSuite.TLS_DHE_DSS_WITH_AES_128_CBC_SHA },
        { ProtocolVersion.Ssl3, CipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA },
        { ProtocolVersion.Ssl3, CipherSuite.TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA },
    };

    private static InMemoryPair Pair(ProtocolVersion version, CipherSuite suite, ICryptoProvider? server = null, ICryptoProvider? client = null,
        X509Certificate2? clientCertificate = null)
    {
        var s = InMemoryPair.DefaultServer(LegacyVersionTests.CertFor(suite));
        s.Versions = SharpTls.Handshake.VersionSwitches.Flag(version);
        if (server is not null) s.Crypto = server;
        var c = InMemoryPair.DefaultClient();
        c.Versions = s.Versions;
        c.CipherSuites = [suite];
        if (client is not null) c.Crypto = client;
        if (clientCertificate is not null)
        {
            s.ClientCertificateMode = ClientCertificateMode.Required;
            s.TrustedIssuers = UnitPki.Roots;
            c.ClientCertificate = new ServerCertificate(clientCertificate);
        }
        return new InMemoryPair(s, c);
    }

    [Theory]
    [MemberData(nameof(ServerKeyExchanges))]
    public void The_servers_legacy_ServerKeyExchange_signature_is_the_providers(ProtocolVersion version, CipherSuite suite)
    {
        var provider = new RecordingProvider();
        using var pair = Pair(version, suite, server: provider);
        pair.Handshake();
        var call = Assert.Single(provider.LegacyCalls);
        Assert.Equal(LegacyVersionTests.CertFor(suite).Thumbprint, call.Thumbprint);
        Assert.Equal(36, call.Digest.Length);
        Assert.Equal((version, suite), (pair.Client.Info.Version!.Value, pair.Client.Info.CipherSuite!.Value));

        // What the provider returns is what the client checks: a spoiled signature is decrypt_error there.
        using var spoiled = Pair(version, suite, server: new RecordingProvider(spoil: true));
        var failure = spoiled.HandshakeFails(spoiled.Client, version == ProtocolVersion.Ssl3 ? AlertDescription.HandshakeFailure : AlertDescription.DecryptError,
            "Client.Tls12.ExpectServerKeyExchange", "");
        Assert.Contains("signature", failure.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(ProtocolVersion.Tls10, "rsa")]
    [InlineData(ProtocolVersion.Tls11, "ecdsa")]
    [InlineData(ProtocolVersion.Tls10, "dsa")]
    [InlineData(ProtocolVersion.Ssl3, "rsa")]
    [InlineData(ProtocolVersion.Ssl3, "dsa")]
    public void The_clients_legacy_CertificateVerify_signature_is_the_providers(ProtocolVersion version, string kind)
    {
        var certificate = kind switch { "rsa" => UnitPki.RsaClientLeaf, "dsa" => UnitPki.DsaClientLeaf, _ => UnitPki.ClientLeaf };
        var provider = new RecordingProvider();
        // RSA key transport: the server signs nothing, so the one legacy signature is the client's.
        using var pair = Pair(version, CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA, client: provider, clientCertificate: certificate);
        pair.Handshake();
        var call = Assert.Single(provider.LegacyCalls);
        Assert.Equal(certificate.Thumbprint, call.Thumbprint);
        Assert.Equal(certificate.Thumbprint, pair.Server.Info.PeerCertificates[0].Thumbprint);

        using var spoiled = Pair(version, CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA, client: new RecordingProvider(spoil: true), clientCertificate: certificate);
        spoiled.HandshakeFails(spoiled.Server, version == ProtocolVersion.Ssl3 ? AlertDescription.HandshakeFailure : AlertDescription.DecryptError,
            "Server.Tls12.ExpectCertificateVerify", "");
    }

    [Fact]
    public void The_defaults_rsa_path_is_libcrypto_and_matches_the_pkcs1_encoding_byte_for_byte()
    {
        // A certificate's key, as the handshake has it (the BCL's RSAOpenSsl; RSA.Create() here is another, internal type).
        using var rsa = UnitPki.RsaLeaf.GetRSAPrivateKey()!;
        byte[] digest = LegacySignatures.Md5Sha1("signed params"u8);
        byte[]? native = OpenSslLegacyRsaSignature.TrySign(rsa, digest);
        Assert.NotNull(native); // libcrypto is on this machine: the default path must be the native one
        Assert.Equal(TlsSignatures.SignLegacyRsaMd5Sha1Hash(rsa, digest), native);
        Assert.True(TlsSignatures.VerifyLegacyRsaMd5Sha1Hash(rsa, digest, native));
        // A PKCS#1 v1.5 type 1 block over the 36 bytes, no DigestInfo (RFC 2246 §7.4.3): the raw public operation shows it.
        byte[] block = rsa.ExportParameters(false) is var p ? RawPublic(p, native) : [];
        Assert.Equal([0x00, 0x01], block[..2]);
        Assert.Equal(digest, block[^36..]);
        Assert.Equal(0x00, block[^37]);
        Assert.All(block[2..^37], b => Assert.Equal(0xFF, b));
        Assert.Throws<ArgumentException>(() => OpenSslLegacyRsaSignature.TrySign(rsa, digest[..20]));
    }

    private static byte[] RawPublic(RSAParameters p, byte[] signature)
    {
        var engine = new Org.BouncyCastle.Crypto.Engines.RsaEngine();
        engine.Init(false, new Org.BouncyCastle.Crypto.Parameters.RsaKeyParameters(false, new(1, p.Modulus), new(1, p.Exponent)));
        byte[] raw = engine.ProcessBlock(signature, 0, signature.Length);
        byte[] block = new byte[p.Modulus!.Length];
        raw.CopyTo(block, block.Length - raw.Length);
        return block;
    }
}
