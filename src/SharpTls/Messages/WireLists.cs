using System.Runtime.CompilerServices;
using SharpTls.Wire;

namespace SharpTls.Messages;

/// <summary>
/// Helpers for the list shapes that recur in messages and extensions: vectors of uint16 or
/// uint8 registry values and vectors of opaque items. Arrays are sized by bytes actually
/// present, never by a claimed length.
/// </summary>
internal static class WireLists
{
    /// <summary>Reads a vector of uint16 values; an odd byte count is a decode_error.</summary>
    public static T[] ReadUInt16s<T>(ref TlsReader r, string field, int prefixBytes, int min, int max) where T : unmanaged
    {
        var body = ReadVector(ref r, field, prefixBytes, min, max);
        if ((body.Length & 1) != 0)
            throw TlsProtocolException.Decode($"{field}: odd length {body.Length} for a list of uint16");
        var result = new T[body.Length / 2];
        for (int i = 0; i < result.Length; i++)
            result[i] = Unsafe.BitCast<ushort, T>((ushort)((body[2 * i] << 8) | body[2 * i + 1]));
        return result;
    }

    /// <summary>Reads a vector of uint8 values.</summary>
    public static T[] ReadUInt8s<T>(ref TlsReader r, string field, int min, int max) where T : unmanaged
    {
        var body = r.ReadVector8(field, min, max);
        var result = new T[body.Length];
        for (int i = 0; i < result.Length; i++) result[i] = Unsafe.BitCast<byte, T>(body[i]);
        return result;
    }

    public static void WriteUInt16s<T>(TlsWriter w, IReadOnlyList<T> values, int prefixBytes, int min, int max) where T : unmanaged
    {
        var mark = w.BeginVector(prefixBytes);
        foreach (var v in values) w.WriteUInt16(Unsafe.BitCast<T, ushort>(v));
        w.EndVector(mark, min, max);
    }

    public static void WriteUInt8s<T>(TlsWriter w, IReadOnlyList<T> values, int min, int max) where T : unmanaged
    {
        var mark = w.BeginVector(1);
        foreach (var v in values) w.WriteUInt8(Unsafe.BitCast<T, byte>(v));
        w.EndVector(mark, min, max);
    }

    /// <summary>Reads a vector (outer bounds) of opaque items (inner prefix and bounds).</summary>
    /// <summary>
    /// Reads a vector of opaque vectors. <paramref name="checkCount"/>, when given, sees the number of items before any is
    /// copied out, so a limit on the count refuses the list without first making an object per item.
    /// </summary>
    public static byte[][] ReadOpaques(ref TlsReader r, string field, int outerPrefix, int outerMin, int outerMax,
        string itemField, int innerPrefix, int innerMin, int innerMax, Action<int>? checkCount = null)
    {
        var list = new TlsReader(ReadVector(ref r, field, outerPrefix, outerMin, outerMax));
        if (checkCount is not null)
        {
            var probe = list;
            int count = 0;
            for (; !probe.IsEmpty; count++) ReadVector(ref probe, itemField, innerPrefix, innerMin, innerMax);
            checkCount(count);
        }
        var items = new List<byte[]>();
        while (!list.IsEmpty)
            items.Add(ReadVector(ref list, itemField, innerPrefix, innerMin, innerMax).ToArray());
        return [.. items];
    }

    public static void WriteOpaques(TlsWriter w, IReadOnlyList<byte[]> items, int outerPrefix, int outerMin, int outerMax,
        int innerPrefix, int innerMin, int innerMax)
    {
        var mark = w.BeginVector(outerPrefix);
        foreach (var item in items) w.WriteVector(innerPrefix, item, innerMin, innerMax);
        w.EndVector(mark, outerMin, outerMax);
    }

    /// <summary>Reads an opaque vector with a 1-, 2- or 3-byte length prefix.</summary>
    public static ReadOnlySpan<byte> ReadVector(ref TlsReader r, string field, int prefixBytes, int min, int max) => prefixBytes switch
    {
        1 => r.ReadVector8(field, min, max),
        2 => r.ReadVector16(field, min, max),
        _ => r.ReadVector24(field, min, max),
    };

    /// <summary>Structural equality of two byte arrays (for tests and comparisons of public data).</summary>
    public static bool SameBytes(IReadOnlyList<byte[]> a, IReadOnlyList<byte[]> b)
        => a.Count == b.Count && a.Zip(b).All(p => p.First.AsSpan().SequenceEqual(p.Second));
}
