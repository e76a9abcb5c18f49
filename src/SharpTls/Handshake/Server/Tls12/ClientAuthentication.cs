using System.Security.Cryptography.X509Certificates;
using SharpTls.Certificates;
using SharpTls.Crypto;
using SharpTls.Handshake.Tls12;
using SharpTls.Handshake.Tls12.KeyExchange;
using SharpTls.Messages;
using SharpTls.Wire;

namespace SharpTls.Handshake.Server.Tls12;

/// <summary>
/// TLS 1.2 client authentication on the server (RFC 5246 §7.4.4, §7.4.6, §7.4.8): the CertificateRequest
/// (certificate types, the signature schemes we verify, the distinguished names of the trusted issuers),
/// the client's Certificate judged as on the TLS 1.3 side, and its CertificateVerify over the handshake messages.
/// </summary>
internal static class ClientAuthentication
{
    /// <summary>The schemes we accept in a TLS 1.2 CertificateVerify: the configured (or default) ones, then PKCS#1.</summary>
    public static IReadOnlyList<SignatureScheme> Schemes(TlsServerPolicy options)
        => [.. Defaults.SignaturesOf(options).Where(s => s != SignatureScheme.Ed25519).Concat(
            [SignatureScheme.RsaPkcs1Sha256, SignatureScheme.RsaPkcs1Sha384, SignatureScheme.RsaPkcs1Sha512]).Distinct()];

    /// <summary>
    /// The CertificateRequest of <paramref name="version"/>: TLS 1.2 lists the schemes we verify; before TLS 1.2 there is no such
    /// list (the hash is fixed by the key), and DSA client certificates are asked for too (RFC 4346 §7.4.4).
    /// </summary>
    public static Messages.CertificateRequest Request(TlsServerPolicy options, ProtocolVersion version) => new()
    {
        CertificateTypes = version >= ProtocolVersion.Tls12
            ? [ClientCertificateType.RsaSign, ClientCertificateType.EcdsaSign]
            : [ClientCertificateType.RsaSign, ClientCertificateType.DssSign, ClientCertificateType.EcdsaSign],
        SignatureAlgorithms = version >= ProtocolVersion.Tls12 ? Schemes(options) : null,
        CertificateAuthorities = [.. options.TrustedIssuers.Select(c => c.SubjectName.RawData)],
    };

    /// <summary>
    /// The 36-byte MD5 || SHA-1 value a legacy CertificateVerify signs: of the handshake messages so far (TLS 1.0/1.1,
    /// RFC 4346 §7.4.8), or SSL 3.0's hash of them with the master secret (RFC 6101 §5.6.8).
    /// </summary>
    public static byte[] LegacyCertificateVerifyHash(Tls12Secrets secrets)
        => secrets.Version == ProtocolVersion.Ssl3
            ? KeySchedule.Ssl3KeyDerivation.CertificateVerifyHash(secrets.Transcript, secrets.MasterSecret!)
            : secrets.Transcript.GetCurrentHash();
}

/// <summary>The client's Certificate after our CertificateRequest; an empty one is refused when a certificate is required.</summary>
internal sealed class ExpectCertificate(Tls12ServerContext context, Tls12Secrets secrets, ITls12KeyExchange exchange) : HandshakeState, IDisposable
{
    public override HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message)
    {
        var options = context.Options;
        // SSL 3.0 (RFC 6101 §5.6.6): a client without a certificate sends a no_certificate warning alert instead of a Certificate.
        bool ssl3WithoutCertificate = type == HandshakeType.ClientKeyExchange && secrets.Version == ProtocolVersion.Ssl3;
        if (type != HandshakeType.Certificate && !ssl3WithoutCertificate) throw Unexpected(type, "the client's Certificate");
        var certificate = ssl3WithoutCertificate ? null : HandshakeMessage.Decode<CertificateMessage>(message, MessageContext.Negotiated(secrets.Version, (ushort)secrets.Suite.Suite));
        if (certificate is not null) secrets.Transcript.Add(message.Span);
        if (certificate is null || certificate.Entries.Count == 0)
        {
            // RFC 5246 §7.4.6: a server that requires a certificate answers an empty one with handshake_failure.
            if (options.ClientCertificateMode == ClientCertificateMode.Required)
                throw new TlsProtocolException(AlertDescription.HandshakeFailure, "the client sent no certificate and this binding requires one");
            connection.Info.CertificateVerification = "no client certificate (optional)";
            connection.Info.ClientCertificateVerdict = new ClientCertificateVerdict(ClientCertificateStatus.None, ClientCertificateVerdict.NoCertificateReasons, options.ClientAuthFingerprint);
            secrets.Transcript.DropMessages();
            var next = new ExpectClientKeyExchange(context, secrets, exchange, clientCertificate: null);
            return ssl3WithoutCertificate ? next.Handle(connection, type, message) : next;
        }
        var chain = PeerChain.Parse(certificate.Entries, "the client's");
        connection.Info.PeerCertificates = chain;
        var result = CertificateVerifier.Verify(chain, expectedHost: null, options.TrustedIssuerCollection, serverAuth: false,
            options.ClientCertificateRevocation, connection.Time, options.ClientCertificateUsageCheck);
        connection.Info.SetCertificateVerification(result);
        if (!result.Ok && (options.ClientCertificateMode == ClientCertificateMode.Required || options.TrustedIssuers.Count > 0))
            throw new TlsProtocolException(result.Alert, "client certificate rejected: " + string.Join("; ", result.Reasons));
        connection.Info.ClientCertificateVerdict = new ClientCertificateVerdict(
            result.Ok ? ClientCertificateStatus.Verified : ClientCertificateStatus.NotVerified, result.Reasons, options.ClientAuthFingerprint);
        return new ExpectClientKeyExchange(context, secrets, exchange, chain.Handshake[0]);
    }

    public void Dispose()
    {
        exchange.Dispose();
        secrets.Dispose();
    }
}

/// <summary>The client's CertificateVerify (RFC 5246 §7.4.8): its signature over every handshake message so far, with a scheme we requested.</summary>
internal sealed class ExpectCertificateVerify(Tls12ServerContext context, Tls12Secrets secrets, X509Certificate2 leaf) : HandshakeState, IDisposable
{
    public override HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message)
    {
        if (type != HandshakeType.CertificateVerify) throw Unexpected(type, "the client's CertificateVerify");
        var verify = HandshakeMessage.Decode<CertificateVerify>(message, MessageContext.Negotiated(secrets.Version, (ushort)secrets.Suite.Suite));
        if (secrets.Version < ProtocolVersion.Tls12)
        {
            if (!LegacySignatures.Verify(leaf, ClientAuthentication.LegacyCertificateVerifyHash(secrets), verify.Signature))
                throw new TlsProtocolException(AlertDescription.DecryptError, $"the client's {ProtocolVersions.Name(secrets.Version)} CertificateVerify signature does not verify");
            secrets.Transcript.Add(message.Span);
            return new ExpectChangeCipherSpec(context, secrets, HandshakeType.CertificateVerify);
        }
        var scheme = verify.Scheme!.Value;
        if (!ClientAuthentication.Schemes(context.Options).Contains(scheme))
            throw TlsProtocolException.Illegal($"CertificateVerify uses {SignatureSchemes.Name(scheme)}, which the CertificateRequest did not offer");
        if (!TlsSignatures.Verify(scheme, leaf, secrets.Transcript.Messages, verify.Signature))
            throw new TlsProtocolException(AlertDescription.DecryptError, $"the client's CertificateVerify signature ({SignatureSchemes.Name(scheme)}) does not verify");
        secrets.Transcript.Add(message.Span);
        secrets.Transcript.DropMessages();
        return new ExpectChangeCipherSpec(context, secrets, HandshakeType.CertificateVerify);
    }

    public void Dispose() => secrets.Dispose();
}
