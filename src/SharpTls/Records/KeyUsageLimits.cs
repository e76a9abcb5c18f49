using SharpTls.Wire;

namespace SharpTls.Records;

/// <summary>
/// How many records one traffic key may protect (RFC 8446 §5.5): AES-GCM keeps a safety margin of about 2^-57 up to
/// 2^24.5 full-size records (AES-CCM, the same block cipher, gets the same bound here); ChaCha20-Poly1305's sequence
/// number wraps before its limit (and <see cref="SequenceNumber"/> refuses to wrap). A TLS 1.3 sender updates its keys
/// at <see cref="KeyUpdateAt"/> and asks its peer to when the peer's key reaches it; neither side goes past
/// <see cref="Refuse"/> under one key. TLS 1.2 has no KeyUpdate: a sender closes at <see cref="Refuse"/>.
/// </summary>
/// <param name="KeyUpdateAt">Records after which a new key is due.</param>
/// <param name="Refuse">Records after which the key is not used again.</param>
internal sealed record KeyUsageLimits(ulong KeyUpdateAt, ulong Refuse)
{
    /// <summary>2^24 records, then a KeyUpdate; never past 2^24.5 (23,726,566).</summary>
    public static readonly KeyUsageLimits Aes = new(1UL << 24, 23_726_566);

    /// <summary>The limits of a suite's AEAD, or null when only the sequence number bounds it (ChaCha20, CBC, none).</summary>
    public static KeyUsageLimits? For(CipherSuite? suite)
        => suite is { } s && CipherSuites.Info(s) is { } info && info.Mode is BulkCipherMode.Gcm or BulkCipherMode.Ccm or BulkCipherMode.Ccm8
            ? Aes
            : null;
}
