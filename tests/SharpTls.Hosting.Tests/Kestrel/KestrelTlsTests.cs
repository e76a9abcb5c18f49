using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SharpTls.Hosting.Diagnostics;

namespace SharpTls.Hosting.Tests.Kestrel;

/// <summary>ListenOptions.UseSharpTls against curl and openssl: ALPN picks the HTTP version, client certificates reach the app, failures are events.</summary>
public sealed class KestrelTlsTests : IDisposable
{
    private readonly TestCerts _certs = new();

    public void Dispose() => _certs.Dispose();

    private static void MapReport(WebApplication app)
    {
        app.MapGet("/", (HttpContext ctx) =>
            $"{ctx.Request.Protocol} https={ctx.Request.IsHttps} cert={ctx.Connection.ClientCertificate?.Subject ?? "none"} alpn={ctx.Features.Get<ISharpTlsFeature>()?.Info.ApplicationProtocol}");
        app.MapGet("/big", () => Results.Bytes(new byte[1_000_000], "application/octet-stream"));
    }

    [Fact]
    public async Task Curl_http2_gets_HTTP2_and_http11_gets_HTTP11_by_ALPN()
    {
        var options = new SharpTlsConnectionOptions();
        options.ServerOptions.Certificates.Add(_certs.Server("localhost"));
        await using var host = await KestrelHost.StartAsync(options, MapReport);

        var h2 = await Peer.CurlAsync("--http2", "--cacert", _certs.CaPath, $"https://localhost:{host.Port}/");
        Assert.True(h2.ExitCode == 0, h2.ToString());
        Assert.StartsWith("HTTP/2 https=True cert=none alpn=h2", h2.Stdout);

        var h1 = await Peer.CurlAsync("--http1.1", "--cacert", _certs.CaPath, $"https://localhost:{host.Port}/");
        Assert.True(h1.ExitCode == 0, h1.ToString());
        Assert.StartsWith("HTTP/1.1 https=True cert=none alpn=http/1.1", h1.Stdout);

        // Several requests on one HTTP/2 connection, and a body large enough to span many records.
        var big = await Peer.CurlAsync("--http2", "--cacert", _certs.CaPath, "-o", "/dev/null", "-o", "/dev/null", "-w", "%{size_download} %{http_version}\n",
            $"https://localhost:{host.Port}/big", $"https://localhost:{host.Port}/big");
        Assert.True(big.ExitCode == 0, big.ToString());
        Assert.Equal(["1000000 2", "1000000 2"], big.Stdout.Trim().Split('\n'));
    }

    [Fact]
    public async Task A_large_upload_and_download_round_trip_over_HTTP11_and_HTTP2()
    {
        var options = new SharpTlsConnectionOptions();
        options.ServerOptions.Certificates.Add(_certs.Server("localhost"));
        await using var host = await KestrelHost.StartAsync(options, app => app.MapPost("/echo", async (HttpContext ctx) =>
        {
            using var ms = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(ms);
            ctx.Response.ContentType = "application/octet-stream";
            await ctx.Response.Body.WriteAsync(ms.ToArray());
        }));
        var data = new byte[3 * 1024 * 1024 + 17];
        new Random(7).NextBytes(data);
        string input = Path.Combine(_certs.Dir, "upload.bin"), output = Path.Combine(_certs.Dir, "download.bin");
        await File.WriteAllBytesAsync(input, data);
        foreach (var version in new[] { "--http1.1", "--http2" })
        {
            var r = await Peer.CurlAsync(version, "--cacert", _certs.CaPath, "--data-binary", "@" + input, "-o", output, $"https://localhost:{host.Port}/echo");
            Assert.True(r.ExitCode == 0, r.ToString());
            byte[] echoed = await File.ReadAllBytesAsync(output);
            Assert.True(data.AsSpan().SequenceEqual(echoed), $"{version}: the echoed body differs");
        }
    }

    [Fact]
    public async Task A_client_certificate_binding_accepts_curl_cert_and_the_app_sees_it()
    {
        var options = new SharpTlsConnectionOptions();
        options.ServerOptions.Certificates.Add(_certs.Server("localhost"));
        options.ServerOptions.ClientCertificateMode = ClientCertificateMode.Required;
        options.ServerOptions.TrustedIssuers = [_certs.ClientCa];
        options.ServerOptions.Name = "clientcert-test";
        var log = new EventLog();
        await using var host = await KestrelHost.StartAsync(options, MapReport, log);

        var (cert, key) = _certs.Client("alice", _certs.ClientCa);
        var ok = await Peer.CurlAsync("--cacert", _certs.CaPath, "--cert", cert, "--key", key, $"https://localhost:{host.Port}/");
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Contains("cert=CN=alice", ok.Stdout);

        var none = await Peer.CurlAsync("--cacert", _certs.CaPath, $"https://localhost:{host.Port}/");
        Assert.NotEqual(0, none.ExitCode);
        var e = await log.WaitForAsync(HostEvents.ClientCertificateRejected);
        Assert.Contains("certificate_required", e.Message);
        Assert.Contains(e.State, kv => kv.Key == "Binding" && (string?)kv.Value == "clientcert-test");

        var (otherCert, otherKey) = _certs.Client("mallory", _certs.OtherClientCa);
        var other = await Peer.CurlAsync("--cacert", _certs.CaPath, "--cert", otherCert, "--key", otherKey, $"https://localhost:{host.Port}/");
        Assert.NotEqual(0, other.ExitCode);
        Assert.DoesNotContain("cert=CN=mallory", other.Stdout);
        await WaitUntil(() => log.WithId(HostEvents.ClientCertificateRejected).Count() >= 2, "a second 36891 for the untrusted issuer");
    }

    [Fact]
    public async Task No_binding_for_the_name_is_unrecognized_name_and_event_36886()
    {
        var log = new EventLog();
        var options = new SharpTlsConnectionOptions { Select = (hello, _) => ValueTask.FromResult<TlsSelection?>(null) };
        await using var host = await KestrelHost.StartAsync(options, MapReport, log);

        var r = await Peer.RunAsync("openssl", ["s_client", "-connect", $"127.0.0.1:{host.Port}", "-servername", "nobody.contoso.test"], TimeSpan.FromSeconds(20), stdin: "");
        Assert.Contains("alert number 112", r.Stdout + r.Stderr); // unrecognized_name
        var e = await log.WaitForAsync(HostEvents.NoBinding);
        Assert.Contains(e.State, kv => kv.Key == "ServerName" && (string?)kv.Value == "nobody.contoso.test");
        Assert.Contains(e.State, kv => kv.Key == "LocalEndPoint" && kv.Value?.ToString() == $"127.0.0.1:{host.Port}");
        Assert.Contains(e.State, kv => kv.Key == "OfferedVersions" && ((string)kv.Value!).Contains("TLS 1.3"));
        Assert.Single(log.Events, x => x.Id.Id is >= 36870 and < 36900);
    }

    [Fact]
    public async Task A_stalled_handshake_is_closed_by_the_timeout_with_user_canceled_close_notify_and_an_event()
    {
        var log = new EventLog();
        var options = new SharpTlsConnectionOptions { HandshakeTimeout = TimeSpan.FromSeconds(1) };
        options.ServerOptions.Certificates.Add(_certs.Server("localhost"));
        await using var host = await KestrelHost.StartAsync(options, MapReport, log);

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, host.Port);
        await socket.SendAsync(new byte[] { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01 }); // half a record, then silence
        // No keys yet: the two alerts go out in plaintext records, a user_canceled warning and close_notify, then the close.
        byte[] received = await ReadToEndAsync(socket);
        Assert.Equal(14, received.Length);
        Assert.Equal(new byte[] { 0x15, 0x03, 0x03, 0x00, 0x02, 0x01, 90 }, received[..7]);
        Assert.Equal(new byte[] { 0x15, 0x03, 0x03, 0x00, 0x02, 0x01, 0 }, received[7..]);
        var e = await log.WaitForAsync(HostEvents.HandshakeTimedOut);
        Assert.Contains(e.State, kv => kv.Key == "RemoteEndPoint" && kv.Value?.ToString() == socket.LocalEndPoint!.ToString());
        Assert.Contains(e.State, kv => kv.Key == "InternalState" && (string?)kv.Value == "Server.ExpectClientHello");
        // One event for the failure: the engine's own 36892 is not passed through beside the host's.
        await Task.Delay(200);
        Assert.Single(log.Events, x => x.Id.Id is >= 36870 and < 36900);
    }

    [Fact]
    public async Task A_plaintext_request_on_the_tls_port_is_one_readable_36888()
    {
        var log = new EventLog();
        var options = new SharpTlsConnectionOptions();
        options.ServerOptions.Certificates.Add(_certs.Server("localhost"));
        await using var host = await KestrelHost.StartAsync(options, MapReport, log);

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, host.Port);
        await socket.SendAsync("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"u8.ToArray());
        byte[] received = await ReadToEndAsync(socket);
        Assert.Equal(new byte[] { 0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 10 }, received); // a fatal unexpected_message
        var e = await log.WaitForAsync(HostEvents.FatalAlertGenerated);
        // The reason ends its sentence before the context, and "no binding yet" reads the same in every event.
        Assert.Contains("unknown content type 71. Binding (none yet), SNI (none)", e.Message);
        await Task.Delay(200);
        Assert.Single(log.Events, x => x.Id.Id is >= 36870 and < 36900);
    }

    /// <summary>A real client (Python's ssl, OpenSSL 3) that sends its ClientHello and then stalls: it never sends its
    /// Finished. After the timeout it reads what the server sent and decrypts it; OpenSSL reports each alert it received.</summary>
    private const string StallingClient = """
        import socket, ssl, sys
        port, ca = int(sys.argv[1]), sys.argv[2]
        ctx = ssl.create_default_context(cafile=ca)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3
        alerts = []
        def seen(conn, direction, version, content_type, msg_type, data):
            if direction == "read" and content_type == ssl._TLSContentType.ALERT:
                alerts.append(f"{data[0]}.{data[1]}")
        ctx._msg_callback = seen
        incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        tls = ctx.wrap_bio(incoming, outgoing, server_hostname="localhost")
        s = socket.create_connection(("127.0.0.1", port))
        try:
            tls.do_handshake()
        except ssl.SSLWantReadError:
            pass
        s.sendall(outgoing.read())  # the ClientHello; nothing more goes out: the client stalls
        s.settimeout(30)
        received = b""
        while chunk := s.recv(65536):
            received += chunk
        incoming.write(received)
        incoming.write_eof()
        try:
            tls.do_handshake()  # the server's flight: ServerHello to Finished (our Finished is never sent)
            ending = "close_notify" if tls.read(100) == b"" else "data"  # the ssl module reads close_notify as b""
        except ssl.SSLError as e:
            ending = f"error {e.reason}"
        print(f"alerts={','.join(alerts)} ending={ending} version={tls.version()}")
        """;

    [Fact]
    public async Task A_real_client_that_stalls_before_its_Finished_gets_user_canceled_then_close_notify()
    {
        var log = new EventLog();
        var options = new SharpTlsConnectionOptions { HandshakeTimeout = TimeSpan.FromSeconds(1) };
        options.ServerOptions.Certificates.Add(_certs.Server("localhost"));
        await using var host = await KestrelHost.StartAsync(options, MapReport, log);

        string script = Path.Combine(_certs.Dir, "stall.py");
        await File.WriteAllTextAsync(script, StallingClient);
        var r = await Peer.RunAsync("python3", [script, host.Port.ToString(), _certs.CaPath], TimeSpan.FromSeconds(40));
        Assert.True(r.ExitCode == 0, r.ToString());
        // Level 1 (warning) user_canceled (90), then warning close_notify (0): decrypted by OpenSSL with the handshake's keys.
        Assert.Equal("alerts=1.90,1.0 ending=close_notify version=TLSv1.3", r.Stdout.Trim());
        var e = await log.WaitForAsync(HostEvents.HandshakeTimedOut);
        Assert.Contains(e.State, kv => kv.Key == "InternalState" && ((string)kv.Value!).Contains("ExpectFinished"));
    }

    /// <summary>A real client (Python's ssl, OpenSSL 3) that GETs /big and keeps every byte it received, then lists the
    /// sizes of the application-data records on the wire.</summary>
    private const string RecordSizesClient = """
        import socket, ssl, sys
        port, ca = int(sys.argv[1]), sys.argv[2]
        ctx = ssl.create_default_context(cafile=ca)
        ctx.set_alpn_protocols(["http/1.1"])
        incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        tls = ctx.wrap_bio(incoming, outgoing, server_hostname="localhost")
        s = socket.create_connection(("127.0.0.1", port))
        s.settimeout(30)
        raw = bytearray()
        def send():
            data = outgoing.read()
            if data:
                s.sendall(data)
        def receive():
            chunk = s.recv(65536)
            if not chunk:
                raise EOFError
            raw.extend(chunk)
            incoming.write(chunk)
        while True:
            try:
                tls.do_handshake()
                break
            except ssl.SSLWantReadError:
                send()
                receive()
        send()
        tls.write(b"GET /big HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        send()
        response = bytearray()
        while True:
            try:
                data = tls.read(1 << 20)
                if not data:
                    break
                response.extend(data)
            except ssl.SSLWantReadError:
                try:
                    receive()
                except EOFError:
                    break
        sizes, i = [], 0
        while i + 5 <= len(raw):
            n = int.from_bytes(raw[i + 3:i + 5], "big")
            if raw[i] == 23:
                sizes.append(n)
            i += 5 + n
        full = sum(1 for n in sizes if n == 16384 + 17)  # 2^14 of plaintext + content type + GCM tag
        print(f"response={len(response)} records={len(sizes)} full={full}")
        """;

    [Fact]
    public async Task A_large_response_written_through_Kestrels_4KB_segments_goes_out_in_full_size_records()
    {
        var options = new SharpTlsConnectionOptions();
        options.ServerOptions.Certificates.Add(_certs.Server("localhost"));
        await using var host = await KestrelHost.StartAsync(options, MapReport);

        string script = Path.Combine(_certs.Dir, "records.py");
        await File.WriteAllTextAsync(script, RecordSizesClient);
        var r = await Peer.RunAsync("python3", [script, host.Port.ToString(), _certs.CaPath], TimeSpan.FromSeconds(40));
        Assert.True(r.ExitCode == 0, r.ToString());
        var fields = r.Stdout.Trim().Split(' ').Select(f => f.Split('=')).ToDictionary(kv => kv[0], kv => int.Parse(kv[1]));
        Assert.True(fields["response"] > 1_000_000, r.Stdout); // head and the whole body
        // 1,000,000 bytes are 61 records of 2^14: the pipe gathers Kestrel's 4 KB segments instead of sealing each alone.
        Assert.True(fields["full"] >= 55, r.Stdout);
    }

    private static async Task<byte[]> ReadToEndAsync(Socket socket)
    {
        var all = new MemoryStream();
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token)) > 0) all.Write(buffer, 0, n);
        return all.ToArray();
    }

    [Fact]
    public async Task Beyond_the_handshake_limit_the_oldest_handshake_is_closed_to_make_room_and_curl_is_served()
    {
        var log = new EventLog();
        var options = new SharpTlsConnectionOptions { MaxConcurrentHandshakes = 1, HandshakeTimeout = TimeSpan.FromSeconds(60) };
        options.ServerOptions.Certificates.Add(_certs.Server("localhost"));
        await using var host = await KestrelHost.StartAsync(options, MapReport, log);

        using var stalled = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await stalled.ConnectAsync(IPAddress.Loopback, host.Port);
        await stalled.SendAsync(new byte[] { 0x16, 0x03 }); // half a record header, then silence: it holds the one place
        await Task.Delay(300);
        // A real client while the cap is full: the stalled handshake is closed to make room (a flood cannot lock clients out).
        var served = await Peer.CurlAsync("--cacert", _certs.CaPath, $"https://localhost:{host.Port}/");
        Assert.True(served.ExitCode == 0, served.ToString());
        await log.WaitForAsync(HostEvents.HandshakeLimitReached);
        var buffer = new byte[64];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Assert.Equal(0, await stalled.ReceiveAsync(buffer, cts.Token)); // closed by the server, long before its 60 s timeout
    }

    private static async Task WaitUntil(Func<bool> condition, string what)
        => await WaitUntil(() => Task.FromResult(condition()), what);

    private static async Task WaitUntil(Func<Task<bool>> condition, string what)
    {
        var until = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < until)
        {
            if (await condition()) return;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException("timed out waiting for " + what);
    }
}
