using SharpTls.Interop.Tests.Infrastructure;
using SharpTls.Interop.Tests.Tls13;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Tls12;

/// <summary>
/// max_fragment_length (RFC 6066 §4) and record_size_limit (RFC 8449) against real peers, both sides, TLS 1.2 and 1.3.
/// OpenSSL and GnuTLS refuse a record over the negotiated length (record_overflow), as our side does: a 3000-byte line
/// echoed back through 512-byte records is the proof that both ends cut them. (gnutls-cli writes at most one record per
/// line and s_client -msg prints between records, so those peers get lines that fit, or are checked piecewise.)
/// </summary>
public class MaxFragmentLengthInteropTests
{
    private static readonly string Line = new('m', 3000);
    private static readonly string Short = new('s', 500);
    private static readonly string Piece = new('m', 400);

    private static SharpTlsServer Start() => SharpTlsServer.Start(o => o.Versions = TlsVersions.Tls12 | TlsVersions.Tls13);

    [Theory]
    [InlineData(ProtocolVersion.Tls12)]
    [InlineData(ProtocolVersion.Tls13)]
    public async Task OurServer_OpenSslClient_maxfraglen_512(ProtocolVersion version)
    {
        await using var server = Start();
        var c = await OpenSslClient.RunAsync(new() { Port = server.Port, Version = version, ExtraArgs = ["-maxfraglen", "512", "-tlsextdebug"] }, Line, Piece);
        Assert.True(c.HandshakeCompleted, c.ToString());
        Assert.Equal(version, c.Version);
        Assert.Contains("TLS server extension \"max fragment length\" (id=1), len=1", c.Output);
        var s = await server.WaitForEndAsync();
        Assert.True(s.HandshakeCompleted, s.ToString());
        Assert.Contains(Line, s.Received);
        Assert.Equal((512, 512), (s.Connection.Records.MaxFragmentLength, s.Connection.Records.MaxInboundPlaintext));
    }

    [Theory]
    [InlineData("NORMAL:-VERS-ALL:+VERS-TLS1.2", ProtocolVersion.Tls12, 512)]
    [InlineData("NORMAL:-VERS-ALL:+VERS-TLS1.3", ProtocolVersion.Tls13, 512)]
    public async Task OurServer_GnuTlsClient_recordsize_512_gets_record_size_limit(string priority, ProtocolVersion version, int ourLimit)
    {
        // gnutls-cli --recordsize=512 sends record_size_limit 512 on TLS 1.2 and 513 on TLS 1.3 (RFC 8449 §4: there the
        // limit counts the content type byte); either way 512 bytes of content per record.
        await using var server = Start();
        var c = await GnuTlsClient.RunAsync(new() { Port = server.Port, Priority = priority, ExtraArgs = ["--recordsize=512"] }, Short, Short);
        Assert.True(c.HandshakeCompleted, c.ToString());
        Assert.Equal(version, c.Version);
        var s = await server.WaitForEndAsync();
        Assert.Contains(Short, s.Received);
        Assert.Equal(ourLimit, s.Connection.Records.MaxFragmentLength);
    }

    [Theory]
    // gnutls-serv 3.7.9 on TLS 1.2 accepts max_fragment_length, fragments its handshake, then echoes data in one
    // record of the line's length (OpenSSL's s_client refuses that too: "data length too long"): a line that fits.
    [InlineData(TlsVersions.Tls12, ProtocolVersion.Tls12, 500)]
    [InlineData(TlsVersions.Tls13, ProtocolVersion.Tls13, 3000)]
    public async Task OurClient_GnuTlsServer_max_fragment_length_512(TlsVersions versions, ProtocolVersion expected, int lineLength)
    {
        await using var server = await GnuTlsServer.StartAsync(new());
        await using var client = await SharpTlsClient.ConnectAndEchoAsync(server.Port,
            SharpTlsClient.Options(o => { o.Versions = versions; o.MaxFragmentLength = 512; }), new string('g', lineLength), () => server.Process.Output);
        Assert.Equal(expected, client.Info.Version);
        Assert.Equal((512, 512), (client.Connection.Records.MaxFragmentLength, client.Connection.Records.MaxInboundPlaintext));
    }

    [Theory]
    [InlineData(TlsVersions.Tls12, ProtocolVersion.Tls12)]
    [InlineData(TlsVersions.Tls13, ProtocolVersion.Tls13)]
    public async Task OurClient_OpenSslServer_max_fragment_length_1024(TlsVersions versions, ProtocolVersion expected)
    {
        await using var server = await OpenSslServer.StartAsync(new() { Version = expected });
        await using var client = await SharpTlsClient.ConnectAsync(server.Port, SharpTlsClient.Options(o => { o.Versions = versions; o.MaxFragmentLength = 1024; }));
        Assert.True(client.HandshakeCompleted, client.ToString());
        await client.SendLineAsync(Line);
        await server.WaitForReceivedAsync(Line);
        await server.SendLineAsync(Line);
        await client.WaitForReceivedAsync(Line + "\n");
        Assert.Equal(expected, client.Info.Version);
        Assert.Equal((1024, 1024), (client.Connection.Records.MaxFragmentLength, client.Connection.Records.MaxInboundPlaintext));
    }
}

/// <summary>The TLS 1.2 server_name acknowledgement (RFC 6066 §3, seed 001's trace) as openssl s_client sees it.</summary>
public class ServerNameAcknowledgementInteropTests
{
    [Fact]
    public async Task OurServer_Tls12_acknowledges_sni_with_an_empty_server_name_and_not_without_it()
    {
        await using var server = SharpTlsServer.Start(o => o.Versions = TlsVersions.Tls12 | TlsVersions.Tls13);
        var named = await OpenSslClient.RunAsync(new() { Port = server.Port, Version = ProtocolVersion.Tls12, ExtraArgs = ["-tlsextdebug"] }, "sni", "sni");
        Assert.True(named.HandshakeCompleted, named.ToString());
        Assert.Contains("TLS server extension \"server name\" (id=0), len=0", named.Output);
        var anonymous = await OpenSslClient.RunAsync(new() { Port = server.Port, Version = ProtocolVersion.Tls12, ServerName = null, Verify = false, ExtraArgs = ["-tlsextdebug"] }, "none", "none");
        Assert.True(anonymous.HandshakeCompleted, anonymous.ToString());
        Assert.DoesNotContain("\"server name\"", anonymous.Output);
    }
}
