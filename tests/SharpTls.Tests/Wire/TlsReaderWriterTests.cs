using SharpTls.Wire;

namespace SharpTls.Tests.Wire;

public class TlsReaderWriterTests
{
    [Fact]
    public void VectorRoundTripsWithBackPatchedLength()
    {
        var w = new TlsWriter();
        var mark = w.BeginVector(2);
        w.WriteUInt16(0x1301);
        w.WriteUInt16(0x1302);
        w.EndVector(mark, 2, 0xFFFE);
        w.WriteUInt24(0x010203);
        Assert.Equal(new byte[] { 0, 4, 0x13, 1, 0x13, 2, 1, 2, 3 }, w.ToArray());

        var r = new TlsReader(w.WrittenSpan);
        var suites = r.ReadVector16Reader("cipher_suites", 2, 0xFFFE);
        Assert.Equal(0x1301, suites.ReadUInt16("suite"));
        Assert.Equal(0x1302, suites.ReadUInt16("suite"));
        suites.ExpectEnd("cipher_suites");
        Assert.Equal(0x010203, r.ReadUInt24("x"));
        r.ExpectEnd("test");
    }

    [Fact]
    public void VectorBelowMinimumIsDecodeError()
    {
        byte[] data = [0, 0];
        var ex = Assert.Throws<TlsProtocolException>(() => new TlsReader(data).ReadVector16("cipher_suites", 2, 0xFFFE));
        Assert.Equal(AlertDescription.DecodeError, ex.Alert);
        Assert.Contains("cipher_suites", ex.Reason);
    }

    [Fact]
    public void ClaimedLengthBeyondDataIsDecodeError()
    {
        byte[] data = [0xFF, 0xFF, 1];
        var ex = Assert.Throws<TlsProtocolException>(() => new TlsReader(data).ReadVector16("extensions"));
        Assert.Equal(AlertDescription.DecodeError, ex.Alert);
        Assert.Contains("truncated", ex.Reason);
    }

    [Fact]
    public void TrailingBytesAreDecodeError()
    {
        byte[] data = [1, 2, 3];
        var ex = Assert.Throws<TlsProtocolException>(() =>
        {
            var r = new TlsReader(data);
            r.ReadUInt16("x");
            r.ExpectEnd("ServerHelloDone");
        });
        Assert.Equal(AlertDescription.DecodeError, ex.Alert);
    }

    [Fact]
    public void WriterRefusesToEmitOutOfBoundsVector()
    {
        var w = new TlsWriter();
        var mark = w.BeginVector(1);
        Assert.Throws<InvalidOperationException>(() => w.EndVector(mark, 1));
    }

    [Theory]
    [InlineData(0x0A0A, true)]
    [InlineData(0xFAFA, true)]
    [InlineData(0x0A1A, false)]
    [InlineData(0x1301, false)]
    public void GreaseValuesAreRecognised(int value, bool grease) => Assert.Equal(grease, Grease.IsGrease((ushort)value));
}
