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

/// <summary>One AEAD key over the BCL's AesGcm / ChaCha20Poly1305 / AesCcm, sealing and opening in place.</summary>
internal sealed class AeadCipher : IDisposable
{
    public const int NonceLength = 12;

    private readonly AesGcm? _gcm;
    private readonly ChaCha20Poly1305? _chacha;
    private readonly AesCcm? _ccm;

    public AeadCipher(AeadAlgorithm algorithm, ReadOnlySpan<byte> key)
    {
        if (key.Length != KeyLength(algorithm))
            throw new ArgumentException($"{algorithm} needs a {KeyLength(algorithm)}-byte key, got {key.Length}", nameof(key));
        TagLength = TagLengthOf(algorithm);
        switch (algorithm)
        {
            case AeadAlgorithm.Aes128Gcm or AeadAlgorithm.Aes256Gcm:
                _gcm = new AesGcm(key, TagLength);
                break;
            case AeadAlgorithm.ChaCha20Poly1305:
                _chacha = new ChaCha20Poly1305(key);
                break;
            default:
                _ccm = new AesCcm(key);
                break;
        }
    }

    public int TagLength { get; }

    public static int KeyLength(AeadAlgorithm a) => a is AeadAlgorithm.Aes128Gcm or AeadAlgorithm.Aes128Ccm or AeadAlgorithm.Aes128Ccm8 ? 16 : 32;

    public static int TagLengthOf(AeadAlgorithm a) => a is AeadAlgorithm.Aes128Ccm8 or AeadAlgorithm.Aes256Ccm8 ? 8 : 16;

    /// <summary>Encrypts <paramref name="data"/> in place and writes the tag.</summary>
    public void Seal(ReadOnlySpan<byte> nonce, Span<byte> data, Span<byte> tag, ReadOnlySpan<byte> aad)
    {
        if (_gcm is not null) _gcm.Encrypt(nonce, data, data, tag, aad);
        else if (_chacha is not null) _chacha.Encrypt(nonce, data, data, tag, aad);
        else _ccm!.Encrypt(nonce, data, data, tag, aad);
    }

    /// <summary>Decrypts <paramref name="data"/> in place; false (data wiped) when the tag does not verify.</summary>
    public bool Open(ReadOnlySpan<byte> nonce, Span<byte> data, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> aad)
    {
        try
        {
            if (_gcm is not null) _gcm.Decrypt(nonce, data, tag, data, aad);
            else if (_chacha is not null) _chacha.Decrypt(nonce, data, tag, data, aad);
            else _ccm!.Decrypt(nonce, data, tag, data, aad);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _gcm?.Dispose();
        _chacha?.Dispose();
        _ccm?.Dispose();
    }
}
