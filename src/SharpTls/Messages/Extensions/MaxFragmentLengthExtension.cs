using SharpTls.Wire;

namespace SharpTls.Messages.Extensions;

/// <summary>
/// max_fragment_length (RFC 6066 §4). A value other than 1..4 is illegal_parameter.
/// <code>enum { 2^9(1), 2^10(2), 2^11(3), 2^12(4), (255) } MaxFragmentLength;</code>
/// </summary>
internal sealed class MaxFragmentLengthExtension(MaxFragmentLength value) : TlsExtension
{
    public override ExtensionType Type => ExtensionType.MaxFragmentLength;

    public MaxFragmentLength Value { get; } = value;

    /// <summary>The fragment length in bytes (512..4096).</summary>
    public int Bytes => 256 << (int)Value;

    public override void WriteData(TlsWriter w) => w.WriteUInt8((byte)Value);

    internal static MaxFragmentLengthExtension Read(ref TlsReader r, ExtensionContext ctx)
    {
        byte v = r.ReadUInt8("max_fragment_length");
        if (v is < 1 or > 4) throw TlsProtocolException.Illegal($"max_fragment_length: value {v} not in 1..4");
        return new MaxFragmentLengthExtension((MaxFragmentLength)v);
    }
}
