using System.Buffers;
using System.Buffers.Binary;

namespace SharpTls.Wire;

/// <summary>
/// Writes TLS structures into a growable buffer. Vector length prefixes are reserved by
/// <see cref="BeginVector"/> and back-patched by <see cref="EndVector"/>, which also enforces
/// the RFC's &lt;min..max&gt; bounds so that we never emit what we would refuse to read.
/// Used on the handshake path (messages), not the record path.
/// </summary>
internal sealed class TlsWriter
{
    private byte[] _buffer;
    private int _length;

    public TlsWriter(int capacity = 256) => _buffer = new byte[Math.Max(16, capacity)];

    // One scratch writer per thread for encodings that are copied out or consumed at once (allocation per handshake,
    // issue 11: a fresh writer grew 256 -> 512 -> 1 KB -> ... for every message and then copied the result).
    [ThreadStatic] private static TlsWriter? t_scratch;
    private const int ScratchKeptUpTo = 64 * 1024;

    /// <summary>
    /// This thread's scratch writer, empty (a new one when it is in use: encodings may nest). Give it back with
    /// <see cref="ReturnScratch"/> once its bytes are copied or consumed.
    /// </summary>
    public static TlsWriter RentScratch()
    {
        var w = t_scratch;
        if (w is null) return new TlsWriter(2048);
        t_scratch = null;
        return w;
    }

    /// <summary>Wipes what <paramref name="w"/> holds (encodings may carry secrets, e.g. a ticket's state) and keeps it for the next encoding on this thread.</summary>
    public static void ReturnScratch(TlsWriter w)
    {
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(w._buffer.AsSpan(0, w._length));
        w._length = 0;
        if (w._buffer.Length <= ScratchKeptUpTo && (t_scratch is null || t_scratch._buffer.Length < w._buffer.Length))
            t_scratch = w;
    }

    /// <summary>Bytes written so far.</summary>
    public int Length => _length;

    /// <summary>A view of the written bytes (valid until the next write).</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    /// <summary>A copy of the written bytes.</summary>
    public byte[] ToArray() => WrittenSpan.ToArray();

    public void WriteUInt8(byte v) => Grow(1)[0] = v;

    public void WriteUInt16(ushort v) => BinaryPrimitives.WriteUInt16BigEndian(Grow(2), v);

    public void WriteUInt24(int v)
    {
        if ((uint)v > 0xFFFFFF) throw new ArgumentOutOfRangeException(nameof(v), "uint24 out of range");
        var s = Grow(3);
        s[0] = (byte)(v >> 16);
        s[1] = (byte)(v >> 8);
        s[2] = (byte)v;
    }

    public void WriteUInt32(uint v) => BinaryPrimitives.WriteUInt32BigEndian(Grow(4), v);

    public void WriteBytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Grow(bytes.Length));

    /// <summary>Writes <paramref name="text"/> as ASCII in a vector with a 1-, 2- or 3-byte length prefix (no intermediate array).</summary>
    public void WriteAsciiVector(int prefixBytes, string text)
    {
        var mark = BeginVector(prefixBytes);
        System.Text.Encoding.ASCII.GetBytes(text, Grow(System.Text.Encoding.ASCII.GetByteCount(text)));
        EndVector(mark);
    }

    /// <summary>Writes an opaque vector with a 1-, 2- or 3-byte length prefix.</summary>
    public void WriteVector(int prefixBytes, ReadOnlySpan<byte> body, int min = 0, int max = -1)
    {
        var mark = BeginVector(prefixBytes);
        WriteBytes(body);
        EndVector(mark, min, max);
    }

    /// <summary>Reserves a length prefix of 1, 2 or 3 bytes; returns a mark for <see cref="EndVector"/>.</summary>
    public VectorMark BeginVector(int prefixBytes)
    {
        if (prefixBytes is < 1 or > 3) throw new ArgumentOutOfRangeException(nameof(prefixBytes));
        Grow(prefixBytes);
        return new VectorMark(_length - prefixBytes, prefixBytes);
    }

    /// <summary>Back-patches the length of the vector begun at <paramref name="mark"/>.</summary>
    public void EndVector(VectorMark mark, int min = 0, int max = -1)
    {
        int bodyLength = _length - mark.Offset - mark.PrefixBytes;
        int limit = mark.PrefixBytes switch { 1 => 0xFF, 2 => 0xFFFF, _ => 0xFFFFFF };
        if (max < 0 || max > limit) max = limit;
        if (bodyLength < min || bodyLength > max)
            throw new InvalidOperationException($"vector length {bodyLength} outside <{min}..{max}>");
        var s = _buffer.AsSpan(mark.Offset, mark.PrefixBytes);
        for (int i = mark.PrefixBytes - 1; i >= 0; i--)
        {
            s[i] = (byte)bodyLength;
            bodyLength >>= 8;
        }
    }

    private Span<byte> Grow(int count)
    {
        if (_buffer.Length - _length < count)
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        var s = _buffer.AsSpan(_length, count);
        _length += count;
        return s;
    }

    /// <summary>Where a vector's length prefix sits.</summary>
    public readonly record struct VectorMark(int Offset, int PrefixBytes);
}
