using System.Security.Cryptography.X509Certificates;
using SharpTls.Wire;

namespace SharpTls;

/// <summary>State of a <see cref="TlsConnection"/>.</summary>
public enum TlsStatus
{
    /// <summary>The handshake is under way; feed the peer's bytes and send the pending output.</summary>
    Handshaking,
    /// <summary>The server waits for the host: see <see cref="TlsConnection.HostRequest"/> (choose a policy after
    /// ClientHello, look up or store a session) and answer it, or call <see cref="TlsConnection.AnswerHostRequestAsync"/>.</summary>
    WaitingForHost,
    /// <summary>The handshake is done; application data flows.</summary>
    Connected,
    /// <summary>close_notify was exchanged (or sent and the peer went away).</summary>
    Closed,
    /// <summary>A fatal alert was sent or received; see <see cref="TlsConnection.Failure"/>.</summary>
    Failed,
}

/// <summary>The negotiated facts of a connection, filled in as the handshake learns them.</summary>
public sealed class TlsConnectionInfo
{
    /// <summary>The negotiated version.</summary>
    public ProtocolVersion? Version { get; internal set; }

    /// <summary>The negotiated cipher suite.</summary>
    public CipherSuite? CipherSuite { get; internal set; }

    /// <summary>The key-exchange group (null for RSA key exchange or psk_ke).</summary>
    public NamedGroup? Group { get; internal set; }

    /// <summary>The signature scheme the server signed with (null when resumed).</summary>
    public SignatureScheme? SignatureScheme { get; internal set; }

    /// <summary>The ALPN protocol, or null.</summary>
    public string? ApplicationProtocol { get; internal set; }

    /// <summary>The SNI host name (as sent by the client).</summary>
    public string? ServerName { get; internal set; }

    /// <summary>The peer's certificate chain, leaf first (empty when none or resumed without it).</summary>
    public IReadOnlyList<X509Certificate2> PeerCertificates { get; internal set; } = [];

    /// <summary>After the handshake: keeps the peer's chain as DER only, parsed again when next read (an idle
    /// connection holds no parsed certificate).</summary>
    internal void ReleaseParsedCertificates() => (PeerCertificates as Certificates.PeerCertificateList)?.Release();

    /// <summary>The local certificate presented, if any.</summary>
    public X509Certificate2? LocalCertificate { get; internal set; }

    /// <summary>True when the session was resumed (PSK / ticket / session id).</summary>
    public bool Resumed { get; internal set; }

    /// <summary>True when the server sent a HelloRetryRequest.</summary>
    public bool HelloRetryRequested { get; internal set; }

    /// <summary>Client: the DER OCSP response the server stapled for its certificate (RFC 6066 §8, RFC 8446 §4.4.2.1),
    /// when <see cref="TlsClientOptions.RequestOcspStapling"/> asked for one and the server sent it; null otherwise.
    /// Server: the response stapled in this handshake.</summary>
    public byte[]? OcspResponse { get; internal set; }

    /// <summary>The outcome of verifying the peer's certificate, with reasons.</summary>
    public string? CertificateVerification { get => _certificateVerification?.ToString(); internal set => _certificateVerification = value; }

    // A string, or the verifier's outcome formatted when read: an idle connection keeps the outcome, whose reasons the
    // client-certificate verdict shares, instead of a second copy of them as text (~330 bytes per connection).
    private object? _certificateVerification;

    /// <summary>Records the verifier's outcome (or a resumed session's verdict); <see cref="CertificateVerification"/> is its
    /// text, formatted when read.</summary>
    internal void SetCertificateVerification(Certificates.CertificateVerification outcome) => _certificateVerification = outcome;

    /// <inheritdoc cref="SetCertificateVerification(Certificates.CertificateVerification)"/>
    internal void SetCertificateVerification(ClientCertificateVerdict resumed) => _certificateVerification = resumed;

    /// <summary>Server: how the client's certificate was judged, and under which policy (null before the handshake
    /// got that far).</summary>
    public ClientCertificateVerdict? ClientCertificateVerdict { get; internal set; }

    /// <summary>The name of the configuration (binding) that served this connection.</summary>
    public string? Binding { get; internal set; }

    /// <summary>
    /// The RFC 8879 algorithm ("brotli", "zlib") that compressed the server's Certificate in this handshake, as sent (server)
    /// or received (client); null when it went uncompressed or there was none (resumption, TLS 1.2).
    /// </summary>
    public string? ServerCertificateCompression { get; internal set; }

    /// <summary>TLS 1.2: renegotiations completed on this connection (the facts above are the latest handshake's).</summary>
    public int Renegotiations { get; internal set; }
}

/// <summary>How a server judged the client's certificate.</summary>
public enum ClientCertificateStatus
{
    /// <summary>The client presented no certificate.</summary>
    None,
    /// <summary>The chain verified against the policy's trusted issuers (or the system store).</summary>
    Verified,
    /// <summary>The certificate did not verify and the policy accepted the client anyway (optional, no trusted issuers).</summary>
    NotVerified,
}

/// <summary>
/// The typed outcome of client authentication: the status, the reasons, whether it comes from the original
/// session of a resumed one, and the fingerprint of the policy that judged it (a resumption only carries a
/// verdict into a policy with the same fingerprint).
/// </summary>
public sealed class ClientCertificateVerdict
{
    internal ClientCertificateVerdict(ClientCertificateStatus status, IReadOnlyList<string> reasons, byte[] policyFingerprint, bool fromResumedSession = false)
    {
        Status = status;
        Reasons = reasons;
        PolicyFingerprint = policyFingerprint;
        FromResumedSession = fromResumedSession;
    }

    /// <summary>The reasons of an optional binding's client that sent no certificate (one array for every such connection).</summary>
    internal static readonly IReadOnlyList<string> NoCertificateReasons = ["the client sent no certificate (optional)"];

    /// <summary>None, verified or not verified.</summary>
    public ClientCertificateStatus Status { get; }

    /// <summary>What was checked and what failed, one line each.</summary>
    public IReadOnlyList<string> Reasons { get; }

    /// <summary>True when the verdict was made in the original session and carried by its ticket or cache entry.</summary>
    public bool FromResumedSession { get; }

    /// <summary>SHA-256 fingerprint of the policy that judged it (mode, trusted issuers, revocation, binding).</summary>
    internal byte[] PolicyFingerprint { get; }

    /// <summary>The same verdict, as carried into a resumed session.</summary>
    internal ClientCertificateVerdict Resumed() => new(Status, Reasons, PolicyFingerprint, fromResumedSession: true);

    /// <inheritdoc />
    public override string ToString()
        => (FromResumedSession ? "resumed, judged in the original session: " : "")
            + Status switch
            {
                ClientCertificateStatus.Verified => "verified",
                ClientCertificateStatus.NotVerified => "NOT verified (accepted: optional)",
                _ => "no client certificate",
            }
            + (Reasons.Count > 0 ? ": " + string.Join("; ", Reasons) : "");
}
