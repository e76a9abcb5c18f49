using SharpTls.Sessions;
using SharpTls.Tests.Handshake;

namespace SharpTls.Tests.Tls12;

public class SessionCacheTests
{
    private static readonly byte[] Id1 = [1, 2, 3], Id2 = [4, 5, 6], Id3 = [7, 8, 9];

    [Fact]
    public async Task Stores_finds_and_forgets()
    {
        var cache = new MemorySessionCache();
        Assert.Null(await cache.GetAsync(Id1, default));
        await cache.SetAsync(Id1, new byte[] { 42 }, TimeSpan.FromMinutes(5), default);
        Assert.Equal(new byte[] { 42 }, await cache.GetAsync(Id1, default));
        Assert.Null(await cache.GetAsync(Id2, default));
        await cache.RemoveAsync(Id1, default);
        Assert.Null(await cache.GetAsync(Id1, default));
    }

    [Fact]
    public async Task Bounded_in_count_oldest_first()
    {
        var cache = new MemorySessionCache(capacity: 2);
        await cache.SetAsync(Id1, new byte[] { 1 }, TimeSpan.FromMinutes(5), default);
        await cache.SetAsync(Id2, new byte[] { 2 }, TimeSpan.FromMinutes(5), default);
        await cache.SetAsync(Id3, new byte[] { 3 }, TimeSpan.FromMinutes(5), default);
        Assert.Equal(2, cache.Count);
        Assert.Null(await cache.GetAsync(Id1, default));
        Assert.Equal(new byte[] { 3 }, await cache.GetAsync(Id3, default));
    }

    [Fact]
    public async Task Bounded_in_lifetime_and_capped()
    {
        var time = new FakeTime(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var cache = new MemorySessionCache(time: time) { MaxLifetime = TimeSpan.FromMinutes(10) };
        await cache.SetAsync(Id1, new byte[] { 1 }, TimeSpan.FromMinutes(1), default);
        await cache.SetAsync(Id2, new byte[] { 2 }, TimeSpan.FromDays(1), default); // capped at 10 minutes
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.NotNull(await cache.GetAsync(Id1, default));
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(await cache.GetAsync(Id1, default));
        Assert.NotNull(await cache.GetAsync(Id2, default));
        time.Advance(TimeSpan.FromMinutes(10));
        Assert.Null(await cache.GetAsync(Id2, default));
        Assert.Equal(0, cache.Count);
    }
}
