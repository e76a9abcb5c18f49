using System.Net.Sockets;
using SharpTls.Wire;

namespace SharpTls.Benchmarks.Harness;

/// <summary>
/// Stalled handshakes (issue 10, floods): many TCP connections that stop mid-handshake, held open while the
/// server's resident memory is read (after a full GC in .NET servers). Per connection: (VmRSS after - before) / N.
/// Every connection must still be open when the reading is taken (the server's handshake timeout has not run out);
/// the cell's note says how many the server had closed otherwise.
/// </summary>
internal static class Stalled
{
    /// <summary>A ClientHello as a TLS 1.3 client sends it (X25519 share only, so every server does the same key exchange).</summary>
    private static readonly Lazy<byte[]> Hello = new(() =>
    {
        using var client = TlsConnection.CreateClient(new TlsClientOptions
        {
            TargetHost = "localhost",
            KeyLog = null,
            Groups = [NamedGroup.X25519, NamedGroup.Secp256r1],
            KeyShareGroups = [NamedGroup.X25519],
        });
        return client.PendingOutput.ToArray();
    });

    public static Cell Measure(ServerUnderTest server, RunningServer running, StallKind kind, RunSize size, TextWriter log)
    {
        if (!server.Concurrent) return new(null, null, "n/a (serves one connection at a time)");
        byte[] bytes = kind switch
        {
            StallKind.NoBytes => [],
            StallKind.HalfRecordHeader => [(byte)ContentType.Handshake, 0x03],
            _ => Hello.Value,
        };
        Thread.Sleep(size.Settle);
        long? heap0 = running.Collect(TimeSpan.FromSeconds(60));
        long rss0 = Proc.RssBytes(running.MeasuredPid);
        var open = new List<Socket>(size.StalledConnections);
        var started = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            for (int i = 0; i < size.StalledConnections; i++)
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                open.Add(s);
                s.Connect(running.EndPoint);
                if (bytes.Length > 0) s.Send(bytes);
            }
            Thread.Sleep(size.Settle);
            long? heap1 = running.Collect(TimeSpan.FromSeconds(60));
            long rss1 = Proc.RssBytes(running.MeasuredPid);
            int closed = open.Count(ClosedByServer);
            string managed = heap0 is { } h0 && heap1 is { } h1 ? $"managed heap {(h1 - h0) / 1024.0 / open.Count:0.00} KB per connection" : "no collector";
            log.WriteLine($"    RSS {rss0 / 1024} KB -> {rss1 / 1024} KB with {open.Count} stalled connections ({managed}; {closed} closed by the server; {started.Elapsed.TotalSeconds:0.0} s)");
            string note = closed == 0 ? managed : $"{managed}; the server had closed {closed} of {open.Count} before the reading";
            return new((rss1 - rss0) / 1024.0 / open.Count, open.Count, note);
        }
        finally
        {
            foreach (var s in open) s.Dispose();
        }
    }

    /// <summary>True when the server has closed the connection (whatever it sent first, e.g. its flight, is drained).</summary>
    private static bool ClosedByServer(Socket s)
    {
        var scratch = new byte[16 * 1024];
        try
        {
            while (s.Poll(0, SelectMode.SelectRead))
            {
                if (s.Available == 0) return true;
                s.Receive(scratch);
            }
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }
}
