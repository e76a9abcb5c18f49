using System.Net;
using System.Net.Sockets;
using Xunit.Abstractions;
using SharpTls.Hosting.Tests.Demo;

namespace SharpTls.Hosting.Tests.Kestrel;

/// <summary>
/// Abuse: 3,000 connections stall mid-handshake against the real <c>sharptls serve</c> (a third send nothing, a third
/// half a record, a third a whole ClientHello and then silence). The handshake timeout closes every one, the
/// server's memory per stalled connection stays bounded (measured from its resident set and reported), and curl
/// is served all along.
/// </summary>
public sealed class StalledHandshakeTests(ITestOutputHelper output)
{
    private const int Stalled = 3000;

    [Fact]
    public async Task Three_thousand_stalled_handshakes_are_closed_by_the_timeout_while_curl_is_served()
    {
        await using var serve = await DemoServe.StartAsync("--handshake-timeout", "6");
        string ca = serve.Ca;
        int port = serve.Port;
        async Task CurlServed(string when)
        {
            var r = await Peer.CurlAsync("--cacert", ca, "-o", "/dev/null", "-w", "%{http_code}", $"https://localhost:{port}/");
            Assert.True(r.ExitCode == 0 && r.Stdout == "200", $"curl {when}: {r}");
        }
        for (int i = 0; i < 5; i++) await CurlServed("before the stall"); // warm: JIT, pools
        long before = ResidentKb(serve.Serve.Pid);

        // A real ClientHello, made by the engine's client.
        byte[] clientHello;
        using (var client = TlsConnection.CreateClient(new TlsClientOptions { TargetHost = "localhost", SkipCertificateVerification = true }))
            clientHello = client.PendingOutput.ToArray();
        var sockets = new List<Socket>(Stalled);
        try
        {
            for (int batch = 0; batch < Stalled; batch += 100)
            {
                var opening = new List<Task<Socket>>();
                for (int i = batch; i < batch + 100; i++)
                {
                    int kind = i % 3;
                    opening.Add(Task.Run(async () =>
                    {
                        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                        await s.ConnectAsync(IPAddress.Loopback, port);
                        if (kind == 1) await s.SendAsync(clientHello.AsMemory(0, 5 + (clientHello.Length - 5) / 2)); // half a record
                        else if (kind == 2) await s.SendAsync(clientHello); // a ClientHello, then silence
                        return s;
                    }));
                }
                sockets.AddRange(await Task.WhenAll(opening));
                if (batch % 1000 == 900) await CurlServed($"with {sockets.Count} stalled connections");
            }
            await Task.Delay(1000);
            long during = ResidentKb(serve.Serve.Pid);
            await CurlServed($"with all {Stalled} stalled");
            double perConnection = (during - before) / (double)Stalled;
            string report = $"server resident set {before} KB before, {during} KB with {Stalled} stalled handshakes: {perConnection:0.0} KB per stalled connection";
            output.WriteLine(report);
            await File.WriteAllTextAsync(TestArtifacts.PathFor("abuse", "stalled-handshakes.txt"), report + "\n");
            Assert.True(perConnection < 64, report); // bounded: no per-connection record buffers held while waiting

            // Every stalled connection is closed by the server (the handshake timeout): the read ends.
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            var closed = sockets.Select(async s =>
            {
                var buffer = new byte[4096];
                try
                {
                    while (await s.ReceiveAsync(buffer, SocketFlags.None, cts.Token) > 0) { } // the ClientHello ones get the server's flight first
                }
                catch (SocketException) { } // reset: closed too
                return true;
            });
            var all = Task.WhenAll(closed);
            while (!all.IsCompleted)
            {
                await CurlServed("while the timeouts close the stalled connections");
                await Task.WhenAny(all, Task.Delay(1000));
            }
            Assert.All(await all, Assert.True);
            await CurlServed("after the stall");
            // Closed by the handshake timeout, each of them: one HandshakeTimedOut event per stalled connection.
            int timedOut = 0;
            for (var until = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < until; await Task.Delay(200))
                if ((timedOut = System.Text.RegularExpressions.Regex.Matches(serve.Output, @"SharpTls\.Hosting\[36892\]").Count) >= Stalled) break;
            Assert.True(timedOut == Stalled, $"{timedOut} HandshakeTimedOut events (36892) for {Stalled} stalled connections");
        }
        finally
        {
            foreach (var s in sockets) s.Dispose();
        }
    }

    private static long ResidentKb(int pid)
    {
        foreach (string line in File.ReadAllLines($"/proc/{pid}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        throw new InvalidOperationException("no VmRSS");
    }

}
