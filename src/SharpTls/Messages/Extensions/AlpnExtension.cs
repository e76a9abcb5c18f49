using System.Text;
using SharpTls.Wire;

namespace SharpTls.Messages.Extensions;

/// <summary>
/// application_layer_protocol_negotiation (RFC 7301 §3.1). In ServerHello and
/// EncryptedExtensions the list must hold exactly one name (decode_error otherwise).
/// <code>
/// opaque ProtocolName&lt;1..2^8-1&gt;;
/// struct { ProtocolName protocol_name_list&lt;2..2^16-1&gt; } ProtocolNameList;
/// </code>
/// </summary>
internal sealed class AlpnExtension(IReadOnlyList<byte[]> protocols) : TlsExtension
{
    /// <summary>From protocol names such as "h2", "http/1.1".</summary>
    public AlpnExtension(params string[] protocols) : this(protocols.Select(Encoding.ASCII.GetBytes).ToArray()) { }

    public override ExtensionType Type => ExtensionType.ApplicationLayerProtocolNegotiation;

    public IReadOnlyList<byte[]> Protocols { get; } = protocols;

    /// <summary>The names as strings (ASCII; other bytes are replaced).</summary>
    public IEnumerable<string> ProtocolNames => Protocols.Select(p => Encoding.ASCII.GetString(p));

    public override void WriteData(TlsWriter w) => WireLists.WriteOpaques(w, Protocols, 2, 2, 0xFFFF, 1, 1, 0xFF);

    internal static AlpnExtension Read(ref TlsReader r, ExtensionContext ctx)
    {
        var list = WireLists.ReadOpaques(ref r, "protocol_name_list", 2, 2, 0xFFFF, "ProtocolName", 1, 1, 0xFF);
        if (ctx != ExtensionContext.ClientHello && list.Length != 1)
            throw TlsProtocolException.Decode($"protocol_name_list: the server must select exactly one protocol, not {list.Length}");
        return new AlpnExtension(list);
    }
}
