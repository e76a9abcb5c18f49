using System.Buffers;
using System.Buffers.Binary;
using SharpTls.Wire;

namespace SharpTls.Records;

/// <summary>
/// TLS_NULL_WITH_NULL_NULL (RFC 5246 §6.1): the protection before any keys. Records pass through;
/// the plaintext rules of <see cref="RecordLimits.CheckPlaintext"/> still apply. Sequence numbers
/// are counted (the first protected record after it still starts at 0: a new instance does).
/// </summary>
internal sealed class NullRecordProtection : IRecordProtection
{
    private SequenceNumber _seq;

    /// <inheritdoc/>
    public bool IsNull => true;

    /// <inheritdoc/>
    public ulong SequenceNumber => _seq.Value;

    /// <inheritdoc/>
    public int MaxOverhead(int plaintextLength) => 0;

    /// <inheritdoc/>
    public void Seal(ContentType type, ushort recordVersion, ReadOnlySpan<byte> plaintext, IBufferWriter<byte> output)
    {
        RecordLimits.CheckPlaintext(type, plaintext.Length);
        _seq.Take();
        var dst = output.GetSpan(RecordLimits.HeaderLength + plaintext.Length);
        WriteHeader(dst, type, recordVersion, plaintext.Length);
        plaintext.CopyTo(dst[RecordLimits.HeaderLength..]);
        output.Advance(RecordLimits.HeaderLength + plaintext.Length);
    }

    /// <inheritdoc/>
    public Span<byte> Open(ContentType type, ushort recordVersion, Span<byte> fragment, out ContentType contentType)
    {
        RecordLimits.CheckPlaintext(type, fragment.Length);
        _seq.Take();
        contentType = type;
        return fragment;
    }

    /// <summary>Nothing to zero.</summary>
    public void Dispose() { }

    internal static void WriteHeader(Span<byte> dst, ContentType type, ushort version, int length)
    {
        dst[0] = (byte)type;
        BinaryPrimitives.WriteUInt16BigEndian(dst[1..], version);
        BinaryPrimitives.WriteUInt16BigEndian(dst[3..], (ushort)length);
    }
}
