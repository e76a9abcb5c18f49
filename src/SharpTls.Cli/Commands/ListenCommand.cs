using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Logging;
using SharpTls.Diagnostics;
using SharpTls.IO;

namespace SharpTls.Cli.Commands;

/// <summary>
/// <c>sharptls listen</c>: a one-certificate TLS server, like <c>openssl s_server -www</c>.
/// Each HTTP request gets a plain-text report of its handshake; with --echo, application data
/// is echoed instead. It must stay up whatever clients do: every failure is logged and the
/// next connection is served.
/// </summary>
internal static class ListenCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port", "-p") { Description = "TCP port to listen on", Required = true };
        var address = new Option<string>("--address") { Description = "IP address to bind", DefaultValueFactory = _ => "127.0.0.1" };
        var cert = new Option<FileInfo[]>("--cert") { Description = "certificate: PFX, or PEM (leaf first, then chain); repeat for RSA + ECDSA", Required = true, AllowMultipleArgumentsPerToken = false };
        var key = new Option<FileInfo[]>("--key") { Description = "PEM private key for each PEM --cert (same order)" };
        var password = new Option<string?>("--password") { Description = "PFX password" };
        var alpn = new Option<string?>("--alpn") { Description = "ALPN protocols, comma separated (e.g. h2,http/1.1)" };
        var clientCert = new Option<string?>("--client-cert") { Description = "ask for a client certificate: required or optional" };
        clientCert.AcceptOnlyFromAmong("required", "optional");
        var caFile = new Option<FileInfo?>("--cafile") { Description = "PEM file of issuers trusted for client certificates" };
        var echo = new Option<bool>("--echo") { Description = "echo application data instead of answering HTTP" };
        var keylog = new Option<FileInfo?>("--keylog") { Description = "write secrets in NSS key log format (for Wireshark)" };
        var noTickets = new Option<bool>("--no-tickets") { Description = "do not issue session tickets" };
        var ticketKeys = new Option<FileInfo?>("--ticket-keys") { Description = "ticket key file to share among servers (created if missing)" };
        var redis = new Option<string?>("--redis") { Description = "share TLS 1.2 session IDs through Redis (HOST:PORT); servers sharing it need the same --ticket-keys" };
        var name = new Option<string?>("--name") { Description = "the binding's name (events, and the policy that resumed sessions must share; default listen:PORT)" };
        var noSessionIds = new Option<bool>("--no-session-ids") { Description = "do not resume TLS 1.2 sessions by session ID" };
        var maxHandshakes = new Option<int>("--max-handshakes")
        {
            Description = "handshakes in progress at once; beyond it the oldest is closed to make room (event 36894)",
            DefaultValueFactory = _ => TlsServerOptions.DefaultMaxConcurrentHandshakes,
        };
        var ocsp = new Option<FileInfo[]>("--ocsp") { Description = "DER OCSP response to staple for each --cert (same order; reloaded when the file changes)" };
        var protocols = new Option<string?>("--protocols") { Description = "versions to accept, comma separated: ssl3,tls1.0,tls1.1,tls1.2,tls1.3 (default tls1.2,tls1.3; the legacy ones only when named, like Schannel's Protocols\\<name>\\Server\\Enabled)" };
        var pskKe = new Option<bool>("--allow-psk-ke") { Description = "resume with psk_ke (no fresh key exchange, no forward secrecy) when the client offers it" };

        var cmd = new Command("listen", "accept TLS connections with one certificate and report each handshake")
        {
            port, address, cert, key, password, alpn, clientCert, caFile, echo, keylog, noTickets, ticketKeys, redis, name, noSessionIds, pskKe, protocols, ocsp,
            maxHandshakes,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            var options = new TlsServerOptions
            {
                ApplicationProtocols = Split(parse.GetValue(alpn)),
                ClientCertificateMode = parse.GetValue(clientCert) switch
                {
                    "required" => ClientCertificateMode.Required,
                    "optional" => ClientCertificateMode.Optional,
                    _ => ClientCertificateMode.None,
                },
                EnableSessionTickets = !parse.GetValue(noTickets),
                EnableSessionIds = !parse.GetValue(noSessionIds),
                AllowPskWithoutKeyExchange = parse.GetValue(pskKe),
                Logger = new SharpTls.Hosting.Kestrel.EngineEventFilter(ConsoleEvents.CreateLogger("listen"), failuresLoggedByHost: false), // 36880/36999 at Debug
                Name = parse.GetValue(name) ?? $"listen:{parse.GetValue(port)}",
                MaxConcurrentHandshakes = parse.GetValue(maxHandshakes),
            };
            if (parse.GetValue(protocols) is { } p)
            {
                if (Protocols("listen", p) is not { } versions) return 2;
                options.Versions = versions;
            }
            var keys = parse.GetValue(key) ?? [];
            var certs = parse.GetValue(cert)!;
            var staples = parse.GetValue(ocsp) ?? [];
            for (int i = 0; i < certs.Length; i++)
            {
                string path = certs[i].FullName;
                var loaded = path.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".p12", StringComparison.OrdinalIgnoreCase)
                    ? ServerCertificate.FromPfx(path, parse.GetValue(password))
                    : ServerCertificate.FromPem(path, i < keys.Length ? keys[i].FullName : null);
                // The file is read here and whenever it changes; the engine only takes the bytes (issue 9 item 6).
                if (i < staples.Length)
                    loaded = loaded.WithOcspResponse(new Hosting.Certificates.OcspResponseFile(staples[i].FullName, loaded.Certificate, logger: options.Logger));
                options.Certificates.Add(loaded);
            }
            if (parse.GetValue(caFile) is { } ca)
                options.TrustedIssuers = PemCertificates(ca, "--cafile");
            // The command opts in to SSLKEYLOGFILE, as curl does; the library never does by itself.
            options.KeyLog = parse.GetValue(keylog) is { } kl ? KeyLogFile.For(kl.FullName) : KeyLogFile.FromEnvironment();
            if (parse.GetValue(redis) is { } redisEndpoint)
            {
                var cache = new Microsoft.Extensions.Caching.StackExchangeRedis.RedisCache(
                    new Microsoft.Extensions.Caching.StackExchangeRedis.RedisCacheOptions { Configuration = redisEndpoint });
                options.SessionCache = new Sessions.DistributedSessionCache(cache);
            }
            if (parse.GetValue(ticketKeys) is { } tk)
            {
                options.TicketKeys = new Sessions.TicketKeyRing();
                if (tk.Exists) options.TicketKeys.Import(tk.FullName); else options.TicketKeys.Export(tk.FullName);
            }
            return await RunAsync(IPAddress.Parse(parse.GetValue(address)!), parse.GetValue(port), options, parse.GetValue(echo), ct);
        });
        return cmd;
    }

    /// <summary>A <c>--protocols</c> list as version switches; null, with the reason on stderr, when a name is unknown.</summary>
    /// <summary>The certificates of a PEM file an option names; a file with none is an error, not an empty trust list
    /// that would refuse every peer without saying why.</summary>
    internal static X509Certificate2Collection PemCertificates(FileInfo file, string option)
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(file.FullName);
        if (certificates.Count == 0) throw new ArgumentException($"{option} {file.FullName}: no PEM certificate (-----BEGIN CERTIFICATE-----) in it");
        return certificates;
    }

    internal static TlsVersions? Protocols(string command, string list)
    {
        if (Handshake.VersionSwitches.Parse(list) is { } versions) return versions;
        Console.Error.WriteLine($"{command}: --protocols takes ssl3, tls1.0, tls1.1, tls1.2 and tls1.3, comma separated, got \"{list}\"");
        return null;
    }

    internal static IList<string> Split(string? list)
        => string.IsNullOrWhiteSpace(list) ? [] : list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    internal static async Task<int> RunAsync(IPAddress address, int port, TlsServerOptions options, bool echo, CancellationToken ct)
    {
        // Socket completions run on the epoll thread instead of being handed to a thread-pool worker
        // (bench/PROFILE.md: about half the server CPU per handshake). Read when the first socket is
        // created, so set before the listener; an explicit setting in the environment wins.
        if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
            Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        var listener = new TcpListener(address, port);
        listener.Start(512);
        Console.Error.WriteLine($"sharptls: accepting on {address}:{port} ({(echo ? "echo" : "HTTP report")})");
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var socket = await listener.AcceptSocketAsync(ct).ConfigureAwait(false);
                // Started directly (no Task.Run): it runs on this thread until its first read waits.
                _ = ServeAsync(socket, options, echo, ct);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            listener.Stop();
        }
        return 0;
    }

    /// <remarks>The socket is read and written through <see cref="SocketStream"/> rather than TcpClient and NetworkStream: an
    /// idle connection keeps no send operation and no registration on the handshake's timeout (bench/PROFILE.md).</remarks>
    private static async Task ServeAsync(Socket socket, TlsServerOptions options, bool echo, CancellationToken ct)
    {
        socket.NoDelay = true;
        using var network = new SocketStream(socket);
        await using var tls = new TlsStream(network)
        {
            LocalEndPoint = socket.LocalEndPoint as IPEndPoint,
            RemoteEndPoint = socket.RemoteEndPoint as IPEndPoint,
        };
        try
        {
            await tls.AuthenticateAsServerAsync(options, ct);
            // Between messages the connection waits here with a zero-byte read and holds no buffer, and the wait is
            // this one suspended method (not one per layer): an idle connection costs only its objects (bench/PROFILE.md).
            // The wait takes no token: one registered on the command's token would be kept per idle connection, and when
            // that token fires the command stops and the process ends with its connections.
            do
            {
                int ready = await tls.ReadAsync(Memory<byte>.Empty, CancellationToken.None); // 0: data is there (or the peer closed)
                System.Diagnostics.Debug.Assert(ready == 0);
            }
            while (echo && await EchoOnceAsync(tls, ct));
            if (!echo) await AnswerHttpAsync(tls, ct);
            await tls.ShutdownAsync(ct);
        }
        catch (Exception e) when (e is IOException or TimeoutException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Handshake failures were logged by the connection as events; transport errors are routine.
            if (e is not TlsHandshakeException && options.Logger is { } log && log.IsEnabled(LogLevel.Debug))
                log.LogDebug("connection from {Remote} ended: {Message}", tls.RemoteEndPoint, e.Message);
        }
    }

    /// <summary>Echoes what has arrived; false when the peer closed.</summary>
    private static async ValueTask<bool> EchoOnceAsync(TlsStream tls, CancellationToken ct)
    {
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(16384);
        try
        {
            int n = await tls.ReadAsync(buffer.AsMemory(0, 16384), ct);
            if (n == 0) return false;
            await tls.WriteAsync(buffer.AsMemory(0, n), ct);
            return true;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }

    private static async Task AnswerHttpAsync(TlsStream tls, CancellationToken ct)
    {
        // Called once the request has started to arrive: read its head (bounded) and answer with the handshake report.
        var head = new MemoryStream();
        byte[] buffer = new byte[4096];
        while (head.Length < 64 * 1024)
        {
            int n = await tls.ReadAsync(buffer, ct);
            if (n == 0) return;
            head.Write(buffer, 0, n);
            if (head.GetBuffer().AsSpan(0, (int)head.Length).IndexOf("\r\n\r\n"u8) >= 0) break;
        }
        string requestLine = Encoding.ASCII.GetString(head.GetBuffer(), 0, (int)head.Length).Split("\r\n")[0];
        string body = HandshakeReport.Format(tls.Info) + $"Request: {requestLine}\n";
        byte[] bodyBytes = Encoding.UTF8.GetBytes(body);
        string version = requestLine.EndsWith("HTTP/1.0", StringComparison.Ordinal) ? "HTTP/1.0" : "HTTP/1.1";
        string response = $"{version} 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {bodyBytes.Length}\r\nConnection: close\r\n\r\n";
        // Head and body in one write, so one record (nginx, `openssl s_server -www` do the same): peers that read
        // one record and close expect the whole response in it (issue 10 item 8).
        await tls.WriteAsync((byte[])[.. Encoding.ASCII.GetBytes(response), .. bodyBytes], ct);
    }
}

/// <summary>The report of a handshake, shared by listen (served as text) and connect (printed as text or JSON).</summary>
internal static class HandshakeReport
{
    /// <summary>The report's lines as label and value, in order; the peer certificates come apart.</summary>
    private static List<(string Label, string Value)> Fields(TlsConnectionInfo info)
    {
        var fields = new List<(string, string)>
        {
            ("Protocol", info.Version is { } v ? Wire.ProtocolVersions.Describe((ushort)v) : "-"),
            ("Cipher suite", info.CipherSuite is { } cs ? Wire.CipherSuites.Describe((ushort)cs) : "-"),
            ("Key exchange group", info.Group is { } g ? Wire.NamedGroups.Name((ushort)g) : "-"),
            ("Signature scheme", info.SignatureScheme is { } s ? Wire.SignatureSchemes.Name((ushort)s) : "-"),
            ("ALPN", info.ApplicationProtocol ?? "-"),
            ("SNI", info.ServerName ?? "-"),
            ("Resumed", info.Resumed ? "yes" : "no"),
            ("HelloRetryRequest", info.HelloRetryRequested ? "yes" : "no"),
            ("Server certificate compression", info.ServerCertificateCompression ?? "none"),
        };
        if (info.Binding is not null) fields.Add(("Binding", info.Binding));
        return fields;
    }

    private static List<(string Label, string Value)> Trailer(TlsConnectionInfo info)
    {
        var fields = new List<(string, string)>();
        if (info.CertificateVerification is not null) fields.Add(("Certificate verification", info.CertificateVerification.ToString()!));
        if (info.OcspResponse is { } ocsp)
        {
            string described;
            try { described = OcspResponseInfo.Parse(ocsp).ToString(); }
            catch (FormatException e) { described = e.Message; }
            fields.Add(("OCSP stapled", $"{ocsp.Length} bytes; {described}"));
        }
        return fields;
    }

    public static string Format(TlsConnectionInfo info)
    {
        var sb = new StringBuilder();
        foreach (var (label, value) in Fields(info)) sb.Append($"{label}: {value}\n");
        sb.Append($"Peer certificates: {info.PeerCertificates.Count}\n");
        foreach (var c in info.PeerCertificates)
            sb.Append($"  subject={c.Subject}\n  issuer={c.Issuer}\n");
        foreach (var (label, value) in Trailer(info)) sb.Append($"{label}: {value}\n");
        return sb.ToString();
    }

    /// <summary>The same report as one JSON object: each label becomes a camel-cased property.</summary>
    public static void WriteJson(System.Text.Json.Utf8JsonWriter w, TlsConnectionInfo info)
    {
        w.WriteStartObject();
        foreach (var (label, value) in Fields(info)) w.WriteString(JsonName(label), value);
        w.WriteStartArray("peerCertificates");
        foreach (var c in info.PeerCertificates)
        {
            w.WriteStartObject();
            w.WriteString("subject", c.Subject);
            w.WriteString("issuer", c.Issuer);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        foreach (var (label, value) in Trailer(info)) w.WriteString(JsonName(label), value);
        w.WriteEndObject();
    }

    private static string JsonName(string label)
    {
        var words = label.Split(' ');
        var sb = new StringBuilder(words[0].ToLowerInvariant() is "alpn" or "sni" ? words[0].ToLowerInvariant() : char.ToLowerInvariant(words[0][0]) + words[0][1..]);
        foreach (var word in words.Skip(1)) sb.Append(char.ToUpperInvariant(word[0])).Append(word[1..]);
        return sb.ToString();
    }
}
