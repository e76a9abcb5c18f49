using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SharpTls.Crypto;
using SharpTls.Wire;

namespace SharpTls.Benchmarks.Harness;

/// <summary>
/// The arithmetic one server handshake cannot avoid, timed with the primitives SharpTls uses:
/// the server's key-share response through <see cref="CryptoProviders.Default"/> (libcrypto X25519 and
/// ECDH P-256 where it loads, BouncyCastle ML-KEM: key generation + agreement) and one CertificateVerify
/// signature through the BCL with a key object kept across calls.
/// </summary>
internal sealed class CryptoFloor
{
    public double X25519 { get; private set; }
    public double P256 { get; private set; }
    public double MlKemHybrid { get; private set; }
    public double EcdsaSign { get; private set; }
    public double RsaPssSign { get; private set; }
    /// <summary>ECDSA via <see cref="TlsSignatures.Sign(SignatureScheme, X509Certificate2, ReadOnlySpan{byte})"/>, as the handshake signs today (fetches the key from the certificate each time).</summary>
    public double EcdsaSignViaCertificate { get; private set; }
    public double RsaSignViaCertificate { get; private set; }

    public static CryptoFloor Measure(Workspace ws, TimeSpan perOp)
    {
        var f = new CryptoFloor();
        var provider = CryptoProviders.Default;
        using var x = provider.GenerateKeyShare(NamedGroup.X25519);
        using var p = provider.GenerateKeyShare(NamedGroup.Secp256r1);
        byte[] xs = x.PublicKey.ToArray(), ps = p.PublicKey.ToArray();
        f.X25519 = Time(perOp, () => provider.RespondKeyShare(NamedGroup.X25519, xs));
        f.P256 = Time(perOp, () => provider.RespondKeyShare(NamedGroup.Secp256r1, ps));
        if (provider.SupportsGroup(NamedGroup.X25519MlKem768))
        {
            using var m = provider.GenerateKeyShare(NamedGroup.X25519MlKem768);
            byte[] ms = m.PublicKey.ToArray();
            f.MlKemHybrid = Time(perOp, () => provider.RespondKeyShare(NamedGroup.X25519MlKem768, ms));
        }

        // The CertificateVerify input: 64 spaces, the context string, 0, a SHA-256 transcript hash.
        byte[] content = TlsSignatures.Tls13SignedContent(true, SHA256.HashData("transcript"u8));
        using var ecCert = X509Certificate2.CreateFromPemFile(ws.CertPem(CertKind.Ecdsa), ws.KeyPem(CertKind.Ecdsa));
        using var rsaCert = X509Certificate2.CreateFromPemFile(ws.CertPem(CertKind.Rsa), ws.KeyPem(CertKind.Rsa));
        using var ec = ecCert.GetECDsaPrivateKey()!;
        using var rsa = rsaCert.GetRSAPrivateKey()!;
        f.EcdsaSign = Time(perOp, () => TlsSignatures.Sign(SignatureScheme.EcdsaSecp256r1Sha256, ec, content));
        f.RsaPssSign = Time(perOp, () => TlsSignatures.Sign(SignatureScheme.RsaPssRsaeSha256, rsa, content));
        f.EcdsaSignViaCertificate = Time(perOp, () => TlsSignatures.Sign(SignatureScheme.EcdsaSecp256r1Sha256, ecCert, content));
        f.RsaSignViaCertificate = Time(perOp, () => TlsSignatures.Sign(SignatureScheme.RsaPssRsaeSha256, rsaCert, content));
        return f;
    }

    /// <summary>
    /// CPU microseconds of this thread per call (CLOCK_THREAD_CPUTIME_ID, so other load on the
    /// machine does not count): a warm-up long enough for tiered compilation to reach optimized code
    /// (at least 200 calls and 300 ms), then as many calls as fit in <paramref name="budget"/> of CPU.
    /// </summary>
    private static double Time(TimeSpan budget, Func<object> op)
    {
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < 200 || sw.Elapsed < TimeSpan.FromMilliseconds(300) || sw.Elapsed < budget; i++) op();
        double start = Proc.ThreadCpuSeconds(), limit = budget.TotalSeconds;
        long n = 0;
        double used;
        do
        {
            op();
            n++;
        }
        while ((used = Proc.ThreadCpuSeconds() - start) < limit);
        return used * 1e6 / n;
    }
}
