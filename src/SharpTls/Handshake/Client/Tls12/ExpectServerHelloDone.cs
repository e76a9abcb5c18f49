using System.Security.Cryptography;
using SharpTls.Crypto;
using SharpTls.Handshake.Tls12;
using SharpTls.Messages;
using SharpTls.Wire;

namespace SharpTls.Handshake.Client.Tls12;

/// <summary>
/// ServerHelloDone (RFC 5246 §7.4.5); then our flight: ClientKeyExchange, ChangeCipherSpec, Finished.
/// A CertificateRequest is not supported yet (unexpected_message).
/// </summary>
internal sealed class ExpectServerHelloDone(Tls12Keys keys, KeyShareResponse response) : HandshakeState, IDisposable
{
    public override HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message)
    {
        if (type != HandshakeType.ServerHelloDone) throw Unexpected(type, "ServerHelloDone (TLS 1.2 client certificates are not supported yet)");
        HandshakeMessage.Decode<ServerHelloDone>(message, MessageContext.Negotiated(ProtocolVersion.Tls12, (ushort)keys.Suite.Suite));
        keys.Transcript.Add(message.Span);
        byte[] cke = new ClientKeyExchange { KeyExchange = KeyExchangeKind.Ecdhe, Exchange = response.Share.ToArray() }.Encode();
        keys.Transcript.Add(cke);
        connection.SendHandshake(cke);
        keys.DeriveMasterSecret(response.SharedSecret, connection);
        ExpectFinished.SendFinished(connection, keys, client: true);
        return new ExpectChangeCipherSpec(keys, isServer: false);
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(response.SharedSecret);
        keys.Dispose();
    }
}
