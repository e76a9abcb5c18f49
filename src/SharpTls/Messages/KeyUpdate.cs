using SharpTls.Wire;

namespace SharpTls.Messages;

/// <summary>
/// KeyUpdate (RFC 8446 §4.6.3); a value other than 0 or 1 is illegal_parameter.
/// <code>
/// enum { update_not_requested(0), update_requested(1), (255) } KeyUpdateRequest;
/// struct { KeyUpdateRequest request_update; } KeyUpdate;
/// </code>
/// </summary>
internal sealed class KeyUpdate : HandshakeMessage
{
    public override HandshakeType Type => HandshakeType.KeyUpdate;

    public KeyUpdateRequest RequestUpdate { get; init; }

    protected override void WriteBody(TlsWriter w) => w.WriteUInt8((byte)RequestUpdate);

    internal static KeyUpdate ReadBody(ref TlsReader r)
    {
        byte v = r.ReadUInt8("request_update");
        if (v > 1) throw TlsProtocolException.Illegal($"request_update: value {v} is neither 0 nor 1");
        return new KeyUpdate { RequestUpdate = (KeyUpdateRequest)v };
    }
}
