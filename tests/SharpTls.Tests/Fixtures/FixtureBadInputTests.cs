using CsCheck;
using SharpTls.Messages;
using SharpTls.Records;
using SharpTls.Wire;
using CodecMessage = SharpTls.Messages.HandshakeMessage;

namespace SharpTls.Tests.Fixtures;

/// <summary>
/// Bad input built from real messages: every truncation, every length field of the hellos,
/// certificates and key exchanges made wrong, single-byte and random multi-byte corruptions.
/// Each ends in a <see cref="TlsProtocolException"/> with the right alert (or, for a corruption
/// that still parses, in a message that re-encodes to the corrupted bytes), never in another
/// exception, a hang, or an allocation sized by a length the bytes only claim.
/// </summary>
public class FixtureBadInputTests
{
    /// <summary>(handshake, message) for every plaintext message of every fixture.</summary>
    private static readonly (CapturedHandshake H, byte[] Message)[] Messages =
        [.. FixtureKit.All.SelectMany(h => h.AllMessages.Select(m => (h, m)))];

    /// <summary>Decodes; a success must re-encode to the input. Returns the alert, or null on success.</summary>
    private static AlertDescription? Outcome(byte[] input, MessageContext context)
    {
        try
        {
            var message = CodecMessage.Decode(input, context);
            Assert.Equal(input, message.Encode());
            return null;
        }
        catch (TlsProtocolException e)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Reason));
            return e.Alert;
        }
    }

    [Fact]
    public void EveryTruncationIsDecodeError()
    {
        int cases = 0;
        foreach (var (h, message) in Messages)
        {
            var context = FixtureKit.ContextFor(h, message);
            for (int n = 0; n < message.Length; n++, cases++)
                Assert.Equal(AlertDescription.DecodeError, Outcome(message[..n], context));
        }
        Assert.True(cases > 5000, $"{cases} cases");
    }

    [Fact]
    public void EveryBodyTruncationUnderACorrectHeaderIsDecodeError()
    {
        // Now the outer length agrees: the inner vectors must notice what is missing.
        foreach (var (h, message) in Messages)
        {
            var context = FixtureKit.ContextFor(h, message);
            for (int n = 0; n < message.Length - 4; n++)
            {
                var outcome = Outcome(FixtureKit.CutBody(message, n), context);
                // A hello cut exactly before its extensions is a valid extension-less hello (RFC 5246 §7.4.1.2).
                if (outcome is null && message[0] is 1 or 2 && IsBeforeExtensions(message, n))
                    continue;
                Assert.True(outcome == AlertDescription.DecodeError, $"{h} type {message[0]} cut to {n}: {outcome?.ToString() ?? "decoded"}");
            }
        }
    }

    private static bool IsBeforeExtensions(byte[] message, int bodyLength)
        => LengthFields(message).FirstOrDefault(f => f.Name == "extensions") is { } ext && ext.Offset == 4 + bodyLength;

    public static TheoryData<string> Names() => FixtureKit.NameData();

    [Theory]
    [MemberData(nameof(Names))]
    public void EveryLengthFieldOffByOneOrMaximalIsDecodeError(string name)
    {
        var h = CapturedHandshake.Load(name);
        int fields = 0;
        foreach (var message in h.AllMessages)
        {
            var context = FixtureKit.ContextFor(h, message);
            foreach (var field in LengthFields(message))
            {
                fields++;
                long value = Read(message, field);
                long max = (1L << (8 * field.Size)) - 1;
                foreach (long wrong in new[] { value - 1, value + 1, max }.Where(v => v >= 0 && v <= max && v != value).Distinct())
                {
                    var bad = message.ToArray();
                    Write(bad, field, wrong);
                    var outcome = Outcome(bad, context);
                    Assert.True(outcome == AlertDescription.DecodeError,
                        $"{name} type {message[0]} {field.Name}@{field.Offset} {value} -> {wrong}: {outcome?.ToString() ?? "decoded"}");
                }
            }
        }
        Assert.True(fields >= 10, $"{fields} length fields");
    }

    [Fact]
    public void EverySingleByteCorruptionDecodesOrFailsCleanly()
    {
        var seen = new HashSet<AlertDescription>();
        foreach (var (h, message) in Messages)
        {
            var context = FixtureKit.ContextFor(h, message);
            var bad = message.ToArray();
            for (int i = 0; i < bad.Length; i++)
            {
                byte original = bad[i];
                foreach (byte v in new[] { (byte)(original + 1), (byte)(original - 1), (byte)(original ^ 0x80), (byte)0, (byte)0xFF })
                {
                    if (v == original) continue;
                    bad[i] = v;
                    if (Outcome(bad, context) is { } alert) seen.Add(alert);
                }
                bad[i] = original;
            }
        }
        // Only the codec's alerts: malformed, forbidden values, or a message type out of place.
        Assert.Subset(new HashSet<AlertDescription> { AlertDescription.DecodeError, AlertDescription.IllegalParameter, AlertDescription.UnexpectedMessage }, seen);
        Assert.Contains(AlertDescription.DecodeError, seen);
    }

    [Fact]
    public void RandomCorruptionsDecodeOrFailCleanly()
    {
        Gen.Select(Gen.Int[0, Messages.Length - 1], Gen.Int[1, 8], Gen.Int).Sample((index, corruptions, seed) =>
        {
            var (h, message) = Messages[index];
            var random = new Random(seed);
            var bad = message.ToArray();
            for (int i = 0; i < corruptions; i++)
            {
                int at = random.Next(bad.Length);
                bad[at] = random.Next(4) switch
                {
                    0 => (byte)random.Next(256),
                    1 => (byte)(bad[at] ^ (1 << random.Next(8))),
                    2 => (byte)(bad[at] + 1),
                    _ => (byte)(bad[at] - 1),
                };
            }
            if (random.Next(4) == 0) bad = bad[..random.Next(bad.Length)];
            Outcome(bad, FixtureKit.ContextFor(h, message));
        }, iter: 20000, threads: 1);
    }

    [Fact]
    public void A24BitLengthClaimingSixteenMegabytesAllocatesNothingLikeThat()
    {
        int checkedFields = 0;
        foreach (var (h, message) in Messages)
        {
            var context = FixtureKit.ContextFor(h, message);
            foreach (var field in LengthFields(message).Where(f => f.Size == 3))
            {
                var bad = message.ToArray();
                Write(bad, field, 0xFFFFFF);
                Outcome(bad, context); // warm up
                long before = GC.GetAllocatedBytesForCurrentThread();
                var outcome = Outcome(bad, context);
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                Assert.Equal(AlertDescription.DecodeError, outcome);
                Assert.True(allocated < 64 * 1024 + 4 * message.Length, $"{h} type {message[0]} {field.Name}: {allocated} bytes allocated");
                checkedFields++;
            }
        }
        Assert.True(checkedFields >= 20, $"{checkedFields} fields"); // every header, every certificate list and entry

        // The reassembler refuses such a header before buffering anything for it.
        var claim = Messages[0].Message.ToArray();
        claim[1] = claim[2] = claim[3] = 0xFF;
        for (int round = 0; round < 2; round++) // the first round warms up
        {
            using var reassembler = new HandshakeReassembler();
            long start = GC.GetAllocatedBytesForCurrentThread();
            var e = Assert.Throws<TlsProtocolException>(() => reassembler.Add(claim));
            Assert.Equal(AlertDescription.IllegalParameter, e.Alert);
            if (round == 1) Assert.True(GC.GetAllocatedBytesForCurrentThread() - start < 64 * 1024);
        }
    }

    // ---- where the length fields are -------------------------------------------------------

    internal sealed record LengthField(string Name, int Offset, int Size);

    private static long Read(byte[] b, LengthField f)
    {
        long v = 0;
        for (int i = 0; i < f.Size; i++) v = (v << 8) | b[f.Offset + i];
        return v;
    }

    private static void Write(byte[] b, LengthField f, long v)
    {
        for (int i = f.Size - 1; i >= 0; i--, v >>= 8) b[f.Offset + i] = (byte)v;
    }

    /// <summary>
    /// The length fields of a message, found by walking its structure (RFC 8446 §4, RFC 5246 §7.4):
    /// the header, the hellos' vectors and each extension's length, the TLS 1.2 certificate list and
    /// entries, the ECDHE key exchange vectors and the TLS 1.2 ticket.
    /// </summary>
    internal static List<LengthField> LengthFields(byte[] m)
    {
        var fields = new List<LengthField> { new("header", 1, 3) };
        int at = 4;
        int U8() => m[at];
        int U16() => (m[at] << 8) | m[at + 1];
        int U24() => (m[at] << 16) | (m[at + 1] << 8) | m[at + 2];
        void Vector(string name, int size)
        {
            fields.Add(new(name, at, size));
            int n = size switch { 1 => U8(), 2 => U16(), _ => U24() };
            at += size + n;
        }
        void Extensions()
        {
            if (at == m.Length) return;
            fields.Add(new("extensions", at, 2));
            at += 2;
            while (at < m.Length)
            {
                at += 2;
                Vector("extension_data", 2);
            }
        }
        switch ((HandshakeType)m[0])
        {
            case HandshakeType.ClientHello:
                at += 2 + 32;
                Vector("session_id", 1);
                Vector("cipher_suites", 2);
                Vector("compression_methods", 1);
                Extensions();
                break;
            case HandshakeType.ServerHello:
                at += 2 + 32;
                Vector("session_id", 1);
                at += 3;
                Extensions();
                break;
            case HandshakeType.Certificate when m.Length > 7 && U24() == m.Length - 7: // TLS 1.2 form
                fields.Add(new("certificate_list", at, 3));
                at += 3;
                while (at < m.Length) Vector("ASN.1Cert", 3);
                break;
            case HandshakeType.ServerKeyExchange when m[at] == 3: // named_curve
                at += 3;
                Vector("public", 1);
                if (m.Length - at - 2 != U16()) at += 2; // TLS 1.2: SignatureScheme first
                Vector("signature", 2);
                break;
            case HandshakeType.ClientKeyExchange:
                Vector("ecdh_Yc", 1);
                break;
            case HandshakeType.NewSessionTicket when m.Length >= 10 && U16At(m, 8) == m.Length - 10: // TLS 1.2 form
                at += 4;
                Vector("ticket", 2);
                break;
        }
        Assert.Equal(m.Length, at);
        return fields;
    }

    private static int U16At(byte[] m, int at) => (m[at] << 8) | m[at + 1];
}
