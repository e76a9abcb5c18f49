using System.Runtime.InteropServices;
using System.Security.Cryptography;
using SharpTls.Crypto;
using SharpTls.Wire;

namespace SharpTls.Benchmarks.Micro;

/// <summary>
/// `cryptopaths`: the server handshake's crypto operations as SharpTls makes them today beside the same operation
/// straight on libcrypto with its context made once (thread CPU time, least of ten blocks), to see what the BCL's and
/// the EVP_PKEY set-up cost per handshake before moving a path.
/// </summary>
internal static unsafe class CryptoPaths
{
    public static int Run(int n)
    {
        if (OperatingSystem.IsWindows()) return 2; // libcrypto's paths only
        byte[] content = RandomNumberGenerator.GetBytes(130), digest = SHA256.HashData(content), sig = new byte[512];
        using var ecdsa = new ECDsaOpenSsl(ECCurve.NamedCurves.nistP256);
        using var rsa = new RSAOpenSsl(2048);
        using var ecKey = ecdsa.DuplicateKeyHandle();
        using var rsaKey = rsa.DuplicateKeyHandle();
        IntPtr ecCtx = EVP_PKEY_CTX_new(ecKey.DangerousGetHandle(), IntPtr.Zero);
        Check(EVP_PKEY_sign_init(ecCtx));
        IntPtr rsaCtx = EVP_PKEY_CTX_new(rsaKey.DangerousGetHandle(), IntPtr.Zero);
        Check(EVP_PKEY_sign_init(rsaCtx));
        Check(EVP_PKEY_CTX_set_rsa_padding(rsaCtx, 6)); // RSA_PKCS1_PSS_PADDING
        Check(EVP_PKEY_CTX_set_signature_md(rsaCtx, EVP_sha256()));
        Check(EVP_PKEY_CTX_set_rsa_pss_saltlen(rsaCtx, -1)); // RSA_PSS_SALTLEN_DIGEST
        var provider = CryptoProviders.Default;
        byte[] peer = new byte[32];
        using (var share = provider.GenerateKeyShare(NamedGroup.X25519)) share.PublicKey.Span.CopyTo(peer);
        byte[] p256Peer;
        using (var share = provider.GenerateKeyShare(NamedGroup.Secp256r1)) p256Peer = share.PublicKey.ToArray();
        byte[] r32 = new byte[32], r12 = new byte[12], r4 = new byte[4];
        // A server certificate whose key first signed on another thread (a socket server's handshakes run on the socket
        // engine's threads, several of them): OpenSSL's RSA blinding belongs to the thread that used the key first.
        using var rsaLeaf = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=elsewhere", RSA.Create(2048),
            HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var first = new Thread(() =>
        {
            TlsSignatures.Sign(SignatureScheme.RsaPssRsaeSha256, rsaLeaf, content, useLibCrypto: false);
            TlsSignatures.Sign(SignatureScheme.RsaPssRsaeSha256, rsaLeaf, content);
        });
        first.Start();
        first.Join();

        var parts = new (string Name, Action Op, int Count)[]
        {
            ("RandomNumberGenerator.Fill 32 B", () => RandomNumberGenerator.Fill(r32), n),
            ("RandomNumberGenerator.Fill 12 B", () => RandomNumberGenerator.Fill(r12), n),
            ("RandomNumberGenerator.Fill 4 B", () => RandomNumberGenerator.Fill(r4), n),
            ("X25519 key share response (default provider)", () => CryptographicOperations.ZeroMemory(provider.RespondKeyShare(NamedGroup.X25519, peer).SharedSecret), n / 10),
            ("P-256 key share response (default provider)", () => CryptographicOperations.ZeroMemory(provider.RespondKeyShare(NamedGroup.Secp256r1, p256Peer).SharedSecret), n / 10),
            ("ECDSA P-256 sign, BCL ECDsa.SignData (key kept)", () => ecdsa.SignData(content, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence), n / 10),
            ("ECDSA P-256 sign, SHA256.HashData + EVP_PKEY_sign (ctx kept)", () =>
            {
                Span<byte> h = stackalloc byte[32];
                SHA256.HashData(content, h);
                nuint len = (nuint)sig.Length;
                fixed (byte* s = sig, d = h) Check(EVP_PKEY_sign(ecCtx, s, &len, d, 32));
            }, n / 10),
            ("RSA-2048 PSS sign, BCL RSA.SignData (key kept)", () => rsa.SignData(content, HashAlgorithmName.SHA256, RSASignaturePadding.Pss), n / 100),
            ("RSA-2048 PSS sign, EVP_PKEY_sign (ctx kept)", () =>
            {
                nuint len = (nuint)sig.Length;
                fixed (byte* s = sig, d = digest) Check(EVP_PKEY_sign(rsaCtx, s, &len, d, 32));
            }, n / 100),
            ("ECDSA P-256 sign, TlsSignatures.Sign(certificate), BCL", () => TlsSignatures.Sign(SignatureScheme.EcdsaSecp256r1Sha256, MicroPki.Ecdsa, content, useLibCrypto: false), n / 10),
            ("ECDSA P-256 sign, TlsSignatures.Sign(certificate), libcrypto", () => TlsSignatures.Sign(SignatureScheme.EcdsaSecp256r1Sha256, MicroPki.Ecdsa, content), n / 10),
            ("RSA-2048 PSS sign, TlsSignatures.Sign(certificate), BCL", () => TlsSignatures.Sign(SignatureScheme.RsaPssRsaeSha256, MicroPki.Rsa, content, useLibCrypto: false), n / 100),
            ("RSA-2048 PSS sign, TlsSignatures.Sign(certificate), libcrypto", () => TlsSignatures.Sign(SignatureScheme.RsaPssRsaeSha256, MicroPki.Rsa, content), n / 100),
            ("RSA-2048 PSS sign, key first used on another thread, BCL", () => TlsSignatures.Sign(SignatureScheme.RsaPssRsaeSha256, rsaLeaf, content, useLibCrypto: false), n / 100),
            ("RSA-2048 PSS sign, key first used on another thread, libcrypto", () => TlsSignatures.Sign(SignatureScheme.RsaPssRsaeSha256, rsaLeaf, content), n / 100),
            ("RSA-2048 PSS sign, TlsSignatures.Sign(certificate), BCL (again)", () => TlsSignatures.Sign(SignatureScheme.RsaPssRsaeSha256, MicroPki.Rsa, content, useLibCrypto: false), n / 100),
            ("RSA-2048 PSS sign, TlsSignatures.Sign(certificate), libcrypto (again)", () => TlsSignatures.Sign(SignatureScheme.RsaPssRsaeSha256, MicroPki.Rsa, content), n / 100),
        };
        foreach (var (name, op, count) in parts)
            Console.WriteLine($"{name,-64} {InMemoryServers.TimeOp(op, warm: Math.Max(1, count / 5), n: count) * 1e6,8:0.00} µs");
        EVP_PKEY_CTX_free(ecCtx);
        EVP_PKEY_CTX_free(rsaCtx);
        return 0;
    }

    private static void Check(int ok)
    {
        if (ok <= 0) throw new CryptographicException("libcrypto call failed");
    }

    private const string Lib = "libcrypto.so.3";
    [DllImport(Lib)] private static extern IntPtr EVP_PKEY_CTX_new(IntPtr pkey, IntPtr engine);
    [DllImport(Lib)] private static extern void EVP_PKEY_CTX_free(IntPtr ctx);
    [DllImport(Lib)] private static extern int EVP_PKEY_sign_init(IntPtr ctx);
    [DllImport(Lib)] private static extern int EVP_PKEY_sign(IntPtr ctx, byte* sig, nuint* siglen, byte* tbs, nuint tbslen);
    [DllImport(Lib)] private static extern int EVP_PKEY_CTX_set_rsa_padding(IntPtr ctx, int padding);
    [DllImport(Lib)] private static extern int EVP_PKEY_CTX_set_signature_md(IntPtr ctx, IntPtr md);
    [DllImport(Lib)] private static extern int EVP_PKEY_CTX_set_rsa_pss_saltlen(IntPtr ctx, int len);
    [DllImport(Lib)] private static extern IntPtr EVP_sha256();
}
