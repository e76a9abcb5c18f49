using System.IO.Compression;
using SharpTls.Crypto;
using SharpTls.Diagnostics;
using SharpTls.Handshake.Tls13;
using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Wire;

namespace SharpTls.Tests.Handshake;

/// <summary>
/// TLS certificate compression (RFC 8879), both sides, between our client and server. The real peers are elsewhere:
/// Chromium (brotli) and Firefox (zlib, brotli, zstd) against <c>sharptls serve</c> in the host tests, and Firefox's NSS
/// compressing and inflating with zlib, brotli and zstd against our client and server (Interop.Tests, NssInteropTests).
/// </summary>
public class CertificateCompressionTests
{
    /// <summary>Records the handshake message types a side sends.</summary>
    private sealed class SentTypes : IHandshakeTrace
    {
        public List<HandshakeType> Sent { get; } = [];

        public void OnMessage(bool sent, ContentType contentType, ReadOnlySpan<byte> bytes, bool encrypted, ProtocolVersion? version)
        {
            if (sent && contentType == ContentType.Handshake) lock (Sent) Sent.Add((HandshakeType)bytes[0]);
        }
    }

    [Fact]
    public void Rfc8879_server_certificate_goes_compressed_with_brotli_by_default()
    {
        var trace = new SentTypes();
        var server = InMemoryPair.DefaultServer();
        server.Trace = trace;
        using var pair = new InMemoryPair(server, InMemoryPair.DefaultClient());
        pair.Handshake();
        Assert.Equal(("brotli", "brotli"), (pair.Server.Info.ServerCertificateCompression, pair.Client.Info.ServerCertificateCompression));
        Assert.Contains(HandshakeType.CompressedCertificate, trace.Sent);
        Assert.DoesNotContain(HandshakeType.Certificate, trace.Sent);
        Assert.Equal(UnitPki.EcdsaLeaf.Thumbprint, pair.Client.Info.PeerCertificates[0].Thumbprint);
        Assert.Equal("after"u8.ToArray(), pair.Send(pair.Client, pair.Server, "after"u8.ToArray()));
    }

    [Theory]
    [InlineData((ushort)CertificateCompressionAlgorithm.Zlib, "zlib")]
    [InlineData((ushort)CertificateCompressionAlgorithm.Zstd, "zstd")]
    public void Rfc8879_a_client_offering_one_algorithm_gets_it(ushort code, string name)
    {
        var trace = new SentTypes();
        var server = InMemoryPair.DefaultServer();
        server.Trace = trace;
        using var pair = new InMemoryPair(server, OnlyClient((CertificateCompressionAlgorithm)code));
        pair.Handshake();
        Assert.Equal((name, name), (pair.Server.Info.ServerCertificateCompression, pair.Client.Info.ServerCertificateCompression));
        Assert.Contains(HandshakeType.CompressedCertificate, trace.Sent);
        Assert.Equal(UnitPki.EcdsaLeaf.Thumbprint, pair.Client.Info.PeerCertificates[0].Thumbprint);
    }

    [Theory]
    [InlineData(new ushort[] { 1, 2, 3 }, "brotli")] // Firefox's offer: zlib, brotli, zstd
    [InlineData(new ushort[] { 3, 1 }, "zlib")]     // zstd comes after zlib in our order, whatever the client's
    [InlineData(new ushort[] { 3 }, "zstd")]
    [InlineData(new ushort[] { 0x4242 }, null)]      // nothing in common: a plain Certificate (RFC 8879 §3)
    public void Rfc8879_the_sender_takes_its_first_algorithm_that_the_peer_offers(ushort[] offered, string? chosen)
    {
        var extensions = new ExtensionList([new CompressCertificateExtension([.. offered.Select(a => (CertificateCompressionAlgorithm)a)])]);
        Assert.Equal(chosen, CertificateCompression.Choose(extensions, enabled: true) is { } a ? SmallRegistryNames.Name(a) : null);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void Rfc8879_off_on_either_side_sends_a_plain_certificate(bool clientCompresses, bool serverCompresses)
    {
        var trace = new SentTypes();
        var server = InMemoryPair.DefaultServer();
        server.CertificateCompression = serverCompresses;
        server.Trace = trace;
        var client = InMemoryPair.DefaultClient();
        client.CertificateCompression = clientCompresses;
        using var pair = new InMemoryPair(server, client);
        pair.Handshake();
        Assert.Equal(((string?)null, (string?)null), (pair.Server.Info.ServerCertificateCompression, pair.Client.Info.ServerCertificateCompression));
        Assert.Contains(HandshakeType.Certificate, trace.Sent);
        Assert.DoesNotContain(HandshakeType.CompressedCertificate, trace.Sent);
    }

    [Fact]
    public void Rfc8879_the_client_certificate_goes_compressed_when_the_certificate_request_offers_it()
    {
        var trace = new SentTypes();
        var server = InMemoryPair.DefaultServer();
        server.ClientCertificateMode = ClientCertificateMode.Required;
        server.TrustedIssuers = [.. UnitPki.Roots];
        var client = InMemoryPair.DefaultClient();
        client.ClientCertificate = new ServerCertificate(UnitPki.ClientLeaf);
        client.Trace = trace;
        using var pair = new InMemoryPair(server, client);
        pair.Handshake();
        Assert.Contains(HandshakeType.CompressedCertificate, trace.Sent);
        Assert.Equal(ClientCertificateStatus.Verified, pair.Server.Info.ClientCertificateVerdict!.Status);
        Assert.Equal(UnitPki.ClientLeaf.Thumbprint, pair.Server.Info.PeerCertificates[0].Thumbprint);
    }

    /// <summary>A handshake whose server flight has its CompressedCertificate replaced by <paramref name="replacement"/>.</summary>
    private static InMemoryPair WithCompressedCertificate(Func<CompressedCertificate, HandshakeMessage> replacement)
    {
        var keys = new KeyCapture();
        var server = InMemoryPair.DefaultServer();
        server.KeyLog = keys;
        var pair = new InMemoryPair(server, InMemoryPair.DefaultClient());
        pair.ServerToClient = WireSurgery.RewriteHandshakeFlight(keys, serverFlight: true, CipherSuite.TLS_AES_128_GCM_SHA256,
            WireSurgery.Replace(HandshakeType.CompressedCertificate,
                m => replacement(HandshakeMessage.Decode<CompressedCertificate>(m, MessageContext.Tls13)).Encode()));
        return pair;
    }

    private static byte[] BrotliOf(byte[] data)
    {
        using var output = new MemoryStream();
        using (var brotli = new BrotliStream(output, CompressionLevel.Optimal, leaveOpen: true)) brotli.Write(data);
        return output.ToArray();
    }

    [Fact]
    public void Rfc8879_a_decompression_bomb_is_bad_certificate()
    {
        // 16 MiB of zeros compress to a few hundred bytes; the message claims the real chain's length.
        byte[] bomb = BrotliOf(new byte[16 << 20]);
        using var pair = WithCompressedCertificate(c => new CompressedCertificate { Algorithm = c.Algorithm, UncompressedLength = c.UncompressedLength, CompressedMessage = bomb });
        pair.HandshakeFails(pair.Client, AlertDescription.BadCertificate, "Client.Tls13.ExpectCertificate", "exceeds uncompressed_length");
    }

    [Theory]
    [InlineData(CertificateCompression.MaxUncompressedLength + 1, "over our limit")]
    [InlineData(0, "uncompressed_length is 0")]
    public void Rfc8879_an_uncompressed_length_past_our_limit_is_refused_before_decompressing(int claimed, string reason)
    {
        using var pair = WithCompressedCertificate(c => new CompressedCertificate { Algorithm = c.Algorithm, UncompressedLength = claimed, CompressedMessage = c.CompressedMessage });
        pair.HandshakeFails(pair.Client, AlertDescription.BadCertificate, "Client.Tls13.ExpectCertificate", reason);
    }

    [Fact]
    public void Rfc8879_a_length_that_does_not_match_is_bad_certificate()
    {
        using var pair = WithCompressedCertificate(c => new CompressedCertificate { Algorithm = c.Algorithm, UncompressedLength = c.UncompressedLength + 1, CompressedMessage = c.CompressedMessage });
        pair.HandshakeFails(pair.Client, AlertDescription.BadCertificate, "Client.Tls13.ExpectCertificate", "uncompressed_length says");
    }

    [Fact]
    public void Rfc8879_a_corrupt_stream_is_bad_certificate()
    {
        using var pair = WithCompressedCertificate(c =>
        {
            byte[] broken = (byte[])c.CompressedMessage.Clone();
            broken.AsSpan(broken.Length / 2).Fill(0xFF);
            return new CompressedCertificate { Algorithm = c.Algorithm, UncompressedLength = c.UncompressedLength, CompressedMessage = broken };
        });
        pair.HandshakeFails(pair.Client, AlertDescription.BadCertificate, "Client.Tls13.ExpectCertificate", "CompressedCertificate");
    }

    [Fact]
    public void Rfc8879_an_algorithm_we_did_not_offer_is_illegal_parameter()
    {
        using var pair = WithCompressedCertificate(c => new CompressedCertificate { Algorithm = (CertificateCompressionAlgorithm)0x4242, UncompressedLength = c.UncompressedLength, CompressedMessage = c.CompressedMessage });
        pair.HandshakeFails(pair.Client, AlertDescription.IllegalParameter, "Client.Tls13.ExpectCertificate", "was not offered");
    }

    [Fact]
    public void Rfc8879_a_compressed_certificate_we_did_not_ask_for_is_unexpected_message()
    {
        // The client does not offer compression; the server's plain Certificate is swapped for a CompressedCertificate of it.
        var keys = new KeyCapture();
        var server = InMemoryPair.DefaultServer();
        server.KeyLog = keys;
        var client = InMemoryPair.DefaultClient();
        client.CertificateCompression = false;
        using var pair = new InMemoryPair(server, client);
        pair.ServerToClient = WireSurgery.RewriteHandshakeFlight(keys, serverFlight: true, CipherSuite.TLS_AES_128_GCM_SHA256,
            WireSurgery.Replace(HandshakeType.Certificate, m => new CompressedCertificate
            {
                Algorithm = CertificateCompressionAlgorithm.Brotli,
                UncompressedLength = m.Length - 4,
                CompressedMessage = BrotliOf(m[4..]),
            }.Encode()));
        pair.HandshakeFails(pair.Client, AlertDescription.UnexpectedMessage, "Client.Tls13.ExpectCertificate", "did not offer compress_certificate");
    }

    [Theory]
    [InlineData((ushort)CertificateCompressionAlgorithm.Brotli)]
    [InlineData((ushort)CertificateCompressionAlgorithm.Zlib)]
    [InlineData((ushort)CertificateCompressionAlgorithm.Zstd)]
    public void Decompression_gives_back_what_was_compressed_and_never_more_than_claimed(ushort code)
    {
        var algorithm = (CertificateCompressionAlgorithm)code;
        byte[] body = new byte[3000];
        new Random(7).NextBytes(body.AsSpan(0, 1000)); // part noise, part zeros
        byte[] compressed = CertificateCompression.Compress(algorithm, body);
        Assert.True(compressed.Length < body.Length);
        Assert.Equal(body, CertificateCompression.Decompress(algorithm, compressed, body.Length));
        var tooShort = Assert.Throws<TlsProtocolException>(() => CertificateCompression.Decompress(algorithm, compressed, body.Length - 1));
        Assert.Equal(AlertDescription.BadCertificate, tooShort.Alert);
        Assert.Contains("exceeds", tooShort.Reason);
    }

    [Theory]
    [InlineData((ushort)CertificateCompressionAlgorithm.Brotli, 1)]
    [InlineData((ushort)CertificateCompressionAlgorithm.Brotli, 5)]
    [InlineData((ushort)CertificateCompressionAlgorithm.Zlib, 1)]
    [InlineData((ushort)CertificateCompressionAlgorithm.Zlib, 5)]
    [InlineData((ushort)CertificateCompressionAlgorithm.Zlib, 5000)]
    [InlineData((ushort)CertificateCompressionAlgorithm.Zstd, 1)]
    [InlineData((ushort)CertificateCompressionAlgorithm.Zstd, 5)]
    [InlineData((ushort)CertificateCompressionAlgorithm.Zstd, 5000)]
    public void Rfc8879_bytes_after_the_compressed_stream_are_bad_certificate(ushort code, int extra)
    {
        // RFC 8879 §4: a CompressedCertificate that does not decompress to exactly the claimed Certificate is bad_certificate.
        // ZLibStream reads ahead and returns 0 at its stream's end; bytes after it were once taken without a word.
        // zstd data is a sequence of frames (RFC 8878 §3): bytes after the frame that are no frame are refused.
        var algorithm = (CertificateCompressionAlgorithm)code;
        byte[] body = CertificateBody();
        byte[] trailing = [.. CertificateCompression.Compress(algorithm, body), .. new byte[extra]];
        AssertBadCertificate(algorithm, trailing, body.Length, algorithm switch
        {
            CertificateCompressionAlgorithm.Zlib => "after the zlib stream",
            CertificateCompressionAlgorithm.Brotli => "after the brotli stream",
            _ => "bytes after its last frame",
        });
    }

    [Fact]
    public void Rfc8879_a_second_zstd_frame_is_output_past_the_claimed_length()
    {
        // Two frames are valid zstd data (RFC 8878 §3), but their output is twice the Certificate: bad_certificate.
        byte[] body = CertificateBody();
        byte[] frame = CertificateCompression.Compress(CertificateCompressionAlgorithm.Zstd, body);
        AssertBadCertificate(CertificateCompressionAlgorithm.Zstd, [.. frame, .. frame], body.Length, "exceeds uncompressed_length");
    }

    [Fact]
    public void Rfc8879_a_zstd_decompression_bomb_stops_at_the_claimed_length()
    {
        // 16 MiB of zeros in one small frame, claimed as a 3,000-byte Certificate: refused after 3,000 bytes of output.
        using var zstd = new ZstdSharp.Compressor(3);
        byte[] bomb = zstd.Wrap(new byte[16 << 20]).ToArray();
        Assert.True(bomb.Length < 1024, $"{bomb.Length}");
        AssertBadCertificate(CertificateCompressionAlgorithm.Zstd, bomb, 3000, "exceeds uncompressed_length");
    }

    [Theory]
    [InlineData((ushort)CertificateCompressionAlgorithm.Zlib, 1)]
    [InlineData((ushort)CertificateCompressionAlgorithm.Zlib, 4)]
    [InlineData((ushort)CertificateCompressionAlgorithm.Zstd, 1)]
    [InlineData((ushort)CertificateCompressionAlgorithm.Zstd, 4)]
    [InlineData((ushort)CertificateCompressionAlgorithm.Zstd, 40)]
    public void Rfc8879_a_stream_cut_short_is_bad_certificate(ushort code, int cut)
    {
        // RFC 1950 §2.2: a zlib stream ends with ADLER32 of the data. Without its last bytes the output is complete, and
        // ZLibStream still returns 0 as at a proper end: once taken as a good certificate. A zstd frame (RFC 8878 §3.1.1)
        // cut inside its last block or checksum is refused by the one-pass decoder.
        var algorithm = (CertificateCompressionAlgorithm)code;
        byte[] body = CertificateBody();
        byte[] compressed = CertificateCompression.Compress(algorithm, body);
        AssertBadCertificate(algorithm, compressed[..^cut], body.Length, "truncated");
    }

    [Theory]
    [InlineData((ushort)CertificateCompressionAlgorithm.Zlib, "bytes after the zlib stream")]
    [InlineData((ushort)CertificateCompressionAlgorithm.Zstd, "bytes after its last frame")]
    public void Rfc8879_a_certificate_with_a_trailing_byte_fails_the_handshake_with_bad_certificate(ushort code, string reason)
    {
        var algorithm = (CertificateCompressionAlgorithm)code;
        var keys = new KeyCapture();
        var server = InMemoryPair.DefaultServer();
        server.KeyLog = keys;
        using var pair = new InMemoryPair(server, OnlyClient(algorithm));
        pair.ServerToClient = WireSurgery.RewriteHandshakeFlight(keys, serverFlight: true, CipherSuite.TLS_AES_128_GCM_SHA256,
            WireSurgery.Replace(HandshakeType.CompressedCertificate, m =>
            {
                var c = HandshakeMessage.Decode<CompressedCertificate>(m, MessageContext.Tls13);
                Assert.Equal(algorithm, c.Algorithm);
                return new CompressedCertificate { Algorithm = c.Algorithm, UncompressedLength = c.UncompressedLength, CompressedMessage = [.. c.CompressedMessage, 0] }.Encode();
            }));
        pair.HandshakeFails(pair.Client, AlertDescription.BadCertificate, "Client.Tls13.ExpectCertificate", reason);
    }

    /// <summary>Our client, its compress_certificate rewritten to offer <paramref name="algorithm"/> alone.</summary>
    private static TlsClientOptions OnlyClient(CertificateCompressionAlgorithm algorithm)
    {
        var client = InMemoryPair.DefaultClient();
        client.Crypto = new ScriptedCryptoProvider($"{algorithm}-only")
        {
            ClientHelloReplay = h => HelloRetryRequestTests.Rebuild(h, x => HelloRetryRequestTests.With(x.Extensions, ExtensionType.CompressCertificate,
                new CompressCertificateExtension([algorithm]))),
        };
        return client;
    }

    /// <summary>Decompressing <paramref name="data"/> as a Certificate of <paramref name="claimed"/> bytes is bad_certificate, for <paramref name="reason"/>.</summary>
    private static void AssertBadCertificate(CertificateCompressionAlgorithm algorithm, byte[] data, int claimed, string reason)
    {
        var e = Assert.Throws<TlsProtocolException>(() => CertificateCompression.Decompress(algorithm, data, claimed));
        Assert.Equal(AlertDescription.BadCertificate, e.Alert);
        Assert.Contains(reason, e.Reason);
    }

    /// <summary>A real Certificate body (the unit ECDSA chain), as the sender compresses it.</summary>
    private static byte[] CertificateBody() =>
        new CertificateMessage { RequestContext = [], Entries = [new CertificateEntry(UnitPki.EcdsaLeaf.RawData)] }.Encode()[4..];

    [Fact]
    public void The_compressed_certificate_message_round_trips()
    {
        var message = new CompressedCertificate { Algorithm = CertificateCompressionAlgorithm.Zlib, UncompressedLength = 0x012345, CompressedMessage = [1, 2, 3] };
        byte[] wire = message.Encode();
        Assert.Equal(new byte[] { 25, 0, 0, 11, 0, 1, 0x01, 0x23, 0x45, 0, 0, 3, 1, 2, 3 }, wire);
        var back = HandshakeMessage.Decode<CompressedCertificate>(wire, MessageContext.Tls13);
        Assert.Equal((CertificateCompressionAlgorithm.Zlib, 0x012345), (back.Algorithm, back.UncompressedLength));
        Assert.Equal(new byte[] { 1, 2, 3 }, back.CompressedMessage);
        // compressed_certificate_message<1..2^24-1>: empty is decode_error.
        Assert.Equal(AlertDescription.DecodeError, Assert.Throws<TlsProtocolException>(() =>
            HandshakeMessage.Decode<CompressedCertificate>(new byte[] { 25, 0, 0, 8, 0, 1, 0, 0, 1, 0, 0, 0 }, MessageContext.Tls13)).Alert);
    }
}
