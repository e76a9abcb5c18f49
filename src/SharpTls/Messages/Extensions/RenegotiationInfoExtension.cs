using SharpTls.Wire;

namespace SharpTls.Messages.Extensions;

/// <summary>
/// renegotiation_info (RFC 5746 §3.2): empty on an initial handshake, the previous verify_data otherwise.
/// <code>struct { opaque renegotiated_connection&lt;0..255&gt;; } RenegotiationInfo;</code>
/// </summary>
internal sealed class RenegotiationInfoExtension(byte[] renegotiatedConnection) : TlsExtension
{
    public RenegotiationInfoExtension() : this([]) { }

    public override ExtensionType Type => ExtensionType.RenegotiationInfo;

    public byte[] RenegotiatedConnection { get; } = renegotiatedConnection;

    public override void WriteData(TlsWriter w) => w.WriteVector(1, RenegotiatedConnection);

    internal static RenegotiationInfoExtension Read(ref TlsReader r, ExtensionContext ctx)
        => new(r.ReadVector8("renegotiated_connection").ToArray());
}
