using System.Net;
using System.Net.Sockets;
using Xunit.Abstractions;
using SharpTls.Hosting.Tests.Demo;

namespace SharpTls.Hosting.Tests.Kestrel;

/// <summary>
/// Abuse: 3,000 connections stall mid-handshake against the real <c>sharptls serve</c> (a thousand send nothing, a
/// thousand half a record, a thousand a whole ClientHello and then silence). The handshake timeout closes every one, the
/// server's memory per stalled connection stays bounded (measured from its resident set after each kind and reported),
/// and curl is served all along.
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
        // Warm what a burst of connections grows once (the accept loop's threads, Kestrel's connection pools): 300 connections
        // opened and closed before the measured ones.
        var warm = await Task.WhenAll(Enumerable.Range(0, 300).Select(async _ =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await s.ConnectAsync(IPAddress.Loopback, port);
            return s;
        }));
        await Task.Delay(1000);
        foreach (var s in warm) s.Dispose();
        await Task.Delay(1000);
        long before = ResidentKb(serve.Serve.Pid);

        // A real ClientHello, made by the engine's client.
        byte[] clientHello;
        using (var client = TlsConnection.CreateClient(new TlsClientOptions { TargetHost = "localhost", SkipCertificateVerification = true }))
            clientHello = client.PendingOutput.ToArray();
        var sockets = new List<Socket>(Stalled);
        try
        {
            // A thousand of each kind, one kind after the other, the server's resident set read after each: a connection
            // that sent nothing or half a record costs what is kept for it; after a whole ClientHello the server has also
            // done the handshake's work (keys, signature, its flight), and the garbage that work made counts too until the
            // collector returns it, so that kind reads higher than what is kept.
            string[] kinds = ["nothing sent", "half a record", "a ClientHello, then silence"];
            var report = new System.Text.StringBuilder();
            long last = before;
            var perKind = new double[3];
            for (int kind = 0; kind < 3; kind++)
            {
                for (int batch = 0; batch < Stalled / 3; batch += 100)
                {
                    var opening = new List<Task<Socket>>();
                    for (int i = 0; i < 100; i++)
                    {
                        int k = kind;
                        opening.Add(Task.Run(async () =>
                        {
                            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                            await s.ConnectAsync(IPAddress.Loopback, port);
                            if (k == 1) await s.SendAsync(clientHello.AsMemory(0, 5 + (clientHello.Length - 5) / 2)); // half a record
                            else if (k == 2) await s.SendAsync(clientHello); // a ClientHello, then silence
                            return s;
                        }));
                    }
                    sockets.AddRange(await Task.WhenAll(opening));
                }
                await Task.Delay(1000);
                long now = ResidentKb(serve.Serve.Pid);
                perKind[kind] = (now - last) / (double)(Stalled / 3);
                report.Append(FormattableString.Invariant($"{kinds[kind]}: {perKind[kind]:0.0} KB; "));
                last = now;
                await CurlServed($"with {sockets.Count} stalled connections");
            }
            long during = last;
            double perConnection = (during - before) / (double)Stalled;
            string summary = $"server resident set {before} KB before, {during} KB with {Stalled} stalled handshakes: {perConnection:0.0} KB per stalled connection ({report.ToString().TrimEnd(' ', ';')})";
            output.WriteLine(summary);
            await File.WriteAllTextAsync(TestArtifacts.PathFor("abuse", "stalled-handshakes.txt"), summary + "\n");
            Assert.True(perConnection < 64, summary); // bounded: no per-connection record buffers held while waiting
            // Before any byte arrives a connection holds Kestrel's and a wait of ours, no handshake state: at most a few KB above
            // plain Kestrel's idle connection (8.7 KB resident, bench/PROFILE.md).
            Assert.True(perKind[0] < 12, summary);

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
