using CsCheck;
using SharpTls.Diagnostics;
using SharpTls.Messages;
using SharpTls.Wire;

namespace SharpTls.Tests.Fixtures;

/// <summary>
/// The dissector on every captured stream, every truncation of its plaintext part, every body
/// truncation of every message and random corruptions of whole streams: it never throws, shows
/// what it cannot read as a problem line, and agrees with the codec on what is malformed.
/// </summary>
public class FixtureDissectorTests
{
    private static readonly string[] Problems = ["[Malformed", "[Trailing", "[Not TLS", "[Incomplete"];

    private static readonly (CapturedHandshake H, DissectorDirection Direction, byte[] Stream, int PlaintextEnd)[] Streams =
    [
        .. FixtureKit.All.SelectMany(h => new[]
        {
            (h, DissectorDirection.ClientToServer, h.ClientToServer, h.Client.EncryptedFrom),
            (h, DissectorDirection.ServerToClient, h.ServerToClient, h.Server.EncryptedFrom),
        }),
    ];

    private static string Dissect(ReadOnlySpan<byte> stream, DissectorDirection direction)
        => string.Concat(Dissector.DissectStream(stream, direction).Select(n => n.ToString()));

    [Fact]
    public void WholeStreamsShowEveryPlaintextMessageWithoutProblems()
    {
        foreach (var h in FixtureKit.All)
        {
            // The server's side first: after the client's ChangeCipherSpec, only the negotiated version
            // tells whether its next handshake records are plaintext (TLS 1.3 after HelloRetryRequest) or not.
            var d = new Dissector();
            foreach (var (direction, stream, messages) in new[]
            {
                (DissectorDirection.ServerToClient, h.ServerToClient, h.Server.Messages),
                (DissectorDirection.ClientToServer, h.ClientToServer, h.Client.Messages),
            })
            {
                var text = string.Concat(d.Feed(direction, stream).Select(n => n.ToString()));
                Assert.DoesNotContain(Problems, p => text.Contains(p, StringComparison.Ordinal));
                var shown = text.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("Handshake Type: ", StringComparison.Ordinal));
                Assert.Equal(messages.Select(m => $"({m[0]})"), shown.Select(l => l[l.LastIndexOf('(')..]));
            }
            Assert.Empty(d.Finish());
        }
    }

    [Fact]
    public void EveryTruncationOfThePlaintextPartDissects()
    {
        int cases = 0;
        foreach (var (h, direction, stream, plaintextEnd) in Streams)
        {
            var boundaries = FixtureKit.ReadRecords(stream).Select(r => r.Offset).ToHashSet();
            for (int n = 1; n < Math.Min(stream.Length, plaintextEnd + 64); n++, cases++)
            {
                var text = Dissect(stream.AsSpan(0, n), direction);
                // Cut inside a record: the remainder is reported, never silently dropped.
                if (!boundaries.Contains(n))
                    Assert.True(text.Contains("[Incomplete", StringComparison.Ordinal), $"{h} {direction} cut at {n}");
            }
        }
        Assert.True(cases > 5000, $"{cases} cases");
    }

    [Fact]
    public void WhereTheCodecRejectsACutBodyTheDissectorShowsAProblem()
    {
        foreach (var h in FixtureKit.All)
        {
            foreach (var message in h.AllMessages)
            {
                for (int n = 0; n < message.Length - 4; n++)
                {
                    var cut = FixtureKit.CutBody(message, n);
                    var record = new TlsWriter();
                    record.WriteUInt8(22);
                    record.WriteUInt16(0x0303);
                    record.WriteVector(2, cut);
                    // Messages after the hellos need to know the version: let the dissector see the ServerHello first.
                    var d = new Dissector();
                    if (message[0] is not (1 or 2))
                        d.Feed(DissectorDirection.ServerToClient, Framed(h.Server.Messages[0]));
                    var direction = message[0] is 1 or 11 or 15 or 16 && h.Client.Messages.Contains(message)
                        ? DissectorDirection.ClientToServer : DissectorDirection.ServerToClient;
                    var text = string.Concat(d.Feed(direction, record.ToArray()).Select(x => x.ToString()))
                        + string.Concat(d.Finish().Select(x => x.Node.ToString()));
                    bool rejected;
                    try
                    {
                        HandshakeMessage.Decode(cut, FixtureKit.ContextFor(h, message));
                        rejected = false;
                    }
                    catch (TlsProtocolException e)
                    {
                        rejected = e.Alert == AlertDescription.DecodeError;
                    }
                    if (rejected)
                        Assert.True(Problems.Any(p => text.Contains(p, StringComparison.Ordinal)), $"{h} type {message[0]} cut to {n}:\n{text}");
                }
            }
        }
    }

    private static byte[] Framed(byte[] message) => [22, 3, 3, (byte)(message.Length >> 8), (byte)message.Length, .. message];

    [Fact]
    public void RandomCorruptionsOfWholeConnectionsDissect()
        => Gen.Select(Gen.Int[0, Streams.Length / 2 - 1], Gen.Int[1, 12], Gen.Int[1, 900].Array[1, 6], Gen.Int).Sample((index, corruptions, chunks, seed) =>
        {
            var random = new Random(seed);
            var h = Streams[2 * index].H;
            byte[] Corrupt(byte[] s, int end)
            {
                var bad = s.ToArray();
                for (int i = 0; i < corruptions; i++)
                {
                    // Mostly in the plaintext part, where the dissector decodes.
                    int at = random.Next(random.Next(3) == 0 ? bad.Length : end);
                    bad[at] = random.Next(3) switch { 0 => (byte)random.Next(256), 1 => (byte)(bad[at] ^ (1 << random.Next(8))), _ => (byte)(bad[at] + 1) };
                }
                return random.Next(3) == 0 ? bad[..random.Next(bad.Length)] : bad;
            }
            var c2s = Corrupt(h.ClientToServer, h.Client.EncryptedFrom);
            var s2c = Corrupt(h.ServerToClient, h.Server.EncryptedFrom);
            // Both directions through one dissector, alternating in the given chunk sizes.
            var d = new Dissector();
            int a = 0, b = 0;
            for (int i = 0; a < c2s.Length || b < s2c.Length; i++)
            {
                int n = chunks[i % chunks.Length];
                int ca = Math.Min(n, c2s.Length - a), cb = Math.Min(n, s2c.Length - b);
                foreach (var node in d.Feed(DissectorDirection.ClientToServer, c2s.AsSpan(a, ca))) _ = node.ToString();
                foreach (var node in d.Feed(DissectorDirection.ServerToClient, s2c.AsSpan(b, cb))) _ = node.ToString();
                a += ca;
                b += cb;
            }
            foreach (var (_, node) in d.Finish()) _ = node.ToString();
        }, iter: 3000, threads: 1);
}
