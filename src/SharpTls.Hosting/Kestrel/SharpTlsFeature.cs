using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace SharpTls.Hosting;

/// <summary>
/// What SharpTls negotiated for a connection, for applications that want more than
/// <see cref="ITlsHandshakeFeature"/> tells: the group, the signature scheme, the binding that
/// served it, whether it resumed. Read it from <c>HttpContext.Features</c> or the connection's features.
/// </summary>
public interface ISharpTlsFeature
{
    /// <summary>The negotiated facts of the handshake (version, suite, group, scheme, ALPN, SNI, binding, resumption, peer certificates).</summary>
    TlsConnectionInfo Info { get; }

    /// <summary>What the client offered in its ClientHello (null if it was never parsed).</summary>
    ClientHelloInfo? ClientHello { get; }

    /// <summary>The local endpoint the connection arrived on.</summary>
    IPEndPoint? LocalEndPoint { get; }

    /// <summary>How long the handshake took.</summary>
    TimeSpan HandshakeDuration { get; }

    /// <summary>Why the binding that served the connection was chosen (from the selection hook), if it said.</summary>
    string? SelectionReason { get; }
}

/// <summary>The TLS features Kestrel reads, set by the SharpTls connection middleware.</summary>
internal sealed class SharpTlsFeature(TlsConnectionInfo info, ClientHelloInfo? hello, IPEndPoint? local, TimeSpan duration, string? selectionReason)
    : ISharpTlsFeature, ITlsConnectionFeature, ITlsHandshakeFeature, ITlsApplicationProtocolFeature
{
    private static readonly ReadOnlyMemory<byte> H2 = "h2"u8.ToArray(), Http11 = "http/1.1"u8.ToArray();

    private readonly ReadOnlyMemory<byte> _alpn = info.ApplicationProtocol switch
    {
        null => default,
        "h2" => H2, // the usual two without an array per connection
        "http/1.1" => Http11,
        { } p => Encoding.ASCII.GetBytes(p),
    };

    public TlsConnectionInfo Info => info;

    public ClientHelloInfo? ClientHello => hello;

    public IPEndPoint? LocalEndPoint => local;

    public TimeSpan HandshakeDuration => duration;

    public string? SelectionReason => selectionReason;

    // ITlsConnectionFeature: HttpContext.Connection.ClientCertificate.
    public X509Certificate2? ClientCertificate
    {
        get => info.PeerCertificates.Count > 0 ? info.PeerCertificates[0] : null;
        set => throw new NotSupportedException("the client certificate is set by the handshake");
    }

    /// <summary>Asks the client for its certificate on the established connection (the pipe's renegotiation or
    /// post-handshake authentication); null when the connection cannot (no pumps yet, or a test).</summary>
    public Func<CancellationToken, Task<X509Certificate2?>>? AskForCertificate { get; init; }

    /// <summary>
    /// The client's certificate; when the handshake brought none, asks for one now, as Kestrel with SslStream does
    /// under ClientCertificateMode.DelayCertificate and HTTP.sys when a resource needs a certificate: a TLS 1.2
    /// renegotiation (RFC 5746) or TLS 1.3 post-handshake authentication (when the client offered it). Never on
    /// HTTP/2, which forbids renegotiation after its preface (RFC 9113 §9.2.1). Null when the client has none,
    /// declines, or cannot be asked.
    /// </summary>
    public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken)
        => ClientCertificate is { } known || AskForCertificate is not { } ask || info.ApplicationProtocol == "h2"
            ? Task.FromResult(ClientCertificate)
            : ask(cancellationToken);

    // ITlsApplicationProtocolFeature: Kestrel picks HTTP/2 for "h2".
    public ReadOnlyMemory<byte> ApplicationProtocol => _alpn;

    // ITlsHandshakeFeature.
#pragma warning disable SYSLIB0039 // TLS 1.0/1.1 are named as such: this reports, it does not enable
    public SslProtocols Protocol => info.Version switch
    {
        Wire.ProtocolVersion.Tls13 => SslProtocols.Tls13,
        Wire.ProtocolVersion.Tls12 => SslProtocols.Tls12,
        Wire.ProtocolVersion.Tls11 => SslProtocols.Tls11,
        Wire.ProtocolVersion.Tls10 => SslProtocols.Tls,
        _ => SslProtocols.None,
    };
#pragma warning restore SYSLIB0039

    public System.Net.Security.TlsCipherSuite? NegotiatedCipherSuite
        => info.CipherSuite is { } s ? (System.Net.Security.TlsCipherSuite)(ushort)s : null;

    public string HostName => info.ServerName ?? "";

#pragma warning disable CS0618, SYSLIB0058 // the legacy algorithm properties: NegotiatedCipherSuite says it all
    public CipherAlgorithmType CipherAlgorithm => CipherAlgorithmType.None;
    public int CipherStrength => 0;
    public HashAlgorithmType HashAlgorithm => HashAlgorithmType.None;
    public int HashStrength => 0;
    public ExchangeAlgorithmType KeyExchangeAlgorithm => ExchangeAlgorithmType.None;
    public int KeyExchangeStrength => 0;
#pragma warning restore CS0618, SYSLIB0058
}
