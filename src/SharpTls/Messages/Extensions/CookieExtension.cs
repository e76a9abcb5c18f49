using SharpTls.Wire;

namespace SharpTls.Messages.Extensions;

/// <summary>
/// cookie (RFC 8446 §4.2.2), sent in HelloRetryRequest and echoed in the second ClientHello.
/// <code>struct { opaque cookie&lt;1..2^16-1&gt;; } Cookie;</code>
/// </summary>
internal sealed class CookieExtension(byte[] cookie) : TlsExtension
{
    public override ExtensionType Type => ExtensionType.Cookie;

    public byte[] Cookie { get; } = cookie;

    public override void WriteData(TlsWriter w) => w.WriteVector(2, Cookie, 1);

    internal static CookieExtension Read(ref TlsReader r, ExtensionContext ctx) => new(r.ReadVector16("cookie", 1).ToArray());
}
