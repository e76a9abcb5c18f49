using SharpTls.Tests.Handshake;

namespace SharpTls.Tests.Records;

/// <summary>
/// One large write through <see cref="SharpTls.IO.TlsStream"/> over a real socket: it is sealed and sent in several
/// chunks of records (each record's plaintext encrypted straight from the caller's buffer into the output queue), and
/// every byte arrives, in order, on TLS 1.3 and TLS 1.2.
/// </summary>
public class LargeWriteTests
{
    [Theory]
    [InlineData(TlsVersions.Tls13)]
    [InlineData(TlsVersions.Tls12)]
    public async Task A_write_of_a_megabyte_and_some_arrives_whole(TlsVersions version)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var serverOptions = InMemoryPair.DefaultServer();
        serverOptions.Versions = version;
        await using var pair = await LoopbackTlsPair.ConnectAsync(serverOptions, InMemoryPair.DefaultClient(), timeout.Token);
        var (server, client) = (pair.Server, pair.Client);
        Assert.Equal(version == TlsVersions.Tls13 ? SharpTls.Wire.ProtocolVersion.Tls13 : SharpTls.Wire.ProtocolVersion.Tls12, server.Connection.Info.Version);

        // Not a multiple of a record or of a chunk, and written from an offset into a larger array.
        var data = new byte[1024 * 1024 + 16 * 1024 * 7 + 5];
        new Random(7).NextBytes(data);
        var write = server.WriteAsync(data.AsMemory(3), timeout.Token).AsTask();
        var received = new byte[data.Length - 3];
        int got = 0;
        while (got < received.Length)
        {
            int n = await client.ReadAsync(received.AsMemory(got), timeout.Token);
            Assert.True(n > 0, $"the stream ended after {got} of {received.Length} bytes");
            got += n;
        }
        await write;
        Assert.True(data.AsSpan(3).SequenceEqual(received));
    }
}
