using Microsoft.Extensions.Caching.Distributed;

namespace SharpTls.Sessions;

/// <summary>
/// An <see cref="ITlsSessionCache"/> over <see cref="IDistributedCache"/>, so the servers of a farm
/// share TLS 1.2 session IDs (Redis through <c>Microsoft.Extensions.Caching.StackExchangeRedis</c>,
/// SQL Server, ...). The values are already sealed by the listener's ticket key ring; the servers must
/// share that ring (<see cref="TicketKeyRing.Export"/>/<see cref="TicketKeyRing.Import"/>) to open them.
/// Keys are <see cref="KeyPrefix"/> + the session ID in hex.
/// </summary>
public sealed class DistributedSessionCache(IDistributedCache cache) : ITlsSessionCache
{
    /// <summary>Prepended to each key, to keep the sessions apart from the cache's other users.</summary>
    public string KeyPrefix { get; init; } = "sharptls:tls12-session:";

    private string Key(ReadOnlyMemory<byte> sessionId) => KeyPrefix + Convert.ToHexString(sessionId.Span);

    /// <inheritdoc />
    public async ValueTask<byte[]?> GetAsync(ReadOnlyMemory<byte> sessionId, CancellationToken cancellationToken)
        => await cache.GetAsync(Key(sessionId), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask SetAsync(ReadOnlyMemory<byte> sessionId, ReadOnlyMemory<byte> session, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        if (lifetime <= TimeSpan.Zero) return;
        await cache.SetAsync(Key(sessionId), session.ToArray(),
            new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = lifetime }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask RemoveAsync(ReadOnlyMemory<byte> sessionId, CancellationToken cancellationToken)
        => await cache.RemoveAsync(Key(sessionId), cancellationToken).ConfigureAwait(false);
}
