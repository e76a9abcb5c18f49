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
        var scheme = ske.SignatureScheme!.Value;
        if (!context.Template.SignatureSchemes.Contains(scheme))
            throw TlsProtocolException.Illegal($"the server signed with {SignatureSchemes.Name(scheme)}, which we did not offer");
        if (!TlsSignatures.Verify(scheme, leaf, secrets.SignedParams(ske.EncodeParams()), ske.Signature))
            throw new TlsProtocolException(AlertDescription.DecryptError, $"the ServerKeyExchange signature ({SignatureSchemes.Name(scheme)}) does not verify with the server certificate's key");
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
