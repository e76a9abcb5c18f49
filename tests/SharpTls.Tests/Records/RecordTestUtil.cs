using SharpTls.Records;
using SharpTls.Wire;

namespace SharpTls.Tests.Records;

internal static class RecordTestUtil
{
    public static byte[] Hex(string s) => Convert.FromHexString(string.Concat(s.Where(Uri.IsHexDigit)));

    public static byte[] Record(ContentType type, ushort version, ReadOnlySpan<byte> fragment)
    {
        var r = new byte[5 + fragment.Length];
        r[0] = (byte)type;
        r[1] = (byte)(version >> 8);
        r[2] = (byte)version;
        r[3] = (byte)(fragment.Length >> 8);
        r[4] = (byte)fragment.Length;
        fragment.CopyTo(r.AsSpan(5));
        return r;
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    public sealed record Rec(ContentType Type, ushort Version, byte[] Fragment, bool Sslv2 = false)
    {
        public bool Equals(Rec? o) => o is not null && o.Type == Type && o.Version == Version && o.Sslv2 == Sslv2 && o.Fragment.AsSpan().SequenceEqual(Fragment);
        public override int GetHashCode() => HashCode.Combine(Type, Version, Fragment.Length);
    }

    /// <summary>Feeds chunks the way an engine would (take what fits, drain, repeat).</summary>
    public static List<Rec> Drain(RecordDeframer d, IEnumerable<byte[]> chunks)
    {
        var output = new List<Rec>();
        foreach (var chunk in chunks)
        {
            ReadOnlySpan<byte> rest = chunk;
            do
            {
                rest = rest[d.Feed(rest)..];
                while (d.TryRead(out var rec))
                    output.Add(new Rec(rec.Type, rec.Version, rec.Fragment.ToArray(), rec.IsSslv2ClientHello));
            } while (!rest.IsEmpty);
        }
        while (d.TryRead(out var rec))
            output.Add(new Rec(rec.Type, rec.Version, rec.Fragment.ToArray(), rec.IsSslv2ClientHello));
        return output;
    }

    public static List<byte[]> Split(byte[] data, params int[] cuts)
    {
        var list = new List<byte[]>();
        int prev = 0;
        foreach (int c in cuts.Append(data.Length))
        {
            list.Add(data[prev..c]);
            prev = c;
        }
        return list;
    }
}
