using SharpTls.Messages;

namespace SharpTls.Handshake.Tls12.KeyExchange;

/// <summary>
/// One key-exchange kind of TLS 1.0-1.2 (ECDHE, DHE, RSA key transport) for one handshake, the
/// ServerKeyExchange and ClientKeyExchange forms and the pre-master secret they give (RFC 5246 §7.4.3,
/// §7.4.7, RFC 8422 §5.4/§5.7). A server instance answers <see cref="ServerParams"/> and
/// <see cref="ServerPreMaster"/>; a client instance <see cref="ClientParams"/> and <see cref="ClientExchange"/>.
/// The states drive it and never ask which kind it is. Dispose zeroes what it holds.
/// </summary>
internal interface ITls12KeyExchange : IDisposable
{
    /// <summary>The ServerKeyExchange / ClientKeyExchange form.</summary>
    KeyExchangeKind Kind { get; }

    /// <summary>Server: the unsigned ServerKeyExchange to sign and send, or null when this kind sends none (RSA).</summary>
    ServerKeyExchange? ServerParams();

    /// <summary>Server: the pre-master secret from the client's ClientKeyExchange (illegal_parameter on a bad share; RSA never fails here).</summary>
    byte[] ServerPreMaster(ClientKeyExchange exchange);

    /// <summary>Client: the server's ServerKeyExchange, its signature already checked; throws on parameters we refuse.</summary>
    void ClientParams(ServerKeyExchange serverKeyExchange);

    /// <summary>Client: our ClientKeyExchange and the pre-master secret (the caller zeroes it).</summary>
    (ClientKeyExchange Message, byte[] PreMaster) ClientExchange();
}
