using SharpTls.Wire;

namespace SharpTls.Handshake.Tls12;

/// <summary>
/// The peer's ChangeCipherSpec (RFC 5246 §7.1): it switches our read keys. Any handshake message
/// here is unexpected_message (a Finished before ChangeCipherSpec would skip the keys).
/// </summary>
internal sealed class ExpectChangeCipherSpec(Tls12Keys keys, bool isServer) : HandshakeState, IChangeCipherSpecState, IDisposable
{
    public override HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message)
        => throw Unexpected(type, "ChangeCipherSpec");

    public HandshakeState OnChangeCipherSpec(TlsConnection connection)
    {
        connection.ChangeReadProtection(keys.Protection(clientWrite: isServer), isServer ? HandshakeType.ClientKeyExchange : HandshakeType.Finished);
        return new ExpectFinished(keys, isServer);
    }

    public void Dispose() => keys.Dispose();
}
