using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using SharpTls.Wire;

namespace SharpTls.Records;

/// <summary>
/// TLS 1.2 AEAD record protection: AES-GCM (RFC 5288), AES-CCM and CCM_8 (RFC 6655) with a 4-byte
/// implicit salt and an 8-byte explicit nonce carried in each record, and ChaCha20-Poly1305
/// (RFC 7905) with a 12-byte IV XOR the sequence number and no explicit nonce.
/// </summary>
/// <remarks>
/// RFC 5246 §6.2.3.3:
/// <code>
/// struct {
///    opaque nonce_explicit[SecurityParameters.record_iv_length];
///    aead-ciphered struct {
///        opaque content[TLSCompressed.length];
///    };
/// } GenericAEADCipher;
///
/// additional_data = seq_num + TLSCompressed.type + TLSCompressed.version + TLSCompressed.length;
/// </code>
/// The explicit nonce sent is the record's sequence number (unique per key, as RFC 5288 §3 allows).
/// A fragment over 2^14+2048 or a plaintext over 2^14 is <c>record_overflow</c>; anything that does
/// not authenticate, or is too short to, is <c>bad_record_mac</c>.
/// </remarks>
internal sealed class Tls12AeadRecordProtection : IRecordProtection
{
    private readonly AeadCipher _aead;
    private readonly byte[] _iv;
    private readonly int _explicitLength;
    private SequenceNumber _seq;

    /// <summary>Creates the protection from the key block's write key and IV.</summary>
    /// <param name="algorithm">GCM or CCM (4-byte <paramref name="fixedIv"/>), or ChaCha20-Poly1305 (12-byte <paramref name="fixedIv"/>).</param>
    /// <param name="key">The write key.</param>
    /// <param name="fixedIv">client/server_write_IV from the key block.</param>
    public Tls12AeadRecordProtection(AeadAlgorithm algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> fixedIv)
        : this(algorithm, key, fixedIv, 0) { }

    internal Tls12AeadRecordProtection(AeadAlgorithm algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> fixedIv, ulong initialSequence)
    {
        bool chacha = algorithm == AeadAlgorithm.ChaCha20Poly1305;
        int ivLength = chacha ? AeadCipher.NonceLength : 4;
        if (fixedIv.Length != ivLength)
            throw new ArgumentException($"{algorithm} in TLS 1.2 needs a {ivLength}-byte fixed IV, got {fixedIv.Length}", nameof(fixedIv));
        _aead = new AeadCipher(algorithm, key);
        _iv = fixedIv.ToArray();
        _explicitLength = chacha ? 0 : 8;
        _seq = new SequenceNumber(initialSequence);
    }

    /// <inheritdoc/>
    public bool IsNull => false;

    /// <inheritdoc/>
    public ulong SequenceNumber => _seq.Value;

    /// <inheritdoc/>
    public int MaxOverhead(int plaintextLength) => _explicitLength + _aead.TagLength;

    /// <inheritdoc/>
    public void Seal(ContentType type, ushort recordVersion, ReadOnlySpan<byte> plaintext, IBufferWriter<byte> output)
    {
        RecordLimits.CheckPlaintext(type, plaintext.Length);
        ulong seq = _seq.Take();
        int length = _explicitLength + plaintext.Length + _aead.TagLength;
        var dst = output.GetSpan(RecordLimits.HeaderLength + length);
        NullRecordProtection.WriteHeader(dst, type, recordVersion, length);
        var frag = dst.Slice(RecordLimits.HeaderLength, length);
        if (_explicitLength > 0) BinaryPrimitives.WriteUInt64BigEndian(frag, seq);
        var body = frag.Slice(_explicitLength, plaintext.Length);

        Span<byte> nonce = stackalloc byte[AeadCipher.NonceLength];
        MakeNonce(seq, frag, nonce);
        Span<byte> aad = stackalloc byte[13];
        CbcRecordProtection.WriteMacHeader(aad, seq, type, recordVersion, plaintext.Length);
        _aead.Seal(nonce, plaintext, body, frag[(_explicitLength + plaintext.Length)..], aad); // from where the plaintext is
        output.Advance(RecordLimits.HeaderLength + length);
    }

    /// <inheritdoc/>
    public Span<byte> Open(ContentType type, ushort recordVersion, Span<byte> fragment, out ContentType contentType)
    {
        if (fragment.Length > RecordLimits.MaxCiphertextLengthTls12)
            throw new TlsProtocolException(AlertDescription.RecordOverflow, $"TLSCiphertext.length {fragment.Length} exceeds 2^14+2048");
        ulong seq = _seq.Take();
        int length = fragment.Length - _explicitLength - _aead.TagLength;
        if (length < 0)
            throw Tls13RecordProtection.BadRecordMac();
        if (length > RecordLimits.MaxPlaintextLength)
            throw new TlsProtocolException(AlertDescription.RecordOverflow, $"{RecordLimits.TypeName(type)} record: plaintext length {length} exceeds 2^14");

        Span<byte> nonce = stackalloc byte[AeadCipher.NonceLength];
        MakeNonce(seq, fragment, nonce);
        Span<byte> aad = stackalloc byte[13];
        CbcRecordProtection.WriteMacHeader(aad, seq, type, recordVersion, length);
        var body = fragment.Slice(_explicitLength, length);
        if (!_aead.Open(nonce, body, fragment[(_explicitLength + length)..], aad))
            throw Tls13RecordProtection.BadRecordMac();
        RecordLimits.CheckPlaintext(type, length);
        contentType = type;
        return body;
    }

    private void MakeNonce(ulong seq, ReadOnlySpan<byte> fragment, Span<byte> nonce)
    {
        if (_explicitLength == 0)
        {
            RecordNonce.Xor(_iv, seq, nonce);
            return;
        }
        _iv.CopyTo(nonce);
        fragment[..8].CopyTo(nonce[4..]);
    }

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
