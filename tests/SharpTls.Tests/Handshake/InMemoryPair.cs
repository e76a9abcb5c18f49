using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SharpTls.Diagnostics;

namespace SharpTls.Tests.Handshake;

/// <summary>Certificates for in-memory handshakes, made once per test run.</summary>
internal static class UnitPki
{
    private static readonly Lazy<(X509Certificate2 Root, X509Certificate2 Ecdsa, X509Certificate2 Rsa, X509Certificate2 Client)> Made = new(Make);

    public static X509Certificate2 Root => Made.Value.Root;
    public static X509Certificate2 EcdsaLeaf => Made.Value.Ecdsa;
    public static X509Certificate2 RsaLeaf => Made.Value.Rsa;
    public static X509Certificate2 ClientLeaf => Made.Value.Client;

    public static X509Certificate2Collection Roots => [Root];

    private static (X509Certificate2, X509Certificate2, X509Certificate2, X509Certificate2) Make()
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootReq = new CertificateRequest("CN=SharpTls Unit Test Root", rootKey, HashAlgorithmName.SHA256);
        rootReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootReq.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = DateTimeOffset.UtcNow;
        var root = rootReq.CreateSelfSigned(now.AddDays(-1), now.AddYears(5));

        X509Certificate2 Leaf(AsymmetricAlgorithm key, string cn, bool server)
        {
            var req = key is RSA rsa
                ? new CertificateRequest($"CN={cn}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                : new CertificateRequest($"CN={cn}", (ECDsa)key, HashAlgorithmName.SHA256);
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName(cn);
            san.AddDnsName("localhost");
            san.AddIpAddress(IPAddress.Loopback);
            req.CertificateExtensions.Add(san.Build());
            req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
                [new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
            byte[] serial = RandomNumberGenerator.GetBytes(12);
            serial[0] &= 0x7F;
            var cert = req.Create(root.SubjectName, X509SignatureGenerator.CreateForECDsa(rootKey), now.AddDays(-1), now.AddYears(1), serial);
            cert = X509CertificateLoader.LoadCertificate(cert.RawData);
            return key is RSA r ? cert.CopyWithPrivateKey(r) : cert.CopyWithPrivateKey((ECDsa)key);
        }

        return (root,
            Leaf(ECDsa.Create(ECCurve.NamedCurves.nistP256), "www.contoso.test", true),
            Leaf(RSA.Create(2048), "www.contoso.test", true),
            Leaf(ECDsa.Create(ECCurve.NamedCurves.nistP256), "client.contoso.test", false));
    }
}

/// <summary>A client and a server connected in memory: bytes are pumped between them until both rest.</summary>
internal sealed class InMemoryPair : IDisposable
{
    public InMemoryPair(TlsServerOptions server, TlsClientOptions client)
    {
        ServerOptions = server;
        ClientOptions = client;
        Server = TlsConnection.CreateServer(server, new IPEndPoint(IPAddress.Loopback, 443), new IPEndPoint(IPAddress.Loopback, 50000));
        Client = TlsConnection.CreateClient(client);
    }

    public TlsServerOptions ServerOptions { get; }
    public TlsClientOptions ClientOptions { get; }
    public TlsConnection Server { get; }
    public TlsConnection Client { get; }

    /// <summary>Client bytes on their way to the server may be altered by a test.</summary>
    public Func<byte[], byte[]>? ClientToServer { get; set; }

    /// <summary>Server bytes on their way to the client may be altered by a test.</summary>
    public Func<byte[], byte[]>? ServerToClient { get; set; }

    public static TlsServerOptions DefaultServer(params X509Certificate2[] certs) => new()
    {
        Certificates = (certs.Length == 0 ? [UnitPki.EcdsaLeaf] : certs).Select(c => new ServerCertificate(c)).ToList(),
        KeyLog = null,
    };

    public static TlsClientOptions DefaultClient() => new()
    {
        TargetHost = "www.contoso.test",
        TrustedRoots = UnitPki.Roots,
        KeyLog = null,
    };

    /// <summary>Moves bytes both ways (running the server's selection hook when asked) until nothing moves.</summary>
    public void Pump(int maxRounds = 100)
    {
        for (int round = 0; round < maxRounds; round++)
        {
            bool moved = Move(Client, Server, ClientToServer) | Move(Server, Client, ServerToClient);
            if (Server.Status == TlsStatus.NeedsServerOptions)
            {
                Server.SelectServerOptionsAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
                moved = true;
            }
            if (!moved) return;
        }
        throw new InvalidOperationException("the connections kept talking for too many rounds");
    }

    /// <summary>Runs the handshake and asserts both sides are connected.</summary>
    public void Handshake()
    {
        Pump();
        Assert.True(Client.Status == TlsStatus.Connected, $"client: {Client.Status} {Client.Failure}");
        Assert.True(Server.Status == TlsStatus.Connected, $"server: {Server.Status} {Server.Failure}");
    }

    /// <summary>Sends data one way and returns what arrived.</summary>
    public byte[] Send(TlsConnection from, TlsConnection to, byte[] data)
    {
        from.WriteApplicationData(data);
        Pump();
        var received = new byte[to.BufferedApplicationData];
        to.ReadApplicationData(received);
        return received;
    }

    private static bool Move(TlsConnection from, TlsConnection to, Func<byte[], byte[]>? alter)
    {
        if (from.PendingOutput.Length == 0) return false;
        byte[] bytes = from.PendingOutput.ToArray();
        from.ConsumeOutput(bytes.Length);
        if (alter is not null) bytes = alter(bytes);
        to.Feed(bytes);
        return true;
    }

    public void Dispose()
    {
        Server.Dispose();
        Client.Dispose();
    }
}
