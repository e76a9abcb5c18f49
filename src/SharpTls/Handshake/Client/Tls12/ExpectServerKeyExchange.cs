using System.Security.Cryptography.X509Certificates;
using SharpTls.Crypto;
using SharpTls.Handshake.Tls12;
using SharpTls.Messages;
using SharpTls.Wire;

namespace SharpTls.Handshake.Client.Tls12;

/// <summary>
/// The server's ECDHE parameters (RFC 8422 §5.4): a group we offered, signed with a scheme we offered,
/// the signature checked with the certificate's key over client_random + server_random + params.
/// We answer the share at once (our point and the pre-master secret).
/// </summary>
internal sealed class ExpectServerKeyExchange(Tls12Keys keys, HelloTemplate template, X509Certificate2 leaf) : HandshakeState, IDisposable
{
    public override HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message)
    {
        if (type != HandshakeType.ServerKeyExchange) throw Unexpected(type, "ServerKeyExchange");
        var ske = HandshakeMessage.Decode<ServerKeyExchange>(message, MessageContext.Negotiated(ProtocolVersion.Tls12, (ushort)keys.Suite.Suite));
        if (!template.Groups.Contains(ske.Group) || !Tls12Keys.Groups.Contains(ske.Group))
            throw TlsProtocolException.Illegal($"ServerKeyExchange uses {NamedGroups.Name(ske.Group)}, which we did not offer");
        var scheme = ske.SignatureScheme!.Value;
        if (!template.SignatureSchemes.Contains(scheme))
            throw TlsProtocolException.Illegal($"the server signed with {SignatureSchemes.Name(scheme)}, which we did not offer");
        if (!TlsSignatures.Verify(scheme, leaf, keys.SignedParams(ske.EncodeParams()), ske.Signature))
            throw new TlsProtocolException(AlertDescription.DecryptError, $"the ServerKeyExchange signature ({SignatureSchemes.Name(scheme)}) does not verify with the server certificate's key");
        connection.Info.SignatureScheme = scheme;
        connection.Info.Group = ske.Group;
        var response = connection.Crypto.RespondKeyShare(ske.Group, ske.PublicKey);
        keys.Transcript.Add(message.Span);
        return new ExpectServerHelloDone(keys, response);
    }

    public void Dispose() => keys.Dispose();
}
