using System.Security.Cryptography.X509Certificates;
using SharpTls.Certificates;
using SharpTls.Handshake.Tls13;
using SharpTls.Messages;
using SharpTls.Wire;

namespace SharpTls.Handshake.Server.Tls13;

/// <summary>The client's Certificate, after our CertificateRequest (RFC 8446 §4.4.2).</summary>
internal sealed class ExpectCertificate(PendingClientFlight flight) : HandshakeState
{
    public override HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message)
    {
        if (type is not (HandshakeType.Certificate or HandshakeType.CompressedCertificate)) throw Unexpected(type, "the client's Certificate");
        // Our CertificateRequest offered compress_certificate when the policy has it on (RFC 8879 §3).
        var (certificate, _) = CertificateCompression.Receive(type, message, flight.Options.CertificateCompression);
        if (certificate.RequestContext is not { Length: 0 })
            throw TlsProtocolException.Illegal("certificate_request_context must be empty in the handshake");
        flight.Keys.Transcript.Add(message.Span);

        if (certificate.Entries.Count == 0)
        {
            if (flight.Options.ClientCertificateMode == ClientCertificateMode.Required)
                throw new TlsProtocolException(AlertDescription.CertificateRequired, "the client sent no certificate and this binding requires one");
            connection.Info.ClientCertificateVerdict = new ClientCertificateVerdict(ClientCertificateStatus.None, ClientCertificateVerdict.NoCertificateReasons, flight.Options.ClientAuthFingerprint);
            connection.Info.CertificateVerification = "no client certificate (optional)";
            return new ExpectFinished(flight);
        }

        var chain = PeerChain.Parse(certificate.Entries, "the client's");
        connection.Info.PeerCertificates = chain;
        var result = CertificateVerifier.Verify(chain, expectedHost: null, flight.Options.TrustedIssuerCollection, serverAuth: false,
            flight.Options.ClientCertificateRevocation, connection.Time, flight.Options.ClientCertificateUsageCheck);
        connection.Info.SetCertificateVerification(result);
        if (!result.Ok)
        {
            if (flight.Options.ClientCertificateMode == ClientCertificateMode.Required || flight.Options.TrustedIssuers.Count > 0)
                throw new TlsProtocolException(result.Alert, "client certificate rejected: " + string.Join("; ", result.Reasons));
        }
        connection.Info.ClientCertificateVerdict = new ClientCertificateVerdict(
            result.Ok ? ClientCertificateStatus.Verified : ClientCertificateStatus.NotVerified, result.Reasons, flight.Options.ClientAuthFingerprint);
        return new ExpectCertificateVerify(flight, chain.Handshake[0]);
    }
}
