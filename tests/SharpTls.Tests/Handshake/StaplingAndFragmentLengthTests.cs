using SharpTls.Diagnostics;
using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Wire;

namespace SharpTls.Tests.Handshake;

/// <summary>A fixed stapled response, as a host would hand the engine the bytes it loaded.</summary>
internal sealed class FixedOcspSource(byte[] response) : IOcspResponseSource
{
    public byte[] Response { get; set; } = response;
    public int Reads { get; private set; }

    public ReadOnlyMemory<byte> Current
    {
        get
        {
            Reads++;
            return Response;
        }
    }
}

/// <summary>
/// OCSP stapling (RFC 6066 §8 on TLS 1.2, RFC 8446 §4.4.2.1 on TLS 1.3) and max_fragment_length (RFC 6066 §4) with
/// its record_size_limit interplay (RFC 8449 §5), between our client and server. The engine takes the response as
/// bytes; what it contains is the host's business (the interop tests staple a real `openssl ocsp` response).
/// </summary>
public class StaplingAndFragmentLengthTests
{
    private static readonly byte[] Staple = [0x30, 0x03, 0x0a, 0x01, 0x00, .. new byte[300]];

    private static InMemoryPair Pair(TlsVersions version, IOcspResponseSource? staple, bool request, HandshakeTraceCollector? trace = null,
        int? maxFragment = null, ushort? recordSizeLimit = null)
    {
        var server = InMemoryPair.DefaultServer();
        server.Certificates = [server.Certificates[0].WithOcspResponse(staple)];
        var client = InMemoryPair.DefaultClient();
        client.Versions = version;
        client.RequestOcspStapling = request;
        client.MaxFragmentLength = maxFragment;
        client.Trace = trace;
        client.RecordSizeLimit = recordSizeLimit;
        return new InMemoryPair(server, client);
    }

    private static List<(bool Sent, HandshakeType Type, byte[] Bytes)> Handshakes(HandshakeTraceCollector trace)
        => trace.Entries.Where(e => e.ContentType == ContentType.Handshake).Select(e => (e.Sent, (HandshakeType)e.Bytes[0], e.Bytes)).ToList();

    [Fact]
    public void Tls12_server_acknowledges_status_request_and_sends_CertificateStatus_right_after_Certificate()
    {
        var trace = new HandshakeTraceCollector();
        using var pair = Pair(TlsVersions.Tls12, new FixedOcspSource(Staple), request: true, trace);
        pair.Handshake();
        Assert.Equal(Staple, pair.Client.Info.OcspResponse);
        Assert.Equal(Staple, pair.Server.Info.OcspResponse);
        var received = Handshakes(trace).Where(m => !m.Sent).Select(m => m.Type).ToList();
        // RFC 6066 §8: "the CertificateStatus message ... immediately after the Certificate message".
        Assert.Equal(received.IndexOf(HandshakeType.Certificate) + 1, received.IndexOf(HandshakeType.CertificateStatus));
        var serverHello = HandshakeMessage.Decode<ServerHello>(Handshakes(trace).First(m => m.Type == HandshakeType.ServerHello).Bytes, MessageContext.None);
        Assert.NotNull(serverHello.Extensions.Find<StatusRequestExtension>());
    }

    [Fact]
    public void Tls13_server_staples_in_the_leafs_CertificateEntry_only()
    {
        var trace = new HandshakeTraceCollector();
        using var pair = Pair(TlsVersions.Tls13, new FixedOcspSource(Staple), request: true, trace);
        pair.Handshake();
        Assert.Equal(Staple, pair.Client.Info.OcspResponse);
        // The server's Certificate arrives compressed (RFC 8879, on by default): the staple travels inside it.
        var received = Handshakes(trace).First(m => !m.Sent && m.Type is HandshakeType.Certificate or HandshakeType.CompressedCertificate);
        var certificate = SharpTls.Handshake.Tls13.CertificateCompression.Receive(received.Type, received.Bytes, offered: true).Certificate;
        Assert.Equal(Staple, certificate.Entries[0].Extensions.Find<StatusRequestExtension>()!.OcspResponse);
        Assert.All(certificate.Entries.Skip(1), e => Assert.Empty(e.Extensions));
        Assert.DoesNotContain(Handshakes(trace), m => m.Type == HandshakeType.CertificateStatus);
    }

    [Theory]
    [InlineData(TlsVersions.Tls12)]
    [InlineData(TlsVersions.Tls13)]
    public void Nothing_is_stapled_when_the_client_does_not_ask(TlsVersions version)
    {
        var source = new FixedOcspSource(Staple);
        var trace = new HandshakeTraceCollector();
        using var pair = Pair(version, source, request: false, trace);
        pair.Handshake();
        Assert.Null(pair.Client.Info.OcspResponse);
        Assert.Equal(0, source.Reads);
        Assert.DoesNotContain(Handshakes(trace), m => m.Type == HandshakeType.CertificateStatus);
    }

    [Theory]
    [InlineData(TlsVersions.Tls12, 0)]
    [InlineData(TlsVersions.Tls13, 0)]
    [InlineData(TlsVersions.Tls12, IOcspResponseSource.MaxResponseLength + 1)]
    [InlineData(TlsVersions.Tls13, IOcspResponseSource.MaxResponseLength + 1)]
    public void An_empty_or_oversized_response_is_not_stapled_and_not_promised(TlsVersions version, int length)
    {
        var trace = new HandshakeTraceCollector();
        using var pair = Pair(version, new FixedOcspSource(new byte[length]), request: true, trace);
        pair.Handshake();
        Assert.Null(pair.Client.Info.OcspResponse);
        var serverHello = HandshakeMessage.Decode<ServerHello>(Handshakes(trace).First(m => m.Type == HandshakeType.ServerHello).Bytes, MessageContext.None);
        Assert.Null(serverHello.Extensions.Find<StatusRequestExtension>());
        Assert.DoesNotContain(Handshakes(trace), m => m.Type == HandshakeType.CertificateStatus);
    }

    /// <summary>
    /// docs/limits.md: a stapled response past 32 KiB is refused by our client with bad_certificate_status_response
    /// (RFC 8446 §4.4.2.1, RFC 6066 §8). Our server never staples one that long, so its Certificate is rewritten in flight.
    /// </summary>
    [Theory]
    [InlineData(IOcspResponseSource.MaxResponseLength, true)]
    [InlineData(IOcspResponseSource.MaxResponseLength + 1, false)]
    public void Tls13_our_client_refuses_a_stapled_response_longer_than_the_limit(int length, bool accepted)
    {
        var keys = new KeyCapture();
        var server = InMemoryPair.DefaultServer();
        server.Versions = TlsVersions.Tls13;
        server.KeyLog = keys;
        server.Certificates = [server.Certificates[0].WithOcspResponse(new FixedOcspSource(Staple))];
        var client = InMemoryPair.DefaultClient();
        client.RequestOcspStapling = true;
        client.CertificateCompression = false; // a plain Certificate, whose leaf entry can be changed
        using var pair = new InMemoryPair(server, client);
        byte[] oversized = [0x30, 0x82, 0x7f, 0xff, .. new byte[length - 4]];
        pair.ServerToClient = WireSurgery.RewriteHandshakeFlight(keys, serverFlight: true, CipherSuite.TLS_AES_128_GCM_SHA256,
            WireSurgery.Replace(HandshakeType.Certificate, m =>
            {
                var c = HandshakeMessage.Decode<CertificateMessage>(m, MessageContext.Tls13);
                var leaf = c.Entries[0];
                Assert.NotNull(leaf.Extensions.Find<StatusRequestExtension>()); // the real staple, replaced
                var extensions = new ExtensionList { new StatusRequestExtension { StatusType = CertificateStatusType.Ocsp, OcspResponse = oversized } };
                return new CertificateMessage { RequestContext = c.RequestContext, Entries = [leaf with { Extensions = extensions }, .. c.Entries.Skip(1)] }.Encode();
            }));
        if (accepted)
        {
            // The client takes the response; only then does the changed transcript fail the server's CertificateVerify.
            pair.HandshakeFails(pair.Client, AlertDescription.DecryptError, "Client.Tls13.ExpectCertificateVerify", "");
            Assert.Equal(length, pair.Client.Info.OcspResponse!.Length);
        }
        else
        {
            pair.HandshakeFails(pair.Client, AlertDescription.BadCertificateStatusResponse, "Client.Tls13.ExpectCertificate",
                $"the stapled OCSP response is {length} bytes; at most {IOcspResponseSource.MaxResponseLength} are accepted");
        }
    }

    [Fact]
    public void Tls12_response_is_read_each_full_handshake_so_a_refreshed_one_is_stapled_next()
    {
        var source = new FixedOcspSource(Staple);
        using (var first = Pair(TlsVersions.Tls12, source, request: true))
        {
            first.Handshake();
            Assert.Equal(Staple, first.Client.Info.OcspResponse);
        }
        byte[] refreshed = [.. Staple[..5], 0x42];
        source.Response = refreshed;
        using var second = Pair(TlsVersions.Tls12, source, request: true);
        second.Handshake();
        Assert.Equal(refreshed, second.Client.Info.OcspResponse);
    }

    [Fact]
    public void Tls12_resumption_sends_no_CertificateStatus()
    {
        var server = InMemoryPair.DefaultServer();
        server.Certificates = [server.Certificates[0].WithOcspResponse(new FixedOcspSource(Staple))];
        var client = InMemoryPair.DefaultClient();
        client.Versions = TlsVersions.Tls12;
        client.RequestOcspStapling = true;
        client.SessionStore = new Sessions.ClientSessionStore();
        using (var first = new InMemoryPair(server, client)) first.Handshake();
        var trace = new HandshakeTraceCollector();
        client.Trace = trace;
        using var second = new InMemoryPair(server, client);
        second.Handshake();
        Assert.True(second.Client.Info.Resumed);
        Assert.Null(second.Client.Info.OcspResponse);
        Assert.DoesNotContain(Handshakes(trace), m => m.Type == HandshakeType.CertificateStatus);
    }

    [Fact]
    public void Client_refuses_a_CertificateStatus_it_was_not_promised()
    {
        // The server staples; the ServerHello's status_request is cut out on the way, so the CertificateStatus that
        // follows Certificate was not announced: unexpected_message (RFC 6066 §8 lets it follow only an acknowledgement).
        using var pair = Pair(TlsVersions.Tls12, new FixedOcspSource(Staple), request: true);
        bool done = false;
        pair.ServerToClient = bytes =>
        {
            if (done) return bytes;
            done = true;
            var records = WireSurgery.Split(bytes);
            var messages = WireSurgery.Messages(records.Where(r => r.Type == ContentType.Handshake).SelectMany(r => r.Fragment).ToArray());
            var hello = HandshakeMessage.Decode<ServerHello>(messages[0], MessageContext.None);
            var stripped = new ServerHello
            {
                LegacyVersion = hello.LegacyVersion, Random = hello.Random, SessionId = hello.SessionId, CipherSuite = hello.CipherSuite,
                Extensions = new ExtensionList(hello.Extensions.Where(e => e.Type != ExtensionType.StatusRequest)),
            };
            messages[0] = stripped.Encode();
            return WireSurgery.Record(ContentType.Handshake, messages.SelectMany(m => m).ToArray());
        };
        pair.Pump();
        Assert.Equal(TlsStatus.Failed, pair.Client.Status);
        Assert.Equal(AlertDescription.UnexpectedMessage, pair.Client.Failure!.Alert);
    }

    [Theory]
    [InlineData(TlsVersions.Tls12, 512)]
    [InlineData(TlsVersions.Tls12, 2048)]
    [InlineData(TlsVersions.Tls13, 512)]
    [InlineData(TlsVersions.Tls13, 4096)]
    public void Max_fragment_length_bounds_every_record_after_ServerHello_both_ways(TlsVersions version, int limit)
    {
        var trace = new HandshakeTraceCollector();
        using var pair = Pair(version, null, request: false, trace, maxFragment: limit);
        var fromServer = new List<(ContentType Type, int Length)>();
        var fromClient = new List<(ContentType Type, int Length)>();
        pair.ServerToClient = bytes => { fromServer.AddRange(WireSurgery.Split(bytes).Select(r => (r.Type, r.Fragment.Length))); return bytes; };
        pair.ClientToServer = bytes => { fromClient.AddRange(WireSurgery.Split(bytes).Select(r => (r.Type, r.Fragment.Length))); return bytes; };
        pair.Handshake();
        var data = new byte[3 * limit + 17];
        Assert.Equal(data, pair.Send(pair.Server, pair.Client, data));
        Assert.Equal(data, pair.Send(pair.Client, pair.Server, data));
        // Plaintext at most `limit` per record; protected records add at most 8 (explicit nonce) + 16 (tag) on TLS 1.2 GCM,
        // 1 (content type) + 16 (tag) on TLS 1.3.
        int overhead = version == TlsVersions.Tls12 ? 24 : 17;
        // The first records are ClientHello and (on TLS 1.3, sent in the clear before the answer) ServerHello.
        Assert.All(fromServer.Skip(version == TlsVersions.Tls13 ? 1 : 0), r => Assert.True(r.Length <= limit + overhead, $"server sent a {r.Type} record of {r.Length} bytes"));
        Assert.All(fromClient.Skip(1), r => Assert.True(r.Length <= limit + overhead, $"client sent a {r.Type} record of {r.Length} bytes"));
        Assert.True(fromServer.Count(r => r.Type == ContentType.ApplicationData) >= 4);
        // The answer carries our value: ServerHello on TLS 1.2, EncryptedExtensions on TLS 1.3.
        var answer = HandshakeType.EncryptedExtensions;
        ExtensionList extensions;
        if (version == TlsVersions.Tls12)
        {
            answer = HandshakeType.ServerHello;
            extensions = HandshakeMessage.Decode<ServerHello>(Handshakes(trace).First(m => m.Type == answer).Bytes, MessageContext.None).Extensions;
        }
        else
        {
            extensions = HandshakeMessage.Decode<EncryptedExtensions>(Handshakes(trace).First(m => m.Type == answer).Bytes, MessageContext.Tls13).Extensions;
        }
        Assert.Equal(limit, extensions.Find<MaxFragmentLengthExtension>()!.Bytes);
    }

    [Theory]
    [InlineData(TlsVersions.Tls12)]
    [InlineData(TlsVersions.Tls13)]
    public void A_record_over_the_negotiated_length_is_record_overflow(TlsVersions version)
    {
        using var pair = Pair(version, null, request: false, maxFragment: 512);
        pair.Handshake();
        // The client forgets the limit it negotiated (as a broken peer would) and sends a 1000-byte record.
        pair.Client.Records.MaxFragmentLength = SharpTls.Records.RecordLimits.MaxPlaintextLength;
        pair.Client.WriteApplicationData(new byte[1000]);
        pair.Pump();
        Assert.Equal(TlsStatus.Failed, pair.Server.Status);
        Assert.Equal(AlertDescription.RecordOverflow, pair.Server.Failure!.Alert);
    }

    [Fact]
    public void Record_size_limit_wins_over_max_fragment_length_when_a_client_sends_both()
    {
        // RFC 8449 §5: "A server that supports the record_size_limit extension MUST ignore a max_fragment_length that
        // appears in a ClientHello if both extensions appear."
        var trace = new HandshakeTraceCollector();
        using var both = Pair(TlsVersions.Tls13, null, request: false, trace, maxFragment: 512, recordSizeLimit: 1024);
        both.Handshake();
        var ee = HandshakeMessage.Decode<EncryptedExtensions>(Handshakes(trace).First(m => m.Type == HandshakeType.EncryptedExtensions).Bytes, MessageContext.Tls13);
        Assert.Null(ee.Extensions.Find<MaxFragmentLengthExtension>());
        Assert.NotNull(ee.Extensions.Find<RecordSizeLimitExtension>());
        Assert.Equal(1023, both.Server.Records.MaxFragmentLength);
        // Nothing limits what the client sends: 2^14 records still arrive.
        Assert.Equal(new byte[16384], both.Send(both.Client, both.Server, new byte[16384]));
    }

    [Fact]
    public void Client_refuses_a_max_fragment_length_answer_other_than_its_own()
    {
        // RFC 6066 §4: "If a client receives a maximum fragment length negotiation response that differs from the
        // length it requested, it MUST also abort the handshake with an illegal_parameter alert."
        using var pair = Pair(TlsVersions.Tls12, null, request: false, maxFragment: 1024);
        bool done = false;
        pair.ServerToClient = bytes =>
        {
            if (done) return bytes;
            done = true;
            // max_fragment_length (1), length 1, value 2 (2^10) -> 3 (2^11)
            int at = bytes.AsSpan().IndexOf(new byte[] { 0x00, 0x01, 0x00, 0x01, 0x02 });
            Assert.True(at > 0);
            bytes[at + 4] = 3;
            return bytes;
        };
        pair.Pump();
        Assert.Equal(TlsStatus.Failed, pair.Client.Status);
        Assert.Equal(AlertDescription.IllegalParameter, pair.Client.Failure!.Alert);
    }

    [Fact]
    public void Client_option_takes_only_the_four_lengths_of_RFC_6066()
    {
        var client = new TlsClientOptions();
        foreach (int ok in new[] { 512, 1024, 2048, 4096 }) client.MaxFragmentLength = ok;
        Assert.Throws<ArgumentOutOfRangeException>(() => client.MaxFragmentLength = 1000);
        Assert.Throws<ArgumentOutOfRangeException>(() => client.MaxFragmentLength = 16384);
    }
}
