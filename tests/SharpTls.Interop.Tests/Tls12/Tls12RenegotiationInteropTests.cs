using SharpTls.Interop.Tests.Infrastructure;
using SharpTls.Interop.Tests.Tls13;
using SharpTls.IO;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Tls12;

/// <summary>
/// TLS 1.2 secure renegotiation (RFC 5746) against real peers, each judged by its own output: openssl s_client typing
/// "R" accepted when allowed (refused by default: Tls12InteropTests), our server asking openssl s_client for its certificate by
/// renegotiating, openssl s_server renegotiating with our client ("R", with a certificate request) and refusing or
/// accepting our client's renegotiation (-client_renegotiation), and gnutls-cli --rehandshake.
/// </summary>
public class Tls12RenegotiationInteropTests
{
    private static readonly TestPki Pki = TestPki.Shared;

    private static SharpTlsServer Start(Action<TlsServerOptions>? configure = null)
    {
        var options = SharpTlsServer.DefaultOptions();
        options.Versions = TlsVersions.Tls12 | TlsVersions.Tls13;
        configure?.Invoke(options);
        return SharpTlsServer.Start(options);
    }

    private static TlsClientOptions ClientOptions(Action<TlsClientOptions>? configure = null)
        => SharpTlsClient.Options(o =>
        {
            o.Versions = TlsVersions.Tls12;
            configure?.Invoke(o);
        });

    [Fact]
    public async Task OurServer_OpenSslClient_R_IsAcceptedWhenThePolicyAllowsIt_AndDataFlowsAfter()
    {
        await using var server = Start(o => o.ClientRenegotiation = ClientRenegotiationPolicy.Allow);
        await using var client = await OpenSslClient.ConnectAsync(new() { Port = server.Port, Version = ProtocolVersion.Tls12 });
        Assert.True(client.Handshake.HandshakeCompleted, client.Handshake.ToString());
        Assert.Contains("Secure Renegotiation IS supported", client.Handshake.Output);
        await client.SendLineAsync("before");
        await client.WaitForReceivedAsync("before");
        int from = client.Process.OutputLength;
        await client.RenegotiateAsync();
        // s_client's own trace: its second ClientHello, our ServerHello .. Finished, all under the first keys.
        await client.Process.WaitForOutputAsync(@"^>>> [^\n]*Handshake [^\n]*ClientHello", startAt: from);
        await client.Process.WaitForOutputAsync(@"^<<< [^\n]*Handshake [^\n]*ServerHello\b", startAt: from);
        await client.Process.WaitForOutputAsync(@"^<<< [^\n]*Handshake [^\n]*Finished", startAt: from);
        await client.SendLineAsync("after");
        await client.WaitForReceivedAsync("after");
        var end = await client.CloseAsync();
        Assert.DoesNotMatch(@"Alert [^\n]*(fatal|no_renegotiation)", end.Output[from..]);
        var s = await server.WaitForEndAsync();
        Assert.Equal(1, s.Info.Renegotiations);
        Assert.Contains("before", s.Received);
        Assert.Contains("after", s.Received);
        Assert.Null(s.Failure);
    }

    [Fact]
    public async Task OurServer_AsksOpenSslClientForItsCertificate_ByRenegotiating()
    {
        await using var server = LoopbackServer.Start(async (tcp, report, token) =>
        {
            await using var tls = new TlsStream(tcp);
            var options = SharpTlsServer.DefaultOptions();
            options.Versions = TlsVersions.Tls12 | TlsVersions.Tls13;
            options.TrustedIssuers = [Pki.Root]; // the first handshake asks for no certificate (mode None)
            await tls.AuthenticateAsServerAsync(options, token);
            var buffer = new byte[1024];
            int n = await tls.ReadAsync(buffer, token);
            bool hadNone = tls.Info.PeerCertificates.Count == 0;
            var certificate = await tls.RequestClientCertificateAsync(token);
            await tls.WriteAsync(buffer.AsMemory(0, n), token);
            report(new TlsPeerResult
            {
                Peer = "SharpTls server",
                HandshakeCompleted = hadNone && tls.Info.Renegotiations == 1 && tls.Info.ClientCertificateVerdict?.Status == ClientCertificateStatus.Verified,
                Version = tls.Info.Version,
                PeerCertificateSubject = certificate?.Subject,
                Output = $"renegotiations={tls.Info.Renegotiations} verdict={tls.Info.ClientCertificateVerdict?.Status} {tls.Info.CertificateVerification}",
            });
            while ((n = await tls.ReadAsync(buffer, token)) > 0) { }
        });
        await using var client = await OpenSslClient.ConnectAsync(new() { Port = server.Port, Version = ProtocolVersion.Tls12, ClientCertificate = Pki.ClientEcdsa });
        Assert.True(client.Handshake.HandshakeCompleted, client.Handshake.ToString());
        Assert.DoesNotMatch(@"<<< [^\n]*CertificateRequest", client.Handshake.Output);
        int from = client.Process.OutputLength;
        await client.SendLineAsync("ping");
        await client.WaitForReceivedAsync("ping");
        var seen = await server.WaitForConnectionAsync();
        Assert.True(seen.HandshakeCompleted, seen.Output);
        Assert.Equal(Pki.ClientEcdsa.Certificate.Subject, seen.PeerCertificateSubject);
        // s_client's own trace: our HelloRequest, then a handshake in which we ask and it sends its certificate.
        string trace = client.Process.Output[from..];
        Assert.Matches(@"<<< [^\n]*Handshake [^\n]*HelloRequest", trace);
        Assert.Matches(@"<<< [^\n]*Handshake [^\n]*CertificateRequest", trace);
        Assert.Matches(@">>> [^\n]*Handshake [^\n]*CertificateVerify", trace);
        Assert.DoesNotMatch(@"Alert [^\n]*fatal", trace);
    }

    [Fact]
    public async Task OurClient_OpenSslServer_R_RenegotiatesAndSendsOurCertificate()
    {
        // s_server's "R" asks for a client certificate and renegotiates (HelloRequest); our client answers.
        await using var server = await OpenSslServer.StartAsync(new() { Version = ProtocolVersion.Tls12, Trace = true });
        await using var client = await SharpTlsClient.ConnectAsync(server.Port, ClientOptions(o => o.ClientCertificate = new ServerCertificate(Pki.ClientEcdsa.Certificate, Pki.ClientEcdsa.Chain)));
        Assert.True(client.HandshakeCompleted, client.ToString());
        await client.SendLineAsync("hello");
        await server.WaitForReceivedAsync("hello");
        int from = server.Process.OutputLength;
        // Our client reads (as an application would): the renegotiation runs inside its reads.
        var reading = client.WaitForReceivedAsync("after-renegotiation\n");
        await server.SendLineAsync("R");
        await server.Process.WaitForOutputAsync("^SSL_do_handshake -> ", startAt: from);
        await server.Process.WaitForOutputAsync(@"^<<< [^\n]*Handshake [^\n]*Finished", startAt: from);
        await server.SendLineAsync("after-renegotiation");
        await reading;
        await client.SendLineAsync("from-client-after");
        await server.WaitForReceivedAsync("from-client-after");
        string trace = server.Process.Output[from..];
        Assert.Matches(@">>> [^\n]*Handshake [^\n]*HelloRequest", trace);
        Assert.Matches(@"<<< [^\n]*Handshake [^\n]*ClientHello", trace);
        Assert.Matches(@">>> [^\n]*Handshake [^\n]*CertificateRequest", trace);
        Assert.Matches(@"<<< [^\n]*Handshake [^\n]*CertificateVerify", trace);
        Assert.DoesNotMatch(@"Alert [^\n]*(fatal|no_renegotiation)", trace);
        Assert.Equal(1, client.Info.Renegotiations);
        Assert.Equal(Pki.ClientEcdsa.Certificate.Thumbprint, client.Info.LocalCertificate!.Thumbprint);
    }

    [Fact]
    public async Task OurClient_OpenSslServer_r_IsRefusedWithNoRenegotiation_WhenRenegotiationIsOff()
    {
        // OpenSSL, having asked, answers the refusal with a fatal handshake_failure (its choice: it does the same to
        // its own s_client -no_renegotiation). What we check: our warning, no ClientHello, no alert of our own making.
        await using var server = await OpenSslServer.StartAsync(new() { Version = ProtocolVersion.Tls12, Trace = true });
        await using var client = await SharpTlsClient.ConnectAsync(server.Port, ClientOptions(o => o.AllowRenegotiation = false));
        Assert.True(client.HandshakeCompleted, client.ToString());
        await client.SendLineAsync("hello");
        await server.WaitForReceivedAsync("hello");
        int from = server.Process.OutputLength;
        await server.SendLineAsync("r");
        await server.Process.WaitForOutputAsync("^SSL_do_handshake -> ", startAt: from);
        try
        {
            await client.ReadToEndAsync();
        }
        catch (IOException)
        {
            // The peer's fatal alert ends our reads.
        }
        await server.Process.WaitForOutputAsync(@"^<<< [^\n]*Alert \[length 0002\], warning no_renegotiation", startAt: from);
        Assert.DoesNotMatch(@"<<< [^\n]*ClientHello", server.Process.Output[from..]);
        Assert.Equal(0, client.Info.Renegotiations);
        Assert.False(client.Failure?.Generated ?? false, $"our client failed on its own: {client}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OurClient_Renegotiates_OpenSslServer_RefusesByDefault_AcceptsWithClientRenegotiation(bool allowed)
    {
        await using var server = await OpenSslServer.StartAsync(new()
        {
            Version = ProtocolVersion.Tls12, Trace = true, ExtraArgs = allowed ? ["-client_renegotiation"] : [],
        });
        await using var client = await SharpTlsClient.ConnectAsync(server.Port, ClientOptions());
        Assert.True(client.HandshakeCompleted, client.ToString());
        await client.SendLineAsync("before");
        await server.WaitForReceivedAsync("before");
        int from = server.Process.OutputLength;
        using var cts = new CancellationTokenSource(PeerTimeouts.Wait);
        bool done = await client.Stream.RenegotiateAsync(cts.Token);
        Assert.Equal(allowed, done);
        Assert.Equal(allowed ? 1 : 0, client.Info.Renegotiations);
        await client.SendLineAsync("after");
        await server.WaitForReceivedAsync("after");
        if (allowed)
        {
            await server.Process.WaitForOutputAsync(@"^>>> [^\n]*Handshake [^\n]*Finished", startAt: from);
            Assert.Matches(@"<<< [^\n]*Handshake [^\n]*ClientHello", server.Process.Output[from..]);
            Assert.DoesNotMatch(@"Alert [^\n]*no_renegotiation", server.Process.Output[from..]);
        }
        else
        {
            await server.Process.WaitForOutputAsync(@"^>>> [^\n]*Alert \[length 0002\], warning no_renegotiation", startAt: from);
            Assert.True(client.Connection.RenegotiationRefused);
        }
    }

    [Fact]
    public async Task OurServer_GnuTlsClient_Rehandshake_IsCompletedWhenAllowed()
    {
        await using var server = Start(o => o.ClientRenegotiation = ClientRenegotiationPolicy.Allow);
        await using var client = await GnuTlsClient.ConnectAsync(new()
        {
            Port = server.Port, Priority = "NORMAL:-VERS-ALL:+VERS-TLS1.2:%SAFE_RENEGOTIATION", ExtraArgs = ["--rehandshake"],
        });
        var end = await client.CloseAsync();
        Assert.Contains("safe renegotiation", end.Output);
        Assert.Contains("- ReHandshake was completed", end.Output);
        var s = await server.WaitForEndAsync();
        Assert.Equal(1, s.Info.Renegotiations);
        Assert.Null(s.Failure);
    }

    [Fact]
    public async Task OurServer_GnuTlsClient_Rehandshake_IsRefused_AndItsRetryLoopMeetsTheRefusalLimit()
    {
        // gnutls-cli retries a refused rehandshake in a loop (against openssl s_server too, until it gives up with
        // internal_error after 17): our server answers 8 with no_renegotiation, then ends the flood with unexpected_message.
        await using var server = Start();
        await using var client = await GnuTlsClient.ConnectAsync(new()
        {
            Port = server.Port, Priority = "NORMAL:-VERS-ALL:+VERS-TLS1.2:%SAFE_RENEGOTIATION", ExtraArgs = ["--rehandshake"],
        });
        var end = await client.CloseAsync();
        Assert.DoesNotContain("ReHandshake was completed", end.Output);
        Assert.Equal(8, System.Text.RegularExpressions.Regex.Count(end.Output, @"\*\*\* Received alert \[100\]: No renegotiation"));
        var s = await server.WaitForEndAsync();
        Assert.Equal(0, s.Info.Renegotiations);
        Assert.True(s.Failure is { Generated: true, Alert: AlertDescription.UnexpectedMessage }, s.ToString());
        Assert.Contains("after 8 refusals", s.Failure!.Reason);
    }
}

/// <summary>`sharptls connect --renegotiate` against openssl s_server: the second handshake is traced decrypted, like the first.</summary>
public class Tls12RenegotiateCliTests
{
    private static readonly TestPki Pki = TestPki.Shared;

    private static async Task<(int Exit, string Output, OpenSslServer Server)> ConnectAsync(bool allowed)
    {
        var server = await OpenSslServer.StartAsync(new()
        {
            Version = ProtocolVersion.Tls12, Trace = true, MaxConnections = 1, ExtraArgs = allowed ? ["-client_renegotiation"] : [],
        });
        string cli = Path.Combine(AppContext.BaseDirectory, "SharpTls.Cli.dll");
        await using var connect = PeerProcess.Start("dotnet", [cli, "connect", $"127.0.0.1:{server.Port}", "--servername", "localhost", "--cafile", Pki.RootCaPath,
            "--renegotiate"], new PeerProcessOptions { DisplayName = "sharptls connect" });
        int exit = await connect.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (exit, connect.StandardOutput + connect.StandardError, server);
    }

    [Fact]
    public async Task Connect_Renegotiate_ShowsTheSecondHandshakeDecrypted()
    {
        var (exit, output, server) = await ConnectAsync(allowed: true);
        await using var _ = server;
        Assert.True(exit == 0, output);
        int at = output.IndexOf("=== Renegotiation", StringComparison.Ordinal);
        Assert.True(at > 0, output);
        string second = output[at..];
        foreach (string message in new[] { "Client Hello", "Server Hello", "Certificate", "Server Key Exchange", "Server Hello Done", "Client Key Exchange", "Finished" })
            Assert.Contains($"Handshake Protocol: {message} [decrypted]", second);
        Assert.Contains("Renegotiation info extension length: 12", second); // our verify_data in the ClientHello
        Assert.Contains("Renegotiation info extension length: 24", second); // both, in the ServerHello
        Assert.Contains("Renegotiations: 1", second);
        Assert.Contains("Renegotiation completed", second);
        // openssl's own trace: a second ClientHello and its Finished after it.
        await server.Process.WaitForOutputAsync(@"^>>> [^\n]*Handshake [^\n]*Finished(?:.*\n)*?[^\n]*<<< [^\n]*ClientHello(?:.*\n)*?>>> [^\n]*Handshake [^\n]*Finished");
    }

    [Fact]
    public async Task Connect_Renegotiate_ReportsTheRefusal()
    {
        var (exit, output, server) = await ConnectAsync(allowed: false);
        await using var _ = server;
        Assert.Equal(1, exit);
        Assert.Contains("Alert Message (Level: Warning, Description: no_renegotiation) [decrypted]", output);
        Assert.Contains("Renegotiation REFUSED by the server", output);
        await server.Process.WaitForOutputAsync(@"^>>> [^\n]*Alert \[length 0002\], warning no_renegotiation");
    }
}
