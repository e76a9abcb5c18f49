using SharpTls.Wire;

namespace SharpTls.Messages.Extensions;

/// <summary>
/// supported_versions (RFC 8446 §4.2.1): the client's list, or the server's choice in
/// ServerHello and HelloRetryRequest.
/// <code>
/// struct {
///     select (Handshake.msg_type) {
///         case client_hello: ProtocolVersion versions&lt;2..254&gt;;
///         case server_hello: /* and HelloRetryRequest */ ProtocolVersion selected_version;
///     };
/// } SupportedVersions;
/// </code>
/// </summary>
internal sealed class SupportedVersionsExtension : TlsExtension
{
    public override ExtensionType Type => ExtensionType.SupportedVersions;

    /// <summary>ClientHello: the versions offered, most preferred first.</summary>
    public IReadOnlyList<ProtocolVersion> Versions { get; init; } = [];

    /// <summary>ServerHello/HelloRetryRequest: the version chosen.</summary>
    public ProtocolVersion? Selected { get; init; }

    public override void WriteData(TlsWriter w)
    {
        if (Selected is { } v) w.WriteUInt16((ushort)v);
        else WireLists.WriteUInt16s(w, Versions, 1, 2, 254);
    }

    internal static SupportedVersionsExtension Read(ref TlsReader r, ExtensionContext ctx)
        => ctx == ExtensionContext.ClientHello
            ? new SupportedVersionsExtension { Versions = WireLists.ReadUInt16s<ProtocolVersion>(ref r, "versions", 1, 2, 254) }
            : new SupportedVersionsExtension { Selected = (ProtocolVersion)r.ReadUInt16("selected_version") };
}
