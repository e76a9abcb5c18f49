using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SharpTls.Diagnostics;
using SharpTls.Wire;

namespace SharpTls.Tests.Handshake;

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
        Assert.True(to.Status != TlsStatus.Failed && from.Status != TlsStatus.Failed, $"sending failed: {from.Failure ?? to.Failure}");
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

    /// <summary>Runs the handshake expecting it to fail: <paramref name="failing"/> generates <paramref name="alert"/>
    /// in a state whose name contains <paramref name="state"/> for a reason containing <paramref name="reason"/>,
    /// and the other side records the alert as received.</summary>
    public TlsFailure HandshakeFails(TlsConnection failing, AlertDescription alert, string state, string reason)
    {
        Pump();
        var failure = Failures.AssertGenerated(failing, alert, state, reason);
        Failures.AssertReceived(failing == Client ? Server : Client, alert);
        return failure;
    }

    public void Dispose()
    {
        Server.Dispose();
        Client.Dispose();
    }
}

/// <summary>Assertions on <see cref="TlsConnection.Failure"/>.</summary>
internal static class Failures
{
    public static TlsFailure AssertGenerated(TlsConnection c, AlertDescription alert, string state, string reason)
    {
        string side = c.IsServer ? "server" : "client";
        Assert.True(c.Status == TlsStatus.Failed, $"{side}: expected to fail with {alert}, status {c.Status} {c.Failure}");
        var f = c.Failure!;
        Assert.True(f.Generated, $"{side}: expected a generated {alert}: {f}");
        Assert.True(f.Alert == alert, $"{side}: expected {alert}: {f}");
        Assert.StartsWith(c.IsServer ? "Server." : "Client.", f.InternalState);
        Assert.Contains(state, f.InternalState);
        Assert.Contains(reason, f.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.True(f.EventId.Id is 36888 or 36874 or 36870, $"event {f.EventId}");
        Assert.Contains($"({Alerts.Name(alert)})", f.ToString());
        return f;
    }

    public static void AssertReceived(TlsConnection c, AlertDescription alert)
    {
        string side = c.IsServer ? "server" : "client";
        Assert.True(c.Status == TlsStatus.Failed, $"{side}: expected to receive {alert}, status {c.Status} {c.Failure}");
        var f = c.Failure!;
        Assert.True(!f.Generated && f.Alert == alert, $"{side}: expected to receive {alert}: {f}");
        Assert.Equal(TlsEvents.FatalAlertReceived, f.EventId);
    }
}
