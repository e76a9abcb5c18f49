using SharpTls.Wire;

namespace SharpTls.Records;

/// <summary>
/// How many records one traffic key may protect (RFC 8446 §5.5, with its targets: confidentiality advantage at most 2^-60,
/// integrity at most 2^-57, full-size records of L = 2^10 AES blocks). AES-GCM: 2^24.5 records. AES-CCM and AES-CCM_8,
/// which RFC 8446 leaves to the AEAD limits analysis (draft-irtf-cfrg-aead-limits §6.4-6.5, as RFC 9147 §4.5.3 does):
/// CCM runs the block cipher twice per block, so confidentiality gives (2L·q)^2 / 2^128 &lt;= 2^-60, q &lt;= 2^23. CCM_8's
/// 64-bit tag adds v / 2^64 to the integrity bound, v forgery attempts; over TCP a failed record ends the connection,
/// so v = 1 and 2^-64 + (2L·(1 + q))^2 / 2^128 &lt;= 2^-57 holds up to q ~ 2^24.49: confidentiality (2^23) binds for both.
/// ChaCha20-Poly1305's sequence number wraps before its limit (and <see cref="SequenceNumber"/> refuses to wrap). A TLS 1.3 sender updates its keys
/// at <see cref="KeyUpdateAt"/> and asks its peer to when the peer's key reaches it; neither side goes past
/// <see cref="Refuse"/> under one key. TLS 1.2 has no KeyUpdate: a sender closes at <see cref="Refuse"/> (what a TLS 1.2
/// peer sends is not refused: it has no way to renew the key short of renegotiation).
/// </summary>
/// <param name="KeyUpdateAt">Records after which a new key is due.</param>
/// <param name="Refuse">Records after which the key is not used again.</param>
internal sealed record KeyUsageLimits(ulong KeyUpdateAt, ulong Refuse)
{
    /// <summary>2^24 records, then a KeyUpdate; never past 2^24.5 (23,726,566).</summary>
    public static readonly KeyUsageLimits Aes = new(1UL << 24, 23_726_566);

    /// <summary>AES-CCM and AES-CCM_8: 2^22.5 (5,931,641) records, then a KeyUpdate; never past 2^23 (8,388,608).</summary>
    public static readonly KeyUsageLimits Ccm = new(5_931_641, 1UL << 23);

    /// <summary>The limits of a suite's AEAD, or null when only the sequence number bounds it (ChaCha20, CBC, none).</summary>
    public static KeyUsageLimits? For(CipherSuite? suite)
        => suite is { } s && CipherSuites.Info(s) is { } info
            ? info.Mode switch
            {
                BulkCipherMode.Gcm => Aes,
                BulkCipherMode.Ccm or BulkCipherMode.Ccm8 => Ccm,
                _ => null,
            }
            : null;
}
