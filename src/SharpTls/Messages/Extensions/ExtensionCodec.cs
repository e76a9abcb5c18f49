using SharpTls.Wire;

namespace SharpTls.Messages.Extensions;

/// <summary>
/// Which typed extension decodes which extension_type, and in which messages it is defined
/// (RFC 8446 §4.2 table for TLS 1.3; the TLS 1.2 ServerHello carries the 1.2 ones).
/// </summary>
internal static class ExtensionCodec
{
    private const ExtensionContext CH = ExtensionContext.ClientHello, SH = ExtensionContext.ServerHello,
        HRR = ExtensionContext.HelloRetryRequest, EE = ExtensionContext.EncryptedExtensions,
        CT = ExtensionContext.Certificate, CR = ExtensionContext.CertificateRequest, NST = ExtensionContext.NewSessionTicket;

    private delegate TlsExtension Reader(ref TlsReader r, ExtensionContext ctx);

    private static readonly Dictionary<ExtensionType, (ExtensionContext Allowed, Reader Read)> s_known = new()
    {
        [ExtensionType.ServerName] = (CH | SH | EE, ServerNameExtension.Read),
        [ExtensionType.MaxFragmentLength] = (CH | SH | EE, MaxFragmentLengthExtension.Read),
        [ExtensionType.StatusRequest] = (CH | SH | CR | CT, StatusRequestExtension.Read),
        [ExtensionType.SupportedGroups] = (CH | EE, SupportedGroupsExtension.Read),
        [ExtensionType.EcPointFormats] = (CH | SH, EcPointFormatsExtension.Read),
        [ExtensionType.SignatureAlgorithms] = (CH | CR, SignatureAlgorithmsExtension.Read),
        [ExtensionType.Heartbeat] = (CH | SH | EE, HeartbeatExtension.Read),
        [ExtensionType.ApplicationLayerProtocolNegotiation] = (CH | SH | EE, AlpnExtension.Read),
        [ExtensionType.SignedCertificateTimestamp] = (CH | SH | CR | CT, SignedCertificateTimestampExtension.Read),
        [ExtensionType.Padding] = (CH, PaddingExtension.Read),
        [ExtensionType.EncryptThenMac] = (CH | SH, (ref TlsReader r, ExtensionContext c) => new EncryptThenMacExtension()),
        [ExtensionType.ExtendedMasterSecret] = (CH | SH, (ref TlsReader r, ExtensionContext c) => new ExtendedMasterSecretExtension()),
        [ExtensionType.CompressCertificate] = (CH | CR, CompressCertificateExtension.Read),
        [ExtensionType.RecordSizeLimit] = (CH | SH | EE, RecordSizeLimitExtension.Read),
        [ExtensionType.SessionTicket] = (CH | SH, SessionTicketExtension.Read),
        [ExtensionType.PreSharedKey] = (CH | SH, PreSharedKeyExtension.Read),
        [ExtensionType.EarlyData] = (CH | EE | NST, EarlyDataExtension.Read),
        [ExtensionType.SupportedVersions] = (CH | SH | HRR, SupportedVersionsExtension.Read),
        [ExtensionType.Cookie] = (CH | HRR, CookieExtension.Read),
        [ExtensionType.PskKeyExchangeModes] = (CH, PskKeyExchangeModesExtension.Read),
        [ExtensionType.CertificateAuthorities] = (CH | CR, CertificateAuthoritiesExtension.Read),
        [ExtensionType.OidFilters] = (CR, OidFiltersExtension.Read),
        [ExtensionType.PostHandshakeAuth] = (CH, (ref TlsReader r, ExtensionContext c) => new PostHandshakeAuthExtension()),
        [ExtensionType.SignatureAlgorithmsCert] = (CH | CR, SignatureAlgorithmsCertExtension.Read),
        [ExtensionType.KeyShare] = (CH | SH | HRR, KeyShareExtension.Read),
        [ExtensionType.RenegotiationInfo] = (CH | SH, RenegotiationInfoExtension.Read),
    };

    /// <summary>True when <paramref name="type"/> is defined for the message <paramref name="context"/>.</summary>
    public static bool IsAllowed(ExtensionType type, ExtensionContext context)
        => s_known.TryGetValue(type, out var e) && (e.Allowed & context) != 0;

    public static TlsExtension Decode(ushort type, ReadOnlySpan<byte> data, ExtensionContext context)
    {
        string name = ExtensionTypes.Name(type);
        if (!s_known.TryGetValue((ExtensionType)type, out var entry))
            return new UnknownExtension(type, data.ToArray());
        if ((entry.Allowed & context) == 0)
        {
            if ((context & ExtensionContext.Tls13Only) != 0)
                throw TlsProtocolException.Illegal($"{name}: not allowed in {context} (RFC 8446 §4.2)");
            return new UnknownExtension(type, data.ToArray());
        }
        var r = new TlsReader(data);
        var extension = entry.Read(ref r, context);
        r.ExpectEnd(name);
        return extension;
    }
}
