using SharpTls.Crypto;
using SharpTls.Handshake.Tls12;
using SharpTls.Handshake.Tls12.KeyExchange;
using SharpTls.Messages;
using SharpTls.Wire;

namespace SharpTls.Handshake.Client.Tls12;

/// <summary>
/// The server's Certificate (RFC 5246 §7.4.2), verified as for TLS 1.3; its key must fit the suite
/// (ECDSA; RSA or RSA-PSS for RSA signatures; an rsaEncryption key for RSA key transport). Then the
/// ServerKeyExchange, or ServerHelloDone when the key exchange has none.
/// </summary>
internal sealed class ExpectCertificate(Tls12ClientContext context, Tls12Secrets secrets) : HandshakeState, IDisposable
{
    public override HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message)
    {
        if (type != HandshakeType.Certificate) throw Unexpected(type, "Certificate");
        var certificate = HandshakeMessage.Decode<CertificateMessage>(message, MessageContext.Negotiated(secrets.Version, (ushort)secrets.Suite.Suite));
        if (certificate.Entries.Count == 0)
            throw TlsProtocolException.Decode("the server sent an empty certificate_list");
        var options = context.Template.Options;
        var chain = Client.Tls13.ExpectCertificate.VerifyServerChain(connection, options, certificate.Entries);
        // A renegotiation may not change who the server is (the triple-handshake attack, RFC 7627 §1; browsers refuse it too).
        if (connection.Session is { } established && Certificates.PeerChain.LeafDer(established.PeerCertificates) is { } previous
            && !previous.AsSpan().SequenceEqual(chain[0].RawData))
            throw new TlsProtocolException(AlertDescription.HandshakeFailure, "the server presented another certificate in the renegotiation than in the first handshake");
        var key = TlsSignatures.KeyKind(chain[0]);
        var kind = MessageContext.KindOf(secrets.Suite.KeyExchange);
        bool fits = secrets.Suite.KeyExchange switch
        {
            CipherSuiteKeyExchange.EcdheEcdsa => key == SignatureKeyKind.Ecdsa,
            CipherSuiteKeyExchange.DheDss => key == SignatureKeyKind.Dsa,
            CipherSuiteKeyExchange.Rsa => key == SignatureKeyKind.Rsa,
            // Before TLS 1.2 an RSA signature is PKCS#1 over MD5+SHA-1, which an RSA-PSS key cannot make.
            _ => key == SignatureKeyKind.Rsa || (key == SignatureKeyKind.RsaPss && secrets.Version >= ProtocolVersion.Tls12),
        };
        if (!fits)
            throw new TlsProtocolException(AlertDescription.UnsupportedCertificate, $"a {key} certificate cannot serve {secrets.Suite.Name}");
        secrets.Transcript.Add(message.Span);
        ITls12KeyExchange exchange = kind switch
        {
            KeyExchangeKind.Ecdhe => EcdheKeyExchange.ForClient(connection.Crypto, context.Template.Groups),
            KeyExchangeKind.Dhe => DheKeyExchange.ForClient(connection.Crypto),
            // The pre-master carries the version we offered in ClientHello (RFC 5246 §7.4.7.1), not the negotiated one.
            _ => new RsaKeyTransport(connection.Crypto, chain[0], (ushort)context.OfferedVersion, ssl3: secrets.Version == ProtocolVersion.Ssl3),
        };
        HandshakeState next = kind == KeyExchangeKind.Rsa
            ? new ExpectServerHelloDone(context, secrets, exchange)
            : new ExpectServerKeyExchange(context, secrets, exchange, chain[0]);
        return context.StatusExpected ? new ExpectCertificateStatus(secrets, next) : next;
    }

    public void Dispose() => secrets.Dispose();
}

/// <summary>
/// CertificateStatus (RFC 6066 §8), after the server's Certificate when its ServerHello answered status_request: the
/// stapled OCSP response, reported in <see cref="TlsConnectionInfo.OcspResponse"/>. The server may still send none
/// ("a server MAY also choose not to send"), so any other message goes on to the next state.
/// </summary>
internal sealed class ExpectCertificateStatus(Tls12Secrets secrets, HandshakeState next) : HandshakeState, IDisposable
{
    public override HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message)
    {
        if (type != HandshakeType.CertificateStatus) return next.Handle(connection, type, message);
        var status = HandshakeMessage.Decode<CertificateStatus>(message, MessageContext.Negotiated(secrets.Version, (ushort)secrets.Suite.Suite));
        connection.Info.OcspResponse = Client.Tls13.ExpectCertificate.CheckStapledResponse(status.OcspResponse);
        secrets.Transcript.Add(message.Span);
        return next;
    }

    public void Dispose() => (next as IDisposable)?.Dispose();
}
