using SharpTls.Interop.Tests.Infrastructure;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Tls13;

/// <summary>
/// openssl s_client sending real 0-RTT data to our server, which never accepts early data (RFC 8446 §4.2.10): the
/// session comes from an openssl s_server that allows early data (so s_client sends it), our server cannot open that
/// ticket, answers with a full 1-RTT handshake, and skips the early data records; s_client reports them rejected.
/// </summary>
public class EarlyDataInteropTests
{
    private static readonly TestPki Pki = TestPki.Shared;

    private static async Task<string> EarlyDataSessionAsync()
    {
        string session = Path.Combine(Pki.Directory, $"early-{Guid.NewGuid():N}.pem");
        await using var issuer = await OpenSslServer.StartAsync(new() { Version = ProtocolVersion.Tls13, ExtraArgs = ["-early_data"] });
        var first = await OpenSslClient.RunAsync(new() { Port = issuer.Port, SessionOut = session }, "ticket please", null);
        Assert.True(first.HandshakeCompleted, first.ToString());
        Assert.True(File.Exists(session), first.ToString());
        return session;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Rfc8446_4_2_10_openssl_early_data_is_skipped_and_the_handshake_completes(bool helloRetryRequest)
    {
        string session = await EarlyDataSessionAsync();
        string early = Path.Combine(Pki.Directory, $"early-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(early, "0-RTT request that must not be processed\n");
        // With HelloRetryRequest: our server takes only P-384, s_client shares X25519 first.
        await using var server = SharpTlsServer.Start(o => { if (helloRetryRequest) o.Groups = [NamedGroup.Secp384r1]; });
        var c = await OpenSslClient.RunAsync(new()
        {
            Port = server.Port,
            SessionIn = session,
            Groups = helloRetryRequest ? "X25519:P-384" : null,
            ExtraArgs = ["-early_data", early],
        }, "after the handshake", "after the handshake");
        Assert.True(c.HandshakeCompleted, c.ToString());
        Assert.Contains("Early data was rejected", c.Output);
        Assert.Equal(false, c.Resumed);
        var s = await server.WaitForEndAsync();
        Assert.True(s.HandshakeCompleted, s.ToString());
        Assert.Equal((false, helloRetryRequest), (s.Info.Resumed, s.Info.HelloRetryRequested));
        Assert.Contains("after the handshake", s.Received);
        Assert.DoesNotContain("0-RTT", s.Received);
        Assert.Null(s.Failure);
    }
}
