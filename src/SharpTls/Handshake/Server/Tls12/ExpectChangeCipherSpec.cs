using SharpTls.Handshake.Tls12;
using SharpTls.Wire;

namespace SharpTls.Handshake.Server.Tls12;

/// <summary>
/// Full handshake: the client's ChangeCipherSpec (RFC 5246 §7.1) switches our read keys. A handshake
/// message here is unexpected_message (a Finished before ChangeCipherSpec would skip the keys).
/// </summary>
internal sealed class ExpectChangeCipherSpec(Tls12ServerContext context, Tls12Secrets secrets, HandshakeType lastMessage) : HandshakeState, IChangeCipherSpecState, IDisposable
{
    public override HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message)
        => throw Unexpected(type, "ChangeCipherSpec");

    public HandshakeState OnChangeCipherSpec(TlsConnection connection)
    {
        connection.ChangeReadProtection(secrets.Protection(clientWrite: true, connection.Crypto.Fill), lastMessage);
        return new ExpectFinished(context, secrets);
    }

    public void Dispose() => secrets.Dispose();
}
