using SharpTls.Wire;

namespace SharpTls.Messages.Extensions;

/// <summary>
/// heartbeat (RFC 6520 §2). Parsed so that it can be logged; SharpTls never sends or answers
/// heartbeats. An unknown mode is illegal_parameter.
/// <code>
/// enum { peer_allowed_to_send(1), peer_not_allowed_to_send(2), (255) } HeartbeatMode;
/// struct { HeartbeatMode mode; } HeartbeatExtension;
/// </code>
/// </summary>
internal sealed class HeartbeatExtension(HeartbeatMode mode) : TlsExtension
{
    public override ExtensionType Type => ExtensionType.Heartbeat;

    public HeartbeatMode Mode { get; } = mode;

    public override void WriteData(TlsWriter w) => w.WriteUInt8((byte)Mode);

    internal static HeartbeatExtension Read(ref TlsReader r, ExtensionContext ctx)
    {
        byte m = r.ReadUInt8("heartbeat.mode");
        if (m is not (1 or 2)) throw TlsProtocolException.Illegal($"heartbeat.mode: unknown mode {m}");
        return new HeartbeatExtension((HeartbeatMode)m);
    }
}
