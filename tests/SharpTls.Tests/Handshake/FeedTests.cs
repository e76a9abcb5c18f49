namespace SharpTls.Tests.Handshake;

/// <summary>
/// Issue 7 item 6: <see cref="TlsConnection.Feed"/> takes what it can and says how much (rustls' read_tls), so a
/// caller may hand it any amount: megabytes at once, one byte at a time, or more than its reader keeps up with.
/// </summary>
public class FeedTests
{
    private const int Size = 3 * 1024 * 1024;

    private static (InMemoryPair Pair, byte[] Sent, byte[] Wire) ClientSends()
    {
        var pair = new InMemoryPair(InMemoryPair.DefaultServer(), InMemoryPair.DefaultClient());
        pair.Handshake();
        byte[] sent = new byte[Size];
        new Random(7).NextBytes(sent);
        pair.Client.WriteApplicationData(sent);
        byte[] wire = pair.Client.PendingOutput.ToArray();
        pair.Client.ConsumeOutput(wire.Length);
        return (pair, sent, wire);
    }

    /// <summary>Feeds <paramref name="wire"/> in pieces of <paramref name="piece"/> bytes, reading at most
    /// <paramref name="readSize"/> bytes between feeds; returns what was read.</summary>
    private static byte[] Receive(TlsConnection server, byte[] wire, int piece, int readSize)
    {
        using var received = new MemoryStream();
        var buffer = new byte[readSize];
        int at = 0;
        while (at < wire.Length || server.BufferedApplicationData > 0)
        {
            if (at < wire.Length)
                at += server.Feed(wire.AsSpan(at, Math.Min(piece, wire.Length - at)));
            Assert.True(server.Status == TlsStatus.Connected, $"{server.Status}: {server.Failure}");
            Assert.True(server.BufferedApplicationData <= TlsConnection.ReadAheadLimit + 16 * 1024 + 256,
                $"{server.BufferedApplicationData} bytes buffered: the read-ahead limit did not hold");
            int n = server.ReadApplicationData(buffer);
            received.Write(buffer, 0, n);
        }
        return received.ToArray();
    }

    [Fact]
    public void ThreeMegabytesAtOnce()
    {
        var (pair, sent, wire) = ClientSends();
        using (pair)
            Assert.Equal(sent, Receive(pair.Server, wire, piece: wire.Length, readSize: 1 << 20));
    }

    [Fact]
    public void OneByteAtATime()
    {
        var (pair, sent, wire) = ClientSends();
        using (pair)
            Assert.Equal(sent, Receive(pair.Server, wire, piece: 1, readSize: 1 << 20));
    }

    [Fact]
    public void BackPressureFromASlowReader()
    {
        var (pair, sent, wire) = ClientSends();
        using (pair)
            Assert.Equal(sent, Receive(pair.Server, wire, piece: wire.Length, readSize: 1000));
    }

    [Fact]
    public void AFeedThatIsNotTakenIsReportedNotLost()
    {
        var (pair, _, wire) = ClientSends();
        using (pair)
        {
            int taken = pair.Server.Feed(wire);
            Assert.InRange(taken, 1, wire.Length - 1);
            Assert.True(pair.Server.BufferedApplicationData >= TlsConnection.ReadAheadLimit);
            Assert.Equal(0, pair.Server.Feed(wire.AsSpan(taken)));
        }
    }
}
