using SharpTls.Handshake.Tls12;
using SharpTls.Handshake.Tls12.KeyExchange;
using SharpTls.Messages;
using SharpTls.Wire;

namespace SharpTls.Handshake.Server.Tls12;

/// <summary>
/// The client's ClientKeyExchange (RFC 5246 §7.4.7): the key exchange turns it into the pre-master
/// secret (for RSA without ever failing, the ROBOT countermeasure), then the master secret (the extended
/// one when negotiated, RFC 7627); then the client's CertificateVerify when it sent a certificate, else its ChangeCipherSpec.
/// </summary>
internal sealed class ExpectClientKeyExchange(Tls12ServerContext context, Tls12Secrets secrets, ITls12KeyExchange exchange,
    System.Security.Cryptography.X509Certificates.X509Certificate2? clientCertificate) : HandshakeState, IDisposable
{
    public override HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message)
    {
        if (type != HandshakeType.ClientKeyExchange) throw Unexpected(type, "ClientKeyExchange");
        var decoded = HandshakeMessage.Decode<ClientKeyExchange>(message, new MessageContext(secrets.Version, exchange.Kind));
        byte[] preMaster = exchange.ServerPreMaster(decoded);
        exchange.Dispose();
        secrets.Transcript.Add(message.Span);
        secrets.DeriveMasterSecret(preMaster, connection.Services.KeyLog);
        return clientCertificate is null
            ? new ExpectChangeCipherSpec(context, secrets, HandshakeType.ClientKeyExchange)
            : new ExpectCertificateVerify(context, secrets, clientCertificate);
    }

    public void Dispose()
    {
        exchange.Dispose();
        secrets.Dispose();
    }
}
