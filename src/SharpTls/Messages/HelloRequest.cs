using SharpTls.Wire;

namespace SharpTls.Messages;

/// <summary>HelloRequest (RFC 5246 §7.4.1.1): <c>struct { } HelloRequest;</c> TLS 1.0-1.2 only; the client may ignore it.</summary>
internal sealed class HelloRequest : EmptyHandshakeMessage
{
    public override HandshakeType Type => HandshakeType.HelloRequest;
}
