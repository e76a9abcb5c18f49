using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SharpTls.Handshake;
using SharpTls.Wire;

namespace SharpTls;

/// <summary>
/// What one binding allows, frozen: certificates, versions, suites, groups, signature schemes, ALPN,
/// client-certificate policy and resumption switches. Built once (for instance once per binding-table
/// snapshot) and shared by every connection the binding serves; the selection hook returns one.
/// The services a server shares across bindings (crypto, clock, ticket keys, session cache, logging)
/// are on <see cref="TlsServerListener"/>, which a policy cannot replace.
/// </summary>
public sealed class TlsServerPolicy : INegotiationSettings
{
    /// <summary>Freezes the policy part of <paramref name="options"/> (later changes to them are not seen).</summary>
    public TlsServerPolicy(TlsServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Name = options.Name;
        Certificates = [.. options.Certificates];
        Versions = options.Versions;
        VersionSwitchHint = options.VersionSwitchHint;
        ApplicationProtocols = [.. options.ApplicationProtocols];
        ClientCertificateMode = options.ClientCertificateMode;
        TrustedIssuers = [.. options.TrustedIssuers];
        ClientCertificateRevocation = options.ClientCertificateRevocation;
        ClientCertificateUsageCheck = options.ClientCertificateUsageCheck;
        EnableSessionTickets = options.EnableSessionTickets;
        EnableSessionIds = options.EnableSessionIds;
        TicketCount = options.TicketCount;
        AllowPskWithoutKeyExchange = options.AllowPskWithoutKeyExchange;
        AllowRsaKeyExchange = options.AllowRsaKeyExchange;
        ExtendedMasterSecret = options.ExtendedMasterSecret;
        RecordPaddingBlock = options.RecordPaddingBlock;
        EnableCcm8 = options.EnableCcm8;
        CertificateCompression = options.CertificateCompression;
        CipherSuites = options.CipherSuites is { } suites ? [.. suites] : null;
        _configuredGroups = options.Groups is { } groups ? [.. groups] : null;
        _configuredSchemes = options.SignatureSchemes is { } schemes ? [.. schemes] : null;
        Groups = _configuredGroups ?? Defaults.Groups;
        // A share the client already sent for the post-quantum hybrid wins under the default order (as in rustls, Go,
        // BoringSSL, OpenSSL 3.5); a HelloRetryRequest is never spent on it, so Groups keeps X25519 first.
        ShareGroups = _configuredGroups ?? [.. Defaults.PostQuantumHybrids, .. Defaults.Groups.Except(Defaults.PostQuantumHybrids)];
        SignatureSchemes = _configuredSchemes ?? Defaults.Tls13Signatures;
        TrustedIssuerCollection = [.. options.TrustedIssuers];
        Suites13 = Defaults.Suites13(this);
        ClientRenegotiation = options.ClientRenegotiation;
        ClientRenegotiationLimit = Math.Max(1, options.ClientRenegotiationLimit);
        ClientRenegotiationWindow = options.ClientRenegotiationWindow;
        ClientAuthFingerprint = Fingerprint();
    }

    /// <summary>This policy, asking for a client certificate in <paramref name="mode"/>.</summary>
    /// <remarks>A member-wise copy, so that a setting added to the policy later is carried over without a change here.</remarks>
    internal TlsServerPolicy WithClientCertificateMode(ClientCertificateMode mode)
    {
        if (mode == ClientCertificateMode) return this;
        var copy = (TlsServerPolicy)MemberwiseClone();
        copy.ClientCertificateMode = mode;
        copy.ClientAuthFingerprint = copy.Fingerprint();
        return copy;
    }

    /// <summary>The name of the policy (the binding), reported in events and in <see cref="TlsConnectionInfo.Binding"/>.</summary>
    public string? Name { get; }

    /// <summary>Certificates to choose from by the client's signature_algorithms, in preference order.</summary>
    public IReadOnlyList<ServerCertificate> Certificates { get; }

    /// <summary>Enabled versions.</summary>
    public TlsVersions Versions { get; }

    /// <summary>What would switch a refused version on (<see cref="TlsServerOptions.VersionSwitchHint"/>), null for the engine's own words.</summary>
    internal Func<TlsVersions, string>? VersionSwitchHint { get; }

    /// <summary>ALPN protocol names in preference order.</summary>
    public IReadOnlyList<string> ApplicationProtocols { get; }

    /// <summary>Whether a client certificate is asked for.</summary>
    public ClientCertificateMode ClientCertificateMode { get; private set; }

    /// <summary>Issuers of acceptable client certificates (sent as certificate_authorities, used to verify).</summary>
    public IReadOnlyList<X509Certificate2> TrustedIssuers { get; }

    /// <summary>Revocation checking of client certificates.</summary>
    public X509RevocationMode ClientCertificateRevocation { get; }

    /// <summary>Whether a client certificate's extended key usage and key usage must allow client authentication.</summary>
    public bool ClientCertificateUsageCheck { get; }

    /// <summary>Issues and accepts session tickets.</summary>
    public bool EnableSessionTickets { get; }

    /// <summary>Resumes TLS 1.2 sessions by session ID.</summary>
    public bool EnableSessionIds { get; }

    /// <summary>Tickets sent after a full TLS 1.3 handshake.</summary>
    public int TicketCount { get; }

    /// <summary>Accepts psk_ke (resumption without a fresh key exchange).</summary>
    public bool AllowPskWithoutKeyExchange { get; }

    /// <summary>TLS 1.2 and older: RSA key transport suites are negotiated (last in our order).</summary>
    public bool AllowRsaKeyExchange { get; }

    /// <summary>TLS 1.2 extended master secret (RFC 7627).</summary>
    public bool ExtendedMasterSecret { get; }

    /// <summary>TLS 1.3 record padding block (0: none).</summary>
    public int RecordPaddingBlock { get; }

    /// <summary>TLS_AES_128_CCM_8_SHA256 enabled.</summary>
    public bool EnableCcm8 { get; }

    /// <summary>TLS 1.3 certificate compression (RFC 8879) offered and used.</summary>
    public bool CertificateCompression { get; }

    /// <summary>The configured suite list, or null for the defaults.</summary>
    public IReadOnlyList<CipherSuite>? CipherSuites { get; }

    /// <summary>Key-exchange groups in preference order.</summary>
    public IReadOnlyList<NamedGroup> Groups { get; }

    /// <summary>Signature schemes in preference order.</summary>
    public IReadOnlyList<SignatureScheme> SignatureSchemes { get; }

    /// <summary>TLS 1.2: whether a client may start a renegotiation.</summary>
    public ClientRenegotiationPolicy ClientRenegotiation { get; }

    /// <summary>Client-initiated renegotiations allowed per connection per <see cref="ClientRenegotiationWindow"/>.</summary>
    public int ClientRenegotiationLimit { get; }

    /// <summary>The window of <see cref="ClientRenegotiationLimit"/>.</summary>
    public TimeSpan ClientRenegotiationWindow { get; }

    internal IReadOnlyList<CipherSuite> Suites13 { get; }

    /// <summary>The order in which TLS 1.3 key shares the client sent are taken (Groups decides a HelloRetryRequest).</summary>
    internal IReadOnlyList<NamedGroup> ShareGroups { get; }

    /// <summary>The trusted issuers as the chain verifier takes them.</summary>
    internal X509Certificate2Collection TrustedIssuerCollection { get; }

    private readonly NamedGroup[]? _configuredGroups;
    private readonly SignatureScheme[]? _configuredSchemes;

    IEnumerable<CipherSuite>? INegotiationSettings.ConfiguredSuites => CipherSuites;
    IEnumerable<NamedGroup>? INegotiationSettings.ConfiguredGroups => _configuredGroups;
    IEnumerable<SignatureScheme>? INegotiationSettings.ConfiguredSchemes => _configuredSchemes;

    /// <summary>
    /// SHA-256 over what decides whether a client certificate is acceptable here (mode, trusted issuers,
    /// revocation, usage check, binding name) and over the server certificates the policy authenticates with. A
    /// session carries the fingerprint of the policy that judged its client certificate; resumption under a policy with
    /// another fingerprint falls back to a full handshake, so a session made under a certificate that has since been
    /// replaced is not resumed with the new one (as Schannel ties its session cache to the credential).
    /// </summary>
    internal byte[] ClientAuthFingerprint { get; private set; }

    private byte[] Fingerprint()
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> head = [(byte)ClientCertificateMode, (byte)ClientCertificateRevocation, ClientCertificateUsageCheck ? (byte)1 : (byte)0];
        h.AppendData(head);
        foreach (var thumb in TrustedIssuers.Select(c => c.GetCertHash(HashAlgorithmName.SHA256)).OrderBy(Convert.ToHexString, StringComparer.Ordinal))
            h.AppendData(thumb);
        h.AppendData([0xFF]);
        h.AppendData(System.Text.Encoding.UTF8.GetBytes(Name ?? ""));
        h.AppendData([0xFF]);
        foreach (var served in Certificates)
            h.AppendData(served.Certificate.GetCertHash(HashAlgorithmName.SHA256));
        return h.GetHashAndReset();
    }
}
