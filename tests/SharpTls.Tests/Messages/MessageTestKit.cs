using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Wire;

namespace SharpTls.Tests.Messages;

/// <summary>Round-trip helpers shared by the message tests.</summary>
internal static class MessageTestKit
{
    public static byte[] Hex(string hex) => Convert.FromHexString(string.Concat(hex.Where(Uri.IsHexDigit)));

    /// <summary>Encodes, decodes, checks that re-encoding is byte-identical and that the decoded Raw holds the whole message.</summary>
    public static T RoundTrip<T>(T message, MessageContext? context = null) where T : HandshakeMessage
    {
        // (Encode's Raw is the very array it returns: comparing the two could never fail, so it is not asserted.)
        var bytes = message.Encode();
        var decoded = HandshakeMessage.Decode<T>(bytes, context ?? MessageContext.None);
        Assert.Equal(bytes, decoded.Raw.ToArray());
        Assert.Equal(bytes, decoded.Encode());
        return decoded;
    }

    /// <summary>Round-trips one extension through an extension block of the given message kind.</summary>
    public static T RoundTripExtension<T>(T extension, ExtensionContext context) where T : TlsExtension
    {
        var w = new TlsWriter();
        new ExtensionList { extension }.Write(w);
        var bytes = w.ToArray();
        var r = new TlsReader(bytes);
        var list = ExtensionList.Read(ref r, context);
        r.ExpectEnd("test");
        var decoded = Assert.IsType<T>(Assert.Single(list));
        Assert.Equal(extension.EncodeData(), decoded.EncodeData());
        return decoded;
    }

    /// <summary>Decodes an extension block (with its 2-byte length) in a context.</summary>
    public static ExtensionList ReadExtensions(byte[] block, ExtensionContext context)
    {
        var r = new TlsReader(block);
        var list = ExtensionList.Read(ref r, context);
        r.ExpectEnd("test");
        return list;
    }

    /// <summary>An extension block holding one extension with the given raw body.</summary>
    public static byte[] Block(ExtensionType type, params byte[] data)
    {
        var w = new TlsWriter();
        var mark = w.BeginVector(2);
        w.WriteUInt16((ushort)type);
        w.WriteVector(2, data);
        w.EndVector(mark);
        return w.ToArray();
    }

    public static TlsProtocolException Fails(AlertDescription alert, Action action, string? reasonContains = null)
    {
        var ex = Assert.Throws<TlsProtocolException>(action);
        Assert.Equal(alert, ex.Alert);
        if (reasonContains is not null) Assert.Contains(reasonContains, ex.Reason);
        return ex;
    }
}
