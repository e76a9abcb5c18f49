using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SharpTls.Wire;

namespace SharpTls;

/// <summary>
/// The established session of a connection, apart from the handshake state that made it: what was
/// negotiated, who the peer is and how its certificate was judged, and for TLS 1.2 what resumption and
/// secure renegotiation (RFC 5746) need. It stays in force while a second handshake (renegotiation)
/// runs as the connection's state, and is replaced when that one completes.
/// </summary>
internal sealed class TlsSession : IDisposable
{
    public required ProtocolVersion Version { get; init; }
    public required CipherSuite CipherSuite { get; init; }
    public string? ServerName { get; init; }
    public string? ApplicationProtocol { get; init; }
    public IReadOnlyList<X509Certificate2> PeerCertificates { get; init; } = [];
    public ClientCertificateVerdict? ClientCertificateVerdict { get; init; }
    public bool Resumed { get; init; }

    // ---- TLS 1.2 ----

    /// <summary>The master secret (resumption, renegotiation keys); zeroed on dispose.</summary>
    public byte[]? MasterSecret { get; init; }
    public byte[] SessionId { get; init; } = [];
    public bool ExtendedMasterSecret { get; init; }

    /// <summary>Both sides sent renegotiation_info (or the SCSV): renegotiation may be secure.</summary>
    public bool SecureRenegotiation { get; init; }

    /// <summary>The client's and the server's Finished verify_data, for the next renegotiation_info.</summary>
    public byte[] ClientVerifyData { get; init; } = [];
    public byte[] ServerVerifyData { get; init; } = [];

    /// <summary>A session from the facts the handshake recorded in <paramref name="info"/>.</summary>
    public static TlsSession FromInfo(TlsConnectionInfo info) => new()
    {
        Version = info.Version ?? ProtocolVersion.Tls13,
        CipherSuite = info.CipherSuite ?? default,
        ServerName = info.ServerName,
        ApplicationProtocol = info.ApplicationProtocol,
        PeerCertificates = info.PeerCertificates,
        ClientCertificateVerdict = info.ClientCertificateVerdict,
        Resumed = info.Resumed,
    };

    public void Dispose()
    {
        if (MasterSecret is { } secret) CryptographicOperations.ZeroMemory(secret);
    }
}
