using SharpTls.Wire;

namespace SharpTls.Messages.Extensions;

/// <summary>
/// One extension (RFC 8446 §4.2):
/// <code>
/// struct {
///     ExtensionType extension_type;
///     opaque extension_data&lt;0..2^16-1&gt;;
/// } Extension;
/// </code>
/// Each known type has a sealed subclass with typed fields; anything else (GREASE included)
/// is an <see cref="UnknownExtension"/> that keeps its bytes. Extensions whose body differs
/// by message carry one nullable member per form; the form that is set is the one written.
/// </summary>
internal abstract class TlsExtension
{
    /// <summary>The extension_type on the wire.</summary>
    public abstract ExtensionType Type { get; }

    /// <summary>The RFC name of <see cref="Type"/>.</summary>
    public string Name => ExtensionTypes.Name(Type);

    /// <summary>Writes extension_data (without type and length).</summary>
    public abstract void WriteData(TlsWriter w);

    /// <summary>The encoded extension_data.</summary>
    public byte[] EncodeData()
    {
        var w = new TlsWriter();
        WriteData(w);
        return w.ToArray();
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>An extension with an empty body (encrypt_then_mac, extended_master_secret, post_handshake_auth, ...).</summary>
internal abstract class EmptyExtension : TlsExtension
{
    /// <inheritdoc />
    public override void WriteData(TlsWriter w) { }
}

/// <summary>An extension we do not interpret (or do not interpret in this message): its bytes, kept as received.</summary>
internal sealed class UnknownExtension(ushort type, byte[] data) : TlsExtension
{
    /// <inheritdoc />
    public override ExtensionType Type { get; } = (ExtensionType)type;

    /// <summary>extension_data as received.</summary>
    public byte[] Data { get; } = data;

    /// <summary>True for a GREASE extension type (RFC 8701).</summary>
    public bool IsGrease => Grease.IsGrease((ushort)Type);

    /// <inheritdoc />
    public override void WriteData(TlsWriter w) => w.WriteBytes(Data);
}
