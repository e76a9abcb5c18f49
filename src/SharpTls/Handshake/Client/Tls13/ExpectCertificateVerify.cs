using System.Security.Cryptography.X509Certificates;
using SharpTls.Crypto;
using SharpTls.Messages;
using SharpTls.Wire;

namespace SharpTls.Handshake.Client.Tls13;

/// <summary>The server's CertificateVerify: a signature over the transcript with the certificate's key.</summary>
internal sealed class ExpectCertificateVerify(ClientFlight flight, X509Certificate2 leaf) : HandshakeState
{
    public override HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message)
    {
        if (type != HandshakeType.CertificateVerify) throw Unexpected(type, "CertificateVerify");
        var verify = HandshakeMessage.Decode<CertificateVerify>(message, MessageContext.Tls13);
        var scheme = verify.Scheme!.Value;
        if (!flight.Template.SignatureSchemes.Contains(scheme) || !TlsSignatures.IsAllowedInTls13(scheme))
            throw TlsProtocolException.Illegal($"the server signed with {SignatureSchemes.Name(scheme)}, which we did not offer for TLS 1.3");
        byte[] content = TlsSignatures.Tls13SignedContent(server: true, flight.Keys.Transcript.GetCurrentHash());
        if (!TlsSignatures.Verify((SignatureScheme)scheme, leaf, content, verify.Signature, tls13: true))
            throw new TlsProtocolException(AlertDescription.DecryptError, $"the server's CertificateVerify ({SignatureSchemes.Name(scheme)}) does not verify with its certificate's key");
        connection.Info.SignatureScheme = scheme;
        flight.Add(message);
        return new ExpectFinished(flight);
    }
}
