using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Wire;

namespace SharpTls.Tests.Handshake;

/// <summary>Fragmentation, middlebox compatibility (RFC 8446 §5, Appendix D.4) and the downgrade sentinel (§4.1.3).</summary>
public class RecordAndCompatibilityTests
{
    private const CipherSuite Suite = CipherSuite.TLS_AES_128_GCM_SHA256;

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(100)]
    public void HandshakeMessagesFragmentedAcrossRecords(int size)
    {
        var keys = new KeyCapture();
        var s = InMemoryPair.DefaultServer(UnitPki.RsaLeaf);
        s.KeyLog = keys;
        s.ClientCertificateMode = ClientCertificateMode.Required;
        s.TrustedIssuers = UnitPki.Roots;
        var c = InMemoryPair.DefaultClient();
        c.ClientCertificate = new ServerCertificate(UnitPki.ClientLeaf);
        using var pair = new InMemoryPair(s, c);
        var serverFlight = WireSurgery.RewriteHandshakeFlight(keys, serverFlight: true, Suite, m => m, fragment: size);
        var clientFlight = WireSurgery.RewriteHandshakeFlight(keys, serverFlight: false, Suite, m => m, fragment: size);
        pair.ServerToClient = wire => serverFlight(WireSurgery.FragmentPlaintextHandshake(wire, size));
        pair.ClientToServer = wire => clientFlight(WireSurgery.FragmentPlaintextHandshake(wire, size));
        pair.Handshake();
        Assert.Equal("x"u8.ToArray(), pair.Send(pair.Client, pair.Server, "x"u8.ToArray()));
    }

    [Fact]
    public async Task BytesFedOneAtATime()
    {
        using var pair = new InMemoryPair(InMemoryPair.DefaultServer(), InMemoryPair.DefaultClient());
        for (int round = 0; round < 10; round++)
        {
            foreach (var (from, to) in new[] { (pair.Client, pair.Server), (pair.Server, pair.Client) })
            {
                byte[] bytes = from.PendingOutput.ToArray();
                from.ConsumeOutput(bytes.Length);
                foreach (byte b in bytes) to.Feed([b]);
                if (to.Status == TlsStatus.WaitingForHost) await to.AnswerHostRequestAsync(CancellationToken.None);
            }
        }
        Assert.Equal(TlsStatus.Connected, pair.Client.Status);
        Assert.Equal(TlsStatus.Connected, pair.Server.Status);
    }

    [Fact]
    public void ManyRecordsInOneFeed()
    {
        using var pair = new InMemoryPair(InMemoryPair.DefaultServer(), InMemoryPair.DefaultClient());
        pair.Handshake();
        for (int i = 0; i < 1000; i++) pair.Client.WriteApplicationData([(byte)i]);
        pair.Pump();
        Assert.Equal(1000, pair.Server.BufferedApplicationData);
    }

    [Fact]
    public void CompatibilityChangeCipherSpecIsSentAndIgnored()
    {
        var trace = new SharpTls.Diagnostics.HandshakeTraceCollector();
        var c = InMemoryPair.DefaultClient();
        c.Trace = trace;
        using var pair = new InMemoryPair(InMemoryPair.DefaultServer(), c);
        pair.Handshake();
        Assert.Single(trace.Entries, e => e.Sent && e.ContentType == ContentType.ChangeCipherSpec);
        Assert.Single(trace.Entries, e => !e.Sent && e.ContentType == ContentType.ChangeCipherSpec);
    }

    [Fact]
    public void SecondChangeCipherSpecIsUnexpected()
    {
        using var pair = new InMemoryPair(InMemoryPair.DefaultServer(), InMemoryPair.DefaultClient());
        pair.ClientToServer = wire =>
        {
            var records = WireSurgery.Split(wire);
            int i = records.FindIndex(r => r.Type == ContentType.ChangeCipherSpec);
            if (i >= 0) records.Insert(i, records[i]);
            return WireSurgery.Join(records);
        };
        pair.HandshakeFails(pair.Server, AlertDescription.UnexpectedMessage, "Server.Tls13.ExpectFinished", "more than one compatibility ChangeCipherSpec");
    }

    [Fact]
    public void ChangeCipherSpecAfterTheHandshakeIsUnexpected()
    {
        using var pair = new InMemoryPair(InMemoryPair.DefaultServer(), InMemoryPair.DefaultClient());
        pair.Handshake();
        pair.Server.Feed(WireSurgery.Record(ContentType.ChangeCipherSpec, [1]));
        pair.Pump();
        Failures.AssertGenerated(pair.Server, AlertDescription.UnexpectedMessage, "Server.Tls13.Connected", "ChangeCipherSpec outside the TLS 1.3 handshake");
        Failures.AssertReceived(pair.Client, AlertDescription.UnexpectedMessage);
    }

    [Fact]
    public void ChangeCipherSpecWithAnotherValueIsUnexpected()
    {
        using var server = NegativeTests.FeedServer(WireSurgery.Record(ContentType.ChangeCipherSpec, [2]));
        Failures.AssertGenerated(server, AlertDescription.UnexpectedMessage, "Server.ExpectClientHello", "single byte 0x01");
    }

    [Fact]
    public void UnprotectedHandshakeRecordAfterTheKeysChangedIsUnexpected()
    {
        using var pair = new InMemoryPair(InMemoryPair.DefaultServer(), InMemoryPair.DefaultClient());
        pair.Handshake();
        pair.Server.Feed(WireSurgery.Record(ContentType.Handshake, WireSurgery.Message(HandshakeType.KeyUpdate, [0])));
        Failures.AssertGenerated(pair.Server, AlertDescription.UnexpectedMessage, "Server.Tls13.Connected", "unprotected");
    }

    private static Func<byte[], byte[]> ForgeServerHello(Func<ServerHello, ServerHello> change) => wire =>
        WireSurgery.Join(WireSurgery.Split(wire).Select(r =>
            r.Type != ContentType.Handshake || r.Fragment[0] != (byte)HandshakeType.ServerHello ? r
                : r with { Fragment = change(HandshakeMessage.Decode<ServerHello>(r.Fragment, MessageContext.None)).Encode() }));

    private static ServerHello Tls12Hello(ServerHello sh, bool sentinel)
    {
        byte[] random = (byte[])sh.Random.Clone();
        if (sentinel) "DOWNGRD\u0001"u8.CopyTo(random.AsSpan(24));
        return new ServerHello
        {
            Random = random,
            SessionId = sh.SessionId,
            CipherSuite = 0xC02F,
            Extensions = HelloRetryRequestTests.With(HelloRetryRequestTests.With(sh.Extensions, ExtensionType.SupportedVersions, null), ExtensionType.KeyShare, null),
        };
    }

    [Fact]
    public void DowngradeSentinelIsIllegalParameter()
    {
        using var pair = new InMemoryPair(InMemoryPair.DefaultServer(), InMemoryPair.DefaultClient());
        pair.ServerToClient = ForgeServerHello(sh => Tls12Hello(sh, sentinel: true));
        pair.HandshakeFails(pair.Client, AlertDescription.IllegalParameter, "Client.Tls13.ExpectServerHello", "downgrade sentinel");
    }

    [Fact]
    public void Tls12ServerHelloIsProtocolVersionForATls13OnlyClient()
    {
        var client = InMemoryPair.DefaultClient();
        client.Versions = TlsVersions.Tls13;
        using var pair = new InMemoryPair(InMemoryPair.DefaultServer(), client);
        pair.ServerToClient = ForgeServerHello(sh => Tls12Hello(sh, sentinel: false));
        pair.HandshakeFails(pair.Client, AlertDescription.ProtocolVersion, "Client.Tls13.ExpectServerHello", "TLS 1.2");
    }

    [Fact]
    public void ServerHelloThatDoesNotEchoTheSessionId()
    {
        using var pair = new InMemoryPair(InMemoryPair.DefaultServer(), InMemoryPair.DefaultClient());
        pair.ServerToClient = ForgeServerHello(sh => new ServerHello
        {
            Random = sh.Random, SessionId = new byte[32], CipherSuite = sh.CipherSuite, Extensions = sh.Extensions,
        });
        pair.HandshakeFails(pair.Client, AlertDescription.IllegalParameter, "Client.Tls13.ExpectServerHello", "legacy_session_id_echo");
    }

    [Fact]
    public void ServerHelloWithASuiteNotOffered()
    {
        using var pair = new InMemoryPair(InMemoryPair.DefaultServer(),
            new Func<TlsClientOptions>(() => { var c = InMemoryPair.DefaultClient(); c.CipherSuites = [Suite]; return c; })());
        pair.ServerToClient = ForgeServerHello(sh => new ServerHello
        {
            Random = sh.Random, SessionId = sh.SessionId, CipherSuite = (ushort)CipherSuite.TLS_AES_256_GCM_SHA384, Extensions = sh.Extensions,
        });
        pair.HandshakeFails(pair.Client, AlertDescription.IllegalParameter, "Client.Tls13.ExpectServerHello", "did not offer");
    }

    [Fact]
    public void PaddedRecordsBothWays()
    {
        var s = InMemoryPair.DefaultServer();
        s.RecordPaddingBlock = 256;
        var c = InMemoryPair.DefaultClient();
        c.RecordPaddingBlock = 1000;
        using var pair = new InMemoryPair(s, c);
        pair.Handshake();
        Assert.Equal("padded"u8.ToArray(), pair.Send(pair.Client, pair.Server, "padded"u8.ToArray()));
        Assert.Equal("too"u8.ToArray(), pair.Send(pair.Server, pair.Client, "too"u8.ToArray()));
    }
}
