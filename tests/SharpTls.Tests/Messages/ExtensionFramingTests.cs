using SharpTls.Messages.Extensions;
using SharpTls.Wire;

namespace SharpTls.Tests.Messages;

public class ExtensionFramingTests
{
    private static TlsProtocolException Read(byte[] bytes)
        => Assert.Throws<TlsProtocolException>(() =>
        {
            var r = new TlsReader(bytes);
            ExtensionList.Read(ref r, ExtensionContext.ClientHello);
        });

    [Fact]
    public void BadFramingIsDecodeErrorEvenAfterADuplicate()
    {
        // two empty extended_master_secret extensions (a duplicate), then one whose length overruns the list
        byte[] bytes = [0x00, 0x0C, 0x00, 0x17, 0x00, 0x00, 0x00, 0x17, 0x00, 0x00, 0x00, 0x16, 0x00, 0x09];
        Assert.Equal(AlertDescription.DecodeError, Read(bytes).Alert);
    }

    [Fact]
    public void WellFramedDuplicateIsIllegalParameter()
    {
        byte[] bytes = [0x00, 0x08, 0x00, 0x17, 0x00, 0x00, 0x00, 0x17, 0x00, 0x00];
        Assert.Equal(AlertDescription.IllegalParameter, Read(bytes).Alert);
    }
}
