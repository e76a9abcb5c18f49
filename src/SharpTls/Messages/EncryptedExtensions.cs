using SharpTls.Messages.Extensions;
using SharpTls.Wire;

namespace SharpTls.Messages;

/// <summary>
/// EncryptedExtensions (RFC 8446 §4.3.1).
/// <code>struct { Extension extensions&lt;0..2^16-1&gt;; } EncryptedExtensions;</code>
/// </summary>
internal sealed class EncryptedExtensions : HandshakeMessage
{
    public override HandshakeType Type => HandshakeType.EncryptedExtensions;

    public ExtensionList Extensions { get; init; } = [];

    protected override void WriteBody(TlsWriter w) => Extensions.Write(w);

    internal static EncryptedExtensions ReadBody(ref TlsReader r)
        => new() { Extensions = ExtensionList.Read(ref r, ExtensionContext.EncryptedExtensions) };
}
