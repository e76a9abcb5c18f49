using System.Security.Cryptography;
using SharpTls.Crypto;
using SharpTls.Handshake.Tls12;
using SharpTls.Messages;
using SharpTls.Wire;

namespace SharpTls.Handshake.Client.Tls12;

/// <summary>
/// An optional CertificateRequest (RFC 5246 §7.4.4), then ServerHelloDone (§7.4.5); then our flight:
/// [Certificate], ClientKeyExchange, ChangeCipherSpec, Finished. Client certificates are not sent over
/// TLS 1.2 yet: a request is answered with an empty Certificate (§7.4.6), which a server that
/// requires one refuses.
/// </summary>
internal sealed class ExpectServerHelloDone(Tls12Keys keys, KeyShareResponse response) : HandshakeState, IDisposable
{
    private bool _certificateRequested;

    public override HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message)
    {
        var context = MessageContext.Negotiated(ProtocolVersion.Tls12, (ushort)keys.Suite.Suite);
        if (type == HandshakeType.CertificateRequest && !_certificateRequested)
        {
            HandshakeMessage.Decode<CertificateRequest>(message, context);
            keys.Transcript.Add(message.Span);
            _certificateRequested = true;
            return this;
        }
        if (type != HandshakeType.ServerHelloDone) throw Unexpected(type, _certificateRequested ? "ServerHelloDone" : "CertificateRequest or ServerHelloDone");
        HandshakeMessage.Decode<ServerHelloDone>(message, context);
        keys.Transcript.Add(message.Span);
        if (_certificateRequested)
        {
            byte[] empty = CertificateMessage.Tls12([]).Encode();
            keys.Transcript.Add(empty);
            connection.SendHandshake(empty);
        }
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
