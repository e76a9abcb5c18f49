using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace SharpTls.Crypto;

/// <summary>
/// The measured fast path for the TLS 1.3 key schedule's HMACs (bench/PROFILE.md, `parts`): HMAC-SHA-256/384 through
/// libcrypto's <c>EVP_MAC</c> with the algorithm fetched once. The BCL's one-shot HMAC and <see cref="HKDF"/> fetch the
/// MAC and its digest from OpenSSL's provider on every call, which costs more than the few SHA-256 blocks an
/// HKDF-Expand-Label hashes (about 25 HMACs per handshake). Each thread keeps one context per hash (duplicated from a
/// template made once with its digest set); a call keys it, hashes, and then re-keys it with a fixed public key, so no
/// keyed state of a secret outlives the call (libcrypto also cleanses a context when it is freed, which the thread's
/// holder does when the thread ends). Where libcrypto does not load, <see cref="IsAvailable"/> is false and callers
/// keep the BCL. Both paths pass the same vectors (RFC 4231, RFC 5869, RFC 8448 through the key schedule).
/// </summary>
internal static class LibCryptoHmac
{
    private const uint OsslParamUtf8String = 4;

    private static readonly Lazy<bool> Loadable = new(Probe);
    private static readonly Lazy<IntPtr> Sha256 = new(() => Template("SHA256"));
    private static readonly Lazy<IntPtr> Sha384 = new(() => Template("SHA384"));

    /// <summary>True when libcrypto (OpenSSL 3) loads here with every function this path calls.</summary>
    public static bool IsAvailable => Loadable.Value;

    /// <summary>Whether this path serves <paramref name="hash"/> (SHA-256 and SHA-384, the TLS 1.3 suites' hashes).</summary>
    public static bool Serves(HashAlgorithmName hash) => hash == HashAlgorithmName.SHA256 || hash == HashAlgorithmName.SHA384;

    /// <summary>
    /// HMAC(<paramref name="key"/>, <paramref name="data"/> || <paramref name="suffix"/>) into <paramref name="destination"/>,
    /// which is exactly the hash's length. Only for a hash <see cref="Serves"/> accepts, when <see cref="IsAvailable"/>.
    /// </summary>
    public static void Compute(HashAlgorithmName hash, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> suffix, Span<byte> destination)
    {
        IntPtr template = hash == HashAlgorithmName.SHA256 ? Sha256.Value
            : hash == HashAlgorithmName.SHA384 ? Sha384.Value
            : throw new NotSupportedException($"HMAC-{hash.Name} is not on the libcrypto path");
        if (destination.Length != TlsHashes.Length(hash)) throw new ArgumentException("the destination must be the hash's length", nameof(destination));
        var contexts = t_contexts ??= new ThreadContexts();
        ref IntPtr slot = ref hash == HashAlgorithmName.SHA256 ? ref contexts.Sha256 : ref contexts.Sha384;
        if (slot == IntPtr.Zero && (slot = EVP_MAC_CTX_dup(template)) == IntPtr.Zero) throw Failed("EVP_MAC_CTX_dup");
        IntPtr ctx = slot;
        try
        {
            // An empty span's reference may be null: libcrypto is given a valid pointer with length 0 instead.
            byte none = 0;
            if (EVP_MAC_init(ctx, ref key.IsEmpty ? ref none : ref MemoryMarshal.GetReference(key), (nuint)key.Length, IntPtr.Zero) != 1)
                throw Failed("EVP_MAC_init");
            if (!data.IsEmpty && EVP_MAC_update(ctx, in MemoryMarshal.GetReference(data), (nuint)data.Length) != 1)
                throw Failed("EVP_MAC_update");
            if (!suffix.IsEmpty && EVP_MAC_update(ctx, in MemoryMarshal.GetReference(suffix), (nuint)suffix.Length) != 1)
                throw Failed("EVP_MAC_update");
            nuint written = 0;
            if (EVP_MAC_final(ctx, ref MemoryMarshal.GetReference(destination), ref written, (nuint)destination.Length) != 1
                || written != (nuint)destination.Length)
                throw Failed("EVP_MAC_final");
        }
        finally
        {
            // Re-keyed with a public constant: the context's key and its inner/outer hash states no longer derive from
            // the secret. On failure the context is dropped instead (freed, which cleanses it).
            if (EVP_MAC_init(ctx, ref MemoryMarshal.GetReference(WipeKey), (nuint)WipeKey.Length, IntPtr.Zero) != 1)
            {
                slot = IntPtr.Zero;
                EVP_MAC_CTX_free(ctx);
                LibCrypto.ERR_clear_error();
            }
        }
    }

    /// <summary>
    /// For tests of the wipe: what this thread's context for <paramref name="hash"/> yields when finished as it was left
    /// by the last call (HMAC(0x00, "") if it was re-keyed), then re-keyed again. Null before any call.
    /// </summary>
    internal static byte[]? ResidueOfLastCall(HashAlgorithmName hash)
    {
        IntPtr ctx = t_contexts is null ? IntPtr.Zero : hash == HashAlgorithmName.SHA256 ? t_contexts.Sha256 : t_contexts.Sha384;
        if (ctx == IntPtr.Zero) return null;
        byte[] output = new byte[TlsHashes.Length(hash)];
        nuint written = 0;
        if (EVP_MAC_final(ctx, ref output[0], ref written, (nuint)output.Length) != 1) throw Failed("EVP_MAC_final");
        if (EVP_MAC_init(ctx, ref MemoryMarshal.GetReference(WipeKey), (nuint)WipeKey.Length, IntPtr.Zero) != 1) throw Failed("EVP_MAC_init");
        return output;
    }

    /// <summary>The key a context is left with between calls (public, fixed).</summary>
    private static ReadOnlySpan<byte> WipeKey => [0];

    [ThreadStatic] private static ThreadContexts? t_contexts;

    /// <summary>One thread's contexts; freed (and so cleansed by libcrypto) when the thread is gone and this is collected.</summary>
    private sealed class ThreadContexts
    {
        public IntPtr Sha256;
        public IntPtr Sha384;

        ~ThreadContexts()
        {
            if (Sha256 != IntPtr.Zero) EVP_MAC_CTX_free(Sha256);
            if (Sha384 != IntPtr.Zero) EVP_MAC_CTX_free(Sha384);
        }
    }

    /// <summary>A context with HMAC fetched and its digest set, never keyed: the template each call duplicates.</summary>
    private static IntPtr Template(string digest)
    {
        IntPtr mac = EVP_MAC_fetch(IntPtr.Zero, "HMAC", IntPtr.Zero);
        if (mac == IntPtr.Zero) throw Failed("EVP_MAC_fetch(HMAC)");
        IntPtr ctx = EVP_MAC_CTX_new(mac);
        EVP_MAC_free(mac); // the context holds its own reference
        if (ctx == IntPtr.Zero) throw Failed("EVP_MAC_CTX_new");
        // The names live for the process (the template does): libcrypto reads them while the parameters are set.
        IntPtr name = Marshal.StringToCoTaskMemUTF8("digest");
        IntPtr value = Marshal.StringToCoTaskMemUTF8(digest);
        var parameters = new LibCrypto.OsslParam[]
        {
            new() { Key = name, DataType = OsslParamUtf8String, Data = value, DataSize = (nuint)digest.Length, ReturnSize = nuint.MaxValue },
            default,
        };
        if (EVP_MAC_CTX_set_params(ctx, parameters) != 1)
        {
            EVP_MAC_CTX_free(ctx);
            throw Failed($"EVP_MAC_CTX_set_params(digest={digest})");
        }
        return ctx;
    }

    private static CryptographicException Failed(string what)
    {
        LibCrypto.ERR_clear_error();
        return new CryptographicException($"libcrypto {what} failed");
    }

    private static bool Probe()
    {
        if (!LibCrypto.Exports("EVP_MAC_fetch", "EVP_MAC_free", "EVP_MAC_CTX_new", "EVP_MAC_CTX_dup", "EVP_MAC_CTX_free",
                "EVP_MAC_CTX_set_params", "EVP_MAC_init", "EVP_MAC_update", "EVP_MAC_final", "ERR_clear_error"))
            return false;
        try
        {
            // Known answer (RFC 4231 test case 2) on both hashes before the path is used.
            Span<byte> out256 = stackalloc byte[32], out384 = stackalloc byte[48];
            Compute(HashAlgorithmName.SHA256, "Jefe"u8, "what do ya want "u8, "for nothing?"u8, out256);
            Compute(HashAlgorithmName.SHA384, "Jefe"u8, "what do ya want "u8, "for nothing?"u8, out384);
            return Convert.ToHexStringLower(out256) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
                && Convert.ToHexStringLower(out384) == "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649";
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    [DllImport(LibCrypto.Library)] private static extern IntPtr EVP_MAC_fetch(IntPtr libctx, [MarshalAs(UnmanagedType.LPUTF8Str)] string algorithm, IntPtr properties);
    [DllImport(LibCrypto.Library)] private static extern void EVP_MAC_free(IntPtr mac);
    [DllImport(LibCrypto.Library)] private static extern IntPtr EVP_MAC_CTX_new(IntPtr mac);
    [DllImport(LibCrypto.Library)] private static extern IntPtr EVP_MAC_CTX_dup(IntPtr ctx);
    [DllImport(LibCrypto.Library)] private static extern void EVP_MAC_CTX_free(IntPtr ctx);
    [DllImport(LibCrypto.Library)] private static extern int EVP_MAC_CTX_set_params(IntPtr ctx, [In] LibCrypto.OsslParam[] parameters);
    [DllImport(LibCrypto.Library)] private static extern int EVP_MAC_init(IntPtr ctx, ref byte key, nuint keyLength, IntPtr parameters);
    [DllImport(LibCrypto.Library)] private static extern int EVP_MAC_update(IntPtr ctx, in byte data, nuint length);
    [DllImport(LibCrypto.Library)] private static extern int EVP_MAC_final(IntPtr ctx, ref byte output, ref nuint written, nuint size);
}
