namespace SharpTls.Sessions;

/// <summary>
/// The server's TLS 1.2 session-ID cache (RFC 5246 §7.4.1.2, seed 004's three cases). Values are opaque:
/// the engine seals each session with the listener's ticket key ring before storing it, so a shared cache
/// (Redis in a farm) never holds a master secret in the clear. Implementations bound count and lifetime.
/// </summary>
public interface ITlsSessionCache
{
    /// <summary>The session stored under <paramref name="sessionId"/>, or null when unknown or expired.</summary>
    ValueTask<byte[]?> GetAsync(ReadOnlyMemory<byte> sessionId, CancellationToken cancellationToken);

    /// <summary>Stores a session for <paramref name="lifetime"/>.</summary>
    ValueTask SetAsync(ReadOnlyMemory<byte> sessionId, ReadOnlyMemory<byte> session, TimeSpan lifetime, CancellationToken cancellationToken);

    /// <summary>Forgets a session (after a fatal alert on it, RFC 5246 §7.2.2).</summary>
    ValueTask RemoveAsync(ReadOnlyMemory<byte> sessionId, CancellationToken cancellationToken);
}
