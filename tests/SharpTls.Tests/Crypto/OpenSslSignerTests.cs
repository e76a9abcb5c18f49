using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SharpTls.Crypto;
using SharpTls.Wire;

namespace SharpTls.Tests.Crypto;

/// <summary>
/// The libcrypto signing path (<see cref="OpenSslSigner"/>: contexts kept per key, thread and scheme) against the BCL's own
/// verifiers: every ECDSA and rsaEncryption scheme a certificate can sign with, from several threads at once; the BCL
/// path (useLibCrypto false) beside it; a disposed signer signs no more. libcrypto is on every machine the tests run on
/// (OpenSSL 3 is the BCL's own backend here), so a missing one fails these tests.
/// </summary>
public class OpenSslSignerTests
{
    private static readonly byte[] Data = "TLS 1.3, server CertificateVerify and more"u8.ToArray();

    private static X509Certificate2 Rsa() => SignatureTests.RsaCert();

    private static X509Certificate2 Ec(ECCurve curve) => SignatureTests.EcCert(curve);

    /// <summary>The BCL's verifier (not ours): PSS with a salt as long as the hash, PKCS#1 v1.5, DER ECDSA.</summary>
    private static bool BclVerifies(X509Certificate2 certificate, SignatureScheme scheme, byte[] signature)
    {
        var hash = TlsHashes.ForScheme(scheme)!.Value;
        if (certificate.GetRSAPublicKey() is { } rsa)
        {
            var padding = ((ushort)scheme & 0xFF00) == 0x0800 ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
            return rsa.VerifyData(Data, signature, hash, padding);
        }
        return certificate.GetECDsaPublicKey()!.VerifyData(Data, signature, hash, DSASignatureFormat.Rfc3279DerSequence);
    }

    public static TheoryData<string> Keys => new() { "rsa", "p256", "p384", "p521" };

    [Theory]
    [MemberData(nameof(Keys))]
    public void Every_scheme_signs_through_libcrypto_and_the_bcl_verifies_it(string keyName)
    {
        Assert.True(OpenSslSigner.IsAvailable, "libcrypto (OpenSSL 3) does not load: the signing fast path cannot be tested");
        using var certificate = keyName switch
        {
            "rsa" => Rsa(),
            "p256" => Ec(ECCurve.NamedCurves.nistP256),
            "p384" => Ec(ECCurve.NamedCurves.nistP384),
            _ => Ec(ECCurve.NamedCurves.nistP521),
        };
        using var signer = OpenSslSigner.For(TlsSignatures.SigningKey(certificate, TlsSignatures.KeyKind(certificate))!);
        Assert.NotNull(signer); // an OpenSSL-backed key: the fast path serves it
        foreach (var scheme in TlsSignatures.SchemesFor(certificate, tls13: false).Concat(TlsSignatures.SchemesFor(certificate, tls13: true)).Distinct())
        {
            Assert.True(signer.Serves(scheme), scheme.ToString());
            byte[] direct = signer.Sign(scheme, Data);
            Assert.True(BclVerifies(certificate, scheme, direct), $"{scheme}: the signer's signature");
            byte[] viaCertificate = TlsSignatures.Sign(scheme, certificate, Data);
            Assert.True(BclVerifies(certificate, scheme, viaCertificate), $"{scheme}: TlsSignatures.Sign through libcrypto");
            Assert.True(BclVerifies(certificate, scheme, TlsSignatures.Sign(scheme, certificate, Data, useLibCrypto: false)), $"{scheme}: the BCL path");
            Assert.False(certificate.GetRSAPublicKey() is { } rsa
                ? rsa.VerifyData("other"u8.ToArray(), viaCertificate, TlsHashes.ForScheme(scheme)!.Value, ((ushort)scheme & 0xFF00) == 0x0800 ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1)
                : certificate.GetECDsaPublicKey()!.VerifyData("other"u8.ToArray(), viaCertificate, TlsHashes.ForScheme(scheme)!.Value, DSASignatureFormat.Rfc3279DerSequence),
                $"{scheme}: a signature verifies other content");
        }
        // Another key kind's schemes are not this signer's.
        Assert.False(signer.Serves(keyName == "rsa" ? SignatureScheme.EcdsaSecp256r1Sha256 : SignatureScheme.RsaPssRsaeSha256));
        Assert.False(signer.Serves(SignatureScheme.RsaPssPssSha256)); // an RSASSA-PSS key's schemes stay on the BCL
    }

    [Fact]
    public void Threads_signing_at_once_each_get_valid_signatures()
    {
        using var rsa = Rsa();
        using var ec = Ec(ECCurve.NamedCurves.nistP256);
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            for (int i = 0; i < 10; i++)
            {
                var (certificate, scheme) = (t + i) % 2 == 0 ? (rsa, SignatureScheme.RsaPssRsaeSha256) : (ec, SignatureScheme.EcdsaSecp256r1Sha256);
                if (!BclVerifies(certificate, scheme, TlsSignatures.Sign(scheme, certificate, Data))) failures.Add($"thread {t}, {scheme}");
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Empty(failures);
    }

    [Fact]
    public void A_disposed_signer_signs_no_more()
    {
        using var certificate = Ec(ECCurve.NamedCurves.nistP256);
        using var key = certificate.GetECDsaPrivateKey()!;
        var signer = OpenSslSigner.For(key)!;
        Assert.True(BclVerifies(certificate, SignatureScheme.EcdsaSecp256r1Sha256, signer.Sign(SignatureScheme.EcdsaSecp256r1Sha256, Data)));
        var other = new Thread(() => signer.Sign(SignatureScheme.EcdsaSecp256r1Sha256, Data)); // a second idle context
        other.Start();
        other.Join();
        signer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => signer.Sign(SignatureScheme.EcdsaSecp256r1Sha256, Data));
        signer.Dispose(); // twice is harmless
    }
}
