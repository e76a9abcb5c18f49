using SharpTls.Crypto;
using SharpTls.Handshake.Tls12;
using SharpTls.Messages;
using SharpTls.Wire;

namespace SharpTls.Handshake.Client.Tls12;

/// <summary>The server's Certificate (RFC 5246 §7.4.2), verified as for TLS 1.3; its key must fit the suite (ECDSA or RSA).</summary>
internal sealed class ExpectCertificate(Tls12Keys keys, HelloTemplate template) : HandshakeState, IDisposable
{
    public override HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message)
    {
        if (type != HandshakeType.Certificate) throw Unexpected(type, "Certificate");
        var certificate = HandshakeMessage.Decode<CertificateMessage>(message, MessageContext.Negotiated(ProtocolVersion.Tls12, (ushort)keys.Suite.Suite));
        if (certificate.Entries.Count == 0)
            throw TlsProtocolException.Decode("the server sent an empty certificate_list");
        var chain = Client.Tls13.ExpectCertificate.VerifyServerChain(connection, template.Options, certificate.Entries);
        var kind = TlsSignatures.KeyKind(chain[0]);
        bool fits = Tls12Keys.IsEcdsaSuite(keys.Suite.Suite) ? kind == SignatureKeyKind.Ecdsa : kind is SignatureKeyKind.Rsa or SignatureKeyKind.RsaPss;
        if (!fits)
            throw new TlsProtocolException(AlertDescription.UnsupportedCertificate, $"a {kind} certificate cannot authenticate {keys.Suite.Suite}");
        keys.Transcript.Add(message.Span);
        return new ExpectServerKeyExchange(keys, template, chain[0]);
    }

    public void Dispose() => keys.Dispose();
}
