using System.Text;
using SharpTls.Crypto;
using SharpTls.Handshake.Tls12;
using SharpTls.KeySchedule;
using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Wire;

namespace SharpTls.Handshake.Server.Tls12;

/// <summary>
/// The server's answer to a TLS 1.2 ClientHello (RFC 5246 §7.3, RFC 8422 §5): choose an ECDHE AEAD
/// suite, certificate, group and signature scheme, then send ServerHello, Certificate,
/// ServerKeyExchange and ServerHelloDone in one flight. No session resumption (no session id, no
/// tickets) and no client certificates in this version.
/// </summary>
internal static class ServerHelloFlight
{
    /// <summary>RFC 8446 §4.1.3: the last 8 bytes of a TLS 1.2 ServerHello.random from a server that also speaks TLS 1.3.</summary>
    private static ReadOnlySpan<byte> DowngradeTls12 => "DOWNGRD\u0001"u8;

    public static HandshakeState Start(TlsConnection connection, TlsServerPolicy options, ClientHello hello)
    {
        if (!hello.CompressionMethods.Contains(CompressionMethod.Null))
            throw TlsProtocolException.Illegal("compression_methods: the client does not offer the null method");
        if (options.ClientCertificateMode == ClientCertificateMode.Required)
            throw new TlsProtocolException(AlertDescription.HandshakeFailure,
                "this binding requires a client certificate, which is implemented for TLS 1.3 only");
        bool secureRenegotiation = CheckRenegotiationInfo(hello);
        bool ems = options.ExtendedMasterSecret && hello.Extensions.Find<ExtendedMasterSecretExtension>() is not null;
        var pointFormats = hello.Extensions.Find<EcPointFormatsExtension>();
        if (pointFormats is not null && !pointFormats.Formats.Contains(EcPointFormat.Uncompressed))
            throw TlsProtocolException.Illegal("ec_point_formats does not list uncompressed (RFC 8422 §5.1.2)");

        var clientGroups = hello.Extensions.Find<SupportedGroupsExtension>()?.Groups;
        var (suite, certificate, scheme) = ChooseSuite(options, hello, clientGroups);
        var group = ChooseGroup(connection, options, hello);
        string? alpn = Tls13.ServerHelloFlight.ChooseAlpn(options, hello);

        var info = connection.Info;
        info.Version = ProtocolVersion.Tls12;
        info.CipherSuite = suite.Suite;
        info.Group = group;
        info.ApplicationProtocol = alpn;
        info.LocalCertificate = certificate.Certificate;
        info.SignatureScheme = scheme;
        connection.Records.Version = ProtocolVersion.Tls12;

        byte[] random = new byte[32];
        connection.Crypto.Fill(random);
        if (options.Versions.HasFlag(TlsVersions.Tls13)) DowngradeTls12.CopyTo(random.AsSpan(24));

        var extensions = new ExtensionList();
        if (secureRenegotiation) extensions.Add(new RenegotiationInfoExtension());
        if (ems) extensions.Add(new ExtendedMasterSecretExtension());
        if (pointFormats is not null) extensions.Add(new EcPointFormatsExtension([EcPointFormat.Uncompressed]));
        if (alpn is not null) extensions.Add(new AlpnExtension([Encoding.ASCII.GetBytes(alpn)]));

        var transcript = new Transcript(suite.PrfHash);
        transcript.Add(hello.Raw.Span);
        var keys = new Tls12Keys(suite, transcript, hello.Random, random, ems);
        var share = connection.Crypto.GenerateKeyShare(group);
        bool ok = false;
        try
        {
            Send(connection, transcript, new ServerHello
            {
                LegacyVersion = ProtocolVersion.Tls12,
                Random = random,
                SessionId = [],
                CipherSuite = (ushort)suite.Suite,
                Extensions = extensions,
                OmitExtensions = extensions.Count == 0,
            });
            Send(connection, transcript, CertificateMessage.Tls12([certificate.Certificate.RawData, .. certificate.Chain.Select(c => c.RawData)]));
            var unsigned = new ServerKeyExchange { KeyExchange = KeyExchangeKind.Ecdhe, Group = group, PublicKey = share.PublicKey.ToArray() };
            byte[] signature = certificate.Sign(connection.Crypto, scheme, keys.SignedParams(unsigned.EncodeParams()));
            Send(connection, transcript, new ServerKeyExchange
            {
                KeyExchange = KeyExchangeKind.Ecdhe, Group = group, PublicKey = unsigned.PublicKey, SignatureScheme = scheme, Signature = signature,
            });
            Send(connection, transcript, new ServerHelloDone());
            ok = true;
            return new ExpectClientKeyExchange(keys, share);
        }
        finally
        {
            if (!ok)
            {
                share.Dispose();
                keys.Dispose();
            }
        }
    }

    /// <summary>RFC 5746 §3.6: on an initial handshake renegotiation_info must be empty; it or the SCSV marks a secure client.</summary>
    private static bool CheckRenegotiationInfo(ClientHello hello)
    {
        if (hello.Extensions.Find<RenegotiationInfoExtension>() is { } ri)
        {
            if (ri.RenegotiatedConnection.Length != 0)
                throw new TlsProtocolException(AlertDescription.HandshakeFailure, "renegotiation_info is not empty on an initial handshake (RFC 5746 §3.6)");
            return true;
        }
        return hello.CipherSuites.Contains((ushort)CipherSuite.TLS_EMPTY_RENEGOTIATION_INFO_SCSV);
    }

    /// <summary>The first of our suites the client offers for which one of our certificates can sign with a scheme the client accepts.</summary>
    private static (CipherSuiteInfo Suite, ServerCertificate Certificate, SignatureScheme Scheme) ChooseSuite(TlsServerPolicy options, ClientHello hello,
        IReadOnlyList<NamedGroup>? clientGroups)
    {
        // RFC 5246 §7.4.1.4.1: without signature_algorithms the client is taken to accept SHA-1.
        IReadOnlyList<SignatureScheme> accepted = hello.Extensions.Find<SignatureAlgorithmsExtension>()?.Schemes
            ?? [SignatureScheme.RsaPkcs1Sha1, SignatureScheme.EcdsaSha1];
        var preference = Defaults.SignaturesOf(options).Concat(Defaults.CertificateSignatures)
            .Concat([SignatureScheme.RsaPkcs1Sha1, SignatureScheme.EcdsaSha1]).Distinct().ToList();
        foreach (var candidate in Tls12Keys.SuitesOf(options))
        {
            if (!hello.CipherSuites.Contains((ushort)candidate)) continue;
            var wanted = Tls12Keys.IsEcdsaSuite(candidate) ? SignatureKeyKind.Ecdsa : SignatureKeyKind.Rsa;
            foreach (var certificate in options.Certificates)
            {
                var kind = TlsSignatures.KeyKind(certificate.Certificate);
                if (kind != wanted && !(wanted == SignatureKeyKind.Rsa && kind == SignatureKeyKind.RsaPss)) continue;
                // RFC 8422 §5.1: in TLS 1.2 supported_groups also names the curves the client accepts in ECDSA certificates.
                if (kind == SignatureKeyKind.Ecdsa && clientGroups is not null && CurveOf(certificate) is { } curve && !clientGroups.Contains(curve)) continue;
                var canDo = TlsSignatures.SchemesFor(certificate.Certificate, tls13: false);
                foreach (var scheme in preference)
                    if (canDo.Contains(scheme) && accepted.Contains(scheme))
                        return (CipherSuites.Info(candidate), certificate, scheme);
            }
        }
        string offered = string.Join(", ", hello.CipherSuites.Where(s => !Grease.IsGrease(s)).Select(s => CipherSuites.Name(s)));
        throw new TlsProtocolException(AlertDescription.HandshakeFailure,
            $"no TLS 1.2 cipher suite in common that our certificates can serve: the client offers {offered}");
    }

    private static NamedGroup? CurveOf(ServerCertificate certificate)
        => TlsSignatures.SchemesFor(certificate.Certificate, tls13: true) switch
        {
            [SignatureScheme.EcdsaSecp256r1Sha256] => NamedGroup.Secp256r1,
            [SignatureScheme.EcdsaSecp384r1Sha384] => NamedGroup.Secp384r1,
            [SignatureScheme.EcdsaSecp521r1Sha512] => NamedGroup.Secp521r1,
            _ => null,
        };

    private static NamedGroup ChooseGroup(TlsConnection connection, TlsServerPolicy options, ClientHello hello)
    {
        var ours = Tls12Keys.GroupsOf(options, connection.Crypto);
        // RFC 8422 §4: a client without supported_groups is taken to support secp256r1.
        IReadOnlyList<NamedGroup> theirs = hello.Extensions.Find<SupportedGroupsExtension>()?.Groups ?? [NamedGroup.Secp256r1];
        foreach (var group in ours)
            if (theirs.Contains(group)) return group;
        throw new TlsProtocolException(AlertDescription.HandshakeFailure,
            $"no ECDHE group in common: the client supports {string.Join(", ", theirs.Select(g => NamedGroups.Name(g)))}");
    }

    internal static void Send(TlsConnection connection, Transcript transcript, HandshakeMessage message)
    {
        byte[] bytes = message.Encode();
        transcript.Add(bytes);
        connection.SendHandshake(bytes);
    }
}
