using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SharpTls.Hosting.Tests.Bindings;

namespace SharpTls.Hosting.Tests.Demo;

/// <summary>
/// Issue 8's "live change under load" through the real host: <c>sharptls serve</c> (Kestrel and the SharpTls middleware)
/// while two real clients handshake without pause, .NET's SslStream (a new connection and an HTTP/1.1 request each time)
/// and curl. Meanwhile an administrator adds a binding, changes it by editing the file from another process, renews a
/// certificate (a new one in the store, <c>http update sslcert certhash=</c>, the old one deleted from the store) and
/// deletes a binding that has an open keep-alive connection. No handshake the changes did not ask for may fail; the kept
/// connection keeps working; the changes are in force for new connections.
/// </summary>
public sealed class LiveChangeServeTests
{
    private const string AppId = "appid={6d3f1c2a-5b4e-4c8d-9a7f-0e1d2c3b4a59}";

    [Fact]
    public async Task Bindings_added_changed_and_deleted_and_a_certificate_renewed_under_a_handshake_loop_fail_nothing_they_did_not_ask_for()
    {
        await using var serve = await DemoServe.StartAsync();
        string data = serve.Data;
        int port = serve.Port;
        var ca = X509CertificateLoader.LoadCertificateFromFile(serve.Ca);
        string wwwBefore = await ThumbprintAsync(port, "www.contoso.test", ca);

        // A keep-alive connection on the binding that will be deleted (shop), used before and after.
        using var kept = await KeptConnection.OpenAsync(port, "shop.contoso.test", serve.Ca);
        Assert.Contains($"Binding: hostnameport=shop.contoso.test:{port}", await kept.GetAsync(), StringComparison.Ordinal);

        // The loops: SslStream to www (each a new TCP connection, handshake and request), curl to localhost.
        using var stop = new CancellationTokenSource();
        int handshakes = 0, curls = 0;
        var failures = new List<string>();
        var thumbprints = new HashSet<string>(StringComparer.Ordinal);
        var sslLoop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    string t = await ThumbprintAsync(port, "www.contoso.test", ca, request: true);
                    lock (thumbprints) thumbprints.Add(t);
                    Interlocked.Increment(ref handshakes);
                }
                catch (Exception e) { lock (failures) failures.Add($"SslStream: {e.GetType().Name}: {e.Message}"); }
            }
        });
        var curlLoop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var r = await serve.CurlAsync("localhost", "/?format=text");
                if (r.ExitCode != 0 || !r.Stdout.Contains("Site: localhost", StringComparison.Ordinal)) lock (failures) failures.Add($"curl: {r}");
                else Interlocked.Increment(ref curls);
            }
        });
        async Task Until(Func<Task<bool>> condition, string what)
        {
            try { await BindingHostTests.WaitUntil(condition); }
            catch (TimeoutException)
            {
                lock (failures) throw new Xunit.Sdk.XunitException($"{what} did not happen within 20 s ({handshakes} handshakes; failures: {string.Join(" | ", failures.Take(5))})\n{serve.Output}");
            }
        }
        Task Running(int more)
        {
            int from = Volatile.Read(ref handshakes);
            return Until(() => Task.FromResult(Volatile.Read(ref handshakes) >= from + more), $"{more} more handshakes");
        }

        await Running(20);
        // 1. Add: a new binding on the same endpoint, through the command (another process).
        string otherHash = NewCertificate(data, serve.CaPfx, "other.contoso.test");
        Cli.Run(data, "http", "add", "sslcert", $"hostnameport=other.contoso.test:{port}", $"certhash={otherHash}", AppId).AssertOk();
        await Until(async () => await TryThumbprintAsync(port, "other.contoso.test", ca) == otherHash, "other's certificate served");
        await Running(20);

        // 2. Change it by editing the file from this process (atomic write, as an editor that saves by rename): TLS 1.2 only.
        serve.Store.Update(serve.Key("other.contoso.test"), b => b with { DisableTls13 = true });
        await Until(async () => await TryProtocolAsync(port, "other.contoso.test", ca) == System.Security.Authentication.SslProtocols.Tls12, "TLS 1.2 on other");
        await Running(20);

        // 3. Renew www's certificate: a new one in the store, the binding pointed at it, the old one deleted from the store.
        string wwwAfter = NewCertificate(data, serve.CaPfx, "www.contoso.test");
        Cli.Run(data, "http", "update", "sslcert", $"hostnameport=www.contoso.test:{port}", $"certhash={wwwAfter}").AssertOk();
        await Until(() => { lock (thumbprints) return Task.FromResult(thumbprints.Contains(wwwAfter)); }, $"the renewed certificate {wwwAfter} served");
        Cli.Run(data, "cert", "delete", wwwBefore).AssertOk();
        await Running(20);

        // 4. Delete shop's binding while its connection is open.
        Cli.Run(data, "http", "delete", "sslcert", $"hostnameport=shop.contoso.test:{port}").AssertOk();
        // In force when a new connection for shop no longer gets shop's binding: HTTP.sys' order falls through to the ipport
        // binding, whose certificate is not for shop (asked for: the binding was deleted); curl exits 60.
        var shopNow = await Peer.CurlUntilAsync(r => r.ExitCode == 60, [.. serve.Trust("shop.contoso.test"), serve.Url("shop.contoso.test")]);
        await Running(20);
        int curlsBefore = Volatile.Read(ref curls);
        await Until(() => Task.FromResult(Volatile.Read(ref curls) > curlsBefore + 2), "more curl requests");
        stop.Cancel();
        await Task.WhenAll(sslLoop, curlLoop);

        Assert.True(failures.Count == 0, $"{failures.Count} of {handshakes + curls + failures.Count} connections failed: {string.Join(" | ", failures.Take(5))}\n{serve.Output}");
        Assert.Contains(wwwBefore, thumbprints);
        Assert.Contains(wwwAfter, thumbprints);
        Assert.Equal(wwwAfter, await ThumbprintAsync(port, "www.contoso.test", ca)); // the renewal is in force; the old certificate is gone from the store
        // The kept connection on the deleted binding keeps working (its handshake's binding, as the page says).
        Assert.Contains($"Binding: hostnameport=shop.contoso.test:{port}", await kept.GetAsync(), StringComparison.Ordinal);
        Assert.True(shopNow.ExitCode == 60, $"a new shop connection after the delete: {shopNow}"); // curl: peer certificate cannot be authenticated
        Assert.Equal(System.Security.Authentication.SslProtocols.Tls12, await TryProtocolAsync(port, "other.contoso.test", ca));
        Console.WriteLine($"live change through serve: {handshakes} SslStream connections and {curls} curl requests, none failed");
    }

    private static string NewCertificate(string data, string caPfx, string name)
    {
        var r = Cli.Run(data, "cert", "new", "--dns", name, "--ca", caPfx);
        r.AssertOk();
        return r.Out.Trim().Split('\n')[^1].Trim();
    }

    private static async Task<string?> TryThumbprintAsync(int port, string host, X509Certificate2 ca)
    {
        try { return await ThumbprintAsync(port, host, ca); }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or SocketException) { return null; }
    }

    private static async Task<System.Security.Authentication.SslProtocols?> TryProtocolAsync(int port, string host, X509Certificate2 ca)
    {
        try
        {
            var (tcp, tls) = await ConnectAsync(port, host, ca);
            using (tcp)
            using (tls)
                return tls.SslProtocol;
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or SocketException) { return null; }
    }

    /// <summary>A new connection to <paramref name="host"/>: the served certificate's thumbprint (and with <paramref name="request"/>, one HTTP/1.1 request answered).</summary>
    private static async Task<string> ThumbprintAsync(int port, string host, X509Certificate2 ca, bool request = false)
    {
        var (tcp, tls) = await ConnectAsync(port, host, ca);
        using (tcp)
        using (tls)
        {
            string thumbprint = tls.RemoteCertificate!.GetCertHashString();
            if (request)
            {
                await tls.WriteAsync(Encoding.ASCII.GetBytes($"GET /?format=text HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"));
                var buffer = new byte[4096];
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                int n = await tls.ReadAsync(buffer, cts.Token);
                string head = Encoding.ASCII.GetString(buffer, 0, n);
                if (!head.StartsWith("HTTP/1.1 200", StringComparison.Ordinal)) throw new IOException($"the request was not answered: '{head}'");
            }
            return thumbprint;
        }
    }

    // Full handshakes only, so every connection is judged by the table of the moment (a session made under a replaced
    // certificate is not resumed at all: ListenerAndPolicyTests.AReplacedServerCertificateEndsResumption...).
    private static Task<(TcpClient Tcp, SslStream Tls)> ConnectAsync(int port, string host, X509Certificate2 ca)
        => KeptConnection.Connect(port, host, ca, SslApplicationProtocol.Http11, allowResume: false);
}
