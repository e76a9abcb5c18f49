using System.Buffers;
using SharpTls.Records;
using SharpTls.Wire;
using static SharpTls.Tests.Records.RecordTestUtil;

namespace SharpTls.Tests.Records;

public class RecordWriterTests
{
    private static List<Rec> Records(ArrayBufferWriter<byte> w) => Drain(new RecordDeframer { MaxFragmentLength = RecordLimits.MaxCiphertextLengthTls12 }, [w.WrittenSpan.ToArray()]);

    [Fact]
    public void QueuedHandshakeMessagesAreCoalescedIntoOneRecord()
    {
        using var writer = new RecordWriter { RecordVersion = 0x0301 };
        writer.QueueHandshake(new byte[85]);
        writer.QueueHandshake(new byte[1569]);
        writer.QueueHandshake([14, 0, 0, 0]);
        Assert.True(writer.HasQueuedHandshake);
        var w = new ArrayBufferWriter<byte>();
        writer.Flush(w);
        var rec = Assert.Single(Records(w));
        Assert.Equal(ContentType.Handshake, rec.Type);
        Assert.Equal((ushort)0x0301, rec.Version);
        Assert.Equal(1658, rec.Fragment.Length);
        Assert.False(writer.HasQueuedHandshake);
    }

    [Theory]
    [InlineData(16384, 40000, new[] { 16384, 16384, 7232 })]
    [InlineData(512, 1025, new[] { 512, 512, 1 })]
    [InlineData(16384, 16384, new[] { 16384 })]
    public void DataIsCutAtTheMaximumFragmentLength(int max, int total, int[] expected)
    {
        using var writer = new RecordWriter { MaxFragmentLength = max };
        var w = new ArrayBufferWriter<byte>();
        var data = Enumerable.Range(0, total).Select(i => (byte)i).ToArray();
        writer.Write(ContentType.ApplicationData, data, w);
        var recs = Records(w);
        Assert.Equal(expected, recs.Select(r => r.Fragment.Length));
        Assert.Equal(data, Concat([.. recs.Select(r => r.Fragment)]));
    }

    [Fact]
    public void WritingAnotherTypeFlushesTheHandshakeFirst()
    {
        using var writer = new RecordWriter();
        writer.QueueHandshake([20, 0, 0, 1, 9]);
        var w = new ArrayBufferWriter<byte>();
        writer.Write(ContentType.ChangeCipherSpec, [1], w);
        Assert.Equal([ContentType.Handshake, ContentType.ChangeCipherSpec], Records(w).Select(r => r.Type));
    }

    [Fact]
    public void KeysCannotChangeWithHandshakeBytesQueuedAndTheOldKeysAreDisposed()
    {
        using var writer = new RecordWriter();
        writer.QueueHandshake([20, 0, 0, 0]);
        var next = new Tls13RecordProtection(AeadAlgorithm.Aes128Gcm, new byte[16], new byte[12]);
        Assert.Throws<InvalidOperationException>(() => writer.ChangeProtection(next));
        var w = new ArrayBufferWriter<byte>();
        writer.Flush(w);
        writer.ChangeProtection(next);
        var second = new Tls13RecordProtection(AeadAlgorithm.Aes128Gcm, new byte[16], new byte[12]);
        writer.ChangeProtection(second);
        Assert.ThrowsAny<ObjectDisposedException>(() => next.Seal(ContentType.ApplicationData, 0x0303, [1], w));
    }

    [Fact]
    public void ProtectedRecordsRoundTripThroughDeframerReassemblerAndProtection()
    {
        byte[] key = new byte[16], iv = new byte[12];
        using var writer = new RecordWriter { MaxFragmentLength = 1000 };
        writer.ChangeProtection(new Tls13RecordProtection(AeadAlgorithm.Aes128Gcm, key, iv));
        var messages = new[] { new byte[] { 8, 0, 0, 2, 0, 0 }, Enumerable.Repeat((byte)11, 2504).ToArray(), new byte[] { 20, 0, 0, 1, 5 } };
        messages[1][0] = 11; messages[1][1] = 0; messages[1][2] = 0x09; messages[1][3] = 0xC4; // Certificate, 2500 bytes body
        foreach (var m in messages) writer.QueueHandshake(m);
        var wire = new ArrayBufferWriter<byte>();
        writer.Flush(wire);
        writer.Write(ContentType.ApplicationData, "hi"u8, wire);

        using var opener = new Tls13RecordProtection(AeadAlgorithm.Aes128Gcm, key, iv);
        using var deframer = new RecordDeframer { MaxFragmentLength = RecordLimits.MaxCiphertextLengthTls13 };
        using var reassembler = new HandshakeReassembler();
        var got = new List<byte[]>();
        byte[]? app = null;
        var bytes = wire.WrittenSpan.ToArray();
        foreach (var chunk in Split(bytes, 3, 700, 701, 2000))
        {
            ReadOnlySpan<byte> rest = chunk;
            while (!rest.IsEmpty)
            {
                rest = rest[deframer.Feed(rest)..];
                while (deframer.TryRead(out var rec))
                {
                    var plain = opener.Open(rec, out var type);
                    reassembler.CheckInterleaving(type);
                    if (type == ContentType.Handshake)
                    {
                        reassembler.Add(plain);
                        while (reassembler.TryGetMessage(out var m)) got.Add(m.Bytes.ToArray());
                    }
                    else app = plain.ToArray();
                }
            }
        }
        Assert.Equal(messages, got);
        Assert.Equal("hi"u8.ToArray(), app);
    }
}
