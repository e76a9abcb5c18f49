namespace SharpTls.Tests.Records;

/// <summary>The output / application-data queue: bytes come out in order through reservations, growth and compaction.</summary>
public class ByteQueueTests
{
    [Fact]
    public void Bytes_keep_their_order_through_reserve_growth_and_partial_consumption()
    {
        using var q = new ByteQueue();
        var expected = new List<byte>();
        var random = new Random(11);
        int next = 0;
        for (int round = 0; round < 200; round++)
        {
            if (round % 7 == 0) q.Reserve(random.Next(1, 70_000));
            int n = random.Next(0, 20_000);
            var span = q.GetSpan(n);
            Assert.True(span.Length >= n);
            for (int i = 0; i < n; i++) span[i] = (byte)(next + i);
            q.Advance(n);
            for (int i = 0; i < n; i++) expected.Add((byte)(next + i));
            next += n;
            int take = random.Next(0, q.Length + 1);
            Assert.Equal(expected.Take(take).ToArray(), q.Span[..take].ToArray());
            q.Consume(take);
            expected.RemoveRange(0, take);
            Assert.Equal(expected.Count, q.Length);
        }
        Assert.Equal(expected.ToArray(), q.Span.ToArray());
        q.Consume(q.Length);
        Assert.True(q.Memory.IsEmpty); // an empty queue holds no array
    }
}
