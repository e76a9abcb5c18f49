using SharpTls.Records;
using SharpTls.Wire;
using static SharpTls.Tests.Records.RecordTestUtil;

namespace SharpTls.Tests.Records;

public class Sslv2ClientHelloTests
{
    private static readonly byte[] Challenge = Enumerable.Range(0xA0, 16).Select(i => (byte)i).ToArray();

    private static byte[] V2Hello(ushort version, byte[] specs, byte[] sessionId, byte[] challenge)
    {
        var body = new List<byte> { 1, (byte)(version >> 8), (byte)version,
            (byte)(specs.Length >> 8), (byte)specs.Length,
            (byte)(sessionId.Length >> 8), (byte)sessionId.Length,
            (byte)(challenge.Length >> 8), (byte)challenge.Length };
        body.AddRange(specs);
        body.AddRange(sessionId);
        body.AddRange(challenge);
        return [(byte)(0x80 | (body.Count >> 8)), (byte)body.Count, .. body];
    }

    // RC2/RC4 SSL 2.0 kinds (first byte != 0), then TLS_RSA_WITH_AES_128_CBC_SHA, 3DES, and the renegotiation SCSV.
    private static readonly byte[] Specs = Hex("010080 00002f 07 00c0 00000a 0000ff");

    [Fact]
    public void RecognisedOnFirstBytesAndParsedIntoClientHelloFields()
    {
        var wire = V2Hello(0x0301, Specs, [], Challenge);
        var d = new RecordDeframer { AcceptSslv2ClientHello = true };
        var rec = Assert.Single(Drain(d, Split(wire, 1, 2, 3)));
        Assert.True(rec.Sslv2);
        Assert.Equal((ushort)0x0002, rec.Version);

        var hello = Sslv2ClientHello.Parse(rec.Fragment);
        Assert.Equal((ushort)0x0301, hello.Version);
        Assert.False(hello.IsSsl2Only);
        Assert.Equal(new ushort[] { 0x002f, 0x000a, 0x00ff }, hello.CipherSuites);
        Assert.Equal(Specs, hello.CipherSpecs.ToArray());
        Assert.True(hello.SessionId.IsEmpty);
        var random = hello.Random.ToArray();
        Assert.Equal(32, random.Length);
        Assert.Equal(new byte[16], random[..16]);
        Assert.Equal(Challenge, random[16..]);
        // The transcript hashes the message without the 2-byte header.
        Assert.Equal(wire[2..], hello.MessageBytes.ToArray());
    }

    [Fact]
    public void A32ByteChallengeIsTheWholeRandom()
    {
        var challenge = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var hello = Sslv2ClientHello.Parse(V2Hello(0x0303, Specs, [], challenge)[2..]);
        Assert.Equal(challenge, hello.Random.ToArray());
    }

    [Fact]
    public void RealSsl2ClientIsFlagged()
    {
        var hello = Sslv2ClientHello.Parse(V2Hello(0x0002, Hex("010080 030080"), [], Challenge)[2..]);
        Assert.True(hello.IsSsl2Only);
        Assert.Empty(hello.CipherSuites);
    }

    [Fact]
    public void OnlyTheFirstRecordAndOnlyWhenEnabled()
    {
        var wire = V2Hello(0x0301, Specs, [], Challenge);
        var ex = Assert.Throws<TlsProtocolException>(() => Drain(new RecordDeframer(), [wire]));
        Assert.Equal(AlertDescription.UnexpectedMessage, ex.Alert);

        var d = new RecordDeframer { AcceptSslv2ClientHello = true };
        Drain(d, [Record(ContentType.Handshake, 0x0301, [1])]);
        ex = Assert.Throws<TlsProtocolException>(() => Drain(d, [wire]));
        Assert.Equal(AlertDescription.UnexpectedMessage, ex.Alert);
    }

    [Fact]
    public void V2RecordLongerThanTheLimitOverflows()
    {
        var ex = Assert.Throws<TlsProtocolException>(() => Drain(new RecordDeframer { AcceptSslv2ClientHello = true }, [[0xFF, 0xFF, 1]]));
        Assert.Equal(AlertDescription.RecordOverflow, ex.Alert);
    }

    public static TheoryData<string, byte[], AlertDescription> Malformed => new()
    {
        { "spec length not multiple of 3", V2Hello(0x0301, Specs[..5], [], Challenge)[2..], AlertDescription.DecodeError },
        { "no specs", V2Hello(0x0301, [], [], Challenge)[2..], AlertDescription.DecodeError },
        { "challenge 15", V2Hello(0x0301, Specs, [], Challenge[..15])[2..], AlertDescription.DecodeError },
        { "challenge 33", V2Hello(0x0301, Specs, [], new byte[33])[2..], AlertDescription.DecodeError },
        { "session id 8", V2Hello(0x0301, Specs, new byte[8], Challenge)[2..], AlertDescription.DecodeError },
        { "session id with TLS 1.2", V2Hello(0x0303, Specs, new byte[16], Challenge)[2..], AlertDescription.IllegalParameter },
        { "trailing byte", [.. V2Hello(0x0301, Specs, [], Challenge)[2..], 0], AlertDescription.DecodeError },
        { "truncated", V2Hello(0x0301, Specs, [], Challenge)[2..^1], AlertDescription.DecodeError },
        { "msg_type 2", [2, .. V2Hello(0x0301, Specs, [], Challenge)[3..]], AlertDescription.UnexpectedMessage },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedHellosAreRefused(string name, byte[] body, AlertDescription alert)
    {
        var ex = Assert.Throws<TlsProtocolException>(() => Sslv2ClientHello.Parse(body));
        Assert.True(alert == ex.Alert, $"{name}: {ex.Message}");
        Assert.Contains("V2ClientHello", ex.Reason);
    }

    [Fact]
    public void SessionIdOf16IsAcceptedBelowTls12()
    {
        var sid = Enumerable.Repeat((byte)9, 16).ToArray();
        Assert.Equal(sid, Sslv2ClientHello.Parse(V2Hello(0x0301, Specs, sid, Challenge)[2..]).SessionId.ToArray());
    }
}
