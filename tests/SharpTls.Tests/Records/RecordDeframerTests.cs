using CsCheck;
using SharpTls.Records;
using SharpTls.Wire;
using static SharpTls.Tests.Records.RecordTestUtil;

namespace SharpTls.Tests.Records;

public class RecordDeframerTests
{
    private static readonly byte[] Stream3 = Concat(
        Record(ContentType.Handshake, 0x0301, [1, 0, 0, 2, 3, 3]),
        Record(ContentType.ApplicationData, 0x0303, []),
        Record(ContentType.Alert, 0x0303, [2, 40]));

    private static readonly Rec[] Expected3 =
    [
        new(ContentType.Handshake, 0x0301, [1, 0, 0, 2, 3, 3]),
        new(ContentType.ApplicationData, 0x0303, []),
        new(ContentType.Alert, 0x0303, [2, 40]),
    ];

    [Fact]
    public void SeveralRecordsInOneChunk()
        => Assert.Equal(Expected3, Drain(new RecordDeframer(), [Stream3]));

    [Fact]
    public void EverySingleSplitGivesTheSameRecords()
    {
        for (int cut = 0; cut <= Stream3.Length; cut++)
            Assert.Equal(Expected3, Drain(new RecordDeframer(), Split(Stream3, cut)));
    }

    [Fact]
    public void EveryPairOfSplitsGivesTheSameRecords()
    {
        for (int a = 0; a <= Stream3.Length; a++)
            for (int b = a; b <= Stream3.Length; b++)
                Assert.Equal(Expected3, Drain(new RecordDeframer(), Split(Stream3, a, b)));
    }

    [Fact]
    public void ByteByByteGivesTheSameRecords()
        => Assert.Equal(Expected3, Drain(new RecordDeframer(), Stream3.Select(b => new[] { b })));

    [Fact]
    public void RandomChunkingNeverChangesTheOutput()
    {
        var gen = Gen.Select(
            Gen.Int[1, 3000].Array[1, 12],
            Gen.Int[1, 500].Array[1, 40]);
        gen.Sample((sizes, chunkSizes) =>
        {
            var records = sizes.Select((n, i) => Record(i % 2 == 0 ? ContentType.ApplicationData : ContentType.Handshake,
                0x0303, Enumerable.Range(0, n).Select(k => (byte)(k * 7 + i)).ToArray())).ToArray();
            var stream = Concat(records);
            var chunks = new List<byte[]>();
            int pos = 0, j = 0;
            while (pos < stream.Length)
            {
                int n = Math.Min(chunkSizes[j++ % chunkSizes.Length], stream.Length - pos);
                chunks.Add(stream[pos..(pos + n)]);
                pos += n;
            }
            var whole = Drain(new RecordDeframer(), [stream]);
            var chunked = Drain(new RecordDeframer(), chunks);
            Assert.Equal(sizes.Length, whole.Count);
            Assert.Equal(whole, chunked);
        }, iter: 300);
    }

    [Fact]
    public void FeedTakesAtMostOneMaximalRecordAndStillMakesProgress()
    {
        var big = Enumerable.Range(0, 5).Select(_ => Record(ContentType.ApplicationData, 0x0303, new byte[16384])).ToArray();
        var stream = Concat(big);
        var d = new RecordDeframer();
        int taken = d.Feed(stream);
        Assert.Equal(5 + 16384, taken);
        Assert.Equal(5, Drain(d, [stream[taken..]]).Count);
    }

    [Fact]
    public void MaximalPlaintextRecordPassesAndOneMoreByteOverflows()
    {
        Assert.Single(Drain(new RecordDeframer(), [Record(ContentType.ApplicationData, 0x0303, new byte[16384])]));
        // Only the header is needed to refuse it.
        var header = Record(ContentType.ApplicationData, 0x0303, new byte[16385])[..5];
        var ex = Assert.Throws<TlsProtocolException>(() => Drain(new RecordDeframer(), [header]));
        Assert.Equal(AlertDescription.RecordOverflow, ex.Alert);
    }

    [Theory]
    [InlineData(RecordLimits.MaxCiphertextLengthTls13)]
    [InlineData(RecordLimits.MaxCiphertextLengthTls12)]
    public void CiphertextLimitsAreExactToTheByte(int limit)
    {
        Assert.Single(Drain(new RecordDeframer { MaxFragmentLength = limit }, [Record(ContentType.ApplicationData, 0x0303, new byte[limit])]));
        var ex = Assert.Throws<TlsProtocolException>(() =>
            Drain(new RecordDeframer { MaxFragmentLength = limit }, [Record(ContentType.ApplicationData, 0x0303, new byte[limit + 1])[..5]]));
        Assert.Equal(AlertDescription.RecordOverflow, ex.Alert);
    }

    [Fact]
    public void LimitsFollowTheVersion()
    {
        Assert.Equal(16384 + 256, RecordLimits.MaxCiphertextLength(0x0304));
        Assert.Equal(16384 + 2048, RecordLimits.MaxCiphertextLength(0x0303));
        Assert.Equal(16384 + 2048, RecordLimits.MaxCiphertextLength(0x0300));
    }

    [Theory]
    [InlineData(ContentType.Handshake, AlertDescription.UnexpectedMessage)]
    [InlineData(ContentType.Alert, AlertDescription.UnexpectedMessage)] // RFC 8446 §5.1 (issue 10 deviation 3)
    [InlineData(ContentType.ChangeCipherSpec, AlertDescription.DecodeError)]
    public void ZeroLengthControlRecordsAreRefused(ContentType type, AlertDescription alert)
    {
        var ex = Assert.Throws<TlsProtocolException>(() => Drain(new RecordDeframer(), [Record(type, 0x0303, [])]));
        Assert.Equal(alert, ex.Alert);
    }

    [Fact]
    public void ZeroLengthApplicationDataIsAllowed()
        => Assert.Empty(Assert.Single(Drain(new RecordDeframer(), [Record(ContentType.ApplicationData, 0x0303, [])])).Fragment);

    [Theory]
    [InlineData(0)]
    [InlineData(19)]
    [InlineData(24)]
    [InlineData(0x47)] // "GET / HTTP/1.1" on the TLS port
    [InlineData(0xFF)]
    public void UnknownContentTypeIsUnexpectedMessageFromTheFirstByte(byte type)
    {
        var ex = Assert.Throws<TlsProtocolException>(() => Drain(new RecordDeframer(), [[type]]));
        Assert.Equal(AlertDescription.UnexpectedMessage, ex.Alert);
    }

    [Fact]
    public void WrongMajorVersionIsProtocolVersionOnFirstRecordAndDecodeErrorLater()
    {
        var ex = Assert.Throws<TlsProtocolException>(() => Drain(new RecordDeframer(), [[22, 4]]));
        Assert.Equal(AlertDescription.ProtocolVersion, ex.Alert);

        var d = new RecordDeframer();
        Assert.Single(Drain(d, [Record(ContentType.Handshake, 0x0303, [1])]));
        Assert.True(d.FirstRecordRead);
        ex = Assert.Throws<TlsProtocolException>(() => Drain(d, [[23, 2, 0]]));
        Assert.Equal(AlertDescription.DecodeError, ex.Alert);
    }

    [Fact]
    public void AnIdleDeframerHoldsNoBuffer()
    {
        var d = new RecordDeframer();
        d.Feed(Stream3[..7]);
        Assert.False(d.TryRead(out _));
        Assert.True(d.HoldsBuffer);
        d.Feed(Stream3[7..]);
        int n = 0;
        while (d.TryRead(out _)) n++;
        Assert.Equal(3, n);
        Assert.False(d.HoldsBuffer);
        Assert.Equal(0, d.BufferedCount);
    }

    [Fact]
    public void ReadingStraightIntoTheFeedBufferWorks()
    {
        var d = new RecordDeframer();
        var space = d.GetFeedBuffer();
        Stream3.CopyTo(space);
        d.CommitFeed(Stream3.Length);
        Assert.Equal(Expected3, Drain(d, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => { d.GetFeedBuffer(); d.CommitFeed(100_000); });
    }

    [Fact]
    public void SteadyStateDoesNotAllocatePerRecord()
    {
        var d = new RecordDeframer();
        var rec = Record(ContentType.ApplicationData, 0x0303, new byte[1000]);
        for (int i = 0; i < 10; i++) { d.Feed(rec); while (d.TryRead(out _)) { } }
        long least = long.MaxValue;
        for (int round = 0; round < 5; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++) { d.Feed(rec); while (d.TryRead(out _)) { } }
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.Equal(0, least);
    }
}
