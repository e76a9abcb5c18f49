using SharpTls.Handshake.Tls12;
using SharpTls.Handshake.Tls12.KeyExchange;
using SharpTls.Messages;
using SharpTls.Wire;

namespace SharpTls.Handshake.Client.Tls12;

/// <summary>
/// An optional CertificateRequest (RFC 5246 §7.4.4), then ServerHelloDone (§7.4.5); then our flight:
/// [Certificate], ClientKeyExchange, [CertificateVerify], ChangeCipherSpec, Finished. A request is answered
/// with our certificate when its key kind is among the requested certificate types and it can sign with a
/// requested scheme, else with an empty Certificate (§7.4.6), which a server that requires one refuses.
/// </summary>
internal sealed class ExpectServerHelloDone(Tls12ClientContext context, Tls12Secrets secrets, ITls12KeyExchange exchange) : HandshakeState, IDisposable
{
    private CertificateRequest? _request;

    public override HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message)
    {
        var messageContext = MessageContext.Negotiated(secrets.Version, (ushort)secrets.Suite.Suite);
        if (type == HandshakeType.CertificateRequest && _request is null)
        {
            _request = HandshakeMessage.Decode<CertificateRequest>(message, messageContext);
            secrets.Transcript.Add(message.Span);
            return this;
        }
        if (type != HandshakeType.ServerHelloDone) throw Unexpected(type, _request is not null ? "ServerHelloDone" : "CertificateRequest or ServerHelloDone");
        HandshakeMessage.Decode<ServerHelloDone>(message, messageContext);
        secrets.Transcript.Add(message.Span);
        var (certificate, scheme) = _request is null ? (null, default) : ChooseCertificate(_request);
        // SSL 3.0 (RFC 6101 §5.6.6): without a certificate the client sends a no_certificate warning alert, not an empty Certificate.
        if (_request is not null && certificate is null && secrets.Version == ProtocolVersion.Ssl3)
            connection.SendWarningAlert(AlertDescription.NoCertificate);
        else if (_request is not null)
            connection.SendMessage(secrets.Transcript, CertificateMessage.Tls12(certificate is null ? [] : [certificate.Certificate.RawData, .. certificate.Chain.Select(c => c.RawData)]));
        var (clientKeyExchange, preMaster) = exchange.ClientExchange();
        exchange.Dispose();
        connection.SendMessage(secrets.Transcript, clientKeyExchange);
        // The extended master secret's session hash ends at ClientKeyExchange (RFC 7627 §3), before CertificateVerify.
        secrets.DeriveMasterSecret(preMaster, connection.Services.KeyLog);
        if (certificate is not null)
        {
            // RFC 5246 §7.4.8: the signature covers every handshake message up to here (before TLS 1.2 their MD5+SHA-1 hash).
            var verify = secrets.Version >= ProtocolVersion.Tls12
                ? new CertificateVerify { Scheme = scheme, Signature = certificate.Sign(connection.Crypto, scheme, secrets.Transcript.Messages) }
                : new CertificateVerify { Signature = LegacySignatures.Sign(connection.Crypto, certificate.Certificate, Server.Tls12.ClientAuthentication.LegacyCertificateVerifyHash(secrets)) };
            connection.SendMessage(secrets.Transcript, verify);
            connection.Info.LocalCertificate = certificate.Certificate;
        }
        secrets.Transcript.DropMessages();
        // Kept for the session: the next renegotiation's renegotiation_info carries it (RFC 5746 §3.1).
        context.ClientVerifyData = Tls12Finished.Send(connection, secrets, client: true);
        return context.TicketExpected
            ? new ExpectNewSessionTicket(context, secrets, resumed: false)
            : new ExpectChangeCipherSpec(context, secrets, ticket: null, ticketLifetime: 0);
    }

    /// <summary>Our certificate and the first scheme of ours the request lists, when the request's certificate types admit its key.</summary>
    private (ServerCertificate? Certificate, SignatureScheme Scheme) ChooseCertificate(CertificateRequest request)
    {
        if (context.Template.Options.ClientCertificate is not { } ours) return (null, default);
        var kind = Crypto.TlsSignatures.KeyKind(ours.Certificate);
        var type = kind switch
        {
            Crypto.SignatureKeyKind.Ecdsa => ClientCertificateType.EcdsaSign,
            Crypto.SignatureKeyKind.Dsa => ClientCertificateType.DssSign,
            _ => ClientCertificateType.RsaSign,
        };
        if (!request.CertificateTypes.Contains(type)) return (null, default);
        if (secrets.Version < ProtocolVersion.Tls12)
            return LegacySignatures.SchemeFor(kind) is { } legacy ? (ours, legacy) : (null, default);
        IReadOnlyList<SignatureScheme> accepted = request.SignatureAlgorithms ?? [SignatureScheme.RsaPkcs1Sha1, SignatureScheme.EcdsaSha1];
        foreach (var scheme in Crypto.TlsSignatures.SchemesFor(ours.Certificate, tls13: false))
            if (accepted.Contains(scheme)) return (ours, scheme);
        return (null, default);
    }

    public void Dispose()
    {
        exchange.Dispose();
        secrets.Dispose();
    }
}
