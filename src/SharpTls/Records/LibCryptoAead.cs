using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

using SharpTls.Crypto;

namespace SharpTls.Records;

/// <summary>
/// AES-GCM and ChaCha20-Poly1305 straight through libcrypto's EVP interface (OpenSSL 3), where it loads: the record
/// ciphers' second backend beside the BCL's <see cref="AesGcm"/>/<see cref="ChaCha20Poly1305"/>, chosen for what an idle
/// connection costs. Measured here (bench/PROFILE.md): a BCL AesGcm holds ~1.9 KB of native memory for as long as it
/// lives and costs ~12 µs to create (its cipher is fetched from the provider on every creation); an EVP context made
/// from a cipher fetched once holds ~1.4 KB and costs ~2 µs to create and key. So the record cipher can free its
/// context whenever the connection waits for the peer and rebuild it on the next record. Both backends pass the same
/// published vectors (AeadCipherTests).
/// </summary>
internal static class LibCryptoAead
{
    private const int CtrlAeadGetTag = 0x10;
    private const int CtrlAeadSetTag = 0x11;

    private static readonly Lazy<IntPtr[]?> Ciphers = new(Fetch);

    /// <summary>True when libcrypto (OpenSSL 3) is loadable and serves AES-GCM and ChaCha20-Poly1305.</summary>
    public static bool IsAvailable => Ciphers.Value is not null;

    /// <summary>True for the algorithms this backend serves (CCM stays on the BCL).</summary>
    public static bool Serves(AeadAlgorithm algorithm)
        => algorithm is AeadAlgorithm.Aes128Gcm or AeadAlgorithm.Aes256Gcm or AeadAlgorithm.ChaCha20Poly1305 && IsAvailable;

    /// <summary>A new context keyed for sealing (<paramref name="encrypt"/>) or opening; free it with <see cref="Free"/>.</summary>
    public static IntPtr Create(AeadAlgorithm algorithm, ReadOnlySpan<byte> key, bool encrypt)
    {
        IntPtr cipher = Ciphers.Value![algorithm switch
        {
            AeadAlgorithm.Aes128Gcm => 0,
            AeadAlgorithm.Aes256Gcm => 1,
            _ => 2,
        }];
        IntPtr ctx = EVP_CIPHER_CTX_new();
        if (ctx == IntPtr.Zero) throw Failed("EVP_CIPHER_CTX_new");
        if (EVP_CipherInit_ex2(ctx, cipher, ref MemoryMarshal.GetReference(key), ref Unsafe.NullRef<byte>(), encrypt ? 1 : 0, IntPtr.Zero) != 1)
        {
            EVP_CIPHER_CTX_free(ctx);
            throw Failed("EVP_CipherInit_ex2");
        }
        return ctx;
    }

    /// <summary>Frees a context; OpenSSL wipes its key schedule as it frees it.</summary>
    public static void Free(IntPtr ctx) => EVP_CIPHER_CTX_free(ctx);

    /// <summary>
    /// Encrypts <paramref name="head"/> into the start of <paramref name="data"/> and the rest of <paramref name="data"/> in
    /// place, with a context from <see cref="Create"/> (encrypt), and writes the tag: the record's plaintext goes straight
    /// from the caller's buffer into the record (no copy into the record first, and no plaintext in the output buffer).
    /// <paramref name="head"/> must not overlap <paramref name="data"/> (the AeadCipher sees to it).
    /// </summary>
    public static void Seal(IntPtr ctx, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> head, Span<byte> data, Span<byte> tag, ReadOnlySpan<byte> aad)
    {
        ref byte d = ref MemoryMarshal.GetReference(data);
        int written = 0, tail = data.Length - head.Length;
        if (EVP_CipherInit_ex2(ctx, IntPtr.Zero, ref Unsafe.NullRef<byte>(), ref MemoryMarshal.GetReference(nonce), 1, IntPtr.Zero) != 1
            || EVP_CipherUpdate(ctx, ref Unsafe.NullRef<byte>(), out _, ref MemoryMarshal.GetReference(aad), aad.Length) != 1)
            throw Failed("AEAD seal");
        // GCM and ChaCha20-Poly1305 are stream modes: each update writes as many bytes as it reads (checked, since the
        // in-place part must start exactly where the head's ciphertext ends).
        if (!head.IsEmpty
            && (EVP_CipherUpdate(ctx, ref d, out written, ref MemoryMarshal.GetReference(head), head.Length) != 1 || written != head.Length))
            throw Failed("AEAD seal");
        if (tail > 0)
        {
            ref byte t = ref Unsafe.Add(ref d, head.Length);
            if (EVP_CipherUpdate(ctx, ref t, out int more, ref t, tail) != 1 || more != tail) throw Failed("AEAD seal");
            written += more;
        }
        if (EVP_CipherFinal_ex(ctx, ref Unsafe.Add(ref d, written), out _) != 1
            || EVP_CIPHER_CTX_ctrl(ctx, CtrlAeadGetTag, tag.Length, ref MemoryMarshal.GetReference(tag)) != 1)
            throw Failed("AEAD seal");
    }

    /// <summary>Decrypts <paramref name="data"/> in place; false, with <paramref name="data"/> zeroed, when the tag does not verify.</summary>
    public static bool Open(IntPtr ctx, ReadOnlySpan<byte> nonce, Span<byte> data, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> aad)
    {
        ref byte d = ref MemoryMarshal.GetReference(data);
        if (EVP_CipherInit_ex2(ctx, IntPtr.Zero, ref Unsafe.NullRef<byte>(), ref MemoryMarshal.GetReference(nonce), 0, IntPtr.Zero) != 1
            || EVP_CipherUpdate(ctx, ref Unsafe.NullRef<byte>(), out _, ref MemoryMarshal.GetReference(aad), aad.Length) != 1
            || EVP_CipherUpdate(ctx, ref d, out int written, ref d, data.Length) != 1
            || EVP_CIPHER_CTX_ctrl(ctx, CtrlAeadSetTag, tag.Length, ref MemoryMarshal.GetReference(tag)) != 1)
            throw Failed("AEAD open");
        // A tag that does not verify fails here (OpenSSL compares it in constant time).
        if (EVP_CipherFinal_ex(ctx, ref Unsafe.Add(ref d, written), out _) == 1) return true;
        LibCrypto.ERR_clear_error();
        CryptographicOperations.ZeroMemory(data);
        return false;
    }

    private static CryptographicException Failed(string what)
    {
        LibCrypto.ERR_clear_error();
        return new CryptographicException($"libcrypto {what} failed");
    }

    private static IntPtr[]? Fetch()
    {
        try
        {
            if (!LibCrypto.Exports("EVP_CIPHER_fetch", "EVP_CIPHER_CTX_new", "EVP_CIPHER_CTX_free", "EVP_CipherInit_ex2",
                    "EVP_CipherUpdate", "EVP_CipherFinal_ex", "EVP_CIPHER_CTX_ctrl", "ERR_clear_error"))
                return null;
            var ciphers = new[] { EVP_CIPHER_fetch(IntPtr.Zero, "AES-128-GCM", null), EVP_CIPHER_fetch(IntPtr.Zero, "AES-256-GCM", null),
                EVP_CIPHER_fetch(IntPtr.Zero, "ChaCha20-Poly1305", null) };
            LibCrypto.ERR_clear_error();
            // Fetched once for the process (never freed, as a static cipher table would be).
            return ciphers.All(c => c != IntPtr.Zero) ? ciphers : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or PlatformNotSupportedException)
        {
            return null;
        }
    }

    [DllImport(LibCrypto.Library, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern IntPtr EVP_CIPHER_fetch(IntPtr libraryContext, string algorithm, string? properties);

    [DllImport(LibCrypto.Library)]
    private static extern IntPtr EVP_CIPHER_CTX_new();

    [DllImport(LibCrypto.Library)]
    private static extern void EVP_CIPHER_CTX_free(IntPtr ctx);

    [DllImport(LibCrypto.Library)]
    private static extern int EVP_CipherInit_ex2(IntPtr ctx, IntPtr cipher, ref byte key, ref byte iv, int encrypt, IntPtr parameters);

    [DllImport(LibCrypto.Library)]
    private static extern int EVP_CipherUpdate(IntPtr ctx, ref byte output, out int outputLength, ref byte input, int inputLength);

    [DllImport(LibCrypto.Library)]
    private static extern int EVP_CipherFinal_ex(IntPtr ctx, ref byte output, out int outputLength);

    [DllImport(LibCrypto.Library)]
    private static extern int EVP_CIPHER_CTX_ctrl(IntPtr ctx, int type, int arg, ref byte pointer);
}
