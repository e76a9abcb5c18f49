using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace SharpTls.Crypto;

/// <summary>
/// The server's RSA key-exchange decryption through libcrypto's TLS padding mode
/// (<c>RSA_PKCS1_WITH_TLS_PADDING</c>, OpenSSL 3): the private operation and the PKCS#1 v1.5 and
/// client_version checks run inside OpenSSL in constant time, and on any failure OpenSSL returns a
/// random 48-byte pre-master secret of its own (the implicit rejection of RFC 5246 §7.4.7.1), so no
/// error, length or timing depends on the plaintext. The key stays where the BCL keeps it (the
/// <c>EVP_PKEY</c> behind <see cref="RSAOpenSsl"/>): nothing is exported, so keys that cannot be
/// exported work and no managed big integer holds the private key.
/// </summary>
internal static class OpenSslRsaKeyExchange
{
    private const int RsaPkcs1WithTlsPadding = 7;
    private const uint OsslParamUnsignedInteger = 2;

    private static readonly Lazy<bool> Loadable = new(Probe);

    /// <summary>True when libcrypto (OpenSSL 3) is loadable here and has the functions we call.</summary>
    public static bool IsAvailable => Loadable.Value;

    /// <summary>
    /// Decrypts <paramref name="encrypted"/> with <paramref name="key"/> into the 48 bytes of
    /// <paramref name="preMasterSecret"/>. <see cref="NativeDecrypt.Unavailable"/> when this path cannot
    /// serve the key (libcrypto not loadable, not an OpenSSL-backed key); <see cref="NativeDecrypt.PublicFailure"/>
    /// when the ciphertext fails a public check (its length is not the modulus length, or it is not below
    /// the modulus, which the peer knows as well as we do). A padding or version failure is
    /// <see cref="NativeDecrypt.Served"/> with OpenSSL's random pre-master, indistinguishable from a good one.
    /// </summary>
    public static NativeDecrypt TryDecrypt(RSA key, ReadOnlySpan<byte> encrypted, ushort clientVersion, Span<byte> preMasterSecret)
    {
        if (!IsAvailable || key is not RSAOpenSsl openSsl || preMasterSecret.Length != RsaKeyExchange.PreMasterSecretLength)
            return NativeDecrypt.Unavailable;
        if (encrypted.Length != (key.KeySize + 7) / 8)
            return NativeDecrypt.PublicFailure;
        using SafeEvpPKeyHandle pkey = openSsl.DuplicateKeyHandle();
        IntPtr ctx = LibCrypto.EVP_PKEY_CTX_new(pkey, IntPtr.Zero);
        if (ctx == IntPtr.Zero) return NativeDecrypt.Unavailable;
        IntPtr versionKey = Marshal.StringToCoTaskMemUTF8("tls-client-version");
        IntPtr versionValue = Marshal.AllocCoTaskMem(sizeof(uint));
        try
        {
            Marshal.WriteInt32(versionValue, clientVersion);
            LibCrypto.OsslParam[] parameters =
            [
                new() { Key = versionKey, DataType = OsslParamUnsignedInteger, Data = versionValue, DataSize = sizeof(uint) },
                default,
            ];
            if (EVP_PKEY_decrypt_init(ctx) != 1
                || LibCrypto.EVP_PKEY_CTX_set_rsa_padding(ctx, RsaPkcs1WithTlsPadding) != 1
                || EVP_PKEY_CTX_set_params(ctx, parameters) != 1)
            {
                LibCrypto.ERR_clear_error();
                return NativeDecrypt.Unavailable;
            }
            nuint length = (nuint)preMasterSecret.Length;
            int ok = EVP_PKEY_decrypt(ctx, ref MemoryMarshal.GetReference(preMasterSecret), ref length,
                ref MemoryMarshal.GetReference(encrypted), (nuint)encrypted.Length);
            LibCrypto.ERR_clear_error();
            // OpenSSL fails only when the raw RSA operation does (the value is not below the modulus).
            return ok == 1 && length == (nuint)preMasterSecret.Length ? NativeDecrypt.Served : NativeDecrypt.PublicFailure;
        }
        finally
        {
            LibCrypto.EVP_PKEY_CTX_free(ctx);
            Marshal.FreeCoTaskMem(versionValue);
            Marshal.FreeCoTaskMem(versionKey);
        }
    }

    private static bool Probe() => LibCrypto.Exports(
        "EVP_PKEY_CTX_new", "EVP_PKEY_decrypt_init", "EVP_PKEY_CTX_set_rsa_padding", "EVP_PKEY_CTX_set_params",
        "EVP_PKEY_decrypt", "EVP_PKEY_CTX_free", "ERR_clear_error");

    [DllImport(LibCrypto.Library)]
    private static extern int EVP_PKEY_decrypt_init(IntPtr ctx);

    [DllImport(LibCrypto.Library)]
    private static extern int EVP_PKEY_CTX_set_params(IntPtr ctx, [In] LibCrypto.OsslParam[] parameters);

    [DllImport(LibCrypto.Library)]
    private static extern int EVP_PKEY_decrypt(IntPtr ctx, ref byte output, ref nuint outputLength, ref byte input, nuint inputLength);

}

/// <summary>What <see cref="OpenSslRsaKeyExchange.TryDecrypt"/> did.</summary>
internal enum NativeDecrypt
{
    /// <summary>libcrypto cannot serve this key here: use the managed path.</summary>
    Unavailable,
    /// <summary>48 bytes written: the pre-master, or OpenSSL's random substitute when the block was bad.</summary>
    Served,
    /// <summary>The ciphertext failed a check on public facts (length, range): substitute.</summary>
    PublicFailure,
}
