using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using SharpTls.Crypto;

namespace SharpTls.Tests.Handshake;

/// <summary>
/// Issue 7 item 6 / DESIGN.md principle 8: a connection's records may go to a caller's <see cref="IBufferWriter{T}"/>
/// (<see cref="TlsConnection.OutputWriter"/>) instead of <see cref="TlsConnection.PendingOutput"/>. The bytes on the wire
/// must be the same either way: a whole conversation (handshake, 3 MiB one way, a reply, a KeyUpdate, close_notify) runs
/// with the same injected randomness through both paths, whole, fed one byte at a time and behind a slow reader, and
/// through a pipe whose flush waits for its reader.
/// </summary>
public class OutputWriterTests
{
    private const int Upload = 3 * 1024 * 1024;

    // Signatures are randomized (ECDSA): each run asks for the same content, so the first signature made for it is reused.
    private static readonly ConcurrentDictionary<string, byte[]> Signatures = new();

    private sealed class Side(TlsConnection connection, bool useWriter) : IDisposable
    {
        public TlsConnection Connection { get; } = connection;
        public ArrayBufferWriter<byte>? Writer { get; } = useWriter ? new ArrayBufferWriter<byte>() : null;
        public MemoryStream Sent { get; } = new();
        public MemoryStream Received { get; } = new();

        public void Start()
        {
            if (Writer is not null) Connection.OutputWriter = Writer; // the client's ClientHello moves from PendingOutput into it
        }

        /// <summary>What the connection produced since the last call, taken from its writer or its pending output.</summary>
        public byte[] TakeOutput()
        {
            byte[] bytes;
            if (Writer is not null)
            {
                Assert.Equal(0, Connection.PendingOutput.Length);
                bytes = Writer.WrittenSpan.ToArray();
                Writer.ResetWrittenCount();
            }
            else
            {
                bytes = Connection.PendingOutput.ToArray();
                Connection.ConsumeOutput(bytes.Length);
            }
            Sent.Write(bytes);
            return bytes;
        }

        public void Dispose() => Connection.Dispose();
    }

    private static (byte[] ClientToServer, byte[] ServerToClient) Converse(bool clientWriter, bool serverWriter, int piece, int readSize)
    {
        var serverOptions = InMemoryPair.DefaultServer();
        serverOptions.EnableSessionTickets = false; // tickets are sealed under a ring of random keys
        serverOptions.Crypto = new ScriptedCryptoProvider("server")
        {
            Signer = (scheme, certificate, content) => Signatures.GetOrAdd(Convert.ToHexString(content), _ => TlsSignatures.Sign(scheme, certificate, content)),
        };
        var clientOptions = InMemoryPair.DefaultClient();
        clientOptions.Crypto = new ScriptedCryptoProvider("client");
        using var client = new Side(TlsConnection.CreateClient(clientOptions), clientWriter);
        using var server = new Side(TlsConnection.CreateServer(TlsServerListener.FromOptions(serverOptions)), serverWriter);
        client.Start();
        server.Start();

        void Pump()
        {
            for (int round = 0; round < 100_000; round++)
            {
                bool moved = Move(client, server) | Move(server, client);
                if (!moved) return;
            }
            throw new InvalidOperationException("the connections kept talking");
        }

        bool Move(Side from, Side to)
        {
            byte[] bytes = from.TakeOutput();
            var buffer = new byte[readSize];
            int at = 0;
            while (at < bytes.Length)
            {
                int n = to.Connection.Feed(bytes.AsSpan(at, Math.Min(piece, bytes.Length - at)));
                at += n;
                if (to.Connection.Status == TlsStatus.WaitingForHost)
                    to.Connection.AnswerHostRequestAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
                int read = to.Connection.ReadApplicationData(buffer); // a reader of readSize bytes at a time: back-pressure
                to.Received.Write(buffer, 0, read);
                Assert.True(n > 0 || read > 0 || to.Connection.Status != TlsStatus.Handshaking, "the connection took no input");
            }
            int more;
            while ((more = to.Connection.ReadApplicationData(buffer)) > 0) to.Received.Write(buffer, 0, more);
            return bytes.Length > 0;
        }

        Pump();
        Assert.Equal(TlsStatus.Connected, client.Connection.Status);
        Assert.Equal(TlsStatus.Connected, server.Connection.Status);
        byte[] upload = new byte[Upload];
        new Random(7).NextBytes(upload);
        client.Connection.WriteApplicationData(upload);
        Pump();
        byte[] reply = new byte[100_000];
        new Random(8).NextBytes(reply);
        for (int i = 0; i < reply.Length; i += 1000) server.Connection.WriteApplicationData(reply.AsSpan(i, 1000));
        client.Connection.UpdateKeys(requestPeer: true); // the server answers with its own KeyUpdate while it reads
        client.Connection.WriteApplicationData("after the update"u8);
        Pump();
        client.Connection.Close();
        server.Connection.Close();
        Pump();

        Assert.Equal([.. upload, .. "after the update"u8], server.Received.ToArray());
        Assert.Equal(reply, client.Received.ToArray());
        Assert.Equal(TlsStatus.Closed, client.Connection.Status);
        Assert.Equal(TlsStatus.Closed, server.Connection.Status);
        return (client.Sent.ToArray(), server.Sent.ToArray());
    }

    [Fact]
    public void A_callers_writer_gets_the_same_bytes_as_pending_output()
    {
        var (c2s, s2c) = Converse(clientWriter: false, serverWriter: false, piece: int.MaxValue, readSize: 1 << 20);
        var (c2sWriter, s2cWriter) = Converse(clientWriter: true, serverWriter: true, piece: int.MaxValue, readSize: 1 << 20);
        Assert.True(c2s.Length > Upload);
        Assert.Equal(c2s, c2sWriter);
        Assert.Equal(s2c, s2cWriter);
    }

    [Fact]
    public void The_same_bytes_with_one_byte_feeds()
    {
        var (c2s, s2c) = Converse(clientWriter: false, serverWriter: false, piece: int.MaxValue, readSize: 1 << 20);
        // Only the server writes to a writer and is fed one byte at a time; 3 MiB byte by byte stays a few seconds.
        var (c2sWriter, s2cWriter) = Converse(clientWriter: false, serverWriter: true, piece: 1, readSize: 1 << 20);
        Assert.Equal(c2s, c2sWriter);
        Assert.Equal(s2c, s2cWriter);
    }

    [Fact]
    public void The_same_bytes_behind_a_slow_reader()
    {
        var (c2s, s2c) = Converse(clientWriter: false, serverWriter: false, piece: int.MaxValue, readSize: 1 << 20);
        var (c2sWriter, s2cWriter) = Converse(clientWriter: true, serverWriter: true, piece: int.MaxValue, readSize: 1000);
        Assert.Equal(c2s, c2sWriter);
        Assert.Equal(s2c, s2cWriter);
    }

    [Fact]
    public void Setting_a_writer_moves_pending_output_into_it_and_null_queues_again()
    {
        using var client = TlsConnection.CreateClient(InMemoryPair.DefaultClient());
        byte[] hello = client.PendingOutput.ToArray();
        Assert.NotEmpty(hello);
        var writer = new ArrayBufferWriter<byte>();
        client.OutputWriter = writer;
        Assert.Equal(0, client.PendingOutput.Length);
        Assert.Equal(hello, writer.WrittenSpan.ToArray());
        client.OutputWriter = null;
        client.Close(); // nothing is established: close_notify in the clear, queued again
        Assert.True(client.PendingOutput.Length > 0);
        Assert.Equal(hello.Length, writer.WrittenCount);
    }

    [Fact]
    public async Task A_pipe_whose_flush_waits_for_its_reader_carries_the_same_records()
    {
        var pair = new InMemoryPair(InMemoryPair.DefaultServer(), InMemoryPair.DefaultClient());
        using (pair)
        {
            pair.Handshake();
            var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 64 * 1024, resumeWriterThreshold: 32 * 1024, useSynchronizationContext: false));
            pair.Server.OutputWriter = pipe.Writer;
            byte[] data = new byte[1 << 20];
            new Random(9).NextBytes(data);

            // The server writes 1 MiB in 16 KiB pieces, waiting for each flush: with nobody reading, the first flush over
            // the pause threshold does not complete (the pipe pushes back), so the writer stops until the reader catches up.
            var writes = Task.Run(async () =>
            {
                bool waited = false;
                for (int i = 0; i < data.Length; i += 16 * 1024)
                {
                    pair.Server.WriteApplicationData(data.AsSpan(i, 16 * 1024));
                    var flush = pipe.Writer.FlushAsync();
                    waited |= !flush.IsCompleted;
                    await flush;
                }
                await pipe.Writer.CompleteAsync();
                return waited;
            });
            var received = new MemoryStream();
            var buffer = new byte[1 << 20];
            while (true)
            {
                var result = await pipe.Reader.ReadAsync();
                // A slow reader: at most 5,000 bytes per read.
                var take = result.Buffer.Slice(0, Math.Min(result.Buffer.Length, 5000));
                foreach (var segment in take) InMemoryPair.FeedAll(pair.Client, segment.Span);
                int n;
                while ((n = pair.Client.ReadApplicationData(buffer)) > 0) received.Write(buffer, 0, n);
                pipe.Reader.AdvanceTo(take.End);
                if (result.IsCompleted && take.Length == result.Buffer.Length) break;
            }
            Assert.True(await writes, "the pipe never made the writer wait");
            Assert.Equal(data, received.ToArray());
            Assert.Equal(0, pair.Server.PendingOutput.Length);
        }
    }
}
