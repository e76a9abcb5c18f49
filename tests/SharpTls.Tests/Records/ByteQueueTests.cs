namespace SharpTls.Tests.Records;

/// <summary>The output / application-data queue: bytes come out in order through reservations, growth and compaction.</summary>
public class ByteQueueTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Bytes_keep_their_order_through_reserve_growth_and_partial_consumption(bool wireBytes)
    {
        using var q = new ByteQueue(wireBytes);
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

    /// <summary>
    /// The array a queue just returned to the shared pool, taken back at once on the same thread (the pool keeps the last
    /// array returned per size in a per-thread slot, so no other test can have rented it in between), with its contents.
    /// </summary>
    private static byte[] TakeBack(byte[] returned)
    {
        byte[] again = System.Buffers.ArrayPool<byte>.Shared.Rent(returned.Length);
        Assert.Same(returned, again);
        byte[] contents = (byte[])again.Clone();
        System.Buffers.ArrayPool<byte>.Shared.Return(again);
        return contents;
    }

    private static byte[] ArrayOf(Memory<byte> memory)
        => System.Runtime.InteropServices.MemoryMarshal.TryGetArray<byte>(memory, out var segment) ? segment.Array! : throw new InvalidOperationException();

    [Fact]
    public void Decrypted_data_is_zeroed_when_its_array_goes_back_to_the_pool()
    {
        var q = new ByteQueue();
        var memory = q.GetMemory(100);
        memory.Span[..100].Fill(0xAA);
        q.Advance(100);
        q.Consume(100); // empty: the array goes back
        Assert.All(TakeBack(ArrayOf(memory))[..100], b => Assert.Equal(0, b));
    }

    [Fact]
    public void A_wire_queue_zeroes_what_a_writer_was_handed_and_did_not_advance_over()
    {
        // A seal that throws may leave plaintext in the memory it was handed: that goes, on the next request for memory,
        // before growth copies the queue, and when the array goes back. Sealed records advanced over are wire bytes and
        // are not wiped.
        var q = new ByteQueue(wireBytes: true);
        var sent = q.GetMemory(100);
        sent.Span[..100].Fill(0x11);
        q.Advance(100);
        var failed = q.GetMemory(300);
        failed.Span[..300].Fill(0xAA); // written, never advanced over
        var next = q.GetMemory(50);
        Assert.All(failed.Span[..300].ToArray(), b => Assert.Equal(0, b));
        next.Span[..80].Fill(0xBB); // a writer that wrote 80 and advanced over 50
        q.Advance(50);
        Assert.All(next.Span[50..80].ToArray(), b => Assert.Equal(0, b));
        Assert.All(next.Span[..50].ToArray(), b => Assert.Equal(0xBB, b));
        var grown = q.GetMemory(200);
        grown.Span[..200].Fill(0xCC);
        q.Reserve(1 << 20); // grows into another array: the unadvanced offer is zeroed first
        var old = TakeBack(ArrayOf(grown));
        Assert.All(old.AsSpan(150, 200).ToArray(), b => Assert.Equal(0, b));
        Assert.All(old[..100], b => Assert.Equal(0x11, b)); // wire bytes: left as they were
        Assert.Equal(150, q.Length);
        var last = q.GetMemory(64);
        last.Span[..64].Fill(0xDD);
        q.Consume(q.Length); // the array goes back with an offer outstanding
        Assert.All(TakeBack(ArrayOf(last)).AsSpan(150, 64).ToArray(), b => Assert.Equal(0, b));
        q.Dispose();
    }
}
