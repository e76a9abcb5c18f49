using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Records;
using SharpTls.Wire;

namespace SharpTls.Tests.Handshake;

/// <summary>
/// ClientHellos over 64 KiB (issue 10 item 6): a handshake message may be 2^24-1 bytes (RFC 8446 §4), and a
/// well-formed ClientHello can be up to <see cref="HandshakeReassembler.MaxClientHelloLength"/> (131,396 bytes).
/// The server answers them with a ServerHello; a claim beyond that is refused from the header alone, with
/// illegal_parameter like every other handshake-size limit, and the reason names the limit.
/// </summary>
public class LargeClientHelloTests
{
    /// <summary>Our client's real ClientHello, changed by <paramref name="change"/>, fed to a server in 16 KiB records.</summary>
    private static (TlsConnection Server, int HelloLength) Serve(Func<ClientHello, ClientHello> change)
    {
        var server = InMemoryPair.DefaultServer();
        server.Versions = TlsVersions.Tls13;
        using var pair = new InMemoryPair(server, InMemoryPair.DefaultClient());
        var first = WireSurgery.Split(pair.Client.PendingOutput.ToArray());
        var original = SharpTls.Messages.HandshakeMessage.Decode<ClientHello>(WireSurgery.Messages(first[0].Fragment)[0], MessageContext.None);
        byte[] hello = change(original).Encode();
        var connection = TlsConnection.CreateServer(server);
        var records = hello.Chunk(16384).SelectMany(chunk => WireSurgery.Record(ContentType.Handshake, chunk, 0x0301)).ToArray();
        InMemoryPair.FeedAll(connection, records);
        if (connection.Status == TlsStatus.WaitingForHost)
            connection.AnswerHostRequestAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return (connection, hello.Length - 4);
    }

    private static void AssertServerHello(TlsConnection server, int helloLength, int over)
    {
        Assert.True(helloLength > over, $"the hello is only {helloLength} bytes");
        Assert.True(server.Status == TlsStatus.Handshaking, $"{server.Status} {server.Failure}");
        var reply = WireSurgery.Split(server.PendingOutput.ToArray());
        Assert.Equal(ContentType.Handshake, reply[0].Type);
        Assert.Equal((byte)HandshakeType.ServerHello, reply[0].Fragment[0]);
    }

    [Fact]
    public void One_extension_of_65_000_bytes_and_10_000_more_cipher_suites()
    {
        var (server, length) = Serve(h => new ClientHello
        {
            Random = h.Random,
            SessionId = h.SessionId,
            CipherSuites = [.. Enumerable.Range(0, 10_000).Select(i => (ushort)(0x8000 + i)), .. h.CipherSuites], // unassigned
            Extensions = [.. h.Extensions.Where(e => e is not PreSharedKeyExtension),
                new UnknownExtension(0x8001, new byte[65_531 - h.Extensions.Sum(e => 4 + e.EncodeData().Length)])],
        });
        AssertServerHello(server, length, 64 * 1024 + 20_000);
    }

    [Fact]
    public void Sixteen_thousand_extensions()
    {
        var (server, length) = Serve(h => new ClientHello
        {
            Random = h.Random,
            SessionId = h.SessionId,
            CipherSuites = h.CipherSuites,
            // As many empty extensions as the 65,535-byte extensions block holds beside ours (16,3xx in all).
            Extensions = [.. h.Extensions, .. Enumerable.Range(0, (65_535 - h.Extensions.Sum(e => 4 + e.EncodeData().Length)) / 4)
                .Select(i => new UnknownExtension((ushort)(0x8000 + i), []))],
        });
        AssertServerHello(server, length, 64 * 1024 - 1000);
    }

    [Fact]
    public void Thirty_thousand_signature_algorithms()
    {
        var (server, length) = Serve(h => new ClientHello
        {
            Random = h.Random,
            SessionId = h.SessionId,
            CipherSuites = [.. Enumerable.Range(0, 3_000).Select(i => (ushort)(0x8000 + i)), .. h.CipherSuites],
            Extensions = [.. h.Extensions.Select(e => e is SignatureAlgorithmsExtension s
                ? new SignatureAlgorithmsExtension([.. Enumerable.Range(0, 30_000).Select(i => (SignatureScheme)(0x1000 + i)), .. s.Schemes])
                : e)],
        });
        AssertServerHello(server, length, 64 * 1024);
    }

    [Fact]
    public void A_large_client_hello_cut_short_inside_is_decode_error()
    {
        // Issue 10 item 6: the 16,000-extension hello with its last byte gone and the handshake length cut to match: the
        // message is whole, but its extensions block claims a byte that is not there.
        var server = InMemoryPair.DefaultServer();
        server.Versions = TlsVersions.Tls13;
        using var pair = new InMemoryPair(server, InMemoryPair.DefaultClient());
        var first = WireSurgery.Split(pair.Client.PendingOutput.ToArray());
        var h = SharpTls.Messages.HandshakeMessage.Decode<ClientHello>(WireSurgery.Messages(first[0].Fragment)[0], MessageContext.None);
        byte[] hello = new ClientHello
        {
            Random = h.Random,
            SessionId = h.SessionId,
            CipherSuites = h.CipherSuites,
            Extensions = [.. h.Extensions, .. Enumerable.Range(0, (65_535 - h.Extensions.Sum(e => 4 + e.EncodeData().Length)) / 4)
                .Select(i => new UnknownExtension((ushort)(0x8000 + i), []))],
        }.Encode();
        int body = hello.Length - 4 - 1;
        Assert.True(body > 64 * 1024, $"{body} bytes");
        byte[] cut = [1, (byte)(body >> 16), (byte)(body >> 8), (byte)body, .. hello.AsSpan(4, body)];
        var connection = TlsConnection.CreateServer(server);
        InMemoryPair.FeedAll(connection, cut.Chunk(16384).SelectMany(chunk => WireSurgery.Record(ContentType.Handshake, chunk, 0x0301)).ToArray());
        Failures.AssertGenerated(connection, AlertDescription.DecodeError, "ExpectClientHello", "");
        connection.Dispose();
    }

    [Fact]
    public void A_claim_beyond_the_largest_well_formed_client_hello_is_refused_by_the_limit()
    {
        using var server = NegativeTests.FeedServer(WireSurgery.Record(ContentType.Handshake, [1, 0x02, 0x01, 0x45, 0x03, 0x03], 0x0301)); // 131,397
        Failures.AssertGenerated(server, AlertDescription.IllegalParameter, "ExpectClientHello", "the largest a well-formed ClientHello can be");
        Assert.Equal(131_396, HandshakeReassembler.MaxClientHelloLength);
    }
}
