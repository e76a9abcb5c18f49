using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace SharpTls.Crypto;

/// <summary>
/// The legacy RSA handshake signature of SSL 3.0, TLS 1.0 and TLS 1.1 (RFC 2246 §7.4.3, RFC 6101 §5.6.8) through
/// libcrypto: a PKCS#1 v1.5 type 1 signature over the 36-byte MD5 || SHA-1 value with no DigestInfo, which is what
/// <c>EVP_PKEY_sign</c> makes with PKCS#1 padding and the <c>MD5-SHA1</c> signature digest (<c>NID_md5_sha1</c>, the digest
/// OpenSSL's own TLS code signs this way). The BCL cannot: its RSA.SignHash needs a hash algorithm with a DigestInfo. The
/// key stays in the <c>EVP_PKEY</c> behind <see cref="RSAOpenSsl"/> (nothing exported), as in <see cref="OpenSslRsaKeyExchange"/>.
/// </summary>
internal static class OpenSslLegacyRsaSignature
{
    private const int RsaPkcs1Padding = 1;

    private static readonly Lazy<bool> Loadable = new(Probe);

    /// <summary>True when libcrypto (OpenSSL 3) is loadable here and has the functions we call.</summary>
    public static bool IsAvailable => Loadable.Value;

    /// <summary>The signature, or null when this path cannot serve the key (libcrypto not loadable, not an OpenSSL-backed key).</summary>
    public static byte[]? TrySign(RSA key, ReadOnlySpan<byte> md5Sha1)
    {
        if (md5Sha1.Length != 36)
            throw new ArgumentException("an MD5 || SHA-1 value is 36 bytes", nameof(md5Sha1));
        if (!IsAvailable || key is not RSAOpenSsl openSsl) return null;
        using SafeEvpPKeyHandle pkey = openSsl.DuplicateKeyHandle();
        IntPtr ctx = LibCrypto.EVP_PKEY_CTX_new(pkey, IntPtr.Zero);
        if (ctx == IntPtr.Zero) return null;
        try
        {
            if (EVP_PKEY_sign_init(ctx) != 1
                || LibCrypto.EVP_PKEY_CTX_set_rsa_padding(ctx, RsaPkcs1Padding) != 1
                || EVP_PKEY_CTX_set_signature_md(ctx, EVP_md5_sha1()) != 1)
            {
                LibCrypto.ERR_clear_error();
                return null;
            }
            byte[] signature = new byte[(key.KeySize + 7) / 8];
            nuint length = (nuint)signature.Length;
            int ok = EVP_PKEY_sign(ctx, ref MemoryMarshal.GetArrayDataReference(signature), ref length,
                ref MemoryMarshal.GetReference(md5Sha1), (nuint)md5Sha1.Length);
            LibCrypto.ERR_clear_error();
            if (ok != 1)
                throw new CryptographicException("libcrypto could not make the MD5+SHA-1 RSA signature");
            return length == (nuint)signature.Length ? signature : signature[..(int)length];
        }
        finally
        {
            LibCrypto.EVP_PKEY_CTX_free(ctx);
        }
    }

    private static bool Probe() => LibCrypto.Exports(
        "EVP_PKEY_CTX_new", "EVP_PKEY_sign_init", "EVP_PKEY_CTX_set_rsa_padding", "EVP_PKEY_CTX_set_signature_md",
        "EVP_md5_sha1", "EVP_PKEY_sign", "EVP_PKEY_CTX_free", "ERR_clear_error");

    [DllImport(LibCrypto.Library)]
    private static extern int EVP_PKEY_sign_init(IntPtr ctx);

    [DllImport(LibCrypto.Library)]
    private static extern int EVP_PKEY_CTX_set_signature_md(IntPtr ctx, IntPtr md);

    [DllImport(LibCrypto.Library)]
    private static extern IntPtr EVP_md5_sha1();

    [DllImport(LibCrypto.Library)]
    private static extern int EVP_PKEY_sign(IntPtr ctx, ref byte signature, ref nuint signatureLength, ref byte input, nuint inputLength);

}
