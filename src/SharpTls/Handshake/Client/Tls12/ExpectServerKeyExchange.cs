using System.Security.Cryptography.X509Certificates;
using SharpTls.Crypto;
using SharpTls.Handshake.Tls12;
using SharpTls.Handshake.Tls12.KeyExchange;
using SharpTls.Messages;
using SharpTls.Wire;

namespace SharpTls.Handshake.Client.Tls12;

/// <summary>
/// The server's key-exchange parameters (RFC 5246 §7.4.3, RFC 8422 §5.4), signed with a scheme we
/// offered over client_random + server_random + params and checked with the certificate's key; the
/// key exchange then checks the parameters themselves (a group we offered, a DHE prime big and safe enough).
/// </summary>
internal sealed class ExpectServerKeyExchange(Tls12ClientContext context, Tls12Secrets secrets, ITls12KeyExchange exchange, X509Certificate2 leaf)
    : HandshakeState, IDisposable
{
    public override HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message)
    {
        if (type != HandshakeType.ServerKeyExchange) throw Unexpected(type, "ServerKeyExchange");
        var ske = HandshakeMessage.Decode<ServerKeyExchange>(message, new MessageContext(secrets.Version, exchange.Kind));
        SignatureScheme? scheme;
        if (secrets.Version < ProtocolVersion.Tls12)
        {
            // No signature_algorithms before TLS 1.2: the certificate's key fixes the signature (MD5+SHA-1 RSA, SHA-1 DSA/ECDSA).
            scheme = LegacySignatures.SchemeFor(TlsSignatures.KeyKind(leaf));
            if (!LegacySignatures.Verify(leaf, LegacySignatures.Md5Sha1(secrets.SignedParams(ske.EncodeParams())), ske.Signature))
                throw new TlsProtocolException(AlertDescription.DecryptError, $"the {ProtocolVersions.Name(secrets.Version)} ServerKeyExchange signature does not verify with the server certificate's key");
        }
        else
        {
            scheme = ske.SignatureScheme!.Value;
            if (!context.Template.SignatureSchemes.Contains(scheme.Value))
                throw TlsProtocolException.Illegal($"the server signed with {SignatureSchemes.Name(scheme.Value)}, which we did not offer");
            if (!TlsSignatures.Verify(scheme.Value, leaf, secrets.SignedParams(ske.EncodeParams()), ske.Signature))
                throw new TlsProtocolException(AlertDescription.DecryptError, $"the ServerKeyExchange signature ({SignatureSchemes.Name(scheme.Value)}) does not verify with the server certificate's key");
        }
        exchange.ClientParams(ske);
        connection.Info.SignatureScheme = scheme;
        connection.Info.Group = exchange switch
        {
            EcdheKeyExchange e => e.Group,
            DheKeyExchange { Group: not 0 } d => d.Group,
            _ => null,
        };
        secrets.Transcript.Add(message.Span);
        return new ExpectServerHelloDone(context, secrets, exchange);
    }

    public void Dispose()
    {
        exchange.Dispose();
        secrets.Dispose();
    }
}
