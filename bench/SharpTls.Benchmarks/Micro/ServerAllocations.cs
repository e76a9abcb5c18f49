using System.Net;
using SharpTls.Wire;

namespace SharpTls.Benchmarks.Micro;

/// <summary>
/// `alloc`: managed bytes the server side allocates per TLS 1.3 handshake (issue 11: at most 8 KB), in memory, by
/// step: the ClientHello (policy choice, key exchange, the whole server flight) and the client's Finished, plus the
/// connection's creation. GC.GetAllocatedBytesForCurrentThread around the server's calls only (the client's work is
/// not counted), after warm-up, averaged over many handshakes. BenchmarkDotNet's FullHandshake gives both sides together.
/// </summary>
internal static class ServerAllocations
{
    public static int Run(int handshakes, bool types = false)
    {
        using var sampler = types ? new AllocationSampler() : null;
        // With --types the client's calls run on a helper thread, so the samples of this thread are the server's own
        // (the hand-off's closures are then counted here too: the `<>c__DisplayClass` lines of this file).
        using var clientThread = types ? new HelperThread() : null;
        if (sampler is not null) sampler.OnlyThread = HelperThread.OsThreadId();
        foreach (var kind in new[] { "X25519+ECDSA", "P-256+ECDSA", "X25519+RSA" })
        {
            var cert = kind.EndsWith("RSA", StringComparison.Ordinal) ? MicroPki.Rsa : MicroPki.Ecdsa;
            NamedGroup group = kind.StartsWith("P-256", StringComparison.Ordinal) ? NamedGroup.Secp256r1 : NamedGroup.X25519;
            var server = new TlsServerOptions { Certificates = [new ServerCertificate(cert)], KeyLog = null };
            var client = new TlsClientOptions { TargetHost = "localhost", TrustedRoots = [MicroPki.Root], KeyLog = null, Groups = [group], KeyShareGroups = [group] };
            var listener = server.Listener;
            var local = new IPEndPoint(IPAddress.Loopback, 443);
            var remote = new IPEndPoint(IPAddress.Loopback, 50000);
            for (int i = 0; i < 200; i++) One(listener, client, local, remote, new long[4], clientThread);
            sampler?.TakeTop(0);
            var sum = new long[4];
            for (int i = 0; i < handshakes; i++) One(listener, client, local, remote, sum, clientThread);
            Console.WriteLine($"{kind,-14} server bytes per handshake: {Kb(sum.Sum())} (create {Kb(sum[0])}, ClientHello+flight {Kb(sum[1] + sum[2])} of which the policy pause {Kb(sum[2])}, client Finished + tickets {Kb(sum[3])})");

            string Kb(long total) => $"{total / (double)handshakes / 1024:0.00} KB";
            if (sampler is not null)
            {
                foreach (var (type, bytes) in sampler.TakeTop(40))
                    Console.WriteLine($"    ~{bytes / (double)handshakes:0} B/handshake (sampled, server thread)  {type}");
            }
        }
        return 0;
    }

    /// <summary>One handshake; adds the server's allocations per step to <paramref name="sum"/>.</summary>
    private static void One(TlsServerListener listener, TlsClientOptions clientOptions, IPEndPoint local, IPEndPoint remote, long[] sum,
        HelperThread? clientThread)
    {
        long t0 = GC.GetAllocatedBytesForCurrentThread();
        using var server = TlsConnection.CreateServer(listener, local, remote);
        sum[0] += GC.GetAllocatedBytesForCurrentThread() - t0;
        TlsConnection client = null!;
        OnClient(() => client = TlsConnection.CreateClient(clientOptions));
        using var _ = client;
        int flight = 0;
        for (int round = 0; round < 20; round++)
        {
            bool moved = false;
            var toServer = client.PendingOutput;
            if (toServer.Length > 0)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                server.Feed(toServer.Span);
                if (server.Status == TlsStatus.WaitingForHost)
                {
                    sum[flight == 0 ? 1 : 3] += GC.GetAllocatedBytesForCurrentThread() - before;
                    before = GC.GetAllocatedBytesForCurrentThread();
                    var answer = server.AnswerHostRequestAsync(CancellationToken.None);
                    if (!answer.IsCompleted) answer.AsTask().GetAwaiter().GetResult();
                    sum[2] += GC.GetAllocatedBytesForCurrentThread() - before;
                }
                else sum[flight == 0 ? 1 : 3] += GC.GetAllocatedBytesForCurrentThread() - before;
                OnClient(() => client.ConsumeOutput(toServer.Length));
                flight++;
                moved = true;
            }
            var toClient = server.PendingOutput;
            if (toClient.Length > 0)
            {
                OnClient(() => client.Feed(toClient.Span));
                long before = GC.GetAllocatedBytesForCurrentThread();
                server.ConsumeOutput(toClient.Length);
                sum[3] += GC.GetAllocatedBytesForCurrentThread() - before;
                moved = true;
            }
            if (!moved) break;
        }
        if (server.Status != TlsStatus.Connected || client.Status != TlsStatus.Connected)
            throw new InvalidOperationException($"handshake failed: client {client.Status} {client.Failure}, server {server.Status} {server.Failure}");

        void OnClient(Action a)
        {
            if (clientThread is null) a();
            else clientThread.Run(a);
        }
    }
}

/// <summary>A thread that runs one action at a time for the caller, who waits (the client side of `alloc --types`).</summary>
internal sealed partial class HelperThread : IDisposable
{
    private readonly SemaphoreSlim _go = new(0), _done = new(0);
    private Action? _work;
    private volatile bool _stop;

    public HelperThread()
    {
        new Thread(() =>
        {
            while (true)
            {
                _go.Wait();
                if (_stop) return;
                _work!();
                _done.Release();
            }
        }) { IsBackground = true }.Start();
    }

    public void Run(Action work)
    {
        _work = work;
        _go.Release();
        _done.Wait();
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();

    /// <summary>The calling thread's OS id (what the runtime's events carry).</summary>
    public static long OsThreadId() => GetTid();

    public void Dispose()
    {
        _stop = true;
        _go.Release();
    }
}

/// <summary>The runtime's allocation ticks (one per ~100 KB allocated, with the type that crossed it): where the bytes go.</summary>
internal sealed class AllocationSampler : System.Diagnostics.Tracing.EventListener
{
    private readonly Dictionary<string, long> _bytes = [];

    /// <summary>Count only the samples of this OS thread (0: all).</summary>
    public long OnlyThread { get; set; }

    protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
            EnableEvents(source, System.Diagnostics.Tracing.EventLevel.Verbose, (System.Diagnostics.Tracing.EventKeywords)0x1);
    }

    protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs e)
    {
        if (e.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.Payload is null) return;
        int ti = e.PayloadNames!.IndexOf("TypeName"), ai = e.PayloadNames.IndexOf("AllocationAmount64");
        if (ti < 0 || ai < 0) return;
        if (OnlyThread != 0 && e.OSThreadId != OnlyThread) return;
        string type = e.Payload[ti]?.ToString() ?? "?";
        long amount = Convert.ToInt64(e.Payload[ai], System.Globalization.CultureInfo.InvariantCulture);
        lock (_bytes) _bytes[type] = _bytes.GetValueOrDefault(type) + amount;
    }

    public List<(string Type, long Bytes)> TakeTop(int n)
    {
        lock (_bytes)
        {
            var top = _bytes.OrderByDescending(kv => kv.Value).Take(n).Select(kv => (kv.Key, kv.Value)).ToList();
            _bytes.Clear();
            return top;
        }
    }
}
