using System.Buffers;
using System.Buffers.Binary;
using SharpTls.Diagnostics;
using SharpTls.Handshake.Tls13;
using SharpTls.KeySchedule;
using SharpTls.Records;
using SharpTls.Wire;

namespace SharpTls.Tests.Handshake;

/// <summary>A fake clock for ticket ages and certificate dates.</summary>
internal sealed class FakeTime(DateTimeOffset start) : TimeProvider
{
    public FakeTime() : this(DateTimeOffset.UtcNow) { }

    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}

/// <summary>Keeps the secrets a side logs, so a test can open and re-seal its records.</summary>
internal sealed class KeyCapture : IKeyLog
{
    private readonly Dictionary<string, byte[]> _secrets = [];

    public void Write(string label, ReadOnlySpan<byte> clientRandom, ReadOnlySpan<byte> secret)
    {
        lock (_secrets) _secrets[label] = secret.ToArray();
    }

    public byte[] this[string label]
    {
        get { lock (_secrets) return _secrets[label]; }
    }
}

/// <summary>One record as it travels: header fields and fragment.</summary>
internal sealed record WireRecord(ContentType Type, ushort Version, byte[] Fragment)
{
    public byte[] Encode()
    {
        var bytes = new byte[5 + Fragment.Length];
        bytes[0] = (byte)Type;
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(1), Version);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(3), (ushort)Fragment.Length);
        Fragment.CopyTo(bytes, 5);
        return bytes;
    }
}

/// <summary>Cuts and rebuilds records and handshake messages for tampering tests.</summary>
internal static class WireSurgery
{
    public static List<WireRecord> Split(byte[] wire)
    {
        var list = new List<WireRecord>();
        int at = 0;
        while (at + 5 <= wire.Length)
        {
            int length = BinaryPrimitives.ReadUInt16BigEndian(wire.AsSpan(at + 3));
            list.Add(new WireRecord((ContentType)wire[at], BinaryPrimitives.ReadUInt16BigEndian(wire.AsSpan(at + 1)), wire.AsSpan(at + 5, length).ToArray()));
            at += 5 + length;
        }
        if (at != wire.Length) throw new InvalidOperationException("the bytes do not end on a record boundary");
        return list;
    }

    public static byte[] Join(IEnumerable<WireRecord> records) => records.SelectMany(r => r.Encode()).ToArray();

    /// <summary>A plaintext record.</summary>
    public static byte[] Record(ContentType type, ReadOnlySpan<byte> fragment, ushort version = 0x0303)
        => new WireRecord(type, version, fragment.ToArray()).Encode();

    /// <summary>A handshake message with the given type and body.</summary>
    public static byte[] Message(HandshakeType type, ReadOnlySpan<byte> body = default)
    {
        var bytes = new byte[4 + body.Length];
        bytes[0] = (byte)type;
        bytes[1] = (byte)(body.Length >> 16);
        bytes[2] = (byte)(body.Length >> 8);
        bytes[3] = (byte)body.Length;
        body.CopyTo(bytes.AsSpan(4));
        return bytes;
    }

    /// <summary>Splits a stream of whole handshake messages.</summary>
    public static List<byte[]> Messages(ReadOnlySpan<byte> stream)
    {
        var list = new List<byte[]>();
        while (!stream.IsEmpty)
        {
            int length = 4 + (stream[1] << 16 | stream[2] << 8 | stream[3]);
            list.Add(stream[..length].ToArray());
            stream = stream[length..];
        }
        return list;
    }

    public static Tls13RecordProtection Protection(CipherSuite suite, byte[] secret, ulong sequence = 0)
    {
        var aead = Tls13Keys.AeadOf(suite);
        using var keys = Tls13KeySchedule.DeriveTrafficKeys(CipherSuites.Info(suite)!.PrfHash, secret, AeadCipher.KeyLength(aead));
        return new Tls13RecordProtection(aead, keys.Key, keys.Iv, null, sequence);
    }

    /// <summary>Seals one record of <paramref name="type"/> under a traffic secret (sequence number as given).</summary>
    public static byte[] Seal(CipherSuite suite, byte[] secret, ContentType type, ReadOnlySpan<byte> plaintext, ulong sequence = 0)
    {
        using var protection = Protection(suite, secret, sequence);
        var output = new ArrayBufferWriter<byte>();
        protection.Seal(type, 0x0303, plaintext, output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// A hook for <see cref="InMemoryPair.ServerToClient"/> / <see cref="InMemoryPair.ClientToServer"/>
    /// that opens the first flight protected with the sender's handshake traffic keys, lets
    /// <paramref name="mutate"/> change its handshake messages, and re-seals them (one record).
    /// Later flights pass untouched.
    /// </summary>
    public static Func<byte[], byte[]> RewriteHandshakeFlight(KeyCapture keys, bool serverFlight, CipherSuite suite,
        Func<List<byte[]>, List<byte[]>> mutate, int fragment = 1 << 14)
    {
        bool done = false;
        return wire =>
        {
            var records = Split(wire);
            if (done || !records.Any(r => r.Type == ContentType.ApplicationData)) return wire;
            done = true;
            byte[] secret = keys[serverFlight ? KeyLogLabels.ServerHandshakeTrafficSecret : KeyLogLabels.ClientHandshakeTrafficSecret];
            using var opener = Protection(suite, secret);
            var handshake = new List<byte>();
            var output = new List<WireRecord>();
            int insertAt = -1;
            foreach (var record in records)
            {
                if (record.Type != ContentType.ApplicationData)
                {
                    output.Add(record);
                    continue;
                }
                byte[] fragment = (byte[])record.Fragment.Clone();
                var plain = opener.Open(record.Type, record.Version, fragment, out var inner);
                if (inner != ContentType.Handshake) throw new InvalidOperationException($"unexpected inner type {inner} in the flight");
                handshake.AddRange(plain.ToArray());
                if (insertAt < 0) insertAt = output.Count;
            }
            byte[] stream = mutate(Messages(handshake.ToArray())).SelectMany(m => m).ToArray();
            using var sealer = Protection(suite, secret);
            var sealedRecords = new ArrayBufferWriter<byte>();
            for (int at = 0; at < stream.Length; at += fragment)
                sealer.Seal(ContentType.Handshake, 0x0303, stream.AsSpan(at, Math.Min(fragment, stream.Length - at)), sealedRecords);
            output.InsertRange(insertAt, Split(sealedRecords.WrittenSpan.ToArray()));
            return Join(output);
        };
    }

    /// <summary>Cuts every plaintext handshake record into fragments of at most <paramref name="size"/> bytes.</summary>
    public static byte[] FragmentPlaintextHandshake(byte[] wire, int size)
        => Join(Split(wire).SelectMany(r => r.Type != ContentType.Handshake ? [r]
            : r.Fragment.Chunk(size).Select(c => r with { Fragment = c })));

    /// <summary>Replaces the first message of <paramref name="type"/> in a flight.</summary>
    public static Func<List<byte[]>, List<byte[]>> Replace(HandshakeType type, Func<byte[], byte[]> change)
        => messages =>
        {
            int i = messages.FindIndex(m => m[0] == (byte)type);
            if (i < 0) throw new InvalidOperationException($"no {type} in the flight");
            messages[i] = change(messages[i]);
            return messages;
        };

    /// <summary>Flips the last bit of a message (the end of a Finished's verify_data or a signature).</summary>
    public static byte[] FlipLastByte(byte[] message)
    {
        var copy = (byte[])message.Clone();
        copy[^1] ^= 0x01;
        return copy;
    }
}
