using SharpTls.Interop.Tests.Infrastructure;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Tls12;

/// <summary>
/// A test CA made with openssl, a leaf it issued, and real OCSP responses for that leaf made by <c>openssl ocsp</c>
/// from an index file (the CA signs them itself, as a CA-designated responder may).
/// </summary>
internal sealed class OcspTestCa : IDisposable
{
    private OcspTestCa(string directory) => Directory = directory;

    public string Directory { get; }
    public string CaPath => Path.Combine(Directory, "ca.pem");
    public string LeafPath => Path.Combine(Directory, "leaf.pem");
    public string LeafKeyPath => Path.Combine(Directory, "leaf.key");
    public const string Serial = "5EED0CB5";

    /// <summary>The leaf as the harness's peers take it (no chain: the CA is the trust anchor).</summary>
    public TestCertificate Leaf => new("ocsp-leaf", "ecdsa-p256", System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(LeafPath),
        [], LeafPath, LeafKeyPath, LeafPath, LeafPath, null);

    public static async Task<OcspTestCa> CreateAsync()
    {
        var ca = new OcspTestCa(System.IO.Directory.CreateTempSubdirectory("sharptls-ocsp-").FullName);
        await ca.OpenSslAsync("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
            "-days", "3", "-subj", "/CN=SharpTls OCSP Test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign,digitalSignature");
        await ca.OpenSslAsync("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=localhost");
        File.WriteAllText(Path.Combine(ca.Directory, "leaf.ext"), "subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n");
        await ca.OpenSslAsync("x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial", "0x" + Serial, "-days", "2",
            "-extfile", "leaf.ext", "-out", "leaf.pem");
        return ca;
    }

    /// <summary>An OCSP response for the leaf: <paramref name="status"/> V (valid) or R (revoked), written to <paramref name="file"/>.</summary>
    public async Task<string> ResponseAsync(string file, char status = 'V')
    {
        string revoked = status == 'R' ? "261130000000Z" : "";
        File.WriteAllText(Path.Combine(Directory, "index.txt"), $"{status}\t301231235959Z\t{revoked}\t{Serial}\tunknown\t/CN=localhost\n");
        string path = Path.Combine(Directory, file);
        await OpenSslAsync("ocsp", "-index", "index.txt", "-rsigner", "ca.pem", "-rkey", "ca.key", "-CA", "ca.pem", "-issuer", "ca.pem",
            "-cert", "leaf.pem", "-respout", path, "-ndays", "1");
        return path;
    }

    private async Task OpenSslAsync(params string[] args)
    {
        await using var p = PeerProcess.Start(PeerProcess.Require("openssl"), args,
            new PeerProcessOptions { DisplayName = "openssl " + args[0], WorkingDirectory = Directory });
        int exit = await p.WaitForExitAsync(TimeSpan.FromSeconds(30));
        if (exit != 0) throw new PeerException($"openssl {string.Join(' ', args)} failed ({exit}): {p.Output}");
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

/// <summary>
/// OCSP stapling against real peers (issue 9 item 6): `sharptls listen --ocsp` seen by <c>openssl s_client -status</c> on
/// TLS 1.2 (CertificateStatus) and TLS 1.3 (the leaf's CertificateEntry), the file reloaded when it changes; and
/// `sharptls connect` showing what <c>openssl s_server -status_file</c> staples.
/// </summary>
public class OcspStaplingInteropTests
{
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "SharpTls.Cli.dll");

    private static async Task<TlsPeerResult> StatusClientAsync(OcspTestCa ca, int port, ProtocolVersion version)
        => await OpenSslClient.RunAsync(new()
        {
            Port = port, ServerName = "localhost", CaFile = ca.CaPath, Version = version, ExtraArgs = ["-status"],
        });

    /// <summary>`sharptls listen --ocsp FILE` with the CA's leaf, listening.</summary>
    private static async Task<(PeerProcess Listen, int Port)> ListenAsync(OcspTestCa ca, string response)
    {
        int port = Ports.Free();
        var listen = PeerProcess.Start("dotnet", [Cli, "listen", "--port", port.ToString(), "--cert", ca.LeafPath, "--key", ca.LeafKeyPath, "--ocsp", response],
            new PeerProcessOptions { DisplayName = "sharptls listen" });
        await Ports.WaitUntilListeningAsync(port, listen, TimeSpan.FromSeconds(30));
        return (listen, port);
    }

    [Theory]
    [InlineData(ProtocolVersion.Tls12)]
    [InlineData(ProtocolVersion.Tls13)]
    public async Task Listen_staples_the_file_and_openssl_status_sees_it(ProtocolVersion version)
    {
        using var ca = await OcspTestCa.CreateAsync();
        string response = await ca.ResponseAsync("leaf.ocsp");
        var (listen, port) = await ListenAsync(ca, response);
        await using var _ = listen;

        var c = await StatusClientAsync(ca, port, version);
        Assert.True(c.HandshakeCompleted, c.ToString());
        Assert.Equal(version, c.Version);
        Assert.Contains("OCSP Response Status: successful (0x0)", c.Output);
        Assert.Contains($"Serial Number: {OcspTestCa.Serial}", c.Output);
        Assert.Contains("Cert Status: good", c.Output);
        Assert.DoesNotContain("no response sent", c.Output);
    }

    [Fact]
    public async Task Listen_reloads_a_changed_file_and_stops_stapling_a_revoked_status()
    {
        using var ca = await OcspTestCa.CreateAsync();
        string response = await ca.ResponseAsync("leaf.ocsp");
        var (listen, port) = await ListenAsync(ca, response);
        await using var _ = listen;
        var before = await StatusClientAsync(ca, port, ProtocolVersion.Tls12);
        Assert.Contains("Cert Status: good", before.Output);

        // The responder now says revoked: the file is replaced; the server must stop stapling the old "good" (and not
        // staple a "revoked" one it would have to vouch for). The file is looked at once a second: poll until it shows.
        string revoked = await ca.ResponseAsync("revoked.ocsp", 'R');
        File.Move(revoked, response, overwrite: true);
        TlsPeerResult after = before;
        for (int attempt = 0; attempt < 30 && !after.Output.Contains("OCSP response: no response sent"); attempt++)
        {
            await Task.Delay(500);
            after = await StatusClientAsync(ca, port, ProtocolVersion.Tls12);
        }
        Assert.True(after.HandshakeCompleted, after.ToString());
        Assert.Contains("OCSP response: no response sent", after.Output);
        Assert.Contains("nothing is stapled: the certificate's status is revoked", listen.Output);

        // A good response again: stapled again.
        File.Move(await ca.ResponseAsync("good.ocsp"), response, overwrite: true);
        for (int attempt = 0; attempt < 30 && !after.Output.Contains("Cert Status: good"); attempt++)
        {
            await Task.Delay(500);
            after = await StatusClientAsync(ca, port, ProtocolVersion.Tls13);
        }
        Assert.Contains("Cert Status: good", after.Output);
    }

    [Theory]
    [InlineData("tls1.2", "TLS 1.2")]
    [InlineData("tls1.3", "TLS 1.3")]
    public async Task Connect_shows_what_openssl_s_server_staples(string protocol, string expected)
    {
        using var ca = await OcspTestCa.CreateAsync();
        string response = await ca.ResponseAsync("leaf.ocsp");
        var version = protocol == "tls1.2" ? ProtocolVersion.Tls12 : ProtocolVersion.Tls13;
        await using var server = await OpenSslServer.StartAsync(new()
        {
            Version = version, Certificate = ca.Leaf, ExtraArgs = ["-status_file", response],
        });
        await using var connect = PeerProcess.Start("dotnet", [Cli, "connect", $"127.0.0.1:{server.Port}", "--servername", "localhost", "--cafile", ca.CaPath,
            "--protocols", protocol], new PeerProcessOptions { DisplayName = "sharptls connect" });
        int exit = await connect.WaitForExitAsync(TimeSpan.FromSeconds(60));
        string output = connect.StandardOutput;
        Assert.True(exit == 0, output + connect.StandardError);
        Assert.Contains($"Protocol: {expected}", output);
        Assert.Contains($"OCSP stapled: {new FileInfo(response).Length} bytes; OCSP response: successful", output);
        Assert.Contains($"serial {OcspTestCa.Serial}: good", output);
        // The trace shows where it came: CertificateStatus on TLS 1.2, the leaf's status_request on TLS 1.3.
        Assert.Contains(version == ProtocolVersion.Tls12 ? "Handshake Protocol: Certificate Status" : "Extension: status_request", output);
        Assert.Contains("OCSP Response Length:", output);
    }
}
