using System.Buffers;
using SharpTls.Records;
using SharpTls.Wire;
using static SharpTls.Tests.Records.RecordTestUtil;
using V = SharpTls.Tests.Records.Rfc8448Vectors;

namespace SharpTls.Tests.Records;

public class Tls13RecordProtectionTests
{
    private static Tls13RecordProtection Make(string key, string iv, ulong seq = 0, RecordPaddingPolicy? padding = null)
        => new(AeadAlgorithm.Aes128Gcm, Hex(key), Hex(iv), padding, seq);

    private static byte[] Seal(IRecordProtection p, ContentType type, byte[] plaintext)
    {
        var w = new ArrayBufferWriter<byte>();
        p.Seal(type, 0x0303, plaintext, w);
        return w.WrittenSpan.ToArray();
    }

    private static (ContentType Type, byte[] Plaintext) Open(IRecordProtection p, byte[] record)
    {
        var copy = record.ToArray();
        var d = new RecordDeframer { MaxFragmentLength = RecordLimits.MaxCiphertextLengthTls13 };
        Assert.Equal(copy.Length, d.Feed(copy));
        Assert.True(d.TryRead(out var rec));
        var plain = p.Open(rec, out var type);
        return (type, plain.ToArray());
    }

    private static readonly byte[] ServerFlight = Concat(Hex(V.EncryptedExtensions), Hex(V.Certificate), Hex(V.CertificateVerify), Hex(V.ServerFinished));
    private static readonly byte[] FiftyBytes = Enumerable.Range(0, 50).Select(i => (byte)i).ToArray();

    [Fact]
    public void Rfc8448ServerHandshakeFlightOpensAndSealsByteForByte()
    {
        var (type, plain) = Open(Make(V.ServerHandshakeKey, V.ServerHandshakeIv), Hex(V.ServerHandshakeRecord));
        Assert.Equal(ContentType.Handshake, type);
        Assert.Equal(ServerFlight, plain);
        Assert.Equal(Hex(V.ServerHandshakeRecord), Seal(Make(V.ServerHandshakeKey, V.ServerHandshakeIv), ContentType.Handshake, ServerFlight));
    }

    [Fact]
    public void Rfc8448ServerFlightReassemblesIntoFourMessages()
    {
        var (_, plain) = Open(Make(V.ServerHandshakeKey, V.ServerHandshakeIv), Hex(V.ServerHandshakeRecord));
        using var r = new HandshakeReassembler();
        r.Add(plain);
        var types = new List<HandshakeType>();
        while (r.TryGetMessage(out var m)) types.Add(m.Type);
        Assert.Equal([HandshakeType.EncryptedExtensions, HandshakeType.Certificate, HandshakeType.CertificateVerify, HandshakeType.Finished], types);
        Assert.False(r.HasPartialData);
    }

    [Fact]
    public void Rfc8448ClientFinished()
    {
        var record = Hex(V.ClientFinishedRecord);
        Assert.Equal(record, Seal(Make(V.ClientHandshakeKey, V.ClientHandshakeIv), ContentType.Handshake, Hex(V.ClientFinished)));
        var (type, plain) = Open(Make(V.ClientHandshakeKey, V.ClientHandshakeIv), record);
        Assert.Equal(ContentType.Handshake, type);
        Assert.Equal(Hex(V.ClientFinished), plain);
    }

    [Fact]
    public void Rfc8448ApplicationDataBothDirections()
    {
        Assert.Equal(Hex(V.ClientApplicationRecord), Seal(Make(V.ClientApplicationKey, V.ClientApplicationIv), ContentType.ApplicationData, FiftyBytes));
        Assert.Equal(FiftyBytes, Open(Make(V.ClientApplicationKey, V.ClientApplicationIv), Hex(V.ClientApplicationRecord)).Plaintext);
        // The server's first application-key record was its NewSessionTicket: this one is sequence 1.
        Assert.Equal(Hex(V.ServerApplicationRecord), Seal(Make(V.ServerApplicationKey, V.ServerApplicationIv, seq: 1), ContentType.ApplicationData, FiftyBytes));
        var opener = Make(V.ServerApplicationKey, V.ServerApplicationIv, seq: 1);
        Assert.Equal(FiftyBytes, Open(opener, Hex(V.ServerApplicationRecord)).Plaintext);
        Assert.Equal(2UL, opener.SequenceNumber);
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(2UL)]
    [InlineData(256UL)]
    [InlineData(ulong.MaxValue)]
    public void Rfc8448RecordDoesNotOpenAtAnotherSequence(ulong seq)
    {
        var ex = Assert.Throws<TlsProtocolException>(() => Open(Make(V.ServerApplicationKey, V.ServerApplicationIv, seq), Hex(V.ServerApplicationRecord)));
        Assert.Equal(AlertDescription.BadRecordMac, ex.Alert);
    }

    [Fact]
    public void SequenceNumberDoesNotWrap()
    {
        var sealer = Make(V.ClientApplicationKey, V.ClientApplicationIv, ulong.MaxValue);
        Seal(sealer, ContentType.ApplicationData, [1]);
        var ex = Assert.Throws<TlsProtocolException>(() => Seal(sealer, ContentType.ApplicationData, [1]));
        Assert.Contains("wrap", ex.Reason);
    }

    [Fact]
    public void PaddingIsAddedAndStripped()
    {
        var sealer = Make(V.ClientApplicationKey, V.ClientApplicationIv, padding: RecordPadding.ToMultipleOf(64));
        var record = Seal(sealer, ContentType.Alert, [1, 0]);
        Assert.Equal(5 + 64 + 16, record.Length);
        var (type, plain) = Open(Make(V.ClientApplicationKey, V.ClientApplicationIv), record);
        Assert.Equal(ContentType.Alert, type);
        Assert.Equal(new byte[] { 1, 0 }, plain);
    }

    [Fact]
    public void PaddingIsClampedToTheInnerPlaintextLimit()
    {
        var sealer = Make(V.ClientApplicationKey, V.ClientApplicationIv, padding: (_, _, _) => 100_000);
        var record = Seal(sealer, ContentType.ApplicationData, new byte[100]);
        Assert.Equal(5 + RecordLimits.MaxInnerPlaintextLength + 16, record.Length);
        Assert.Equal(100, Open(Make(V.ClientApplicationKey, V.ClientApplicationIv), record).Plaintext.Length);
    }

    // Seals a raw TLSInnerPlaintext (as a misbehaving peer would), to test what Open refuses.
    private static byte[] SealInner(byte[] inner)
    {
        using var aead = new System.Security.Cryptography.AesGcm(Hex(V.ClientApplicationKey), 16);
        var record = new byte[5 + inner.Length + 16];
        record[0] = 23; record[1] = 3; record[2] = 3; record[3] = (byte)((inner.Length + 16) >> 8); record[4] = (byte)(inner.Length + 16);
        aead.Encrypt(Hex(V.ClientApplicationIv), inner, record.AsSpan(5, inner.Length), record.AsSpan(5 + inner.Length), record.AsSpan(0, 5));
        return record;
    }

    [Fact]
    public void AllZeroInnerPlaintextIsUnexpectedMessage()
    {
        var ex = Assert.Throws<TlsProtocolException>(() => Open(Make(V.ClientApplicationKey, V.ClientApplicationIv), SealInner(new byte[20])));
        Assert.Equal(AlertDescription.UnexpectedMessage, ex.Alert);
    }

    [Fact]
    public void EncryptedChangeCipherSpecIsUnexpectedMessage()
    {
        var ex = Assert.Throws<TlsProtocolException>(() => Open(Make(V.ClientApplicationKey, V.ClientApplicationIv), SealInner([1, 20, 0, 0])));
        Assert.Equal(AlertDescription.UnexpectedMessage, ex.Alert);
    }

    [Fact]
    public void InnerPlaintextLongerThanTheLimitIsRecordOverflow()
    {
        var inner = new byte[RecordLimits.MaxInnerPlaintextLength + 1];
        inner[^1] = 23;
        var ex = Assert.Throws<TlsProtocolException>(() => Open(Make(V.ClientApplicationKey, V.ClientApplicationIv), SealInner(inner)));
        Assert.Equal(AlertDescription.RecordOverflow, ex.Alert);
        inner = new byte[RecordLimits.MaxInnerPlaintextLength];
        inner[^1] = 23;
        Assert.Equal(16384, Open(Make(V.ClientApplicationKey, V.ClientApplicationIv), SealInner(inner)).Plaintext.Length);
    }

    [Fact]
    public void ZeroLengthHandshakeInsideIsRefusedButEmptyApplicationDataIsFine()
    {
        var ex = Assert.Throws<TlsProtocolException>(() => Open(Make(V.ClientApplicationKey, V.ClientApplicationIv), SealInner([22, 0, 0])));
        Assert.Equal(AlertDescription.UnexpectedMessage, ex.Alert);
        // A protected zero-length alert: unexpected_message too (RFC 8446 §5.1), not decode_error.
        ex = Assert.Throws<TlsProtocolException>(() => Open(Make(V.ClientApplicationKey, V.ClientApplicationIv), SealInner([21])));
        Assert.Equal(AlertDescription.UnexpectedMessage, ex.Alert);
        Assert.Empty(Open(Make(V.ClientApplicationKey, V.ClientApplicationIv), SealInner([23])).Plaintext);
    }

    [Fact]
    public void TooLargePlaintextToSealIsRecordOverflow()
    {
        var ex = Assert.Throws<TlsProtocolException>(() => Seal(Make(V.ClientApplicationKey, V.ClientApplicationIv), ContentType.ApplicationData, new byte[16385]));
        Assert.Equal(AlertDescription.RecordOverflow, ex.Alert);
    }

    [Fact]
    public void FragmentOverTheTls13LimitIsRecordOverflow()
    {
        var p = Make(V.ClientApplicationKey, V.ClientApplicationIv);
        var ex = Assert.Throws<TlsProtocolException>(() => p.Open(ContentType.ApplicationData, 0x0303, new byte[RecordLimits.MaxCiphertextLengthTls13 + 1], out _));
        Assert.Equal(AlertDescription.RecordOverflow, ex.Alert);
    }
}
