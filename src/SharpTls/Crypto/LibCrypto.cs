using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace SharpTls.Crypto;

/// <summary>
/// The one place libcrypto (OpenSSL 3) is named for the measured fast paths that call it directly (key shares, the RSA
/// key-exchange decryption, legacy signatures, record AEADs): the library, the check that it loads with the functions a
/// path needs, and the functions more than one path calls. Each path keeps its own declarations beside its code and falls
/// back to the BCL or BouncyCastle when <see cref="Exports"/> is false.
/// </summary>
internal static class LibCrypto
{
    /// <summary>The library every <c>DllImport</c> of a fast path names.</summary>
    public const string Library = "libcrypto.so.3";

    /// <summary>True when libcrypto loads here and exports every one of <paramref name="names"/>.</summary>
    public static bool Exports(params ReadOnlySpan<string> names)
    {
        try
        {
            if (!NativeLibrary.TryLoad(Library, out IntPtr handle)) return false;
            foreach (string name in names)
                if (!NativeLibrary.TryGetExport(handle, name, out _)) return false;
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException or PlatformNotSupportedException)
        {
            return false;
        }
    }

    /// <summary>OpenSSL 3's OSSL_PARAM: key, data_type, data, data_size, return_size; an array ends with a default one.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct OsslParam
    {
        public IntPtr Key;
        public uint DataType;
        public IntPtr Data;
        public nuint DataSize;
        public nuint ReturnSize;
    }

    [DllImport(Library)]
    public static extern IntPtr EVP_PKEY_CTX_new(SafeEvpPKeyHandle pkey, IntPtr engine);

    [DllImport(Library)]
    public static extern IntPtr EVP_PKEY_CTX_new(IntPtr pkey, IntPtr engine);

    [DllImport(Library)]
    public static extern void EVP_PKEY_CTX_free(IntPtr ctx);

    [DllImport(Library)]
    public static extern int EVP_PKEY_CTX_set_rsa_padding(IntPtr ctx, int padding);

    [DllImport(Library)]
    public static extern void ERR_clear_error();
}
