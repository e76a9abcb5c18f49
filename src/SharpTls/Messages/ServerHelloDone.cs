using SharpTls.Wire;

namespace SharpTls.Messages;

/// <summary>ServerHelloDone (RFC 5246 §7.4.5): <c>struct { } ServerHelloDone;</c></summary>
internal sealed class ServerHelloDone : EmptyHandshakeMessage
{
    public override HandshakeType Type => HandshakeType.ServerHelloDone;
}
