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

public class RecordSizeLimitTests
{
    [Fact]
    public void ServerKeepsItsRecordsWithinTheClientsLimitAndAnnouncesItsOwn()
    {
        var client = InMemoryPair.DefaultClient();
        client.RecordSizeLimit = 512;
        var trace = new Diagnostics.HandshakeTraceCollector();
        client.Trace = trace;
        using var pair = new InMemoryPair(InMemoryPair.DefaultServer(), client);
        var sizes = new List<int>();
        pair.ServerToClient = bytes =>
        {
            for (int i = 0; i + 5 <= bytes.Length; i += 5 + ((bytes[i + 3] << 8) | bytes[i + 4]))
                if (bytes[i] == 23) sizes.Add((bytes[i + 3] << 8) | bytes[i + 4]);
            return bytes;
        };
        pair.Handshake();
        var data = new byte[5000];
        Assert.Equal(data, pair.Send(pair.Server, pair.Client, data));
        // 511 bytes of plaintext + 1 content type + 16 tag at most per protected record.
        Assert.NotEmpty(sizes);
        Assert.All(sizes, s => Assert.True(s <= 512 + 16, $"record of {s} bytes"));
        var ee = trace.Entries.First(e => e.ContentType == ContentType.Handshake && e.Bytes[0] == (byte)HandshakeType.EncryptedExtensions);
        // record_size_limit (28), length 2, 2^14 + 1
        Assert.True(ee.Bytes.AsSpan().IndexOf(new byte[] { 0x00, 0x1c, 0x00, 0x02, 0x40, 0x01 }) > 0, Convert.ToHexString(ee.Bytes));
    }
}
