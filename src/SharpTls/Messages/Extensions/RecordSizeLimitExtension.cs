using SharpTls.Wire;

namespace SharpTls.Messages.Extensions;

/// <summary>
/// record_size_limit (RFC 8449 §4): <c>uint16 RecordSizeLimit;</c> A value below 64 is
/// illegal_parameter ("MUST treat receipt of a smaller value as a fatal error").
/// </summary>
internal sealed class RecordSizeLimitExtension(ushort limit) : TlsExtension
{
    public override ExtensionType Type => ExtensionType.RecordSizeLimit;

    public ushort Limit { get; } = limit;

    public override void WriteData(TlsWriter w) => w.WriteUInt16(Limit);

    internal static RecordSizeLimitExtension Read(ref TlsReader r, ExtensionContext ctx)
    {
        ushort v = r.ReadUInt16("record_size_limit");
        if (v < 64) throw TlsProtocolException.Illegal($"record_size_limit: {v} is below 64");
        return new RecordSizeLimitExtension(v);
    }
}
