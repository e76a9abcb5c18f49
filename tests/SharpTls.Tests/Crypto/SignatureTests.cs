using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SharpTls.Crypto;

using SharpTls.Wire;

namespace SharpTls.Tests.Crypto;

public class SignatureTests
{
    private static readonly byte[] Data = "signed content"u8.ToArray();

    internal static X509Certificate2 RsaCert()
    {
        using RSA rsa = RSA.Create(2048);
        var req = new CertificateRequest("CN=rsa", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    internal static X509Certificate2 EcCert(ECCurve curve)
    {
        using ECDsa ec = ECDsa.Create(curve);
        var req = new CertificateRequest("CN=ec", ec, HashAlgorithmName.SHA256);
        return req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    [Fact]
    public void Tls13_signed_content_layout()
    {
        byte[] hash = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        byte[] content = TlsSignatures.Tls13SignedContent(server: true, hash);
        Assert.Equal(64 + 33 + 1 + 32, content.Length);
        Assert.All(content[..64], b => Assert.Equal(0x20, b));
        Assert.Equal("TLS 1.3, server CertificateVerify", System.Text.Encoding.ASCII.GetString(content, 64, 33));
        Assert.Equal(0, content[97]);
        Assert.Equal(hash, content[98..]);
        Assert.Equal("TLS 1.3, client CertificateVerify",
            System.Text.Encoding.ASCII.GetString(TlsSignatures.Tls13SignedContent(false, hash), 64, 33));
    }

    [Fact]
    public void Rsa_certificate_schemes_sign_and_verify()
    {
        using X509Certificate2 cert = RsaCert();
        Assert.Equal(SignatureKeyKind.Rsa, TlsSignatures.KeyKind(cert));
        IReadOnlyList<SignatureScheme> tls13 = TlsSignatures.SchemesFor(cert, tls13: true);
        Assert.Equal([SignatureScheme.RsaPssRsaeSha256, SignatureScheme.RsaPssRsaeSha384, SignatureScheme.RsaPssRsaeSha512], tls13);
        IReadOnlyList<SignatureScheme> tls12 = TlsSignatures.SchemesFor(cert, tls13: false);
        Assert.Contains(SignatureScheme.RsaPkcs1Sha1, tls12);
        foreach (SignatureScheme scheme in tls12)
        {
            byte[] sig = TlsSignatures.Sign(scheme, cert, Data);
            Assert.True(TlsSignatures.Verify(scheme, cert, Data, sig), scheme.ToString());
            Assert.False(TlsSignatures.Verify(scheme, cert, "other"u8, sig), scheme.ToString());
        }
        byte[] pkcs1 = TlsSignatures.Sign(SignatureScheme.RsaPkcs1Sha256, cert, Data);
        Assert.False(TlsSignatures.Verify(SignatureScheme.RsaPkcs1Sha256, cert, Data, pkcs1, tls13: true));
        Assert.False(TlsSignatures.Verify(SignatureScheme.RsaPssRsaeSha256, cert, Data, pkcs1));
        Assert.False(TlsSignatures.Verify(SignatureScheme.EcdsaSecp256r1Sha256, cert, Data, pkcs1));
    }

    [Fact]
    public void Ecdsa_schemes_follow_the_curve_in_tls13()
    {
        using X509Certificate2 p256 = EcCert(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 p384 = EcCert(ECCurve.NamedCurves.nistP384);
        Assert.Equal([SignatureScheme.EcdsaSecp256r1Sha256], TlsSignatures.SchemesFor(p256, true));
        Assert.Equal([SignatureScheme.EcdsaSecp384r1Sha384], TlsSignatures.SchemesFor(p384, true));
        Assert.Equal(SignatureScheme.EcdsaSecp384r1Sha384, TlsSignatures.SchemesFor(p384, false)[0]);
        Assert.Contains(SignatureScheme.EcdsaSha1, TlsSignatures.SchemesFor(p256, false));

        byte[] sig = TlsSignatures.Sign(SignatureScheme.EcdsaSecp384r1Sha384, p256, Data);
        Assert.True(TlsSignatures.Verify(SignatureScheme.EcdsaSecp384r1Sha384, p256, Data, sig));
        Assert.False(TlsSignatures.Verify(SignatureScheme.EcdsaSecp384r1Sha384, p256, Data, sig, tls13: true));
        byte[] own = TlsSignatures.Sign(SignatureScheme.EcdsaSecp256r1Sha256, p256, Data);
        Assert.True(TlsSignatures.Verify(SignatureScheme.EcdsaSecp256r1Sha256, p256, Data, own, tls13: true));
        Assert.Equal(0x30, own[0]); // DER SEQUENCE
    }

    [Fact]
    public void Malformed_signatures_return_false()
    {
        using X509Certificate2 ec = EcCert(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 rsa = RsaCert();
        Assert.False(TlsSignatures.Verify(SignatureScheme.EcdsaSecp256r1Sha256, ec, Data, [0x30, 0x99, 0x01]));
        Assert.False(TlsSignatures.Verify(SignatureScheme.EcdsaSecp256r1Sha256, ec, Data, []));
        Assert.False(TlsSignatures.Verify(SignatureScheme.RsaPssRsaeSha256, rsa, Data, new byte[3]));
        Assert.False(TlsSignatures.Verify(SignatureScheme.Ed25519, [1, 2, 3], Data, new byte[64]));
    }

    [Fact]
    public void Ed25519_rfc8032_test1()
    {
        byte[] seed = Hex.Parse("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        const string expected = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";
        byte[] sig = TlsSignatures.SignEd25519(seed, []);
        Hex.Equal(expected, sig);
        byte[] spki = Hex.Parse("302a300506032b6570032100d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        Assert.True(TlsSignatures.Verify(SignatureScheme.Ed25519, spki, [], sig, tls13: true));
        sig[0] ^= 1;
        Assert.False(TlsSignatures.Verify(SignatureScheme.Ed25519, spki, [], sig));
        Assert.False(TlsSignatures.Verify(SignatureScheme.EcdsaSecp256r1Sha256, spki, [], sig));
        byte[] pkcs8 = Hex.Parse("302e020100300506032b657004220420" + "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        Assert.Equal(seed, TlsSignatures.Ed25519PrivateKeyFromPkcs8(pkcs8));
    }

    [Fact]
    public void Legacy_md5_sha1_rsa_signature()
    {
        using RSA key = RSA.Create(2048);
        byte[] sig = TlsSignatures.SignLegacyRsaMd5Sha1(key, Data);
        Assert.Equal(256, sig.Length);
        byte[] spki = key.ExportSubjectPublicKeyInfo();
        Assert.True(TlsSignatures.VerifyLegacyRsaMd5Sha1(spki, Data, sig));
        Assert.False(TlsSignatures.VerifyLegacyRsaMd5Sha1(spki, "x"u8, sig));
        Assert.False(TlsSignatures.VerifyLegacyRsaMd5Sha1(spki, Data, sig[1..]));
        // The recovered block is exactly MD5 || SHA-1 with no DigestInfo: check with a raw public operation.
        var engine = new Org.BouncyCastle.Crypto.Engines.RsaEngine();
        engine.Init(false, Org.BouncyCastle.Security.DotNetUtilities.GetRsaPublicKey(key.ExportParameters(false)));
        byte[] em = engine.ProcessBlock(sig, 0, sig.Length);
        Assert.Equal(1, em[0]); // 00 01 FF.. 00 H (leading zero dropped by the big integer)
        Assert.Equal([.. MD5.HashData(Data), .. SHA1.HashData(Data)], em[^36..]);
    }

    [Fact]
    public void Dsa_sign_and_verify()
    {
        using DSA dsa = DSA.Create(2048);
        var spki = dsa.ExportSubjectPublicKeyInfo();
        foreach (SignatureScheme scheme in new[] { SignatureScheme.DsaSha1, SignatureScheme.DsaSha256 })
        {
            byte[] sig = TlsSignatures.Sign(scheme, dsa, Data);
            Assert.True(TlsSignatures.Verify(scheme, spki, Data, sig));
            Assert.False(TlsSignatures.Verify(scheme, spki, Data, sig, tls13: true));
        }
    }

    [Fact]
    public void The_signing_key_is_taken_out_of_the_certificate_once_and_signs_verifiably()
    {
        using var ec = EcCert(ECCurve.NamedCurves.nistP256);
        using var rsa = RsaCert();
        var ecKey = TlsSignatures.SigningKey(ec, SignatureKeyKind.Ecdsa);
        Assert.NotNull(ecKey);
        Assert.Same(ecKey, TlsSignatures.SigningKey(ec, SignatureKeyKind.Ecdsa));
        Assert.Same(TlsSignatures.SigningKey(rsa, SignatureKeyKind.Rsa), TlsSignatures.SigningKey(rsa, SignatureKeyKind.RsaPss));
        // A kind the key is not: none, even once a key of the other kind is kept.
        Assert.Null(TlsSignatures.SigningKey(ec, SignatureKeyKind.Rsa));
        Assert.Null(TlsSignatures.SigningKey(rsa, SignatureKeyKind.Ecdsa));
        // Signatures from the kept key verify against the certificate, every time (ECDSA and PSS are randomized).
        for (int i = 0; i < 3; i++)
        {
            byte[] s1 = TlsSignatures.Sign(SignatureScheme.EcdsaSecp256r1Sha256, ec, Data);
            Assert.True(ec.GetECDsaPublicKey()!.VerifyData(Data, s1, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
            byte[] s2 = TlsSignatures.Sign(SignatureScheme.RsaPssRsaeSha256, rsa, Data);
            Assert.True(rsa.GetRSAPublicKey()!.VerifyData(Data, s2, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
        }
        using var noKey = X509CertificateLoader.LoadCertificate(ec.RawData);
        Assert.Null(TlsSignatures.SigningKey(noKey, SignatureKeyKind.Ecdsa));
    }

    [Fact]
    public void Schemes_are_worked_out_once_per_certificate()
    {
        using var ec = EcCert(ECCurve.NamedCurves.nistP384);
        Assert.Same(TlsSignatures.SchemesFor(ec, tls13: true), TlsSignatures.SchemesFor(ec, tls13: true));
        Assert.Equal([SignatureScheme.EcdsaSecp384r1Sha384], TlsSignatures.SchemesFor(ec, tls13: true));
        Assert.Equal(SignatureScheme.EcdsaSecp384r1Sha384, TlsSignatures.SchemesFor(ec, tls13: false)[0]);
        Assert.Contains(SignatureScheme.EcdsaSha1, TlsSignatures.SchemesFor(ec, tls13: false));
    }
}
