using System.Text;
using CsCheck;
using SharpTls.Cli.Commands;
using SharpTls.Diagnostics;
using SharpTls.Wire;

namespace SharpTls.Tests.Dissect;

public class DissectorTests
{
    private static readonly string[] Problems = ["[Malformed", "[Trailing", "[Not TLS", "[Incomplete"];

    [Theory]
    [InlineData("openssl-tls13", "TLS 1.3", "TLS_AES_256_GCM_SHA384", null)]
    [InlineData("openssl-tls13-hrr", "TLS 1.3", "TLS_AES_256_GCM_SHA384", null)]
    [InlineData("openssl-tls12-ecdhe-rsa", "TLS 1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "h2")]
    [InlineData("openssl-tls12-ecdhe-ecdsa", "TLS 1.2", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "h2")]
    [InlineData("openssl-tls12-alert", "TLS 1.2", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", null)]
    [InlineData("openssl-tls10", "TLS 1.0", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", null)]
    [InlineData("gnutls-tls13", "TLS 1.3", "TLS_AES_256_GCM_SHA384", null)]
    [InlineData("curl-tls13", "TLS 1.3", "TLS_AES_256_GCM_SHA384", null)]
    [InlineData("python-tls13", "TLS 1.3", "TLS_AES_256_GCM_SHA384", null)]
    [InlineData("chromium-tls13", "TLS 1.3", "TLS_AES_128_GCM_SHA256", null)]
    public void FixtureDissectsWithExpectedHandshake(string name, string version, string suite, string? alpnSelected)
    {
        var (_, connections) = DissectReport.FromFile(CaptureReaderTests.Fixture($"captures/{name}.pcapng"));
        var text = DissectReport.ToText(connections);
        Assert.DoesNotContain(Problems, p => text.Contains(p));
        foreach (var c in connections)
        {
            Assert.Equal(version, ProtocolVersions.Name(c.Version!.Value));
            Assert.Equal(suite, CipherSuites.Name(c.CipherSuite!.Value));
            Assert.Equal(["www.contoso.test"], c.ServerNames);
            Assert.Equal(alpnSelected, c.AlpnSelected);
        }
        Assert.Contains($"Cipher Suite: {suite} (0x", text);
        Assert.Contains("Server Name: www.contoso.test", text);
        Assert.Contains("Client -> Server 127.0.0.1:", text);
        Assert.Contains("Server -> Client 127.0.0.1:443", text);
        if (version == "TLS 1.3")
        {
            Assert.Contains("Supported Version: TLS 1.3 (0x0304)", text);
            Assert.Contains("TLSv1.3 Record Layer: Application Data Protocol: Application Data", text);
        }
        else if (name != "openssl-tls12-alert") // that client gives up before its ChangeCipherSpec
        {
            Assert.Contains("Change Cipher Spec Protocol: Change Cipher Spec", text);
            Assert.Contains("Handshake Protocol: Encrypted Handshake Message", text);
        }
    }

    [Fact]
    public void RawStreamsDissectWithoutProblems()
    {
        foreach (var file in Directory.GetFiles(CaptureReaderTests.Fixture("handshakes"), "*.bin"))
        {
            var nodes = Dissector.DissectStream(File.ReadAllBytes(file));
            Assert.NotEmpty(nodes);
            var text = string.Concat(nodes.Select(n => n.ToString()));
            Assert.DoesNotContain(Problems, p => text.Contains(p));
            Assert.StartsWith(file.EndsWith(".c2s.bin") ? "TLSv1 Record Layer: Handshake Protocol: Client Hello" : "TLSv1", nodes[0].Text);
        }
    }

    [Fact]
    public void HelloRetryRequestAndGrease()
    {
        var hrr = DissectReport.ToText(DissectReport.FromFile(CaptureReaderTests.Fixture("captures/openssl-tls13-hrr.pcapng")).Connections);
        Assert.Contains("Handshake Protocol: Hello Retry Request", hrr);
        Assert.Contains("Selected Group: secp256r1 (0x0017)", hrr);
        Assert.Contains("Key Share Entry: Group: secp256r1, Key Exchange length: 65", hrr);

        var chromium = DissectReport.FromFile(CaptureReaderTests.Fixture("captures/chromium-tls13.pcapng")).Connections;
        Assert.True(chromium.Count >= 2);
        var text = DissectReport.ToText(chromium);
        Assert.Contains("Cipher Suite: Reserved (GREASE) (0x", text);
        Assert.Contains("Extension: Reserved (GREASE)", text);
        Assert.Contains("Key Share Entry: Group: X25519MLKEM768, Key Exchange length: 1216", text);
        Assert.Contains("Extension: encrypted_client_hello", text);
    }

    [Fact]
    public void AlertAndCertificate()
    {
        var text = DissectReport.ToText(DissectReport.FromFile(CaptureReaderTests.Fixture("captures/openssl-tls12-alert.pcapng")).Connections);
        Assert.Contains("TLSv1.2 Record Layer: Alert (Level: Fatal, Description: unknown_ca)", text);
        Assert.Contains("Description: unknown_ca (48)", text);
        Assert.Contains("Certificate: CN=www.contoso.test, O=SharpTls Test (issuer: CN=SharpTls Test CA, O=SharpTls Test)", text);
        Assert.Contains("Named Curve: x25519 (0x001d)", text);
        Assert.Contains("Handshake Protocol: Server Hello Done", text);
    }

    [Theory]
    [InlineData((ushort)CertificateCompressionAlgorithm.Zlib, "zlib (1)")]
    [InlineData((ushort)CertificateCompressionAlgorithm.Brotli, "brotli (2)")]
    [InlineData((ushort)CertificateCompressionAlgorithm.Zstd, "zstd (3)")]
    public void Rfc8879_a_compressed_certificate_is_shown_with_the_certificate_it_carries(ushort code, string algorithm)
    {
        var a = (CertificateCompressionAlgorithm)code;
        byte[] body = new SharpTls.Messages.CertificateMessage { RequestContext = [], Entries = [new SharpTls.Messages.CertificateEntry(SharpTls.Tests.Handshake.UnitPki.EcdsaLeaf.RawData)] }.Encode()[4..];
        byte[] compressed = SharpTls.Handshake.Tls13.CertificateCompression.Compress(a, body);
        byte[] message = new SharpTls.Messages.CompressedCertificate { Algorithm = a, UncompressedLength = body.Length, CompressedMessage = compressed }.Encode();
        var sb = new StringBuilder();
        new Dissector().DissectMessage(ContentType.Handshake, message, ProtocolVersion.Tls13, encrypted: true).WriteText(sb, 0);
        string text = sb.ToString();
        Assert.Contains("Handshake Protocol: Compressed Certificate [decrypted]", text);
        Assert.Contains($"Algorithm: {algorithm}", text);
        Assert.Contains($"Uncompressed Length: {body.Length}", text);
        Assert.Contains($"Compressed Certificate Message ({compressed.Length} bytes, {body.Length} decompressed): Certificate", text);
        Assert.Contains($"SHA-1 Thumbprint: {SharpTls.Tests.Handshake.UnitPki.EcdsaLeaf.Thumbprint.ToLowerInvariant()}", text);
        Assert.DoesNotContain(Problems, p => text.Contains(p, StringComparison.Ordinal));

        // A bomb is not inflated past the claimed length: the dissector says why, as the engine would refuse it.
        byte[] bomb = new SharpTls.Messages.CompressedCertificate { Algorithm = a, UncompressedLength = body.Length - 1, CompressedMessage = compressed }.Encode();
        sb.Clear();
        new Dissector().DissectMessage(ContentType.Handshake, bomb, ProtocolVersion.Tls13, encrypted: true).WriteText(sb, 0);
        Assert.Contains("[Not decompressed: CompressedCertificate: ", sb.ToString());
        Assert.Contains("exceeds uncompressed_length", sb.ToString());
    }

    [Fact]
    public void JsonCarriesFieldsAndValues()
    {
        var path = CaptureReaderTests.Fixture("captures/openssl-tls12-ecdhe-rsa.pcapng");
        var output = new StringWriter();
        Assert.Equal(0, DissectCommand.Run(path, json: true, output, TextWriter.Null));
        using var doc = System.Text.Json.JsonDocument.Parse(output.ToString());
        var conn = doc.RootElement.GetProperty("connections")[0];
        Assert.Equal("TLS 1.2", conn.GetProperty("version").GetString());
        Assert.Equal("h2", conn.GetProperty("alpn_selected").GetString());
        var first = conn.GetProperty("records")[0];
        Assert.Equal("client_to_server", first.GetProperty("direction").GetString());
        Assert.Equal(22, first.GetProperty("record").GetProperty("children")[0].GetProperty("value").GetInt32());
    }

    [Fact]
    public void MissingFileIsAnErrorNotACrash()
    {
        var error = new StringWriter();
        Assert.Equal(1, DissectCommand.Run("/nonexistent/capture.pcapng", json: false, TextWriter.Null, error));
        Assert.Contains("sharptls dissect:", error.ToString());
    }

    /// <summary>Seed 001's TLS 1.0 ClientHello: 12 suites, 6 extensions, 124 bytes in a 128-byte record.</summary>
    internal static byte[] SeedClientHello()
    {
        ushort[] suites = [0x002f, 0x0035, 0x0005, 0x000a, 0xc013, 0xc014, 0xc009, 0xc00a, 0x0032, 0x0038, 0x0013, 0x0004];
        var w = new TlsWriter();
        w.WriteUInt8(22);
        w.WriteUInt16(0x0301);
        var record = w.BeginVector(2);
        w.WriteUInt8(1);
        var body = w.BeginVector(3);
        w.WriteUInt16(0x0301);
        // gmt_unix_time: Aug 3, 2013 06:45:04 India Standard Time = 01:15:04 UTC; random_bytes as in the seed, then filler.
        w.WriteUInt32((uint)new DateTimeOffset(2013, 8, 3, 1, 15, 4, TimeSpan.Zero).ToUnixTimeSeconds());
        w.WriteBytes([.. Convert.FromHexString("894966609a64a0b0ba0b4cd5adcc431aad77f0ff6108590e"), 0, 0, 0, 0]);
        w.WriteUInt8(0); // session id
        var cs = w.BeginVector(2);
        foreach (var s in suites) w.WriteUInt16(s);
        w.EndVector(cs, 2, 0xFFFE);
        w.WriteUInt8(1);
        w.WriteUInt8(0);
        var exts = w.BeginVector(2);
        Ext(w, 0xff01, [0]);
        Ext(w, 0, [0x00, 0x11, 0x00, 0x00, 0x0e, .. "www.contoso.in"u8]);
        Ext(w, 5, [1, 0, 0, 0, 0]);
        Ext(w, 10, [0, 6, 0, 0x17, 0, 0x18, 0, 0x19]);
        Ext(w, 11, [1, 0]);
        Ext(w, 35, []);
        w.EndVector(exts, 0, 0xFFFF);
        w.EndVector(body, 0, 0xFFFFFF);
        w.EndVector(record, 0, 0x4000);
        return w.ToArray();
    }

    private static void Ext(TlsWriter w, ushort type, byte[] data)
    {
        w.WriteUInt16(type);
        var m = w.BeginVector(2);
        w.WriteBytes(data);
        w.EndVector(m, 0, 0xFFFF);
    }

    [Fact]
    public void SeedClientHelloListingLines()
    {
        var bytes = SeedClientHello();
        Assert.Equal(133, bytes.Length); // "Len: 133" in the seed's TCP line
        var text = string.Concat(Dissector.DissectStream(bytes).Select(n => n.ToString()));
        var lines = text.Split('\n').Select(l => l.Trim()).ToList();
        string[] expected =
        [
            "TLSv1 Record Layer: Handshake Protocol: Client Hello",
            "Content Type: Handshake (22)", "Version: TLS 1.0 (0x0301)", "Length: 128",
            "Handshake Protocol: Client Hello", "Handshake Type: Client Hello (1)", "Length: 124",
            "gmt_unix_time: Aug  3, 2013 01:15:04.000000000 UTC",
            "Session ID Length: 0", "Cipher Suites Length: 24", "Cipher Suites (12 suites)",
            "Cipher Suite: TLS_RSA_WITH_AES_128_CBC_SHA (0x002f)",
            "Cipher Suite: TLS_RSA_WITH_AES_256_CBC_SHA (0x0035)",
            "Cipher Suite: TLS_RSA_WITH_RC4_128_SHA (0x0005)",
            "Cipher Suite: TLS_RSA_WITH_3DES_EDE_CBC_SHA (0x000a)",
            "Cipher Suite: TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA (0xc013)",
            "Cipher Suite: TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA (0xc014)",
            "Cipher Suite: TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA (0xc009)",
            "Cipher Suite: TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA (0xc00a)",
            "Cipher Suite: TLS_DHE_DSS_WITH_AES_128_CBC_SHA (0x0032)",
            "Cipher Suite: TLS_DHE_DSS_WITH_AES_256_CBC_SHA (0x0038)",
            "Cipher Suite: TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA (0x0013)",
            "Cipher Suite: TLS_RSA_WITH_RC4_128_MD5 (0x0004)",
            "Compression Methods Length: 1", "Compression Methods (1 method)", "Extensions Length: 59",
        ];
        Assert.All(expected, e => Assert.Contains(e, lines));
        Assert.Contains(lines, l => l.StartsWith("random_bytes: 894966609a64a0b0ba0b4cd5adcc431aad77f0ff6108590e", StringComparison.Ordinal));
        var extensionLines = lines.Where(l => l.StartsWith("Extension: ", StringComparison.Ordinal)).ToList();
        string[] seedExtensions = ["renegotiation_info", "server_name", "status_request", "elliptic_curves", "ec_point_formats", "SessionTicket TLS"];
        Assert.Equal(seedExtensions.Length, extensionLines.Count);
        for (int i = 0; i < seedExtensions.Length; i++)
            Assert.Contains(seedExtensions[i], extensionLines[i]);
        Assert.Contains("Extension: supported_groups (elliptic_curves) (len=8)", extensionLines);
        Assert.Contains("Extension: session_ticket (SessionTicket TLS) (len=0)", extensionLines);
        Assert.DoesNotContain(Problems, p => text.Contains(p));
    }

    [Fact]
    public void MultipleHandshakeMessagesInOneRecordAndFragmentedAcrossRecords()
    {
        byte[] serverHelloDone = [14, 0, 0, 0];
        byte[] serverHello = [2, 0, 0, 38, 3, 1, .. new byte[32], 0, 0x00, 0x05, 0];
        var d = new Dissector();
        var nodes = d.Feed(DissectorDirection.ServerToClient, Record(22, [.. serverHello, .. serverHelloDone]));
        var record = Assert.Single(nodes);
        Assert.Equal("TLSv1 Record Layer: Handshake Protocol: Multiple Handshake Messages", record.Text);
        Assert.Contains("Cipher Suite: TLS_RSA_WITH_RC4_128_SHA (0x0005)", record.ToString());
        Assert.Contains("Handshake Protocol: Server Hello Done", record.ToString());

        // One message split over two records, and the record itself fed a byte at a time.
        var split = Record(22, serverHello[..10]).Concat(Record(22, serverHello[10..])).ToArray();
        var d2 = new Dissector();
        var all = split.SelectMany(b => d2.Feed(DissectorDirection.ServerToClient, [b])).ToList();
        Assert.Equal(2, all.Count);
        Assert.Contains("completed in a later record", all[0].ToString());
        Assert.Equal("TLSv1 Record Layer: Handshake Protocol: Server Hello", all[1].Text);
        Assert.Empty(d2.Finish());
    }

    [Fact]
    public void Ssl2ClientHello()
    {
        // SSLv2-compatible ClientHello offering TLS 1.0: two SSL 2.0 specs and one TLS suite.
        byte[] body = [1, 0x03, 0x01, 0, 9, 0, 0, 0, 16, 0x01, 0x00, 0x80, 0x07, 0x00, 0xC0, 0x00, 0x00, 0x2f, .. new byte[16]];
        byte[] wire = [(byte)(0x80 | (body.Length >> 8)), (byte)body.Length, .. body];
        var node = Assert.Single(Dissector.DissectStream(wire));
        var text = node.ToString();
        Assert.StartsWith("SSLv2 Record Layer: Client Hello", text);
        Assert.Contains("Cipher Spec: SSL2_RC4_128_WITH_MD5 (0x010080)", text);
        Assert.Contains("Cipher Spec: SSL2_DES_192_EDE3_CBC_WITH_MD5 (0x0700c0)", text);
        Assert.Contains("Cipher Spec: TLS_RSA_WITH_AES_128_CBC_SHA (0x002f)", text);
    }

    [Fact]
    public void MalformedPartsAreShownNotThrown()
    {
        var ch = SeedClientHello();
        // Claim a longer server_name list than the extension holds.
        int sni = IndexOf(ch, [0x00, 0x00, 0x00, 0x13, 0x00, 0x11]);
        ch[sni + 5] = 0x40;
        var text = string.Concat(Dissector.DissectStream(ch).Select(n => n.ToString()));
        Assert.Contains("[Malformed server_name: server_name_list", text);
        Assert.Contains("Extension: status_request", text); // the following extensions are still shown
    }

    [Fact]
    public void ArbitraryBytesNeverThrow()
    {
        Gen.Byte.Array[0, 600].Sample(bytes =>
        {
            var nodes = Dissector.DissectStream([0x16, 0x03, 0x03, (byte)(bytes.Length >> 8), (byte)bytes.Length, .. bytes]);
            Assert.NotEmpty(nodes);
        }, iter: 2000);
        Gen.Byte.Array[0, 300].Sample(bytes => Dissector.DissectStream(bytes), iter: 2000);
    }

    private static byte[] Record(byte type, byte[] body) => [type, 3, 1, (byte)(body.Length >> 8), (byte)body.Length, .. body];

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
                return i;
        throw new InvalidOperationException("not found");
    }
}
