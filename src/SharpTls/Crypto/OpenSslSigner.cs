using System.Runtime.InteropServices;
using System.Security.Cryptography;

using SharpTls.Wire;

namespace SharpTls.Crypto;

/// <summary>
/// Handshake signatures (ECDSA, RSA-PSS, RSA PKCS#1 v1.5) with an OpenSSL-backed BCL key through libcrypto's
/// <c>EVP_PKEY_sign</c>, the signing context made once per key, thread and scheme and kept (bench/PROFILE.md, stop 10:
/// the BCL makes and initialises a context for every signature, and for RSA that also rebuilds the provider's key and its
/// blinding: RSA-2048 PSS 417 → 367 µs, ECDSA P-256 31.9 → 26.3 µs in one run). The content is hashed here (the BCL's
/// one-shot digests); padding, salt (PSS: the hash's length, RFC 8446 §4.2.3) and digest are set on the context once.
/// An RSA context signs with its own copy of the key (<c>EVP_PKEY_dup</c>): OpenSSL keeps an RSA key's blinding for the
/// thread that used it first and serialises every other thread on a shared one, so each thread gets its own.
/// <para>
/// A context is taken out of the idle set to sign and put back after, so a disposal never frees a context in use; a
/// disposed signer frees its idle contexts at once and each one in use when it comes back. The private key stays in
/// libcrypto's memory only (never exported): OpenSSL clears it when the last context and the key handle are freed.
/// </para>
/// </summary>
internal sealed class OpenSslSigner : IDisposable
{
    private const int RsaPkcs1Padding = 1;
    private const int RsaPkcs1PssPadding = 6;
    private const int RsaPssSaltLengthDigest = -1;
    /// <summary>Idle contexts kept per key: one per thread and scheme that signed, up to this many (more are freed after use).</summary>
    private const int MaxIdle = 64;

    private static readonly Lazy<bool> Loadable = new(Probe);

    private readonly SafeEvpPKeyHandle _key;
    private readonly bool _rsa;
    private readonly int _maxSignature;
    private readonly Lock _lock = new();
    private readonly Dictionary<(int Thread, SignatureScheme Scheme), IntPtr> _idle = [];
    private bool _disposed;

    private OpenSslSigner(SafeEvpPKeyHandle key, bool rsa)
    {
        _key = key;
        _rsa = rsa;
        _maxSignature = EVP_PKEY_get_size(key);
    }

    /// <summary>True when libcrypto (OpenSSL 3) loads here with every function this path calls.</summary>
    public static bool IsAvailable => Loadable.Value;

    /// <summary>A signer for <paramref name="key"/>, or null when this path cannot serve it (libcrypto not loadable, not an
    /// OpenSSL-backed ECDSA or RSA key): the caller signs with the BCL then.</summary>
    public static OpenSslSigner? For(AsymmetricAlgorithm key)
    {
        if (!IsAvailable || OperatingSystem.IsWindows()) return null;
        SafeEvpPKeyHandle? handle = key switch
        {
            ECDsaOpenSsl ec => ec.DuplicateKeyHandle(),
            RSAOpenSsl rsa => rsa.DuplicateKeyHandle(),
            _ => null,
        };
        if (handle is null) return null;
        var signer = new OpenSslSigner(handle, key is RSA);
        if (signer._maxSignature <= 0)
        {
            signer.Dispose();
            return null;
        }
        return signer;
    }

    /// <summary>Whether this signer makes <paramref name="scheme"/> (its key kind and a hash it knows).</summary>
    public bool Serves(SignatureScheme scheme) => Digest(scheme) != IntPtr.Zero && TlsSignatures.SchemeKind(scheme) switch
    {
        SignatureKeyKind.Ecdsa => !_rsa,
        SignatureKeyKind.Rsa => _rsa, // rsa_pss_pss_* (an RSASSA-PSS key, whose parameters may bind the padding) stays on the BCL
        _ => false,
    };

    /// <summary>Signs <paramref name="data"/> (hashed here with the scheme's hash) with <paramref name="scheme"/>, which must be <see cref="Serves"/>.</summary>
    public byte[] Sign(SignatureScheme scheme, ReadOnlySpan<byte> data)
    {
        HashAlgorithmName hash = TlsHashes.ForScheme(scheme) ?? throw new NotSupportedException($"{scheme} has no hash");
        Span<byte> digest = stackalloc byte[64];
        int digestLength = hash == HashAlgorithmName.SHA256 ? SHA256.HashData(data, digest)
            : hash == HashAlgorithmName.SHA384 ? SHA384.HashData(data, digest)
            : hash == HashAlgorithmName.SHA512 ? SHA512.HashData(data, digest)
            : SHA1.HashData(data, digest);
        var slot = (Environment.CurrentManagedThreadId, scheme);
        IntPtr ctx = Take(slot);
        bool keep = false;
        try
        {
            Span<byte> signature = _maxSignature <= 256 ? stackalloc byte[256] : new byte[_maxSignature];
            nuint length = (nuint)signature.Length;
            int ok = EVP_PKEY_sign(ctx, ref MemoryMarshal.GetReference(signature), ref length, in MemoryMarshal.GetReference(digest), (nuint)digestLength);
            if (ok != 1 || length == 0 || length > (nuint)signature.Length)
            {
                LibCrypto.ERR_clear_error();
                throw new CryptographicException($"libcrypto could not sign with {scheme}");
            }
            keep = true;
            return signature[..(int)length].ToArray();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(digest);
            Return(slot, ctx, keep);
        }
    }

    /// <summary>This thread's idle context for the scheme, or a new one.</summary>
    private IntPtr Take((int Thread, SignatureScheme Scheme) slot)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_idle.Remove(slot, out IntPtr idle)) return idle;
        }
        return NewContext(slot.Scheme);
    }

    /// <summary>Puts a context back for its thread, or frees it (the signer was disposed, the set is full, or it failed).</summary>
    private void Return((int Thread, SignatureScheme Scheme) slot, IntPtr ctx, bool keep)
    {
        lock (_lock)
        {
            if (keep && !_disposed && _idle.Count < MaxIdle && _idle.TryAdd(slot, ctx)) return;
        }
        LibCrypto.EVP_PKEY_CTX_free(ctx);
    }

    private IntPtr NewContext(SignatureScheme scheme)
    {
        bool added = false;
        IntPtr key = IntPtr.Zero, ctx = IntPtr.Zero;
        try
        {
            _key.DangerousAddRef(ref added);
            // RSA: the context's own copy of the key, so its blinding belongs to this thread (see the class summary).
            key = _rsa ? EVP_PKEY_dup(_key.DangerousGetHandle()) : _key.DangerousGetHandle();
            if (key == IntPtr.Zero) throw Failed("EVP_PKEY_dup");
            ctx = LibCrypto.EVP_PKEY_CTX_new(key, IntPtr.Zero);
            if (ctx == IntPtr.Zero || EVP_PKEY_sign_init(ctx) != 1 || EVP_PKEY_CTX_set_signature_md(ctx, Digest(scheme)) != 1)
                throw Failed("EVP_PKEY_sign_init");
            if (_rsa)
            {
                bool pss = ((ushort)scheme & 0xFF00) == 0x0800;
                if (LibCrypto.EVP_PKEY_CTX_set_rsa_padding(ctx, pss ? RsaPkcs1PssPadding : RsaPkcs1Padding) != 1
                    || (pss && EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, RsaPssSaltLengthDigest) != 1))
                    throw Failed("EVP_PKEY_CTX_set_rsa_padding");
            }
            IntPtr made = ctx;
            ctx = IntPtr.Zero;
            return made;
        }
        finally
        {
            if (ctx != IntPtr.Zero) LibCrypto.EVP_PKEY_CTX_free(ctx);
            if (_rsa && key != IntPtr.Zero) EVP_PKEY_free(key); // the context holds its own reference
            if (added) _key.DangerousRelease();
        }
    }

    private static IntPtr Digest(SignatureScheme scheme)
    {
        HashAlgorithmName? hash = TlsHashes.ForScheme(scheme);
        return hash == HashAlgorithmName.SHA256 ? EVP_sha256()
            : hash == HashAlgorithmName.SHA384 ? EVP_sha384()
            : hash == HashAlgorithmName.SHA512 ? EVP_sha512()
            : hash == HashAlgorithmName.SHA1 ? EVP_sha1()
            : IntPtr.Zero;
    }

    private static CryptographicException Failed(string call)
    {
        LibCrypto.ERR_clear_error();
        return new CryptographicException($"libcrypto: {call} failed");
    }

    /// <summary>Frees the idle contexts and the key handle; a context in use is freed when its signature is done.</summary>
    public void Dispose()
    {
        IntPtr[] idle;
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            idle = [.. _idle.Values];
            _idle.Clear();
        }
        foreach (IntPtr ctx in idle) LibCrypto.EVP_PKEY_CTX_free(ctx);
        _key.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>A signer dropped without Dispose (its key's certificate collected): nothing can be signing, free what is idle.</summary>
    ~OpenSslSigner()
    {
        foreach (IntPtr ctx in _idle.Values) LibCrypto.EVP_PKEY_CTX_free(ctx);
    }

    private static bool Probe() => LibCrypto.Exports(
        "EVP_PKEY_CTX_new", "EVP_PKEY_CTX_free", "EVP_PKEY_sign_init", "EVP_PKEY_sign", "EVP_PKEY_CTX_set_signature_md",
        "EVP_PKEY_CTX_set_rsa_padding", "EVP_PKEY_CTX_set_rsa_pss_saltlen", "EVP_PKEY_dup", "EVP_PKEY_free", "EVP_PKEY_get_size",
        "EVP_sha1", "EVP_sha256", "EVP_sha384", "EVP_sha512", "ERR_clear_error");

    [DllImport(LibCrypto.Library)] private static extern int EVP_PKEY_sign_init(IntPtr ctx);
    [DllImport(LibCrypto.Library)] private static extern int EVP_PKEY_sign(IntPtr ctx, ref byte signature, ref nuint signatureLength, in byte digest, nuint digestLength);
    [DllImport(LibCrypto.Library)] private static extern int EVP_PKEY_CTX_set_signature_md(IntPtr ctx, IntPtr md);
    [DllImport(LibCrypto.Library)] private static extern int EVP_PKEY_CTX_set_rsa_pss_saltlen(IntPtr ctx, int length);
    [DllImport(LibCrypto.Library)] private static extern IntPtr EVP_PKEY_dup(IntPtr key);
    [DllImport(LibCrypto.Library)] private static extern void EVP_PKEY_free(IntPtr key);
    [DllImport(LibCrypto.Library)] private static extern int EVP_PKEY_get_size(SafeEvpPKeyHandle key);
    [DllImport(LibCrypto.Library)] private static extern IntPtr EVP_sha1();
    [DllImport(LibCrypto.Library)] private static extern IntPtr EVP_sha256();
    [DllImport(LibCrypto.Library)] private static extern IntPtr EVP_sha384();
    [DllImport(LibCrypto.Library)] private static extern IntPtr EVP_sha512();
}
