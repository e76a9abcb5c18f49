using SharpTls.Handshake.Tls12;
using SharpTls.Sessions;
using SharpTls.Tests.Handshake;
using SharpTls.Wire;

namespace SharpTls.Tests.Tls12;

/// <summary>Every TLS 1.2 suite we negotiate, our client against our server, with and without EMS and encrypt-then-MAC; resumption by ticket and the cases where it must be refused.</summary>
public class Tls12SuiteMatrixTests
{
    public static TheoryData<CipherSuite, bool> Matrix()
    {
        var data = new TheoryData<CipherSuite, bool>();
        foreach (var suite in Tls12Suites.ServerOrder)
            foreach (bool ems in new[] { true, false })
                data.Add(suite, ems);
        return data;
    }

    private static System.Security.Cryptography.X509Certificates.X509Certificate2 CertFor(CipherSuite suite)
        => CipherSuites.Info(suite).KeyExchange == CipherSuiteKeyExchange.EcdheEcdsa ? UnitPki.EcdsaLeaf : UnitPki.RsaLeaf;

    private static InMemoryPair Pair(CipherSuite suite, bool ems = true, TicketKeyRing? ring = null, ClientSessionStore? store = null,
        Action<TlsServerOptions>? server = null, Action<TlsClientOptions>? client = null)
    {
        var s = InMemoryPair.DefaultServer(CertFor(suite));
        s.Versions = TlsVersions.Tls12;
        s.ExtendedMasterSecret = ems;
        s.TicketKeys = ring;
        server?.Invoke(s);
        var c = InMemoryPair.DefaultClient();
        c.Versions = TlsVersions.Tls12;
        c.CipherSuites = [suite];
        c.ExtendedMasterSecret = ems;
        c.SessionStore = store;
        client?.Invoke(c);
        return new InMemoryPair(s, c);
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Each_suite_with_and_without_ems(CipherSuite suite, bool ems)
    {
        // Our client offers encrypt_then_mac with CBC suites; the server echoes it for CBC only (RFC 7366 §3).
        // MAC-then-encrypt is exercised against openssl with -no_etm (Tls12SuiteInteropTests).
        byte[]? serverHello = null;
        using var pair = Pair(suite, ems);
        pair.ServerToClient = b => { serverHello ??= b; return b; };
        pair.Handshake();
        foreach (var side in new[] { pair.Client, pair.Server })
            Assert.Equal((ProtocolVersion.Tls12, suite), (side.Info.Version!.Value, side.Info.CipherSuite!.Value));
        Assert.Equal("hello"u8.ToArray(), pair.Send(pair.Client, pair.Server, "hello"u8.ToArray()));
        byte[] big = Enumerable.Range(0, 40000).Select(i => (byte)i).ToArray();
        Assert.Equal(big, pair.Send(pair.Server, pair.Client, big));
        bool etmEchoed = Contains(serverHello!, [0x00, 0x16, 0x00, 0x00]);
        Assert.Equal(CipherSuites.Info(suite).Mode == BulkCipherMode.Cbc, etmEchoed);
    }

    public static TheoryData<CipherSuite, bool> CbcMatrix()
    {
        var data = new TheoryData<CipherSuite, bool>();
        foreach (var suite in Tls12Suites.ServerOrder.Where(s => CipherSuites.Info(s).Mode == BulkCipherMode.Cbc))
            foreach (bool ems in new[] { true, false })
                data.Add(suite, ems);
        return data;
    }

    [Theory]
    [MemberData(nameof(CbcMatrix))]
    public void Each_cbc_suite_mac_then_encrypt_with_and_without_ems(CipherSuite suite, bool ems)
    {
        // A client that does not offer encrypt_then_mac (our client always does with CBC suites: its ClientHello is rebuilt
        // without it): no echo, and both sides protect records MAC-then-encrypt (RFC 5246 §6.2.3.2).
        byte[]? serverHello = null;
        using var pair = Pair(suite, ems, client: c => c.Crypto = new SharpTls.Crypto.ScriptedCryptoProvider($"no-etm-{suite}")
        {
            ClientHelloReplay = h => HelloRetryRequestTests.Rebuild(h, x => HelloRetryRequestTests.With(x.Extensions, ExtensionType.EncryptThenMac, null)),
        });
        pair.ServerToClient = b => { serverHello ??= b; return b; };
        pair.Handshake();
        Assert.False(Contains(serverHello!, [0x00, 0x16, 0x00, 0x00]));
        Assert.Equal(ems, pair.Server.Session!.ExtendedMasterSecret);
        Assert.Equal((ProtocolVersion.Tls12, suite), (pair.Server.Info.Version!.Value, pair.Server.Info.CipherSuite!.Value));
        byte[] big = Enumerable.Range(0, 40000).Select(i => (byte)(i * 7)).ToArray();
        Assert.Equal(big, pair.Send(pair.Client, pair.Server, big));
        Assert.Equal(big, pair.Send(pair.Server, pair.Client, big));
    }

    private static bool Contains(byte[] haystack, byte[] needle)
        => haystack.AsSpan().IndexOf(needle) >= 0;

    [Theory]
    [InlineData(CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA)]
    [InlineData(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)]
    [InlineData(CipherSuite.TLS_DHE_RSA_WITH_AES_256_GCM_SHA384)]
    public void Resumes_by_ticket_then_again_with_the_renewed_ticket(CipherSuite suite)
    {
        using var ring = new TicketKeyRing();
        var store = new ClientSessionStore();
        using (var first = Pair(suite, ring: ring, store: store))
        {
            first.Handshake();
            Assert.False(first.Client.Info.Resumed);
        }
        for (int i = 0; i < 2; i++)
        {
            using var again = Pair(suite, ring: ring, store: store);
            again.Handshake();
            Assert.True(again.Client.Info.Resumed, $"round {i}");
            Assert.True(again.Server.Info.Resumed, $"round {i}");
            Assert.Equal(suite, again.Server.Info.CipherSuite);
            Assert.Equal("resumed"u8.ToArray(), again.Send(again.Client, again.Server, "resumed"u8.ToArray()));
            Assert.Equal("back"u8.ToArray(), again.Send(again.Server, again.Client, "back"u8.ToArray()));
        }
    }

    public static TheoryData<string> Refusals => new() { "other key ring", "other server name", "suite not offered", "server without tickets", "no ems" };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void A_session_that_may_not_resume_gets_a_full_handshake(string why)
    {
        var suite = CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256;
        using var ring = new TicketKeyRing();
        using var otherRing = new TicketKeyRing();
        var store = new ClientSessionStore();
        using (var first = Pair(suite, ring: ring, store: store))
            first.Handshake();
        Assert.NotNull(store.FindTls12("www.contoso.test", DateTimeOffset.UtcNow));
        using var second = Pair(suite, ring: why == "other key ring" ? otherRing : ring, store: store,
            server: s =>
            {
                if (why == "server without tickets") s.EnableSessionTickets = false;
                if (why == "no ems") s.ExtendedMasterSecret = false;
            },
            client: c =>
            {
                c.CipherSuites = why == "suite not offered" ? [CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384] : [suite];
                if (why == "other server name") c.TargetHost = "localhost";
            });
        if (why == "other server name")
        {
            // The store is per server name: copy the session across to make the client offer it to another name.
            store.AddTls12("localhost", store.FindTls12("www.contoso.test", DateTimeOffset.UtcNow)!);
        }
        second.Handshake();
        Assert.False(second.Server.Info.Resumed);
        Assert.False(second.Client.Info.Resumed);
    }

    [Fact]
    public void Rsa_key_exchange_can_be_turned_off_on_the_server()
    {
        using var off = Pair(CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA, server: s => s.AllowRsaKeyExchange = false);
        off.HandshakeFails(off.Server, AlertDescription.HandshakeFailure, "AwaitSessionLookup", "no cipher suite in common at TLS 1.2");
        // With forward-secret suites offered too, the server simply picks one of them.
        using var fs = Pair(CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA, server: s => s.AllowRsaKeyExchange = false,
            client: c => c.CipherSuites = [CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA, CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA]);
        fs.Handshake();
        Assert.Equal(CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, fs.Server.Info.CipherSuite);
    }
}
