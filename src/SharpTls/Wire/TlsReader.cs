namespace SharpTls.Wire;

/// <summary>
/// A strict reader over a TLS structure (RFC 8446 §3 presentation language). Every read is
/// bounds-checked; reading past the end, a vector whose length breaks its &lt;min..max&gt; bounds,
/// or bytes left over at <see cref="ExpectEnd"/> is a <c>decode_error</c> naming the field.
/// Nothing is allocated from a length the peer claims: slices are views of the input.
/// </summary>
internal ref struct TlsReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _pos;

    public TlsReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _pos = 0;
    }

    /// <summary>Bytes consumed so far.</summary>
    public readonly int Position => _pos;

    /// <summary>Bytes left to read.</summary>
    public readonly int Remaining => _data.Length - _pos;

    /// <summary>True when every byte has been read.</summary>
    public readonly bool IsEmpty => _pos == _data.Length;

    /// <summary>The unread bytes, without consuming them.</summary>
    public readonly ReadOnlySpan<byte> Rest => _data[_pos..];

    public byte ReadUInt8(string field)
    {
        Need(1, field);
        return _data[_pos++];
    }

    public ushort ReadUInt16(string field)
    {
        Need(2, field);
        ushort v = (ushort)((_data[_pos] << 8) | _data[_pos + 1]);
        _pos += 2;
        return v;
    }

    public int ReadUInt24(string field)
    {
        Need(3, field);
        int v = (_data[_pos] << 16) | (_data[_pos + 1] << 8) | _data[_pos + 2];
        _pos += 3;
        return v;
    }

    public uint ReadUInt32(string field)
    {
        Need(4, field);
        uint v = ((uint)_data[_pos] << 24) | ((uint)_data[_pos + 1] << 16) | ((uint)_data[_pos + 2] << 8) | _data[_pos + 3];
        _pos += 4;
        return v;
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes (a fixed-size field such as Random).</summary>
    public ReadOnlySpan<byte> ReadBytes(int count, string field)
    {
        Need(count, field);
        var s = _data.Slice(_pos, count);
        _pos += count;
        return s;
    }

    /// <summary>Reads an opaque vector with a 1-byte length prefix, bounded by &lt;min..max&gt;.</summary>
    public ReadOnlySpan<byte> ReadVector8(string field, int min = 0, int max = byte.MaxValue)
    {
        NeedLength(1, field);
        return ReadBody(ReadUInt8(field), field, min, max);
    }

    /// <summary>Reads an opaque vector with a 2-byte length prefix, bounded by &lt;min..max&gt;.</summary>
    public ReadOnlySpan<byte> ReadVector16(string field, int min = 0, int max = ushort.MaxValue)
    {
        NeedLength(2, field);
        return ReadBody(ReadUInt16(field), field, min, max);
    }

    /// <summary>Reads an opaque vector with a 3-byte length prefix, bounded by &lt;min..max&gt;.</summary>
    public ReadOnlySpan<byte> ReadVector24(string field, int min = 0, int max = 0xFFFFFF)
    {
        NeedLength(3, field);
        return ReadBody(ReadUInt24(field), field, min, max);
    }

    /// <summary>A sub-reader over a 1-byte-length vector.</summary>
    public TlsReader ReadVector8Reader(string field, int min = 0, int max = byte.MaxValue) => new(ReadVector8(field, min, max));

    /// <summary>A sub-reader over a 2-byte-length vector.</summary>
    public TlsReader ReadVector16Reader(string field, int min = 0, int max = ushort.MaxValue) => new(ReadVector16(field, min, max));

    /// <summary>A sub-reader over a 3-byte-length vector.</summary>
    public TlsReader ReadVector24Reader(string field, int min = 0, int max = 0xFFFFFF) => new(ReadVector24(field, min, max));

    /// <summary>Fails with decode_error when bytes are left over: lengths must match exactly (RFC 3546 §2.1).</summary>
    public readonly void ExpectEnd(string structure)
    {
        if (_pos != _data.Length)
            throw TlsProtocolException.Decode($"{structure}: {_data.Length - _pos} trailing byte(s)");
    }

    private ReadOnlySpan<byte> ReadBody(int length, string field, int min, int max)
    {
        if (length < min || length > max)
            throw TlsProtocolException.Decode($"{field}: length {length} outside <{min}..{max}>");
        return ReadBytes(length, field);
    }

    /// <summary>The length prefix of <paramref name="field"/> is there; its error names "FIELD length" (the name is built only then).</summary>
    private readonly void NeedLength(int count, string field)
    {
        if (_data.Length - _pos < count) Need(count, field + " length");
    }

    private readonly void Need(int count, string field)
    {
        if (count < 0 || _data.Length - _pos < count)
            throw TlsProtocolException.Decode($"{field}: truncated (need {count} byte(s), {_data.Length - _pos} left)");
    }
}
