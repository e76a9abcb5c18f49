using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using ClientHello = SharpTls.Messages.ClientHello;
using HandshakeMessage = SharpTls.Messages.HandshakeMessage;
using SharpTls.Wire;

namespace SharpTls.Benchmarks.Micro;

/// <summary>Certificates for the in-memory benchmarks: a test CA and an ECDSA P-256 / RSA-2048 leaf.</summary>
internal static class MicroPki
{
    private static readonly Lazy<(X509Certificate2 Root, X509Certificate2 Ecdsa, X509Certificate2 Rsa)> Made = new(() =>
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootReq = new CertificateRequest("CN=Bench Root", rootKey, HashAlgorithmName.SHA256);
        rootReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        var now = DateTimeOffset.UtcNow;
        var root = rootReq.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        X509Certificate2 Leaf(AsymmetricAlgorithm key)
        {
            var req = key is RSA rsa
                ? new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                : new CertificateRequest("CN=localhost", (ECDsa)key, HashAlgorithmName.SHA256);
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("localhost");
            req.CertificateExtensions.Add(san.Build());
            var cert = req.Create(root.SubjectName, X509SignatureGenerator.CreateForECDsa(rootKey), now.AddDays(-1), now.AddYears(1), new byte[] { 1, 2, 3, 4 });
            return key is RSA r ? cert.CopyWithPrivateKey(r) : cert.CopyWithPrivateKey((ECDsa)key);
        }
        return (root, Leaf(ECDsa.Create(ECCurve.NamedCurves.nistP256)), Leaf(RSA.Create(2048)));
    });

    public static X509Certificate2 Root => Made.Value.Root;
    public static X509Certificate2 Ecdsa => Made.Value.Ecdsa;
    public static X509Certificate2 Rsa => Made.Value.Rsa;
}

/// <summary>
/// A full TLS 1.3 handshake between two <see cref="TlsConnection"/>s in memory (no sockets):
/// client and server CPU together, certificate verification included on the client side.
/// </summary>
[MemoryDiagnoser]
public class HandshakeBenchmarks
{
    private TlsServerOptions _server = null!;
    private TlsClientOptions _client = null!;

    [Params("X25519+ECDSA", "P-256+ECDSA", "X25519+RSA")]
    public string Kind { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var cert = Kind.EndsWith("RSA", StringComparison.Ordinal) ? MicroPki.Rsa : MicroPki.Ecdsa;
        NamedGroup group = Kind.StartsWith("P-256", StringComparison.Ordinal) ? NamedGroup.Secp256r1 : NamedGroup.X25519;
        _server = new TlsServerOptions { Certificates = [new ServerCertificate(cert)], KeyLog = null, EnableSessionTickets = false };
        _client = new TlsClientOptions
        {
            TargetHost = "localhost",
            TrustedRoots = [MicroPki.Root],
            KeyLog = null,
            Groups = [group],
            KeyShareGroups = [group],
        };
    }

    [Benchmark]
    public TlsStatus FullHandshake()
    {
        using var server = TlsConnection.CreateServer(_server, new IPEndPoint(IPAddress.Loopback, 443), new IPEndPoint(IPAddress.Loopback, 50000));
        using var client = TlsConnection.CreateClient(_client);
        InMemory.Pump(client, server);
        if (server.Status != TlsStatus.Connected || client.Status != TlsStatus.Connected)
            throw new InvalidOperationException($"handshake failed: client {client.Status} {client.Failure}, server {server.Status} {server.Failure}");
        return server.Status;
    }
}

/// <summary>Moves bytes between two connections until neither has output (the server's selection pause is run inline).</summary>
internal static class InMemory
{
    public static void Pump(TlsConnection client, TlsConnection server)
    {
        for (int round = 0; round < 100; round++)
        {
            bool moved = Move(client, server) | Move(server, client);
            if (server.Status == TlsStatus.WaitingForHost)
            {
                server.AnswerHostRequestAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
                moved = true;
            }
            if (!moved) return;
        }
        throw new InvalidOperationException("the connections kept talking for too many rounds");
    }

    private static bool Move(TlsConnection from, TlsConnection to)
    {
        var pending = from.PendingOutput;
        if (pending.Length == 0) return false;
        to.Feed(pending.Span);
        from.ConsumeOutput(pending.Length);
        return true;
    }
}

/// <summary>Parsing a ClientHello (RFC 8446 §4.1.2) as SharpTls' own client sends it: SNI, groups, key share, signature algorithms, versions.</summary>
[MemoryDiagnoser]
public class ClientHelloBenchmarks
{
    private ReadOnlyMemory<byte> _hello;

    [GlobalSetup]
    public void Setup()
    {
        using var client = TlsConnection.CreateClient(new TlsClientOptions { TargetHost = "www.contoso.test", KeyLog = null, ApplicationProtocols = ["h2", "http/1.1"] });
        // The first flight is one handshake record: skip its 5-byte record header.
        _hello = client.PendingOutput[5..].ToArray();
    }

    [Benchmark]
    public int ParseClientHello()
    {
        var hello = (ClientHello)HandshakeMessage.Decode(_hello);
        return hello.Raw.Length;
    }
}
