using SharpTls.Wire;

namespace SharpTls.Messages.Extensions;

/// <summary>
/// ec_point_formats (RFC 8422 §5.1.2).
/// <code>struct { ECPointFormat ec_point_format_list&lt;1..2^8-1&gt; } ECPointFormatList;</code>
/// </summary>
internal sealed class EcPointFormatsExtension(IReadOnlyList<EcPointFormat> formats) : TlsExtension
{
    public override ExtensionType Type => ExtensionType.EcPointFormats;

    public IReadOnlyList<EcPointFormat> Formats { get; } = formats;

    public override void WriteData(TlsWriter w) => WireLists.WriteUInt8s(w, Formats, 1, 0xFF);

    internal static EcPointFormatsExtension Read(ref TlsReader r, ExtensionContext ctx)
        => new(WireLists.ReadUInt8s<EcPointFormat>(ref r, "ec_point_format_list", 1, 0xFF));
}
