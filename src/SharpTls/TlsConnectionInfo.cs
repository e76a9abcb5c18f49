using System.Security.Cryptography.X509Certificates;
using SharpTls.Wire;

namespace SharpTls;

/// <summary>State of a <see cref="TlsConnection"/>.</summary>
public enum TlsStatus
{
    /// <summary>The handshake is under way; feed the peer's bytes and send the pending output.</summary>
    Handshaking,
    /// <summary>The server parsed ClientHello and waits for <see cref="TlsConnection.SetServerOptions"/>.</summary>
    NeedsServerOptions,
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

    /// <summary>The local certificate presented, if any.</summary>
    public X509Certificate2? LocalCertificate { get; internal set; }

    /// <summary>True when the session was resumed (PSK / ticket / session id).</summary>
    public bool Resumed { get; internal set; }

    /// <summary>True when the server sent a HelloRetryRequest.</summary>
    public bool HelloRetryRequested { get; internal set; }

    /// <summary>The outcome of verifying the peer's certificate, with reasons.</summary>
    public string? CertificateVerification { get; internal set; }

    /// <summary>The name of the configuration (binding) that served this connection.</summary>
    public string? Binding { get; internal set; }
}
