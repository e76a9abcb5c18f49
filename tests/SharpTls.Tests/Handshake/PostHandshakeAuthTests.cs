using SharpTls.Wire;

namespace SharpTls.Tests.Handshake;

public class PostHandshakeAuthTests
{
    [Fact]
    public void ServerAsksForAClientCertificateAfterTheHandshake()
    {
        var server = InMemoryPair.DefaultServer();
        server.TrustedIssuers = UnitPki.Roots;
        var client = InMemoryPair.DefaultClient();
        client.ClientCertificate = new ServerCertificate(UnitPki.ClientLeaf);
        using var pair = new InMemoryPair(server, client);
        pair.Handshake();
        Assert.Empty(pair.Server.Info.PeerCertificates);

        pair.Server.RequestClientCertificate();
        Assert.True(pair.Server.PostHandshakeAuthPending);
        pair.Pump();

        Assert.False(pair.Server.PostHandshakeAuthPending);
        Assert.Equal(TlsStatus.Connected, pair.Server.Status);
        Assert.Equal(UnitPki.ClientLeaf.Thumbprint, Assert.Single(pair.Server.Info.PeerCertificates).Thumbprint);
        Assert.Equal("after"u8.ToArray(), pair.Send(pair.Client, pair.Server, "after"u8.ToArray()));
    }

    [Fact]
    public void TamperedAnswerFailsWithBadRecordMac()
    {
        var server = InMemoryPair.DefaultServer();
        server.TrustedIssuers = UnitPki.Roots;
        server.ClientCertificateMode = ClientCertificateMode.None;
        var client = InMemoryPair.DefaultClient();
        client.ClientCertificate = new ServerCertificate(UnitPki.ClientLeaf);
        using var pair = new InMemoryPair(server, client);
        pair.Handshake();
        pair.Server.RequestClientCertificate();
        pair.ClientToServer = bytes => { bytes[^1] ^= 1; return bytes; };
        pair.Pump();
        Assert.Equal(TlsStatus.Failed, pair.Server.Status);
        Assert.Equal(AlertDescription.BadRecordMac, pair.Server.Failure!.Alert);
    }

    [Fact]
    public void ClientThatDidNotOfferItCannotBeAsked()
    {
        using var pair = new InMemoryPair(InMemoryPair.DefaultServer(), InMemoryPair.DefaultClient());
        pair.Handshake();
        Assert.Throws<InvalidOperationException>(() => pair.Server.RequestClientCertificate());
    }
}

public class TruncationTests
{
    [Fact]
    public void TransportEndingWithoutCloseNotifyIsReportedAsTruncated()
    {
        using var pair = new InMemoryPair(InMemoryPair.DefaultServer(), InMemoryPair.DefaultClient());
        pair.Handshake();
        pair.Server.OnTransportClosed();
        Assert.True(pair.Server.Truncated);
        Assert.True(pair.Server.PeerClosed);
    }

    [Fact]
    public void CloseNotifyThenTransportEndIsClean()
    {
        using var pair = new InMemoryPair(InMemoryPair.DefaultServer(), InMemoryPair.DefaultClient());
        pair.Handshake();
        pair.Client.Close();
        pair.Pump();
        pair.Server.OnTransportClosed();
        Assert.False(pair.Server.Truncated);
        Assert.True(pair.Server.PeerClosed);
    }
}

public class ResumedClientCertificateTests
{
    [Fact]
    public void ResumedSessionReportsTheClientCertificateOfTheOriginalSession()
    {
        var server = InMemoryPair.DefaultServer();
        server.ClientCertificateMode = ClientCertificateMode.Required;
        server.TrustedIssuers = UnitPki.Roots;
        var store = new Sessions.ClientSessionStore();
        TlsClientOptions Client()
        {
            var c = InMemoryPair.DefaultClient();
            c.ClientCertificate = new ServerCertificate(UnitPki.ClientLeaf);
            c.SessionStore = store;
            return c;
        }
        using (var first = new InMemoryPair(server, Client()))
            first.Handshake();
        using var second = new InMemoryPair(server, Client());
        second.Handshake();
        Assert.True(second.Server.Info.Resumed);
        Assert.Equal(UnitPki.ClientLeaf.Thumbprint, Assert.Single(second.Server.Info.PeerCertificates).Thumbprint);
        Assert.StartsWith("resumed", second.Server.Info.CertificateVerification);
    }
}
