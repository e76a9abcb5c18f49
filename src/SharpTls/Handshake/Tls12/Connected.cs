using SharpTls.Wire;

namespace SharpTls.Handshake.Tls12;

/// <summary>
/// An established TLS 1.2 connection. Renegotiation is not supported: a HelloRequest (at the client)
/// or a new ClientHello (at the server) is declined with a no_renegotiation warning (RFC 5246 §7.4.1.1,
/// §7.2.2) and the connection goes on. Every other handshake message is unexpected_message.
/// </summary>
internal sealed class Connected(bool isServer) : HandshakeState
{
    public override bool IsConnected => true;

    public override HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message)
    {
        if (type == (isServer ? HandshakeType.ClientHello : HandshakeType.HelloRequest))
        {
            if (!isServer && message.Length != 4)
                throw TlsProtocolException.Decode("HelloRequest must be empty");
            connection.SendWarningAlert(AlertDescription.NoRenegotiation);
            return this;
        }
        throw Unexpected(type, "no handshake message (renegotiation is not supported)");
    }
}
