using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SharpTls.Certificates;
using SharpTls.Crypto;
using SharpTls.KeySchedule;
using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Wire;
using CertificateRequest = SharpTls.Messages.CertificateRequest;

namespace SharpTls.Handshake.Tls13;

/// <summary>
/// Post-handshake client authentication (RFC 8446 §4.6.2): after the handshake the server sends
/// CertificateRequest with a fresh context; the client answers Certificate, CertificateVerify and
/// Finished. Each exchange hashes the handshake transcript plus its own messages (§4.4), and
/// Finished is keyed by the current client application traffic secret.
/// </summary>
internal static class PostHandshakeAuth
{
    /// <summary>Server: sends CertificateRequest and returns the exchange to follow.</summary>
    public static ServerExchange Request(TlsConnection connection, Tls13Keys keys, TlsServerPolicy options)
    {
        byte[] context = new byte[16];
        connection.Crypto.Fill(context);
        var extensions = new ExtensionList { new SignatureAlgorithmsExtension([.. Defaults.SignaturesOf(options)]) };
        if (options.TrustedIssuers.Count > 0)
            extensions.Add(new CertificateAuthoritiesExtension([.. options.TrustedIssuers.Select(c => c.SubjectName.RawData)]));
        byte[] request = new CertificateRequest { Context = context, Extensions = extensions }.Encode();
        var transcript = keys.Transcript.Clone();
        transcript.Add(request);
        connection.SendHandshake(request);
        return new ServerExchange(context, transcript);
    }

    /// <summary>The server's side of one exchange: Certificate, CertificateVerify, Finished.</summary>
    internal sealed class ServerExchange(byte[] context, Transcript transcript) : IDisposable
    {
        private X509Certificate2? _leaf;
        private bool _certificateSeen, _verified;

        /// <summary>Handles one message; true when the exchange is complete.</summary>
        public bool Handle(TlsConnection connection, Tls13Keys keys, TlsServerPolicy options, HandshakeType type, ReadOnlyMemory<byte> message)
        {
            if (!_certificateSeen)
            {
                if (type != HandshakeType.Certificate) throw Unexpected(type, "Certificate (post-handshake authentication)");
                var certificate = HandshakeMessage.Decode<CertificateMessage>(message, MessageContext.Tls13);
                if (certificate.RequestContext is null || !certificate.RequestContext.AsSpan().SequenceEqual(context))
                    throw TlsProtocolException.Illegal("certificate_request_context does not match the CertificateRequest");
                transcript.Add(message.Span);
                _certificateSeen = true;
                if (certificate.Entries.Count == 0)
                {
                    if (options.ClientCertificateMode == ClientCertificateMode.Required)
                        throw new TlsProtocolException(AlertDescription.CertificateRequired, "post-handshake authentication: the client sent no certificate");
                    _verified = true;
                    return false;
                }
                var chain = PeerChain.Parse(certificate.Entries, "the client's");
                var result = CertificateVerifier.Verify(chain, null, options.TrustedIssuerCollection, serverAuth: false, options.ClientCertificateRevocation, connection.Time, options.ClientCertificateUsageCheck);
                connection.Info.CertificateVerification = "post-handshake: " + result;
                if (!result.Ok)
                    throw new TlsProtocolException(result.Alert, "post-handshake client certificate rejected: " + string.Join("; ", result.Reasons));
                connection.Info.PeerCertificates = chain;
                connection.Info.ClientCertificateVerdict = new ClientCertificateVerdict(ClientCertificateStatus.Verified, result.Reasons, options.ClientAuthFingerprint);
                _leaf = chain.Handshake[0];
                return false;
            }
            if (!_verified)
            {
                if (type != HandshakeType.CertificateVerify) throw Unexpected(type, "CertificateVerify (post-handshake authentication)");
                var verify = HandshakeMessage.Decode<CertificateVerify>(message, MessageContext.Tls13);
                byte[] content = TlsSignatures.Tls13SignedContent(server: false, transcript.GetCurrentHash());
                if (!Defaults.SignaturesOf(options).Contains(verify.Scheme!.Value)
                    || !TlsSignatures.Verify(verify.Scheme.Value, _leaf!, content, verify.Signature, tls13: true))
                    throw new TlsProtocolException(AlertDescription.DecryptError, "post-handshake CertificateVerify does not verify");
                transcript.Add(message.Span);
                _verified = true;
                return false;
            }
            if (type != HandshakeType.Finished) throw Unexpected(type, "Finished (post-handshake authentication)");
            var finished = HandshakeMessage.Decode<Finished>(message, MessageContext.Tls13 with { VerifyDataLength = transcript.HashLength });
            if (!Tls13KeySchedule.VerifyFinished(keys.Hash, keys.ClientApplicationSecret!, transcript.GetCurrentHash(), finished.VerifyData))
                throw new TlsProtocolException(AlertDescription.DecryptError, "post-handshake Finished does not verify");
            _leaf = null;
            connection.Info.ReleaseParsedCertificates(); // idle again: the chain as DER only
            return true;
        }

        public void Dispose() => transcript.Dispose();
    }

    /// <summary>Client: answers a post-handshake CertificateRequest.</summary>
    public static void Answer(TlsConnection connection, Tls13Keys keys, TlsClientOptions options, ReadOnlyMemory<byte> message)
    {
        var request = HandshakeMessage.Decode<CertificateRequest>(message, MessageContext.Tls13);
        if (request.Context is not { Length: > 0 })
            throw TlsProtocolException.Illegal("a post-handshake CertificateRequest needs a non-empty context");
        var accepted = request.Extensions.Find<SignatureAlgorithmsExtension>()?.Schemes
            ?? throw new TlsProtocolException(AlertDescription.MissingExtension, "CertificateRequest without signature_algorithms");
        using var transcript = keys.Transcript.Clone();
        transcript.Add(message.Span);

        var ours = options.ClientCertificate;
        var scheme = ours?.TlsSignatureScheme(Defaults.SignaturesOf(options), accepted);
        var entries = ours is not null && scheme is not null ? ours.Entries() : [];
        Send(connection, transcript, new CertificateMessage { RequestContext = request.Context, Entries = entries });
        if (entries.Count > 0)
        {
            byte[] content = TlsSignatures.Tls13SignedContent(server: false, transcript.GetCurrentHash());
            Send(connection, transcript, new CertificateVerify { Scheme = scheme, Signature = ours!.Sign(connection.Crypto, scheme!.Value, content) });
        }
        Send(connection, transcript, new Finished
        {
            VerifyData = Tls13KeySchedule.FinishedVerifyData(keys.Hash, keys.ClientApplicationSecret!, transcript.GetCurrentHash()),
        });
    }

    private static void Send(TlsConnection connection, Transcript transcript, HandshakeMessage message)
    {
        byte[] bytes = message.Encode();
        transcript.Add(bytes);
        connection.SendHandshake(bytes);
    }

    private static TlsProtocolException Unexpected(HandshakeType got, string expected)
        => new(AlertDescription.UnexpectedMessage, $"received {got} while expecting {expected}");
}
