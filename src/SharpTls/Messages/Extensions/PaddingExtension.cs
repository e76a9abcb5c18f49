using SharpTls.Wire;

namespace SharpTls.Messages.Extensions;

/// <summary>
/// padding (RFC 7685 §3): extension_data of zero bytes. "The client MUST fill the padding
/// extension completely with zero bytes": a non-zero byte is a decode_error here.
/// </summary>
internal sealed class PaddingExtension(int length) : TlsExtension
{
    public override ExtensionType Type => ExtensionType.Padding;

    /// <summary>Number of zero bytes.</summary>
    public int Length { get; } = length;

    public override void WriteData(TlsWriter w) => w.WriteBytes(new byte[Length]);

    internal static PaddingExtension Read(ref TlsReader r, ExtensionContext ctx)
    {
        var data = r.ReadBytes(r.Remaining, "padding");
        if (data.ContainsAnyExcept((byte)0)) throw TlsProtocolException.Decode("padding: non-zero byte");
        return new PaddingExtension(data.Length);
    }
}
