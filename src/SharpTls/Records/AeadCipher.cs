using System.Security.Cryptography;

namespace SharpTls.Records;

/// <summary>The AEAD algorithms of record protection (RFC 5116, RFC 5288, RFC 6655, RFC 7905, RFC 8446 §5.2).</summary>
internal enum AeadAlgorithm
{
    /// <summary>AES-128-GCM, 16-byte tag.</summary>
    Aes128Gcm,
    /// <summary>AES-256-GCM, 16-byte tag.</summary>
    Aes256Gcm,
    /// <summary>ChaCha20-Poly1305 (RFC 8439), 16-byte tag.</summary>
    ChaCha20Poly1305,
    /// <summary>AES-128-CCM, 16-byte tag.</summary>
    Aes128Ccm,
    /// <summary>AES-128-CCM with an 8-byte tag (CCM_8).</summary>
    Aes128Ccm8,
    /// <summary>AES-256-CCM, 16-byte tag (TLS 1.2 only).</summary>
    Aes256Ccm,
    /// <summary>AES-256-CCM with an 8-byte tag (TLS 1.2 only).</summary>
    Aes256Ccm8,
}

/// <summary>Which implementation an <see cref="AeadCipher"/> runs on.</summary>
internal enum AeadBackend
{
    /// <summary>libcrypto's EVP where it loads and serves the algorithm, the BCL otherwise.</summary>
    Default,
    /// <summary>The BCL's AesGcm / ChaCha20Poly1305 / AesCcm.</summary>
    Bcl,
    /// <summary>libcrypto's EVP (<see cref="LibCryptoAead"/>); fails where it does not load.</summary>
    LibCrypto,
}

/// <summary>
/// One AEAD key, sealing and opening in place, over libcrypto's EVP (<see cref="LibCryptoAead"/>) for AES-GCM and
/// ChaCha20-Poly1305 where it loads, over the BCL's AesGcm / ChaCha20Poly1305 / AesCcm otherwise.
/// </summary>
/// <remarks>
/// The native cipher context (~1.4-1.9 KB per key) exists only while it is used: it is created on the first record,
/// and <see cref="Release"/> frees it while the connection waits for its peer (an idle connection holds none); the
/// next record creates it again from the key, which this object keeps in a pinned array (never moved or copied by the
/// GC) and zeroes at <see cref="Dispose"/>. A context in use is taken out of its field for the operation, so a
/// <see cref="Release"/> from another thread never frees it under a running seal or open; it only misses that one.
/// </remarks>
internal sealed class AeadCipher : IDisposable
{
    public const int NonceLength = 12;

    private readonly AeadAlgorithm _algorithm;
    private readonly bool _native;
    private readonly byte[] _key;
    // The live context: an EVP_CIPHER_CTX* (native) and whether it was keyed to encrypt, or a BCL object.
    private IntPtr _ctx;
    private bool _ctxEncrypts;
    private IDisposable? _bcl;
    private bool _disposed;

    public AeadCipher(AeadAlgorithm algorithm, ReadOnlySpan<byte> key, AeadBackend backend = AeadBackend.Default)
    {
        if (key.Length != KeyLength(algorithm))
            throw new ArgumentException($"{algorithm} needs a {KeyLength(algorithm)}-byte key, got {key.Length}", nameof(key));
        TagLength = TagLengthOf(algorithm);
        _algorithm = algorithm;
        _native = backend switch
        {
            AeadBackend.Bcl => false,
            AeadBackend.LibCrypto => LibCryptoAead.Serves(algorithm) ? true
                : throw new PlatformNotSupportedException($"libcrypto does not serve {algorithm} here"),
            _ => LibCryptoAead.Serves(algorithm),
        };
        _key = GC.AllocateUninitializedArray<byte>(key.Length, pinned: true);
        key.CopyTo(_key);
    }

    public int TagLength { get; }

    /// <summary>True while a native context is held (for tests: an idle connection holds none).</summary>
    internal bool HoldsContext => _ctx != IntPtr.Zero || _bcl is not null;

    /// <summary>The key as kept (for tests: zero after <see cref="Dispose"/>).</summary>
    internal ReadOnlySpan<byte> KeyForTests => _key;

    public static int KeyLength(AeadAlgorithm a) => a is AeadAlgorithm.Aes128Gcm or AeadAlgorithm.Aes128Ccm or AeadAlgorithm.Aes128Ccm8 ? 16 : 32;

    public static int TagLengthOf(AeadAlgorithm a) => a is AeadAlgorithm.Aes128Ccm8 or AeadAlgorithm.Aes256Ccm8 ? 8 : 16;

    /// <summary>Encrypts <paramref name="data"/> in place and writes the tag.</summary>
    public void Seal(ReadOnlySpan<byte> nonce, Span<byte> data, Span<byte> tag, ReadOnlySpan<byte> aad)
        => Seal(nonce, ReadOnlySpan<byte>.Empty, data, tag, aad);

    /// <summary>
    /// Encrypts the plaintext <paramref name="head"/> followed by what <paramref name="data"/> already holds after its
    /// first <paramref name="head"/>.Length bytes (TLS 1.3's content type and padding), into <paramref name="data"/>, and
    /// writes the tag. On libcrypto the head is read from where it is (one pass over the plaintext instead of a copy and an
    /// in-place pass); the BCL's one-shot calls get it copied in first. A head that overlaps <paramref name="data"/>
    /// anywhere but at its start is copied in first too.
    /// </summary>
    public void Seal(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> head, Span<byte> data, Span<byte> tag, ReadOnlySpan<byte> aad)
    {
        if (head.Length > data.Length) throw new ArgumentException("the head is longer than the data it starts", nameof(head));
        if (head.Overlaps(data, out int offset))
        {
            if (offset != 0) head.CopyTo(data);
            head = default; // now (or already) in place
        }
        if (_native)
        {
            IntPtr ctx = TakeNative(encrypt: true);
            try
            {
                LibCryptoAead.Seal(ctx, nonce, head, data, tag, aad);
            }
            finally
            {
                PutBack(ctx, encrypt: true);
            }
            return;
        }
        head.CopyTo(data);
        var bcl = TakeBcl();
        try
        {
            switch (bcl)
            {
                case AesGcm g: g.Encrypt(nonce, data, data, tag, aad); break;
                case ChaCha20Poly1305 c: c.Encrypt(nonce, data, data, tag, aad); break;
                default: ((AesCcm)bcl).Encrypt(nonce, data, data, tag, aad); break;
            }
        }
        finally
        {
            PutBack(bcl);
        }
    }

    /// <summary>Decrypts <paramref name="data"/> in place; false (data wiped) when the tag does not verify.</summary>
    public bool Open(ReadOnlySpan<byte> nonce, Span<byte> data, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> aad)
    {
        if (_native)
        {
            IntPtr ctx = TakeNative(encrypt: false);
            try
            {
                return LibCryptoAead.Open(ctx, nonce, data, tag, aad);
            }
            finally
            {
                PutBack(ctx, encrypt: false);
            }
        }
        var bcl = TakeBcl();
        try
        {
            switch (bcl)
            {
                case AesGcm g: g.Decrypt(nonce, data, tag, data, aad); break;
                case ChaCha20Poly1305 c: c.Decrypt(nonce, data, tag, data, aad); break;
                default: ((AesCcm)bcl).Decrypt(nonce, data, tag, data, aad); break;
            }
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
        finally
        {
            PutBack(bcl);
        }
    }

    /// <summary>Frees the native context, if one is held and not in use; the next seal or open creates it again.</summary>
    public void Release()
    {
        IntPtr ctx = Interlocked.Exchange(ref _ctx, IntPtr.Zero);
        if (ctx != IntPtr.Zero) LibCryptoAead.Free(ctx);
        Interlocked.Exchange(ref _bcl, null)?.Dispose();
    }

    private IntPtr TakeNative(bool encrypt)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        IntPtr ctx = Interlocked.Exchange(ref _ctx, IntPtr.Zero);
        if (ctx != IntPtr.Zero && _ctxEncrypts == encrypt) return ctx;
        if (ctx != IntPtr.Zero) LibCryptoAead.Free(ctx); // keyed the other way (only tests use one key both ways)
        return LibCryptoAead.Create(_algorithm, _key, encrypt);
    }

    private void PutBack(IntPtr ctx, bool encrypt)
    {
        _ctxEncrypts = encrypt;
        // Another context may have been stored meanwhile (a concurrent use, which callers do not make), or the
        // cipher disposed: then this one goes.
        if (Interlocked.CompareExchange(ref _ctx, ctx, IntPtr.Zero) != IntPtr.Zero) LibCryptoAead.Free(ctx);
        else if (_disposed) Release();
    }

    private IDisposable TakeBcl()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Interlocked.Exchange(ref _bcl, null) ?? _algorithm switch
        {
            AeadAlgorithm.Aes128Gcm or AeadAlgorithm.Aes256Gcm => new AesGcm(_key, TagLength),
            AeadAlgorithm.ChaCha20Poly1305 => new ChaCha20Poly1305(_key),
            _ => new AesCcm(_key),
        };
    }

    private void PutBack(IDisposable bcl)
    {
        if (Interlocked.CompareExchange(ref _bcl, bcl, null) is not null) bcl.Dispose();
        else if (_disposed) Release();
    }

    /// <summary>Frees the context and zeroes the key.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Release();
        CryptographicOperations.ZeroMemory(_key);
    }
}
