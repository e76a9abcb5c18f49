using SharpTls.Interop.Tests.Infrastructure;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Tls12;

/// <summary>`sharptls connect --protocols tls1.2 --ciphers ... --resume` against openssl s_server: the trace shows the TLS 1.2 messages (Finished decrypted) and the second connection resumes.</summary>
public class Tls12ConnectCliTests
{
    private static readonly TestPki Pki = TestPki.Shared;

    [Fact]
    public async Task Connect_Tls12_RsaCbc_Resume()
    {
        await using var server = await OpenSslServer.StartAsync(new() { Version = ProtocolVersion.Tls12, Certificate = Pki.ServerRsa, Cipher = "AES128-SHA", MaxConnections = 2 });
        string cli = Path.Combine(AppContext.BaseDirectory, "SharpTls.Cli.dll");
        await using var connect = PeerProcess.Start("dotnet", [cli, "connect", $"127.0.0.1:{server.Port}", "--servername", "localhost", "--cafile", Pki.RootCaPath,
            "--protocols", "tls1.2", "--ciphers", "TLS_RSA_WITH_AES_128_CBC_SHA", "--resume"], new PeerProcessOptions { DisplayName = "sharptls connect" });
        int exit = await connect.WaitForExitAsync(TimeSpan.FromSeconds(60));
        string output = connect.StandardOutput;
        Assert.True(exit == 0, output + connect.StandardError);
        Assert.Contains("Handshake Protocol: Client Key Exchange", output);
        Assert.Contains("Handshake Protocol: Finished [decrypted]", output);
        Assert.Equal(2, output.Split("Protocol: TLS 1.2 (0x0303)").Length - 1);
        Assert.Equal(2, output.Split("Cipher suite: TLS_RSA_WITH_AES_128_CBC_SHA (0x002f)").Length - 1);
        Assert.Contains("Resumed: no", output);
        Assert.Contains("Resumed: yes", output);
    }

    /// <summary>`connect --json` prints one JSON document a script can parse: each connection's messages (dissected, the
    /// Finished with its verify_data), what was negotiated, and whether it resumed.</summary>
    [Fact]
    public async Task Connect_json_is_one_document_with_the_messages_and_what_was_negotiated()
    {
        await using var server = await OpenSslServer.StartAsync(new() { Version = ProtocolVersion.Tls12, Certificate = Pki.ServerRsa, Cipher = "AES128-SHA", MaxConnections = 2 });
        string cli = Path.Combine(AppContext.BaseDirectory, "SharpTls.Cli.dll");
        await using var connect = PeerProcess.Start("dotnet", [cli, "connect", $"127.0.0.1:{server.Port}", "--servername", "localhost", "--cafile", Pki.RootCaPath,
            "--protocols", "tls1.2", "--ciphers", "TLS_RSA_WITH_AES_128_CBC_SHA", "--resume", "--json"], new PeerProcessOptions { DisplayName = "sharptls connect --json" });
        int exit = await connect.WaitForExitAsync(TimeSpan.FromSeconds(60));
        string output = connect.StandardOutput;
        Assert.True(exit == 0, output + connect.StandardError);
        using var document = System.Text.Json.JsonDocument.Parse(output);
        var connections = document.RootElement.GetProperty("connections").EnumerateArray().ToList();
        Assert.Equal(["full handshake", "resumption"], connections.Select(c => c.GetProperty("attempt").GetString()));
        Assert.Equal(["no", "yes"], connections.Select(c => c.GetProperty("negotiated").GetProperty("resumed").GetString()));
        foreach (var c in connections)
        {
            Assert.Equal("TLS 1.2 (0x0303)", c.GetProperty("negotiated").GetProperty("protocol").GetString());
            Assert.Equal("TLS_RSA_WITH_AES_128_CBC_SHA (0x002f)", c.GetProperty("negotiated").GetProperty("cipherSuite").GetString());
            Assert.False(c.TryGetProperty("failure", out _));
        }
        var first = connections[0].GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal("client to server", first[0].GetProperty("direction").GetString());
        Assert.Contains(first, m => m.GetProperty("direction").GetString() == "server to client");
        Assert.Contains(first, m => m.GetProperty("message").GetProperty("text").GetString()!.Contains("Client Key Exchange"));
        // verify_data is in the JSON as a value, not only in the text (12 bytes of TLS 1.2 Finished: 24 hex digits).
        var verifyData = Descendants(document.RootElement).Where(e => e.ValueKind == System.Text.Json.JsonValueKind.Object
            && e.TryGetProperty("field", out var f) && f.GetString() == "tls.handshake.verify_data").Select(e => e.GetProperty("value").GetString()!).ToList();
        Assert.NotEmpty(verifyData);
        Assert.All(verifyData, v => Assert.Matches("^[0-9a-f]{24}$", v));
        var chain = connections[0].GetProperty("negotiated").GetProperty("peerCertificates").EnumerateArray().ToList();
        Assert.StartsWith("CN=localhost", chain[0].GetProperty("subject").GetString());
    }

    private static IEnumerable<System.Text.Json.JsonElement> Descendants(System.Text.Json.JsonElement e)
    {
        yield return e;
        var children = e.ValueKind switch
        {
            System.Text.Json.JsonValueKind.Object => e.EnumerateObject().Select(p => p.Value),
            System.Text.Json.JsonValueKind.Array => e.EnumerateArray(),
            _ => [],
        };
        foreach (var c in children)
            foreach (var d in Descendants(c))
                yield return d;
    }
}
