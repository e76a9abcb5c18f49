using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SharpTls.Certificates;
using SharpTls.Handshake.Tls13;
using SharpTls.Messages;
using SharpTls.Wire;
using CertificateRequest = SharpTls.Messages.CertificateRequest;

namespace SharpTls.Handshake.Client.Tls13;

/// <summary>CertificateRequest (optional) then the server's Certificate, verified as seed 004 describes.</summary>
internal sealed class ExpectCertificate(ClientFlight flight) : HandshakeState
{
    public override HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message)
    {
        if (type == HandshakeType.CertificateRequest && flight.CertificateRequest is null)
        {
            var request = HandshakeMessage.Decode<CertificateRequest>(message, MessageContext.Tls13);
            if (request.Context is not { Length: 0 })
                throw TlsProtocolException.Illegal("certificate_request_context must be empty in the handshake");
            if (request.Extensions.Find<Messages.Extensions.SignatureAlgorithmsExtension>() is null)
                throw new TlsProtocolException(AlertDescription.MissingExtension, "CertificateRequest without signature_algorithms");
            flight.CertificateRequest = request;
            flight.Add(message);
            return this;
        }
        if (type is not (HandshakeType.Certificate or HandshakeType.CompressedCertificate))
            throw Unexpected(type, flight.CertificateRequest is null ? "CertificateRequest or Certificate" : "Certificate");
        var (certificate, compression) = CertificateCompression.Receive(type, message, flight.Options.CertificateCompression);
        connection.Info.ServerCertificateCompression = compression is { } algorithm ? SmallRegistryNames.Name(algorithm) : null;
        if (certificate.RequestContext is not { Length: 0 })
            throw TlsProtocolException.Illegal("the server's certificate_request_context must be empty");
        if (certificate.Entries.Count == 0)
            throw TlsProtocolException.Decode("the server sent an empty certificate_list");
        // RFC 8446 §4.4.2: a CertificateEntry carries only extensions our ClientHello offered; status_request in the
        // leaf's is its stapled OCSP response (§4.4.2.1).
        foreach (var entry in certificate.Entries)
            HelloTemplate.CheckSolicited(entry.Extensions, flight.Hello, "the server's CertificateEntry");
        if (certificate.Entries[0].Extensions.Find<Messages.Extensions.StatusRequestExtension>() is { OcspResponse: { } ocsp })
            connection.Info.OcspResponse = CheckStapledResponse(ocsp);
        var chain = VerifyServerChain(connection, flight.Options, certificate.Entries);
        flight.Add(message);
        return new ExpectCertificateVerify(flight, chain[0]);
    }

    /// <summary>A stapled OCSP response within <see cref="IOcspResponseSource.MaxResponseLength"/> (TLS 1.2 and 1.3 alike).</summary>
    internal static byte[] CheckStapledResponse(byte[] ocsp)
        => ocsp.Length <= IOcspResponseSource.MaxResponseLength ? ocsp
            : throw new TlsProtocolException(AlertDescription.BadCertificateStatusResponse,
                $"the stapled OCSP response is {ocsp.Length} bytes; at most {IOcspResponseSource.MaxResponseLength} are accepted");

    /// <summary>Parses and verifies the server's chain (TLS 1.2 and 1.3 alike) and records it in the connection info. Returns the
    /// handshake's parsed chain: valid until the handshake completes, when it is disposed (<see cref="Certificates.PeerCertificateList"/>).</summary>
    internal static IReadOnlyList<X509Certificate2> VerifyServerChain(TlsConnection connection, TlsClientOptions options, IReadOnlyList<CertificateEntry> entries)
    {
        var chain = PeerChain.Parse(entries, "the server's");
        connection.Info.PeerCertificates = chain;
        if (options.SkipCertificateVerification)
        {
            connection.Info.CertificateVerification = "SKIPPED (verification disabled by the client options)";
        }
        else
        {
            var result = CertificateVerifier.Verify(chain, options.TargetHost, options.TrustedRoots, serverAuth: true, options.RevocationMode, connection.Time);
            connection.Info.SetCertificateVerification(result);
            if (!result.Ok)
                throw new TlsProtocolException(result.Alert, "server certificate rejected: " + string.Join("; ", result.Reasons));
        }
        return chain.Handshake;
    }
}
