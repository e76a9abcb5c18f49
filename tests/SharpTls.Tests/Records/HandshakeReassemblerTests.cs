using System.Buffers;
using CsCheck;
using SharpTls.Records;
using SharpTls.Wire;
using static SharpTls.Tests.Records.RecordTestUtil;

namespace SharpTls.Tests.Records;

public class HandshakeReassemblerTests
{
    private static byte[] Message(HandshakeType type, int bodyLength, byte fill = 7)
    {
        var m = new byte[4 + bodyLength];
        m[0] = (byte)type;
        m[1] = (byte)(bodyLength >> 16);
        m[2] = (byte)(bodyLength >> 8);
        m[3] = (byte)bodyLength;
        m.AsSpan(4).Fill(fill);
        return m;
    }

    private static List<byte[]> Take(HandshakeReassembler r)
    {
        var list = new List<byte[]>();
        while (r.TryGetMessage(out var m)) list.Add(m.Bytes.ToArray());
        return list;
    }

    // Seed 001's trace: ServerHello (81), Certificate (1565) and ServerHelloDone (0) in one 1658-byte record.
    private static readonly byte[] ServerHello = Message(HandshakeType.ServerHello, 81, 1);
    private static readonly byte[] Certificate = Message(HandshakeType.Certificate, 1565, 2);
    private static readonly byte[] ServerHelloDone = Message(HandshakeType.ServerHelloDone, 0);

    [Fact]
    public void SeveralMessagesInOneRecordAsInSeed001()
    {
        var record = Concat(ServerHello, Certificate, ServerHelloDone);
        Assert.Equal(1658, record.Length);
        using var r = new HandshakeReassembler();
        r.Add(record);
        var got = new List<(HandshakeType, int)>();
        while (r.TryGetMessage(out var m)) got.Add((m.Type, m.Body.Length));
        Assert.Equal([(HandshakeType.ServerHello, 81), (HandshakeType.Certificate, 1565), (HandshakeType.ServerHelloDone, 0)], got);
        Assert.False(r.HasPartialData);
    }

    [Fact]
    public void OneMessageAcrossManyRecords()
    {
        var big = Message(HandshakeType.Certificate, 40_000, 3);
        using var r = new HandshakeReassembler();
        for (int i = 0; i < big.Length; i += 16384)
        {
            Assert.Empty(Take(r));
            r.Add(big.AsSpan(i, Math.Min(16384, big.Length - i)));
        }
        Assert.Equal(big, Assert.Single(Take(r)));
    }

    [Fact]
    public void AnySplitGivesTheSameMessages()
    {
        var stream = Concat(ServerHello, Certificate, ServerHelloDone, Message(HandshakeType.Finished, 12));
        Gen.Int[1, 700].Array[1, 30].Sample(sizes =>
        {
            using var r = new HandshakeReassembler();
            var got = new List<byte[]>();
            int pos = 0, k = 0;
            while (pos < stream.Length)
            {
                int n = Math.Min(sizes[k++ % sizes.Length], stream.Length - pos);
                r.Add(stream.AsSpan(pos, n));
                pos += n;
                got.AddRange(Take(r));
            }
            Assert.Equal(4, got.Count);
            Assert.Equal(stream, Concat([.. got]));
            Assert.False(r.HasPartialData);
        }, iter: 300);
    }

    [Fact]
    public void ClaimedSixteenMegabytesIsRefusedFromTheHeaderAlone()
    {
        using var r = new HandshakeReassembler();
        var ex = Assert.Throws<TlsProtocolException>(() => r.Add([(byte)HandshakeType.ClientHello, 0xFF, 0xFF, 0xFF]));
        Assert.Equal(AlertDescription.IllegalParameter, ex.Alert);
        Assert.True(r.BufferedCount <= 4);
    }

    [Fact]
    public void LimitsAreExactAndCertificatesHaveTheirOwn()
    {
        using var r = new HandshakeReassembler { MaxMessageLength = 1000, MaxCertificateMessageLength = 5000 };
        r.Add(Message(HandshakeType.ClientHello, 1000));
        Assert.Single(Take(r));
        r.Add(Message(HandshakeType.Certificate, 5000));
        Assert.Single(Take(r));
        Assert.Throws<TlsProtocolException>(() => r.Add(Message(HandshakeType.Certificate, 5001)[..4]));
        using var r2 = new HandshakeReassembler { MaxMessageLength = 1000 };
        // The over-long header may hide behind a complete message in the same record.
        var ex = Assert.Throws<TlsProtocolException>(() => r2.Add(Concat(Message(HandshakeType.ServerHello, 10), Message(HandshakeType.ServerKeyExchange, 1001)[..6])));
        Assert.Contains("1001", ex.Reason);
    }

    [Fact]
    public void ZeroLengthFragmentIsUnexpectedMessage()
    {
        using var r = new HandshakeReassembler();
        Assert.Equal(AlertDescription.UnexpectedMessage, Assert.Throws<TlsProtocolException>(() => r.Add([])).Alert);
    }

    [Fact]
    public void OtherContentTypeDuringAnIncompleteMessageIsUnexpectedMessage()
    {
        using var r = new HandshakeReassembler();
        r.CheckInterleaving(ContentType.ApplicationData); // nothing pending: fine
        r.Add(Certificate[..100]);
        r.CheckInterleaving(ContentType.Handshake);
        var ex = Assert.Throws<TlsProtocolException>(() => r.CheckInterleaving(ContentType.Alert));
        Assert.Equal(AlertDescription.UnexpectedMessage, ex.Alert);
        r.Add(Certificate[100..]);
        Take(r);
        r.CheckInterleaving(ContentType.ChangeCipherSpec);
    }

    [Fact]
    public void AMessageBeforeAKeyChangeMustEndOnARecordBoundary()
    {
        using var r = new HandshakeReassembler();
        // ServerHello followed in the same record by the start of EncryptedExtensions.
        r.Add(Concat(ServerHello, Message(HandshakeType.EncryptedExtensions, 10)[..6]));
        Assert.True(r.TryGetMessage(out var m));
        Assert.Equal(HandshakeType.ServerHello, m.Type);
        Assert.True(r.HasPartialData);
        var ex = Assert.Throws<TlsProtocolException>(() => r.CheckRecordBoundary(HandshakeType.ServerHello));
        Assert.Equal(AlertDescription.UnexpectedMessage, ex.Alert);
        Assert.Contains("ServerHello", ex.Reason);

        using var ok = new HandshakeReassembler();
        ok.Add(ServerHello);
        Take(ok);
        ok.CheckRecordBoundary(HandshakeType.ServerHello);
    }

    [Fact]
    public void IdleReassemblerHoldsNoBufferAndMessageBodyIsAView()
    {
        var pool = new CountingPool();
        using var r = new HandshakeReassembler(pool);
        r.Add(ServerHello);
        Assert.True(r.TryGetMessage(out var m));
        Assert.Equal(ServerHello[4..], m.Body.ToArray());
        Assert.False(r.TryGetMessage(out _));
        Assert.Equal(0, pool.Outstanding);
    }

    private sealed class CountingPool : ArrayPool<byte>
    {
        public int Outstanding;
        public override byte[] Rent(int minimumLength) { Outstanding++; return new byte[minimumLength]; }
        public override void Return(byte[] array, bool clearArray = false)
        {
            Outstanding--;
            Assert.All(array, b => Assert.Equal(0, b)); // wiped before going back
        }
    }
}
