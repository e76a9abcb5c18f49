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
        // A listener per pair: a test may change the options between pairs (the ticket ring stays in the options).
        Server = TlsConnection.CreateServer(TlsServerListener.FromOptions(server), new IPEndPoint(IPAddress.Loopback, 443), new IPEndPoint(IPAddress.Loopback, 50000));
        Client = TlsConnection.CreateClient(client);
    }

    /// <summary>A pair whose server runs under <paramref name="listener"/> (its hook, its services); <see cref="ServerOptions"/> is then unset.</summary>
    public InMemoryPair(TlsServerListener listener, TlsClientOptions client)
    {
        ServerOptions = null!;
        ClientOptions = client;
        Server = TlsConnection.CreateServer(listener, new IPEndPoint(IPAddress.Loopback, 443), new IPEndPoint(IPAddress.Loopback, 50000));
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
            if (Server.Status == TlsStatus.WaitingForHost)
            {
                Server.AnswerHostRequestAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
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
        return [.. TakeReadAhead(to), .. received];
    }

    private readonly Dictionary<TlsConnection, List<byte>> _readAhead = [];

    /// <summary>What <see cref="FeedAll"/> had to read out of <paramref name="c"/> to make it take more input.</summary>
    private byte[] TakeReadAhead(TlsConnection c)
    {
        if (!_readAhead.Remove(c, out var bytes)) return [];
        return [.. bytes];
    }

    private bool Move(TlsConnection from, TlsConnection to, Func<byte[], byte[]>? alter)
    {
        if (from.PendingOutput.Length == 0) return false;
        byte[] bytes = from.PendingOutput.ToArray();
        from.ConsumeOutput(bytes.Length);
        if (alter is not null) bytes = alter(bytes);
        FeedAll(to, bytes, readAhead: this);
        return true;
    }

    /// <summary>Feeds every byte, answering the server's pauses for the host on the way and, when the connection
    /// holds back input because nobody read its application data, reading that out (kept for <see cref="Send"/>).</summary>
    public static void FeedAll(TlsConnection to, ReadOnlySpan<byte> bytes, InMemoryPair? readAhead = null)
    {
        while (!bytes.IsEmpty)
        {
            int n = to.Feed(bytes);
            bytes = bytes[n..];
            if (n > 0) continue;
            if (to.Status == TlsStatus.WaitingForHost)
                to.AnswerHostRequestAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
            else if (readAhead is not null && to.BufferedApplicationData > 0)
            {
                var chunk = new byte[to.BufferedApplicationData];
                to.ReadApplicationData(chunk);
                if (!readAhead._readAhead.TryGetValue(to, out var list)) readAhead._readAhead[to] = list = [];
                list.AddRange(chunk);
            }
            else
                throw new InvalidOperationException($"the connection took no input ({to.Status}, {to.BufferedApplicationData} bytes unread)");
        }
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
        Assert.True(f.EventId.Id is 36888 or 36874 or 36870 or 36997, $"event {f.EventId}");
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
