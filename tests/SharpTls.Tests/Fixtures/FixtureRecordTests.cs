using CsCheck;
using SharpTls.Records;
using SharpTls.Wire;

namespace SharpTls.Tests.Fixtures;

/// <summary>
/// The captured streams through <see cref="RecordDeframer"/> and <see cref="HandshakeReassembler"/>:
/// whole, byte by byte, in random chunkings and re-fragmented into records of random sizes, they
/// give the same records and messages; corrupt record headers and misplaced records give the
/// alerts of RFC 5246 §6.2 / RFC 8446 §5.1.
/// </summary>
public class FixtureRecordTests
{
    private static readonly (CapturedHandshake H, string Direction, byte[] Stream)[] Streams =
        [.. FixtureKit.All.SelectMany(h => h.Streams.Select(s => (h, s.Direction, s.Stream)))];

    private static string Show(IEnumerable<FixtureRecord> records)
        => string.Join(";", records.Select(r => $"{r.Type}/{r.Version:x4}/{r.Offset}/{Convert.ToHexString(r.Fragment)}"));

    private static string Show(PlaintextFlight f)
        => $"{string.Join(",", f.Messages.Select(Convert.ToHexString))}|{string.Join(",", f.Alerts.Select(Convert.ToHexString))}|{f.EncryptedFrom}";

    [Fact]
    public void ByteByByteGivesTheSameRecordsAndMessages()
    {
        foreach (var (h, direction, stream) in Streams)
        {
            var whole = FixtureKit.ReadRecords(stream);
            Assert.True(whole.Count >= 2, $"{h} {direction}");
            Assert.Equal(stream.Length, whole.Sum(r => 5 + r.Fragment.Length));
            Assert.Equal(Show(whole), Show(FixtureKit.ReadRecords(stream, [1])));
            bool tls13 = h.Version == ProtocolVersion.Tls13;
            Assert.Equal(Show(FixtureKit.Plaintext(stream, tls13)), Show(FixtureKit.Plaintext(stream, tls13, [1])));
        }
    }

    [Fact]
    public void RandomChunkingsGiveTheSameRecordsAndMessages()
        => Gen.Select(Gen.Int[0, Streams.Length - 1], Gen.Int[1, 700].Array[1, 12]).Sample((index, chunks) =>
        {
            var (h, _, stream) = Streams[index];
            bool tls13 = h.Version == ProtocolVersion.Tls13;
            Assert.Equal(Show(FixtureKit.ReadRecords(stream)), Show(FixtureKit.ReadRecords(stream, chunks)));
            Assert.Equal(Show(FixtureKit.Plaintext(stream, tls13)), Show(FixtureKit.Plaintext(stream, tls13, chunks)));
        }, iter: 1000, threads: 1);

    [Fact]
    public void MessagesRefragmentedIntoRandomRecordsReassembleTheSame()
        => Gen.Select(Gen.Int[0, Streams.Length - 1], Gen.Int[1, 300].Array[1, 8], Gen.Int[1, 500].Array[1, 8]).Sample((index, fragments, chunks) =>
        {
            var (h, direction, _) = Streams[index];
            var messages = (direction == "c2s" ? h.Client : h.Server).Messages;
            var stream = Records(ContentType.Handshake, messages.SelectMany(m => m).ToArray(), fragments);
            var again = FixtureKit.Plaintext(stream, tls13: false, chunks);
            Assert.Equal(messages.Select(Convert.ToHexString), again.Messages.Select(Convert.ToHexString));
        }, iter: 500, threads: 1);

    /// <summary><paramref name="payload"/> cut into records of <paramref name="type"/> with the given fragment sizes (cycled).</summary>
    private static byte[] Records(ContentType type, byte[] payload, int[] sizes)
    {
        var w = new TlsWriter();
        for (int at = 0, i = 0; at < payload.Length; i++)
        {
            int n = Math.Min(sizes[i % sizes.Length], payload.Length - at);
            w.WriteUInt8((byte)type);
            w.WriteUInt16(0x0303);
            w.WriteVector(2, payload.AsSpan(at, n));
            at += n;
        }
        return w.ToArray();
    }

    /// <summary>Runs the stream through the deframer and reassembler; the alert it ends in, or null.</summary>
    private static AlertDescription? Alert(byte[] stream, bool tls13, IEnumerable<int>? chunks = null)
    {
        try
        {
            using var deframer = new RecordDeframer();
            using var reassembler = new HandshakeReassembler();
            var rest = stream.AsSpan();
            foreach (int size in chunks ?? [stream.Length])
            {
                var chunk = rest[..Math.Min(size, rest.Length)];
                rest = rest[chunk.Length..];
                while (!chunk.IsEmpty)
                {
                    chunk = chunk[deframer.Feed(chunk)..];
                    while (deframer.TryRead(out var record))
                    {
                        reassembler.CheckInterleaving(record.Type);
                        if (record.Type == ContentType.Handshake)
                        {
                            reassembler.Add(record.Fragment);
                            while (reassembler.TryGetMessage(out _)) { }
                        }
                        else if (record.Type == ContentType.ApplicationData || (record.Type == ContentType.ChangeCipherSpec && !tls13))
                            return null; // protected from here on
                    }
                }
            }
            return null;
        }
        catch (TlsProtocolException e)
        {
            return e.Alert;
        }
    }

    [Fact]
    public void CorruptRecordHeadersGiveTheRightAlerts()
    {
        int headers = 0;
        foreach (var (h, direction, stream) in Streams)
        {
            bool tls13 = h.Version == ProtocolVersion.Tls13;
            var records = FixtureKit.ReadRecords(stream);
            int plaintextEnd = (direction == "c2s" ? h.Client : h.Server).EncryptedFrom;
            for (int i = 0; i < records.Count && records[i].Offset < plaintextEnd; i++, headers++)
            {
                var r = records[i];
                AlertDescription? With(int at, params byte[] bytes)
                {
                    var bad = stream.ToArray();
                    bytes.CopyTo(bad, r.Offset + at);
                    return Alert(bad, tls13);
                }
                string where = $"{h} {direction} record {i}";
                foreach (byte type in new byte[] { 0, 19, 24, 0x80, 0xFF })
                    Assert.True(With(0, type) == AlertDescription.UnexpectedMessage, where);
                foreach (byte major in new byte[] { 0, 2, 4, 0xFF })
                    Assert.True(With(1, major) == (i == 0 ? AlertDescription.ProtocolVersion : AlertDescription.DecodeError), where);
                Assert.True(With(3, 0x40, 0x01) == AlertDescription.RecordOverflow, where); // 2^14 + 1 plaintext bytes
                Assert.True(With(3, 0xFF, 0xFF) == AlertDescription.RecordOverflow, where);
                var empty = r.Type switch
                {
                    ContentType.Handshake or ContentType.Alert => AlertDescription.UnexpectedMessage, // RFC 8446 §5.1
                    _ => AlertDescription.DecodeError, // a change_cipher_spec record is never empty
                };
                Assert.True(With(3, 0, 0) == empty, where);
                // A handshake message claiming 16 MB is refused as soon as its header is in.
                if (r.Type == ContentType.Handshake)
                    Assert.True(With(6, 0xFF, 0xFF, 0xFF) == AlertDescription.IllegalParameter, where);
                // A record length one off desynchronises the stream: whatever follows, the outcome is an alert or a wait for more bytes.
                foreach (int delta in new[] { -1, 1 })
                {
                    var bad = stream.ToArray();
                    int length = r.Fragment.Length + delta;
                    bad[r.Offset + 3] = (byte)(length >> 8);
                    bad[r.Offset + 4] = (byte)length;
                    Alert(bad, tls13, [1]);
                }
            }
        }
        Assert.True(headers >= 30, $"{headers} headers");
    }

    [Fact]
    public void RecordsOfAnotherTypeInsideAFragmentedMessageAreUnexpected()
    {
        foreach (var h in FixtureKit.All)
        {
            var hello = h.Client.Messages[0];
            var first = Records(ContentType.Handshake, hello[..10], [10]);
            var rest = Records(ContentType.Handshake, hello[10..], [hello.Length]);
            foreach (var (type, body) in new[] { (ContentType.ChangeCipherSpec, new byte[] { 1 }), (ContentType.Alert, new byte[] { 1, 0 }), (ContentType.ApplicationData, new byte[] { 0 }) })
            {
                var intruder = Records(type, body, [body.Length]);
                Assert.Equal(AlertDescription.UnexpectedMessage, Alert([.. first, .. intruder, .. rest], tls13: true));
            }
            Assert.Null(Alert([.. first, .. rest], tls13: true));
        }
    }
}
