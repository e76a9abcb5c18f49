using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using SharpTls.Wire;

namespace SharpTls.Records;

/// <summary>
/// Chooses how many zero bytes to add to a TLS 1.3 record (RFC 8446 §5.4): given the content
/// type, the plaintext length and the most padding that still fits, returns the padding length
/// (clamped to 0..<paramref name="maxPadding"/>).
/// </summary>
internal delegate int RecordPaddingPolicy(ContentType type, int plaintextLength, int maxPadding);

/// <summary>Ready-made padding policies.</summary>
internal static class RecordPadding
{
    /// <summary>No padding (the default).</summary>
    public static readonly RecordPaddingPolicy None = static (_, _, _) => 0;

    /// <summary>Pads the inner plaintext (content + type byte) up to a multiple of <paramref name="block"/>.</summary>
    public static RecordPaddingPolicy ToMultipleOf(int block)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(block, 1);
        return (_, length, _) => (block - (length + 1) % block) % block;
    }
}

/// <summary>
/// TLS 1.3 record protection (RFC 8446 §5.2-§5.3) with AES-GCM, ChaCha20-Poly1305 or AES-CCM(_8).
/// </summary>
/// <remarks>
/// RFC 8446 §5.2:
/// <code>
/// struct {
///     opaque content[TLSPlaintext.length];
///     ContentType type;
///     uint8 zeros[length_of_padding];
/// } TLSInnerPlaintext;
///
/// struct {
///     ContentType opaque_type = application_data; /* 23 */
///     ProtocolVersion legacy_record_version = 0x0303; /* TLS v1.2 */
///     uint16 length;
///     opaque encrypted_record[TLSCiphertext.length];
/// } TLSCiphertext;
/// </code>
/// The nonce is the 12-byte write IV XOR the 64-bit sequence number left-padded with zeros
/// (§5.3); the additional data is the 5-byte record header (§5.2). On open: a fragment over 2^14+256
/// is <c>record_overflow</c>, one that does not authenticate (or is shorter than the tag plus one)
/// <c>bad_record_mac</c>, an inner plaintext over 2^14+1 <c>record_overflow</c>, one of only zeros
/// <c>unexpected_message</c>, an inner type other than handshake / alert / application_data
/// <c>unexpected_message</c>. Scanning the padding takes time proportional to its length, as the
/// RFC allows (§5.4).
/// </remarks>
internal sealed class Tls13RecordProtection : IRecordProtection
{
    private readonly AeadCipher _aead;
    private readonly byte[] _iv;
    private readonly RecordPaddingPolicy _padding;
    private SequenceNumber _seq;

    /// <summary>Creates the protection from a traffic key and IV (RFC 8446 §7.3).</summary>
    /// <param name="algorithm">The suite's AEAD (AES-256-CCM variants are not TLS 1.3 suites but work).</param>
    /// <param name="key">The write key.</param>
    /// <param name="iv">The 12-byte write IV.</param>
    /// <param name="padding">The padding policy when sealing (none by default).</param>
    public Tls13RecordProtection(AeadAlgorithm algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, RecordPaddingPolicy? padding = null)
        : this(algorithm, key, iv, padding, 0) { }

    internal Tls13RecordProtection(AeadAlgorithm algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, RecordPaddingPolicy? padding, ulong initialSequence)
    {
        if (iv.Length != AeadCipher.NonceLength)
            throw new ArgumentException($"TLS 1.3 needs a 12-byte IV, got {iv.Length}", nameof(iv));
        _aead = new AeadCipher(algorithm, key);
        _iv = iv.ToArray();
        _padding = padding ?? RecordPadding.None;
        _seq = new SequenceNumber(initialSequence);
    }

    /// <inheritdoc/>
    public bool IsNull => false;

    /// <inheritdoc/>
    public ulong SequenceNumber => _seq.Value;

    /// <summary>The content type byte, the tag and the padding the policy gives application data of this length.</summary>
    public int MaxOverhead(int plaintextLength)
    {
        int maxPadding = Math.Max(0, RecordLimits.MaxInnerPlaintextLength - plaintextLength - 1);
        return 1 + _aead.TagLength + Math.Clamp(_padding(ContentType.ApplicationData, plaintextLength, maxPadding), 0, maxPadding);
    }

    /// <inheritdoc/>
    public void Seal(ContentType type, ushort recordVersion, ReadOnlySpan<byte> plaintext, IBufferWriter<byte> output)
    {
        RecordLimits.CheckPlaintext(type, plaintext.Length);
        int maxPadding = RecordLimits.MaxInnerPlaintextLength - plaintext.Length - 1;
        int padding = Math.Clamp(_padding(type, plaintext.Length, maxPadding), 0, maxPadding);
        int inner = plaintext.Length + 1 + padding;
        int length = inner + _aead.TagLength;
        ulong seq = _seq.Take();

        var dst = output.GetSpan(RecordLimits.HeaderLength + length);
        NullRecordProtection.WriteHeader(dst, ContentType.ApplicationData, (ushort)ProtocolVersion.Tls12, length);
        var body = dst.Slice(RecordLimits.HeaderLength, inner);
        if (plaintext.Overlaps(body))
        {
            // Plaintext already in the output's memory (not a caller of ours): moved into place before the trailer.
            plaintext.CopyTo(body);
            plaintext = body[..plaintext.Length];
        }
        body[plaintext.Length] = (byte)type;
        body[(plaintext.Length + 1)..].Clear();

        Span<byte> nonce = stackalloc byte[AeadCipher.NonceLength];
        RecordNonce.Xor(_iv, seq, nonce);
        // The plaintext is encrypted from where it is into the record, then the content type and padding after it.
        _aead.Seal(nonce, plaintext, body, dst.Slice(RecordLimits.HeaderLength + inner, _aead.TagLength), dst[..RecordLimits.HeaderLength]);
        output.Advance(RecordLimits.HeaderLength + length);
    }

    /// <inheritdoc/>
    public Span<byte> Open(ContentType type, ushort recordVersion, Span<byte> fragment, out ContentType contentType)
    {
        if (fragment.Length > RecordLimits.MaxCiphertextLengthTls13)
            throw new TlsProtocolException(AlertDescription.RecordOverflow,
                $"TLSCiphertext.length {fragment.Length} exceeds 2^14+256");
        // Taken only once the record authenticates: a record that fails trial decryption (skipped early data,
        // RFC 8446 §4.2.10) leaves the sequence number where the client's real second flight starts.
        ulong seq = _seq.Peek();
        int inner = fragment.Length - _aead.TagLength;
        if (inner < 1)
            throw BadRecordMac();

        Span<byte> aad = stackalloc byte[RecordLimits.HeaderLength];
        NullRecordProtection.WriteHeader(aad, type, recordVersion, fragment.Length);
        Span<byte> nonce = stackalloc byte[AeadCipher.NonceLength];
        RecordNonce.Xor(_iv, seq, nonce);
        var body = fragment[..inner];
        if (!_aead.Open(nonce, body, fragment[inner..], aad))
            throw BadRecordMac();
        _seq.Take();
        if (inner > RecordLimits.MaxInnerPlaintextLength)
            throw new TlsProtocolException(AlertDescription.RecordOverflow,
                $"TLSInnerPlaintext length {inner} exceeds 2^14+1");

        int i = inner - 1;
        while (i >= 0 && body[i] == 0) i--;
        if (i < 0)
            throw new TlsProtocolException(AlertDescription.UnexpectedMessage, "TLSInnerPlaintext: no non-zero content type (all padding)");
        contentType = (ContentType)body[i];
        if (contentType is not (ContentType.Handshake or ContentType.Alert or ContentType.ApplicationData))
            throw new TlsProtocolException(AlertDescription.UnexpectedMessage,
                $"TLSInnerPlaintext.type: {RecordLimits.TypeName(contentType)} is not allowed in a protected record");
        RecordLimits.CheckPlaintext(contentType, i);
        return body[..i];
    }

    internal static TlsProtocolException BadRecordMac()
        => new(AlertDescription.BadRecordMac, "record did not authenticate");

    /// <inheritdoc/>
    public void ReleaseIdle() => _aead.Release();

    /// <summary>True while the AEAD holds a native context (for tests).</summary>
    internal bool HoldsCipherContext => _aead.HoldsContext;

    /// <summary>Zeroes the IV and releases the key.</summary>
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_iv);
        _aead.Dispose();
    }
}

internal static class RecordNonce
{
    /// <summary>RFC 8446 §5.3 / RFC 7905: iv XOR the sequence number, big-endian, right-aligned.</summary>
    public static void Xor(ReadOnlySpan<byte> iv, ulong seq, Span<byte> nonce)
    {
        iv.CopyTo(nonce);
        var tail = nonce[^8..];
        BinaryPrimitives.WriteUInt64BigEndian(tail, BinaryPrimitives.ReadUInt64BigEndian(tail) ^ seq);
    }
}
