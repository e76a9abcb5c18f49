using System.Text.RegularExpressions;
using SharpTls.Diagnostics;
using SharpTls.Interop.Tests.Infrastructure;

namespace SharpTls.Interop.Tests.Tls13;

/// <summary>Our NSS key log against openssl's: the same five TLS 1.3 secrets, line for line.</summary>
public class KeyLogTests
{
    private static readonly TestPki Pki = TestPki.Shared;

    private static readonly string[] Tls13Labels =
    [
        KeyLogLabels.ClientHandshakeTrafficSecret, KeyLogLabels.ServerHandshakeTrafficSecret,
        KeyLogLabels.ClientTrafficSecret0, KeyLogLabels.ServerTrafficSecret0, KeyLogLabels.ExporterSecret,
    ];

    private static string NewPath(string name) => Path.Combine(Pki.Directory, $"{name}-{Guid.NewGuid():N}.keylog");

    /// <summary>The ClientHello random as openssl's -msg trace shows the hello's bytes (after type, length, legacy_version).</summary>
    private static string TracedClientRandom(string output, string direction)
    {
        var m = Regex.Match(output, $@"^{direction} [^\n]*Handshake \[length [0-9a-f]+\], ClientHello\n((?:    [0-9a-f ]+\n)+)", RegexOptions.Multiline);
        Assert.True(m.Success, "no traced ClientHello\n" + output);
        string hex = m.Groups[1].Value.Replace(" ", "").Replace("\n", "");
        return hex.Substring(12, 64);
    }

    private static void AssertSameLines(string ours, string theirs, string clientRandom)
    {
        var ourLines = File.ReadAllLines(ours);
        var theirLines = File.ReadAllLines(theirs).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();
        Assert.Equal(Tls13Labels.Order(), ourLines.Select(l => l.Split(' ')[0]).Order());
        Assert.All(ourLines, l => Assert.Equal(clientRandom, l.Split(' ')[1]));
        Assert.Equal(theirLines.Order(), ourLines.Order());
    }

    [Fact]
    public async Task OurServer_KeyLog_EqualsOpenSslClients()
    {
        string ours = NewPath("sharptls-server"), theirs = NewPath("s_client");
        await using var server = SharpTlsServer.Start(o => o.KeyLog = KeyLogFile.For(ours));
        var c = await OpenSslClient.RunAsync(new() { Port = server.Port, KeyLogFile = theirs }, "logged", "logged");
        Assert.True(c.HandshakeCompleted, c.ToString());
        await server.WaitForEndAsync();
        AssertSameLines(ours, theirs, TracedClientRandom(c.Output, ">>>"));
    }

    [Fact]
    public async Task OurClient_KeyLog_EqualsOpenSslServers()
    {
        string ours = NewPath("sharptls-client"), theirs = NewPath("s_server");
        await using var server = await OpenSslServer.StartAsync(new() { Version = Wire.ProtocolVersion.Tls13, Trace = true, KeyLogFile = theirs });
        await using var client = await SharpTlsClient.ConnectAsync(server.Port, SharpTlsClient.Options(o => o.KeyLog = KeyLogFile.For(ours)));
        Assert.True(client.HandshakeCompleted, client.ToString());
        await client.SendLineAsync("logged");
        await server.WaitForReceivedAsync("logged");
        var s = await server.WaitForConnectionAsync();
        AssertSameLines(ours, theirs, TracedClientRandom(s.Output, "<<<"));
    }
}
