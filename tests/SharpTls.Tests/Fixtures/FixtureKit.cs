using SharpTls.Messages;
using SharpTls.Records;
using SharpTls.Wire;
using CodecMessage = SharpTls.Messages.HandshakeMessage;

namespace SharpTls.Tests.Fixtures;

/// <summary>A record as cut from a fixture stream (copied out of the deframer's buffer).</summary>
internal sealed record FixtureRecord(ContentType Type, ushort Version, byte[] Fragment, int Offset);

/// <summary>
/// The plaintext part of one direction of a captured handshake: the handshake messages (header
/// included) and alerts sent before record protection starts, and the offset where it starts.
/// </summary>
internal sealed record PlaintextFlight(IReadOnlyList<byte[]> Messages, IReadOnlyList<byte[]> Alerts, int EncryptedFrom);

/// <summary>
/// One captured handshake of tests/fixtures/handshakes (scripts/capture-fixtures.sh): both raw
/// byte streams, the version and suite the server chose, and the plaintext flights of each side.
/// </summary>
internal sealed class CapturedHandshake
{
    private CapturedHandshake(string name, byte[] c2s, byte[] s2c)
    {
        Name = name;
        ClientToServer = c2s;
        ServerToClient = s2c;
        // The server's first message is its ServerHello (or HelloRetryRequest): it fixes the version and suite.
        var first = FixtureKit.ReadRecords(s2c).First(r => r.Type == ContentType.Handshake).Fragment;
        var hello = CodecMessage.Decode<ServerHello>(first[..(4 + ((first[1] << 16) | (first[2] << 8) | first[3]))], MessageContext.None);
        Version = hello.IsHelloRetryRequest ? ProtocolVersion.Tls13 : hello.SelectedVersion;
        CipherSuite = hello.CipherSuite;
        Context = MessageContext.Negotiated(Version, CipherSuite);
        Client = FixtureKit.Plaintext(c2s, Version == ProtocolVersion.Tls13);
        Server = FixtureKit.Plaintext(s2c, Version == ProtocolVersion.Tls13);
    }

    public string Name { get; }
    public byte[] ClientToServer { get; }
    public byte[] ServerToClient { get; }
    public ProtocolVersion Version { get; }
    public ushort CipherSuite { get; }

    /// <summary>What the messages after ServerHello decode with.</summary>
    public MessageContext Context { get; }

    public PlaintextFlight Client { get; }
    public PlaintextFlight Server { get; }

    /// <summary>Every plaintext handshake message of both sides.</summary>
    public IEnumerable<byte[]> AllMessages => Client.Messages.Concat(Server.Messages);

    public IEnumerable<(string Direction, byte[] Stream)> Streams => [("c2s", ClientToServer), ("s2c", ServerToClient)];

    public override string ToString() => Name;

    private static readonly Dictionary<string, CapturedHandshake> Cache = [];

    public static CapturedHandshake Load(string name)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(name, out var h))
                Cache[name] = h = new CapturedHandshake(name,
                    File.ReadAllBytes(FixtureKit.Path($"handshakes/{name}.c2s.bin")),
                    File.ReadAllBytes(FixtureKit.Path($"handshakes/{name}.s2c.bin")));
            return h;
        }
    }
}

internal static class FixtureKit
{
    public static string Path(string relative) => System.IO.Path.Combine(AppContext.BaseDirectory, "fixtures", relative);

    /// <summary>The fixture names (one per .c2s.bin file).</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Directory.GetFiles(Path("handshakes"), "*.c2s.bin")
        .Select(f => System.IO.Path.GetFileName(f)[..^".c2s.bin".Length]).Order(StringComparer.Ordinal)];

    public static TheoryData<string> NameData() => new(Names);

    public static IEnumerable<CapturedHandshake> All => Names.Select(CapturedHandshake.Load);

    /// <summary>Every record of a whole stream, fed in the given chunk sizes (one chunk when null).</summary>
    public static List<FixtureRecord> ReadRecords(byte[] stream, IEnumerable<int>? chunks = null)
    {
        using var deframer = new RecordDeframer { MaxFragmentLength = RecordLimits.MaxCiphertextLengthTls12 };
        var records = new List<FixtureRecord>();
        int offset = 0, fed = 0;
        foreach (int size in Chunks(stream.Length, chunks))
        {
            var chunk = stream.AsSpan(fed, size);
            fed += size;
            while (!chunk.IsEmpty)
            {
                chunk = chunk[deframer.Feed(chunk)..];
                while (deframer.TryRead(out var record))
                {
                    records.Add(new FixtureRecord(record.Type, record.Version, record.Fragment.ToArray(), offset));
                    offset += record.Header.Length + record.Fragment.Length;
                }
            }
        }
        Assert.Equal(0, deframer.BufferedCount); // the captures end on a record boundary
        return records;
    }

    /// <summary>
    /// Deframes and reassembles one direction up to the start of record protection: the first
    /// application_data record, or (before TLS 1.3) the record after ChangeCipherSpec. Records are
    /// fed in the given chunk sizes (one chunk when null).
    /// </summary>
    public static PlaintextFlight Plaintext(byte[] stream, bool tls13, IEnumerable<int>? chunks = null)
    {
        var messages = new List<byte[]>();
        var alerts = new List<byte[]>();
        using var reassembler = new HandshakeReassembler();
        int encryptedFrom = stream.Length;
        foreach (var record in ReadRecords(stream, chunks))
        {
            reassembler.CheckInterleaving(record.Type);
            if (record.Type == ContentType.ApplicationData)
            {
                encryptedFrom = record.Offset;
                break;
            }
            if (record.Type == ContentType.ChangeCipherSpec)
            {
                if (tls13) continue; // the middlebox-compatibility CCS (RFC 8446 Appendix D.4)
                encryptedFrom = record.Offset + 5 + record.Fragment.Length;
                break;
            }
            if (record.Type == ContentType.Alert)
            {
                alerts.Add(record.Fragment);
                continue;
            }
            reassembler.Add(record.Fragment);
            while (reassembler.TryGetMessage(out var message))
                messages.Add(message.Bytes.ToArray());
        }
        Assert.False(reassembler.HasPartialData);
        return new PlaintextFlight(messages, alerts, encryptedFrom);
    }

    /// <summary>Chunk sizes covering <paramref name="length"/> bytes: the given ones (cycled), or one chunk.</summary>
    private static IEnumerable<int> Chunks(int length, IEnumerable<int>? sizes)
    {
        if (sizes is null)
        {
            if (length > 0) yield return length;
            yield break;
        }
        var list = sizes.ToList();
        for (int at = 0, i = 0; at < length; i++)
        {
            int n = Math.Min(Math.Max(1, list[i % list.Count]), length - at);
            yield return n;
            at += n;
        }
    }

    /// <summary>The context a message decodes with: hellos need none, later messages the negotiated one.</summary>
    public static MessageContext ContextFor(CapturedHandshake h, byte[] message)
        => message[0] is (byte)HandshakeType.ClientHello or (byte)HandshakeType.ServerHello ? MessageContext.None : h.Context;

    /// <summary>The message with its body cut to <paramref name="bodyLength"/> bytes and the header saying so.</summary>
    public static byte[] CutBody(byte[] message, int bodyLength)
    {
        var cut = message[..(4 + bodyLength)];
        cut[1] = (byte)(bodyLength >> 16);
        cut[2] = (byte)(bodyLength >> 8);
        cut[3] = (byte)bodyLength;
        return cut;
    }
}
