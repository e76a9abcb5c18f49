using SharpTls.Crypto;
using SharpTls.Handshake.Tls12;
using SharpTls.Handshake.Tls12.KeyExchange;
using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Wire;

namespace SharpTls.Handshake.Server.Tls12;

/// <summary>What the server chose for a full TLS 1.2 handshake: suite, certificate, signature scheme (none for RSA key transport) and group.</summary>
internal sealed record Tls12Choice(CipherSuiteInfo Suite, ServerCertificate Certificate, SignatureScheme? Scheme, NamedGroup Group)
{
    /// <summary>The key-exchange strategy for this choice, ready for the server's side.</summary>
    public ITls12KeyExchange CreateKeyExchange(ICryptoProvider crypto, ushort clientHelloVersion, ProtocolVersion version)
        => MessageContext.KindOf(Suite.KeyExchange) switch
        {
            KeyExchangeKind.Ecdhe => EcdheKeyExchange.ForServer(crypto, Group),
            KeyExchangeKind.Dhe => DheKeyExchange.ForServer(crypto, Group),
            _ => new RsaKeyTransport(crypto, Certificate.Certificate, clientHelloVersion, version == ProtocolVersion.Ssl3),
        };
}

/// <summary>
/// The server's TLS 1.0-1.2 choice of suite, certificate, signature scheme and key-exchange group
/// (RFC 5246 §7.4.1.3, RFC 8422 §5.1, RFC 7919 §4): our suites in our order, the first the client
/// offers that one of our certificates can serve and whose key exchange has a group in common.
/// </summary>
internal static class Tls12Negotiation
{
    /// <summary>RFC 5246 §7.4.1.4.1: a client without signature_algorithms accepts SHA-1 with its suite's key.</summary>
    private static readonly SignatureScheme[] DefaultAccepted = [SignatureScheme.RsaPkcs1Sha1, SignatureScheme.EcdsaSha1, SignatureScheme.DsaSha1];

    public static Tls12Choice Choose(TlsConnection connection, TlsServerPolicy options, ClientHello hello, ProtocolVersion version,
        IReadOnlyList<CipherSuite> enabled)
    {
        IReadOnlyList<SignatureScheme> accepted = hello.Extensions.Find<SignatureAlgorithmsExtension>()?.Schemes ?? DefaultAccepted;
        var preference = Defaults.SignaturesOf(options).Concat(Defaults.CertificateSignatures).Concat(DefaultAccepted).Distinct().ToList();
        var clientGroups = hello.Extensions.Find<SupportedGroupsExtension>()?.Groups;
        var ecdheGroup = ChooseEcdheGroup(connection, options, clientGroups);
        var dheGroup = ChooseDheGroup(connection, options, clientGroups);
        foreach (var candidate in enabled)
        {
            if (!hello.CipherSuites.Contains((ushort)candidate) || !Tls12Suites.AllowedIn(candidate, version)) continue;
            var info = CipherSuites.Info(candidate);
            var kind = MessageContext.KindOf(info.KeyExchange);
            NamedGroup group = kind switch { KeyExchangeKind.Ecdhe => ecdheGroup, KeyExchangeKind.Dhe => dheGroup, _ => 0 };
            if (kind != KeyExchangeKind.Rsa && group == 0) continue;
            bool ecdsa = info.KeyExchange == CipherSuiteKeyExchange.EcdheEcdsa;
            bool Fits(ServerCertificate c)
            {
                var key = TlsSignatures.KeyKind(c.Certificate);
                if (info.KeyExchange == CipherSuiteKeyExchange.DheDss) return key == SignatureKeyKind.Dsa;
                // Before TLS 1.2 an RSA signature is PKCS#1 over MD5+SHA-1: an RSA-PSS key cannot make it.
                if (version < ProtocolVersion.Tls12 && key == SignatureKeyKind.RsaPss) return false;
                if (ecdsa)
                    // RFC 8422 §5.1: in TLS 1.2 supported_groups also names the curves the client accepts in ECDSA certificates.
                    return key == SignatureKeyKind.Ecdsa && (clientGroups is null || CurveOf(c) is not { } curve || clientGroups.Contains(curve));
                // RSA key transport needs an rsaEncryption key; RSA signatures may also come from an RSA-PSS key.
                return kind == KeyExchangeKind.Rsa ? key == SignatureKeyKind.Rsa : key is SignatureKeyKind.Rsa or SignatureKeyKind.RsaPss;
            }
            if (kind == KeyExchangeKind.Rsa)
            {
                if (options.Certificates.FirstOrDefault(Fits) is { } rsa) return new Tls12Choice(info, rsa, null, 0);
                continue;
            }
            // Before TLS 1.2 the signature's hash is fixed (MD5+SHA-1 for RSA, SHA-1 for ECDSA and DSA): any scheme of the key kind will do.
            var schemes = version >= ProtocolVersion.Tls12 ? accepted : DefaultAccepted;
            if (ServerChoices.ChooseCertificate(options.Certificates, Fits, preference, schemes, tls13: false) is { } chosen)
                return new Tls12Choice(info, chosen.Certificate, chosen.Scheme, group);
        }
        string offered = string.Join(", ", hello.CipherSuites.Where(s => !Grease.IsGrease(s)).Select(s => CipherSuites.Name(s)));
        throw new TlsProtocolException(AlertDescription.HandshakeFailure,
            $"{Diagnostics.TlsFailure.NoCipherSuiteInCommon} at {ProtocolVersions.Name((ushort)version)} that our certificates can serve: the client offers {offered}");
    }

    private static NamedGroup? CurveOf(ServerCertificate certificate)
        => TlsSignatures.SchemesFor(certificate.Certificate, tls13: true) switch
        {
            [SignatureScheme.EcdsaSecp256r1Sha256] => NamedGroup.Secp256r1,
            [SignatureScheme.EcdsaSecp384r1Sha384] => NamedGroup.Secp384r1,
            [SignatureScheme.EcdsaSecp521r1Sha512] => NamedGroup.Secp521r1,
            _ => null,
        };

    /// <summary>Our first ECDHE group the client supports (RFC 8422 §4: none listed means secp256r1); 0 when none.</summary>
    private static NamedGroup ChooseEcdheGroup(TlsConnection connection, TlsServerPolicy options, IReadOnlyList<NamedGroup>? clientGroups)
    {
        IReadOnlyList<NamedGroup> theirs = clientGroups ?? [NamedGroup.Secp256r1];
        foreach (var group in Defaults.GroupsOf(options))
            if (EcdheKeyExchange.Groups.Contains(group) && connection.Crypto.SupportsGroup(group) && theirs.Contains(group)) return group;
        return 0;
    }

    /// <summary>
    /// RFC 7919 §4: a client that lists FFDHE groups gets one of them or no DHE suite; a client that lists
    /// none gets ffdhe2048 (its parameters are sent explicitly, so any DHE client can use them).
    /// </summary>
    private static NamedGroup ChooseDheGroup(TlsConnection connection, TlsServerPolicy options, IReadOnlyList<NamedGroup>? clientGroups)
    {
        var theirs = clientGroups?.Where(g => (ushort)g is >= 0x0100 and <= 0x01FF).ToList() ?? [];
        if (theirs.Count == 0) return connection.Crypto.SupportsGroup(NamedGroup.Ffdhe2048) ? NamedGroup.Ffdhe2048 : 0;
        // The default groups are ECDHE ones: DHE uses the RFC 7919 groups unless the policy names its groups.
        var ours = ((INegotiationSettings)options).ConfiguredGroups is { } configured ? configured.Where(DheKeyExchange.Groups.Contains) : DheKeyExchange.Groups;
        foreach (var group in ours)
            if (theirs.Contains(group) && connection.Crypto.SupportsGroup(group)) return group;
        return 0;
    }

    /// <summary>RFC 5746 §3.6: on an initial handshake renegotiation_info must be empty; it or the SCSV marks a secure client.
    /// §3.7: in a renegotiation (<paramref name="previous"/> is the session in force) no SCSV, and renegotiation_info
    /// carrying the client's last verify_data.</summary>
    public static bool CheckRenegotiationInfo(ClientHello hello, TlsSession? previous)
    {
        if (previous is not null)
        {
            if (hello.CipherSuites.Contains((ushort)CipherSuite.TLS_EMPTY_RENEGOTIATION_INFO_SCSV))
                throw new TlsProtocolException(AlertDescription.HandshakeFailure, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV in a renegotiating ClientHello (RFC 5746 §3.7)");
            var info = hello.Extensions.Find<RenegotiationInfoExtension>()
                ?? throw new TlsProtocolException(AlertDescription.HandshakeFailure, "the renegotiating ClientHello carries no renegotiation_info (RFC 5746 §3.7)");
            SharpTls.Handshake.Tls12.Renegotiation.CheckRenegotiatedConnection(info.RenegotiatedConnection, previous.ClientVerifyData, "ClientHello");
            return true;
        }
        if (hello.Extensions.Find<RenegotiationInfoExtension>() is { } ri)
        {
            if (ri.RenegotiatedConnection.Length != 0)
                throw new TlsProtocolException(AlertDescription.HandshakeFailure, "renegotiation_info is not empty on an initial handshake (RFC 5746 §3.6)");
            return true;
        }
        return hello.CipherSuites.Contains((ushort)CipherSuite.TLS_EMPTY_RENEGOTIATION_INFO_SCSV);
    }
}
