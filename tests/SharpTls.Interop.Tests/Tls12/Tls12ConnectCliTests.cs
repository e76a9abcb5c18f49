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
}
