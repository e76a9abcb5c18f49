using SharpTls.Crypto;
using SharpTls.Handshake.Tls12;
using SharpTls.Messages;
using SharpTls.Wire;

namespace SharpTls.Handshake.Server.Tls12;

/// <summary>
/// The client's ECDHE point (RFC 8422 §5.7): derive the pre-master and master secrets (the extended
/// master secret when negotiated, RFC 7627), then wait for the client's ChangeCipherSpec.
/// </summary>
internal sealed class ExpectClientKeyExchange(Tls12Keys keys, IKeyShare share) : HandshakeState, IDisposable
{
    public override HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message)
    {
        if (type != HandshakeType.ClientKeyExchange) throw Unexpected(type, "ClientKeyExchange");
        var exchange = HandshakeMessage.Decode<ClientKeyExchange>(message, MessageContext.Negotiated(ProtocolVersion.Tls12, (ushort)keys.Suite.Suite));
        byte[] preMaster = share.DeriveSecret(exchange.Exchange);
        share.Dispose();
        keys.Transcript.Add(message.Span);
        keys.DeriveMasterSecret(preMaster, connection);
        return new ExpectChangeCipherSpec(keys, isServer: true);
    }

    public void Dispose()
    {
        share.Dispose();
        keys.Dispose();
    }
}
