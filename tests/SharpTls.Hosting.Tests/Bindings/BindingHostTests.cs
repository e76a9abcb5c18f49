using System.Diagnostics;
using System.Net;
using SharpTls.Hosting.Bindings;
using SharpTls.Wire;

namespace SharpTls.Hosting.Tests.Bindings;

/// <summary>The live table: real TLS handshakes through the engine's TlsStream with <see cref="BindingHost.SelectPolicyAsync"/>.</summary>
public class BindingHostTests
{
    private const string AppId = "appid={4dc3e181-e14b-4a21-b022-59fc669b0914}";

    private static BindingHost StartHost(string data, RecordingDiagnostics? diagnostics = null, TimeProvider? time = null)
        => BindingHost.Start(new BindingHostOptions
        {
            BindingsFile = Path.Combine(data, BindingStore.FileName),
            CentralStorePath = Path.Combine(data, "ccs"),
            Diagnostics = diagnostics,
            Time = time ?? TimeProvider.System,
        });

    [Fact]
    public async Task No_binding_is_unrecognized_name_with_SNI_and_handshake_failure_without_and_an_event()
    {
        string data = TestHome.NewDataDirectory();
        var events = new RecordingDiagnostics();
        using var host = StartHost(data, events);
        var local = new IPEndPoint(IPAddress.Loopback, 8443);
        var withSni = await Assert.ThrowsAsync<TlsProtocolException>(async () => await host.SelectPolicyAsync(new ClientHelloInfo { ServerName = "nobody.contoso.test", LocalEndPoint = local }, default));
        Assert.Equal(AlertDescription.UnrecognizedName, withSni.Alert);
        var without = await Assert.ThrowsAsync<TlsProtocolException>(async () => await host.SelectPolicyAsync(new ClientHelloInfo { LocalEndPoint = local }, default));
        Assert.Equal(AlertDescription.HandshakeFailure, without.Alert);
        Assert.Contains("NoBinding 127.0.0.1:8443 nobody.contoso.test", events.Events);
        Assert.Contains("NoBinding 127.0.0.1:8443 (no SNI)", events.Events);

        // And over the wire: the client gets the alert.
        await using var server = new BindingTestServer(host.SelectPolicyAsync);
        var e = await Assert.ThrowsAnyAsync<Exception>(() => server.ConnectAsync("nobody.contoso.test"));
        Assert.Contains("unrecognized_name", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_that_expires_after_binding_is_event_36871_at_handshake_time()
    {
        string data = TestHome.NewDataDirectory();
        var events = new RecordingDiagnostics();
        var clock = new TestClock(DateTimeOffset.UtcNow);
        string hash = TestCertificates.InStore("soon.contoso.test");
        new BindingStore(Path.Combine(data, BindingStore.FileName)).Add(SslBinding.Parse(["hostnameport=soon.contoso.test:8443", $"certhash={hash}"]));
        using var host = StartHost(data, events, clock);
        var hello = new ClientHelloInfo { ServerName = "soon.contoso.test", LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 8443) };
        Assert.NotNull(await host.SelectPolicyAsync(hello, default));
        clock.Now = clock.Now.AddYears(2);
        var e = await Assert.ThrowsAsync<TlsProtocolException>(async () => await host.SelectPolicyAsync(hello, default));
        Assert.Equal(AlertDescription.HandshakeFailure, e.Alert);
        Assert.Contains(events.Events, x => x.StartsWith("36871 hostnameport=soon.contoso.test:8443", StringComparison.Ordinal) && x.Contains("expired on", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_corrupt_edit_keeps_the_last_good_table_and_a_restart_reads_the_bindings_back()
    {
        string data = TestHome.NewDataDirectory();
        string file = Path.Combine(data, BindingStore.FileName);
        var events = new RecordingDiagnostics();
        string hash = TestCertificates.InStore("keep.contoso.test");
        new BindingStore(file).Add(SslBinding.Parse(["hostnameport=keep.contoso.test:8443", $"certhash={hash}"]));
        using (var host = StartHost(data, events))
        {
            long version = host.Current.Version;
            File.AppendAllText(file, "hostnameport=bad.contoso.test:8443 certhash=123\n");   // by hand, wrong
            await WaitUntil(() => events.Events.Any(x => x.StartsWith("FileInvalid", StringComparison.Ordinal)));
            Assert.Equal(version, host.Current.Version);
            Assert.NotNull(host.Current.Select(new IPEndPoint(IPAddress.Loopback, 8443), "keep.contoso.test"));
            Assert.Contains(events.Events, x => x.Contains("line 4: certhash=123", StringComparison.Ordinal));
        }
        File.WriteAllLines(file, File.ReadAllLines(file).Where(l => !l.Contains("bad.contoso.test", StringComparison.Ordinal)));
        using var restarted = StartHost(data);
        Assert.Equal(hash, restarted.Current.Select(new IPEndPoint(IPAddress.Loopback, 8443), "keep.contoso.test")!.Policy.Certificates[0].Certificate.Thumbprint);
    }

    [Fact]
    public async Task Live_changes_under_a_handshake_loop_fail_nothing_they_did_not_ask_for()
    {
        string data = TestHome.NewDataDirectory();
        string file = Path.Combine(data, BindingStore.FileName);
        var events = new RecordingDiagnostics();
        string stableA = TestCertificates.InStore("stable.contoso.test");
        string stableB = TestCertificates.InStore("stable.contoso.test");
        string other = TestCertificates.InStore("other.contoso.test");
        string gone = TestCertificates.InStore("gone.contoso.test");
        using var host = StartHost(data, events);
        await using var server = new BindingTestServer(host.SelectPolicyAsync);
        int port = server.Port;
        // Bindings through the real command, as an administrator would (another process).
        Cli.Run(data, "http", "add", "sslcert", $"hostnameport=stable.contoso.test:{port}", $"certhash={stableA}", AppId).AssertOk();
        Cli.Run(data, "http", "add", "sslcert", $"hostnameport=gone.contoso.test:{port}", $"certhash={gone}", AppId).AssertOk();
        await WaitUntil(() => host.Current.Bindings.Count == 2);

        // An open connection on the binding that will be deleted.
        var open = await server.ConnectAsync("gone.contoso.test");
        Assert.Contains($"binding=hostnameport=gone.contoso.test:{port}", await BindingTestServer.AskAsync(open, "before"), StringComparison.Ordinal);

        // The client loop: handshakes to stable.contoso.test, continuously, each one a new connection.
        using var stop = new CancellationTokenSource();
        int handshakes = 0;
        var failures = new List<string>();
        var seen = new HashSet<string>();
        var loop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var c = await server.ConnectAsync("stable.contoso.test");
                    string answer = await BindingTestServer.AskAsync(c, "hi");
                    lock (seen) seen.Add(answer.Split(' ')[1]);
                    await c.Stream.DisposeAsync();
                    Interlocked.Increment(ref handshakes);
                }
                catch (Exception e) { lock (failures) failures.Add(e.Message); }
            }
        });

        await WaitUntil(() => Volatile.Read(ref handshakes) > 20);
        // Add a binding, change it, replace stable's certificate, delete gone's binding: all while the loop runs.
        Cli.Run(data, "http", "add", "sslcert", $"hostnameport=other.contoso.test:{port}", $"certhash={other}", AppId).AssertOk();
        await WaitUntilHandshake(server, "other.contoso.test", $"cert={other}");
        Cli.Run(data, "http", "update", "sslcert", $"hostnameport=other.contoso.test:{port}", "disablehttp2=enable", "disabletls13=enable").AssertOk();
        var sw = Stopwatch.StartNew();
        Cli.Run(data, "http", "update", "sslcert", $"hostnameport=stable.contoso.test:{port}", $"certhash={stableB}").AssertOk();
        var cliDone = sw.Elapsed;
        await WaitUntil(() => { lock (seen) return seen.Contains($"cert={stableB}"); });
        var seenAfter = sw.Elapsed - cliDone;
        Cli.Run(data, "http", "delete", "sslcert", $"hostnameport=gone.contoso.test:{port}").AssertOk();
        await WaitUntil(() => host.Current.Bindings.Count == 2 && host.Current.Bindings.All(b => b.Key.HostName != "gone.contoso.test"));
        int before = Volatile.Read(ref handshakes);
        await WaitUntil(() => Volatile.Read(ref handshakes) > before + 20);
        stop.Cancel();
        await loop;

        Assert.True(failures.Count == 0, $"{failures.Count} of {handshakes + failures.Count} handshakes failed: {string.Join(" | ", failures.Take(5))}");
        Assert.Contains($"cert={stableA}", seen);
        Assert.Contains($"cert={stableB}", seen);
        Assert.True(seenAfter < TimeSpan.FromSeconds(2), $"the replaced certificate was served {seenAfter.TotalMilliseconds:F0} ms after the command");
        // The open connection on the deleted binding keeps working; a new one is refused (asked for).
        Assert.Contains("line=after", await BindingTestServer.AskAsync(open, "after"), StringComparison.Ordinal);
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => server.ConnectAsync("gone.contoso.test"));
        Assert.Contains("unrecognized_name", refused.Message, StringComparison.Ordinal);
        await open.Stream.DisposeAsync();
        // The changed binding's policy is in force: TLS 1.2 only.
        var c12 = await server.ConnectAsync("other.contoso.test");
        Assert.Equal(ProtocolVersion.Tls12, c12.Stream.Info.Version);
        await c12.Stream.DisposeAsync();
        Console.WriteLine($"live change: {handshakes} handshakes, 0 failed; certificate replacement seen {seenAfter.TotalMilliseconds:F0} ms after the CLI exited");
    }

    [Fact]
    public async Task Certificates_added_to_or_removed_from_the_store_are_seen_without_a_binding_change()
    {
        string data = TestHome.NewDataDirectory();
        var events = new RecordingDiagnostics();
        using var cert = SharpTls.Hosting.Certificates.CertificateFactory.CreateServer(["later.contoso.test"], TestCertificates.Authority);
        // A hand-written binding to a certificate that is not in the store yet: reported, not served.
        File.WriteAllText(Path.Combine(data, BindingStore.FileName), $"hostnameport=later.contoso.test:8443 certhash={cert.Thumbprint}\n");
        using var host = StartHost(data, events);
        var local = new IPEndPoint(IPAddress.Loopback, 8443);
        Assert.Null(host.Current.Select(local, "later.contoso.test"));
        Assert.Contains(events.Events, e => e.StartsWith("NotServed hostnameport=later.contoso.test:8443", StringComparison.Ordinal) && e.Contains("no certificate with thumbprint", StringComparison.Ordinal));

        var store = new SharpTls.Hosting.Certificates.StoreCertificateSource();
        store.Add(cert);   // another process could do this: `sharptls cert import`
        await WaitUntil(() => host.Current.Select(local, "later.contoso.test") is not null);
        store.Remove(cert.Thumbprint);
        await WaitUntil(() => host.Current.Select(local, "later.contoso.test") is null);
    }

    [Fact]
    public async Task Nothing_changed_means_no_rebuild()
    {
        string data = TestHome.NewDataDirectory();
        var events = new RecordingDiagnostics();
        new BindingStore(Path.Combine(data, BindingStore.FileName)).Add(SslBinding.Parse(["hostnameport=quiet.contoso.test:8443", $"certhash={TestCertificates.InStore("quiet.contoso.test")}", "sslctlstorename=QuietIssuers" + Guid.NewGuid().ToString("N")[..6]]));
        using var host = StartHost(data, events);
        long version = host.Current.Version;
        await Task.Delay(BindingHost.PollInterval * 4);   // several polls: the folders the first build created are not a change
        Assert.Equal(version, host.Current.Version);
        Assert.Single(events.Events, e => e.StartsWith("Table", StringComparison.Ordinal));
    }

    [Fact]
    public async Task One_change_seen_by_both_the_poll_and_the_file_watcher_rebuilds_the_table_once()
    {
        string data = TestHome.NewDataDirectory();
        var events = new RecordingDiagnostics();
        var timers = new ManualTimers();
        var store = new BindingStore(Path.Combine(data, BindingStore.FileName));
        string hash = TestCertificates.InStore("once.contoso.test");
        store.Add(SslBinding.Parse(["hostnameport=once.contoso.test:8443", $"certhash={hash}"]));
        using var host = StartHost(data, events, timers);
        Assert.Equal(1, host.Rebuilds);
        ManualTimers.ManualTimer poll, debounce;
        lock (timers.Timers)
        {
            poll = Assert.Single(timers.Timers, t => t.Period == BindingHost.PollInterval);
            debounce = timers.Timers.First(t => t != poll && !t.Armed); // the watchers' debounce: armed only by a file event
        }
        for (int change = 1; change <= 3; change++)
        {
            // Same line length each time: a change the old size-and-time stamp could miss within one clock tick.
            store.Update(SslBinding.Parse(["hostnameport=once.contoso.test:8443", $"disablehttp2={(change % 2 == 1 ? "enable" : "disable")}"], store.Load()[0]));
            poll.Fire();                            // the poll sees it first: one rebuild
            Assert.Equal(1 + change, host.Rebuilds);
            await WaitUntil(() => debounce.Armed);  // the watcher saw the same change
            debounce.Fire();                        // and finds the table already built from it
            poll.Fire();
            Assert.Equal(1 + change, host.Rebuilds);
            Assert.Equal(change % 2 == 1, host.Current.Bindings[0].DisableHttp2);
        }
        // And the other way round: the watcher first, then the poll.
        store.Update(store.Load()[0] with { DisableTls13 = true });
        await WaitUntil(() => debounce.Armed);
        debounce.Fire();
        Assert.Equal(5, host.Rebuilds);
        poll.Fire();
        Assert.Equal(5, host.Rebuilds);
        Assert.Equal(5, events.Events.Count(e => e.StartsWith("Table", StringComparison.Ordinal)));
    }

    private static async Task WaitUntilHandshake(BindingTestServer server, string name, string expected)
    {
        await WaitUntil(async () =>
        {
            try
            {
                var c = await server.ConnectAsync(name);
                string a = await BindingTestServer.AskAsync(c, "probe");
                await c.Stream.DisposeAsync();
                return a.Contains(expected, StringComparison.Ordinal);
            }
            catch (Exception) { return false; }
        });
    }

    internal static Task WaitUntil(Func<bool> condition) => WaitUntil(() => Task.FromResult(condition()));

    internal static async Task WaitUntil(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the condition did not become true in 20 s");
            await Task.Delay(20);
        }
    }
}

internal static class CliResultExtensions
{
    public static void AssertOk(this (int Exit, string Out, string Err) r) => Assert.True(r.Exit == 0, r.Err + r.Out);
}
