using System.Collections;
using SharpTls.Wire;

namespace SharpTls.Messages.Extensions;

/// <summary>
/// The extensions of one message, in wire order (RFC 8446 §4.2):
/// <code>Extension extensions&lt;0..2^16-1&gt;;</code>
/// Decoding is strict: a type twice is illegal_parameter (RFC 8446 §4.2, RFC 5246 §7.4.1.4),
/// pre_shared_key anywhere but last in ClientHello is illegal_parameter (RFC 8446 §4.2.11),
/// and an extension we know but RFC 8446's table does not allow in a TLS 1.3-only message
/// is illegal_parameter. Unknown and GREASE extensions are kept, in order, as
/// <see cref="UnknownExtension"/>.
/// </summary>
internal sealed class ExtensionList : IReadOnlyList<TlsExtension>
{
    private readonly List<TlsExtension> _items;
    // A ClientHello may carry 16,000 extensions: past a few, a set keeps the duplicate check linear. The usual dozen
    // are scanned instead, so a message's extensions allocate no set (issue 11: allocation per handshake).
    private const int ScanUpTo = 16;
    private HashSet<ExtensionType>? _types;

    public ExtensionList() => _items = [];

    /// <summary>An empty list sized for <paramref name="capacity"/> extensions (a decoded list knows its count: no regrowth).</summary>
    private ExtensionList(int capacity) => _items = new List<TlsExtension>(capacity);

    public ExtensionList(IEnumerable<TlsExtension> extensions)
    {
        _items = [];
        foreach (var e in extensions) Add(e);
    }

    public int Count => _items.Count;

    public TlsExtension this[int index] => _items[index];

    /// <summary>Appends an extension; a second one of the same type is a programming error.</summary>
    public void Add(TlsExtension extension)
    {
        if (Contains(extension.Type))
            throw new InvalidOperationException($"duplicate extension {extension.Name}");
        Append(extension);
    }

    private void Append(TlsExtension extension)
    {
        _items.Add(extension);
        if (_types is not null) _types.Add(extension.Type);
        else if (_items.Count > ScanUpTo) _types = [.. _items.Select(e => e.Type)];
    }

    /// <summary>The first extension of class <typeparamref name="T"/>, or null.</summary>
    public T? Find<T>() where T : TlsExtension
    {
        foreach (var e in _items)
            if (e is T found) return found;
        return null;
    }

    /// <summary>The extension of the given type (typed or unknown), or null.</summary>
    public TlsExtension? Get(ExtensionType type)
    {
        if (_types is not null && !_types.Contains(type)) return null;
        foreach (var e in _items)
            if (e.Type == type) return e;
        return null;
    }

    public bool Contains(ExtensionType type)
    {
        if (_types is not null) return _types.Contains(type);
        foreach (var e in _items)
            if (e.Type == type) return true;
        return false;
    }

    /// <summary>
    /// True when SharpTls types <paramref name="type"/> and it is defined for the message
    /// <paramref name="context"/> (RFC 8446 §4.2 table; the TLS 1.2 ServerHello takes the 1.2 extensions).
    /// Handshake code uses it to answer an unsolicited or misplaced extension.
    /// </summary>
    public static bool IsDefinedFor(ExtensionType type, ExtensionContext context) => ExtensionCodec.IsAllowed(type, context);

    /// <summary>The wire types, in order.</summary>
    public IEnumerable<ExtensionType> Types => _items.Select(e => e.Type);

    /// <summary>Writes the extensions vector, 2-byte length included.</summary>
    public void Write(TlsWriter w, int min = 0, int max = 0xFFFF)
    {
        var mark = w.BeginVector(2);
        foreach (var e in _items)
        {
            w.WriteUInt16((ushort)e.Type);
            var data = w.BeginVector(2);
            e.WriteData(w);
            w.EndVector(data);
        }
        w.EndVector(mark, min, max);
    }

    /// <summary>Reads an extensions vector (2-byte length included) for a message of kind <paramref name="context"/>.</summary>
    public static ExtensionList Read(ref TlsReader r, ExtensionContext context, string field = "extensions", int min = 0, int max = 0xFFFF)
    {
        var list = r.ReadVector16Reader(field, min, max);
        // Framing first: a length that does not add up is decode_error, whatever the extensions mean.
        var framing = list;
        int count = 0;
        while (!framing.IsEmpty)
        {
            ushort t = framing.ReadUInt16("extension_type");
            ReadData(ref framing, t);
            count++;
        }
        var result = new ExtensionList(count);
        while (!list.IsEmpty)
        {
            ushort type = list.ReadUInt16("extension_type");
            var data = ReadData(ref list, type);
            if (result.Contains((ExtensionType)type))
                throw TlsProtocolException.Illegal($"{field}: duplicate extension {ExtensionTypes.Name(type)}");
            if (context == ExtensionContext.ClientHello && result.Contains(ExtensionType.PreSharedKey))
                throw TlsProtocolException.Illegal("pre_shared_key: must be the last extension in ClientHello");
            result.Append(ExtensionCodec.Decode(type, data, context));
        }
        return result;
    }

    /// <summary>One extension's data; the error, and only the error, names the extension (no string per extension read).</summary>
    private static ReadOnlySpan<byte> ReadData(ref TlsReader r, ushort type)
    {
        if (r.Remaining >= 2 && r.Remaining - 2 >= ((r.Rest[0] << 8) | r.Rest[1])) return r.ReadVector16("extension_data");
        return r.ReadVector16($"extension_data ({ExtensionTypes.Name(type)})"); // throws decode_error, naming it
    }

    public IEnumerator<TlsExtension> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override string ToString() => string.Join(", ", _items.Select(e => e.Name));
}
