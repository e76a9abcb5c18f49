using SharpTls.Wire;

namespace SharpTls.Handshake.Tls12;

/// <summary>
/// An established TLS 1.2 connection. A new ClientHello (at the server) or a HelloRequest (at the client) asks for
/// a renegotiation (RFC 5246 §7.4.1.1, RFC 5746): <see cref="Renegotiation"/> decides whether it runs, as the next
/// state while the session stays in force, or is declined with a no_renegotiation warning (§7.2.2) and the
/// connection goes on. Every other handshake message is unexpected_message.
/// </summary>
internal sealed class Connected(bool isServer) : HandshakeState
{
    public override bool IsConnected => true;

    public override HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message)
    {
        if (isServer && type == HandshakeType.ClientHello)
            return Renegotiation.OnClientHello(connection, this, message);
        if (!isServer && type == HandshakeType.HelloRequest)
        {
            if (message.Length != 4)
                throw TlsProtocolException.Decode("HelloRequest must be empty");
            return Renegotiation.OnHelloRequest(connection, this);
        }
        throw Unexpected(type, isServer ? "no handshake message but a renegotiating ClientHello" : "no handshake message but HelloRequest");
    }
}
