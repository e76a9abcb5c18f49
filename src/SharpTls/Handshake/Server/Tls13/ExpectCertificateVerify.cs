using System.Security.Cryptography.X509Certificates;
using SharpTls.Crypto;
using SharpTls.Messages;
using SharpTls.Wire;

namespace SharpTls.Handshake.Server.Tls13;

/// <summary>The client's CertificateVerify: proof it holds the certificate's key (RFC 8446 §4.4.3).</summary>
internal sealed class ExpectCertificateVerify(PendingClientFlight flight, X509Certificate2 leaf) : HandshakeState
{
    public override HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message)
    {
        if (type != HandshakeType.CertificateVerify) throw Unexpected(type, "the client's CertificateVerify");
        var verify = HandshakeMessage.Decode<CertificateVerify>(message, MessageContext.Tls13);
        var scheme = verify.Scheme!.Value;
        if (!Defaults.SignaturesOf(flight.Options).Contains(scheme))
            throw TlsProtocolException.Illegal($"CertificateVerify uses {SignatureSchemes.Name(scheme)}, which the CertificateRequest did not offer");
        byte[] content = TlsSignatures.Tls13SignedContent(server: false, flight.Keys.Transcript.GetCurrentHash());
        if (!TlsSignatures.Verify((SignatureScheme)scheme, leaf, content, verify.Signature, tls13: true))
            throw new TlsProtocolException(AlertDescription.DecryptError, $"the client's CertificateVerify signature ({SignatureSchemes.Name(scheme)}) does not verify");
        flight.Keys.Transcript.Add(message.Span);
        return new ExpectFinished(flight);
    }
}
