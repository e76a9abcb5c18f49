using System.CommandLine;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using SharpTls.Diagnostics;
using SharpTls.IO;
using SharpTls.Sessions;
using SharpTls.Wire;

namespace SharpTls.Cli.Commands;

/// <summary>
/// <c>sharptls connect HOST:PORT</c>: a handshake probe. It prints every message both ways in
/// the dissector's form, the encrypted ones included (decrypted: EncryptedExtensions,
/// Certificate, CertificateVerify, Finished), then the negotiated parameters and the verdict
/// on the server's certificate with its reasons.
/// </summary>
internal static class ConnectCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("target") { Description = "HOST:PORT to connect to" };
        var serverName = new Option<string?>("--servername") { Description = "SNI name and name to verify (default: HOST)" };
        var alpn = new Option<string?>("--alpn") { Description = "ALPN protocols, comma separated" };
        var tls13 = new Option<bool>("--tls13") { Description = "offer TLS 1.3 only (same as --protocols tls1.3)" };
        var protocols = new Option<string?>("--protocols") { Description = "versions to offer, comma separated: ssl3,tls1.0,tls1.1,tls1.2,tls1.3 (default tls1.2,tls1.3; the legacy ones only when named)" };
        var ciphers = new Option<string?>("--ciphers") { Description = "cipher suites to offer, IANA names comma separated (TLS 1.2 default: forward-secret suites only; name TLS_RSA_WITH_* to offer RSA key transport)" };
        var caFile = new Option<FileInfo?>("--cafile") { Description = "PEM file of trusted roots (default: the system store)" };
        var cert = new Option<FileInfo?>("--cert") { Description = "client certificate (PEM or PFX)" };
        var key = new Option<FileInfo?>("--key") { Description = "PEM key of --cert" };
        var keylog = new Option<FileInfo?>("--keylog") { Description = "append secrets in NSS key log format (for Wireshark)" };
        var resume = new Option<bool>("--resume") { Description = "connect twice: the second time resuming the first session (TLS 1.3 ticket; TLS 1.2 ticket, or session ID when the server gives no ticket)" };
        var insecure = new Option<bool>("--insecure") { Description = "do not fail on certificate errors (they are still reported)" };
        var groups = new Option<string?>("--groups") { Description = "key-exchange groups, comma separated (x25519,secp256r1,X25519MLKEM768,...)" };
        var json = new Option<bool>("--json") { Description = "print the trace as JSON" };
        var renegotiate = new Option<bool>("--renegotiate") { Description = "after the handshake, renegotiate (TLS 1.2 secure renegotiation, RFC 5746; offers TLS 1.2 only unless --protocols says otherwise) and print the second handshake too" };
        var noStatus = new Option<bool>("--no-status") { Description = "do not ask for a stapled OCSP response (status_request is sent by default)" };
        var maxFragment = new Option<int?>("--max-fragment-length") { Description = "offer max_fragment_length: 512, 1024, 2048 or 4096 (RFC 6066 §4)" };
        maxFragment.AcceptOnlyFromAmong("512", "1024", "2048", "4096");
        var cmd = new Command("connect", "perform a TLS handshake and print it message by message")
        {
            target, serverName, alpn, tls13, protocols, ciphers, caFile, cert, key, keylog, resume, insecure, groups, json, noStatus, maxFragment, renegotiate,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            string t = parse.GetValue(target)!;
            int colon = t.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(t[(colon + 1)..], out int port))
            {
                Console.Error.WriteLine($"connect: expected HOST:PORT, got \"{t}\"");
                return 2;
            }
            string host = t[..colon].Trim('[', ']');
            var options = new TlsClientOptions
            {
                TargetHost = parse.GetValue(serverName) ?? host,
                ApplicationProtocols = ListenCommand.Split(parse.GetValue(alpn)),
                SkipCertificateVerification = false,
                SessionStore = parse.GetValue(resume) ? new ClientSessionStore() : null,
                Versions = parse.GetValue(tls13) ? TlsVersions.Tls13 : parse.GetValue(renegotiate) ? TlsVersions.Tls12 : TlsVersions.Tls12 | TlsVersions.Tls13,
                RequestOcspStapling = !parse.GetValue(noStatus),
                MaxFragmentLength = parse.GetValue(maxFragment),
            };
            if (parse.GetValue(protocols) is { } p)
            {
                if (ListenCommand.Protocols("connect", p) is not { } versions) return 2;
                options.Versions = versions;
            }
            if (parse.GetValue(ciphers) is { } cs)
            {
                var list = new List<CipherSuite>();
                foreach (string name in ListenCommand.Split(cs))
                {
                    if (!CipherSuites.TryParse(name, out var suite))
                    {
                        Console.Error.WriteLine($"connect: unknown cipher suite \"{name}\" (IANA names, e.g. TLS_RSA_WITH_AES_128_CBC_SHA)");
                        return 2;
                    }
                    list.Add(suite);
                }
                options.CipherSuites = list;
            }
            if (parse.GetValue(groups) is { } g)
                options.Groups = ListenCommand.Split(g).Select(ParseGroup).ToList();
            if (parse.GetValue(caFile) is { } ca)
                options.TrustedRoots = ListenCommand.PemCertificates(ca, "--cafile");
            if (parse.GetValue(cert) is { } c)
                options.ClientCertificate = c.Extension is ".pfx" or ".p12" ? ServerCertificate.FromPfx(c.FullName) : ServerCertificate.FromPem(c.FullName, parse.GetValue(key)?.FullName);
            // The command opts in to SSLKEYLOGFILE, as curl does; the library never does by itself.
            options.KeyLog = parse.GetValue(keylog) is { } kl ? KeyLogFile.For(kl.FullName) : KeyLogFile.FromEnvironment();

            int rounds = parse.GetValue(resume) ? 2 : 1;
            int exit = 0;
            // --json: the whole run is one document, {"connections": [...]}, that a script can parse.
            using var stdout = parse.GetValue(json) ? Console.OpenStandardOutput() : null;
            using var writer = stdout is null ? null : new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true });
            writer?.WriteStartObject();
            writer?.WriteStartArray("connections");
            for (int i = 0; i < rounds; i++)
            {
                string kind = i == 0 ? "full handshake" : "resumption";
                if (writer is null && rounds > 1) Console.WriteLine($"=== Connection {i + 1} of {rounds} ({kind})");
                writer?.WriteStartObject();
                writer?.WriteString("attempt", rounds > 1 ? kind : "handshake");
                exit = Math.Max(exit, await ConnectOnceAsync(host, port, options, parse.GetValue(insecure), writer, parse.GetValue(renegotiate), ct));
                writer?.WriteEndObject();
            }
            if (writer is not null)
            {
                writer.WriteEndArray();
                writer.WriteEndObject();
                writer.Flush();
                stdout!.Write("\n"u8);
            }
            return exit;
        });
        return cmd;
    }

    private static NamedGroup ParseGroup(string name)
    {
        foreach (var g in Enum.GetValues<NamedGroup>())
            if (string.Equals(NamedGroups.Name(g), name, StringComparison.OrdinalIgnoreCase) || string.Equals(g.ToString(), name, StringComparison.OrdinalIgnoreCase))
                return g;
        throw new ArgumentException($"unknown group \"{name}\"");
    }

    /// <summary>One connection: the trace and the report, as text, or as the members of the object <paramref name="json"/> has open.</summary>
    private static async Task<int> ConnectOnceAsync(string host, int port, TlsClientOptions options, bool insecure, Utf8JsonWriter? json, bool renegotiate, CancellationToken ct)
    {
        var trace = new HandshakeTraceCollector();
        options.Trace = trace;
        options.SkipCertificateVerification = insecure;
        using var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync(host, port, ct);
        }
        catch (SocketException e)
        {
            Console.Error.WriteLine($"connect: cannot reach {host}:{port}: {e.Message}");
            json?.WriteString("failure", $"cannot reach {host}:{port}: {e.Message}");
            return 2;
        }
        await using var tls = new TlsStream(tcp.GetStream());
        Exception? failure = null;
        try
        {
            await tls.AuthenticateAsClientAsync(options, ct);
            // Tickets arrive after the handshake: give the server a moment to send them.
            if (options.SessionStore is not null) await ReadPostHandshakeAsync(tls, TimeSpan.FromMilliseconds(300));
        }
        catch (Exception e) when (e is IOException or TimeoutException)
        {
            failure = e;
        }
        int firstHandshake = trace.Entries.Count;
        string? renegotiation = failure is null && renegotiate ? await RenegotiateAsync(tls, options.HandshakeTimeout, ct) : null;
        var entries = trace.Entries;
        if (json is not null)
        {
            WriteJson(json, entries, firstHandshake, tls.Connection.Info, failure, renegotiation);
        }
        else
        {
            PrintText(entries, firstHandshake, renegotiate, tls.Connection.Info, failure, renegotiation);
        }
        if (failure is not null) return 1;
        if (tls.Connection.Status == TlsStatus.Connected) await tls.ShutdownAsync(ct);
        return renegotiation is null || renegotiation.StartsWith("Renegotiation completed", StringComparison.Ordinal) ? 0 : 1;
    }

    private static void PrintText(IReadOnlyList<TraceEntry> entries, int firstHandshake, bool renegotiate, TlsConnectionInfo info, Exception? failure, string? renegotiation)
    {
        Print(entries.Take(firstHandshake));
        if (renegotiate && entries.Count > firstHandshake)
        {
            // The second handshake travels under the first one's keys: it is shown decrypted, like the rest.
            Console.WriteLine("=== Renegotiation (protected by the first handshake's keys)");
            Print(entries.Skip(firstHandshake));
        }
        Console.WriteLine("---");
        Console.Write(HandshakeReport.Format(info));
        if (info.Renegotiations > 0) Console.WriteLine($"Renegotiations: {info.Renegotiations}");
        if (failure is not null) Console.WriteLine($"Handshake FAILED: {failure.Message}");
        else if (renegotiation is not null) Console.WriteLine(renegotiation);
    }

    /// <summary>The members of one connection's object: its messages (and a renegotiation's), what was negotiated, how it ended.</summary>
    private static void WriteJson(Utf8JsonWriter w, IReadOnlyList<TraceEntry> entries, int firstHandshake, TlsConnectionInfo info, Exception? failure, string? renegotiation)
    {
        var dissector = new Dissector();
        void Messages(string name, IEnumerable<TraceEntry> part)
        {
            w.WriteStartArray(name);
            foreach (var e in part)
            {
                w.WriteStartObject();
                w.WriteString("direction", e.Sent ? "client to server" : "server to client");
                w.WritePropertyName("message");
                dissector.DissectMessage(e.ContentType, e.Bytes, e.Version, e.Encrypted).WriteJson(w);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        Messages("messages", entries.Take(firstHandshake));
        if (entries.Count > firstHandshake) Messages("renegotiationMessages", entries.Skip(firstHandshake));
        w.WritePropertyName("negotiated");
        HandshakeReport.WriteJson(w, info);
        w.WriteNumber("renegotiations", info.Renegotiations);
        if (renegotiation is not null) w.WriteString("renegotiation", renegotiation);
        if (failure is not null) w.WriteString("failure", failure.Message);
    }

    /// <summary>Renegotiates once and says how it went, in one line.</summary>
    private static async Task<string> RenegotiateAsync(TlsStream tls, TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            return await tls.RenegotiateAsync(cts.Token)
                ? "Renegotiation completed: secure renegotiation (RFC 5746), new keys in force"
                : "Renegotiation REFUSED by the server (no_renegotiation warning); the connection went on with the first session";
        }
        catch (InvalidOperationException e)
        {
            return $"Renegotiation NOT attempted: {e.Message}";
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return $"Renegotiation FAILED: the server did not answer within {timeout.TotalSeconds:0.#} s";
        }
        catch (IOException e)
        {
            return $"Renegotiation FAILED: {e.Message}";
        }
    }

    private static async Task ReadPostHandshakeAsync(TlsStream tls, TimeSpan wait)
    {
        using var cts = new CancellationTokenSource(wait);
        byte[] buffer = new byte[1];
        try
        {
            _ = await tls.ReadAsync(buffer, cts.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static void Print(IEnumerable<TraceEntry> entries)
    {
        var dissector = new Dissector();
        var sb = new StringBuilder();
        bool? lastSent = null;
        foreach (var e in entries)
        {
            if (lastSent != e.Sent)
            {
                sb.Append(e.Sent ? "Client -> Server\n" : "Server -> Client\n");
                lastSent = e.Sent;
            }
            dissector.DissectMessage(e.ContentType, e.Bytes, e.Version, e.Encrypted).WriteText(sb, 1);
        }
        Console.Write(sb.ToString());
    }
}
