using System.Buffers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SharpTls.Diagnostics;
using SharpTls.KeySchedule;
using SharpTls.Records;
using SharpTls.Tests.Handshake;
using SharpTls.Wire;

namespace SharpTls.Tests.Tls12;

/// <summary>In-memory TLS 1.2 handshakes (RFC 5246, RFC 8422 ECDHE, RFC 7627 EMS, RFC 5746) between our client and server.</summary>
public class Tls12HandshakeTests
{
    public static TheoryData<CipherSuite, bool> SuitesAndEms()
    {
        var data = new TheoryData<CipherSuite, bool>();
        foreach (var s in new[]
                 {
                     CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
                     CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
                     CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
                 })
        {
            data.Add(s, true);
            data.Add(s, false);
        }
        return data;
    }

    private static X509Certificate2 CertFor(CipherSuite suite)
        => CipherSuites.Info(suite).KeyExchange == CipherSuiteKeyExchange.EcdheEcdsa ? UnitPki.EcdsaLeaf : UnitPki.RsaLeaf;

    private static InMemoryPair Pair(CipherSuite suite, bool ems, TlsVersions clientVersions = TlsVersions.Tls12,
        KeyLogCollector? serverLog = null, KeyLogCollector? clientLog = null, bool? clientEms = null,
        HandshakeTraceCollector? serverTrace = null, HandshakeTraceCollector? clientTrace = null)
    {
        var server = InMemoryPair.DefaultServer(CertFor(suite));
        server.ExtendedMasterSecret = ems;
        server.KeyLog = serverLog;
        server.Trace = serverTrace;
        var client = InMemoryPair.DefaultClient();
        client.Versions = clientVersions;
        client.CipherSuites = [suite];
        client.ExtendedMasterSecret = clientEms ?? ems;
        client.KeyLog = clientLog;
        client.Trace = clientTrace;
        return new InMemoryPair(server, client);
    }

    [Theory]
    [MemberData(nameof(SuitesAndEms))]
    public void Handshake_and_data_for_each_suite_with_and_without_ems(CipherSuite suite, bool ems)
    {
        var serverLog = new KeyLogCollector();
        var clientLog = new KeyLogCollector();
        using var pair = Pair(suite, ems, serverLog: serverLog, clientLog: clientLog);
        pair.Handshake();
        foreach (var side in new[] { pair.Client, pair.Server })
        {
            Assert.Equal(ProtocolVersion.Tls12, side.Info.Version);
            Assert.Equal(suite, side.Info.CipherSuite);
            Assert.Equal(NamedGroup.X25519, side.Info.Group);
        }
        Assert.Equal("hello over TLS 1.2"u8.ToArray(), pair.Send(pair.Client, pair.Server, "hello over TLS 1.2"u8.ToArray()));
        Assert.Equal(new byte[40000], pair.Send(pair.Server, pair.Client, new byte[40000]));
        // The key log: one CLIENT_RANDOM line, the same on both sides, 48-byte master secret.
        var line = Assert.Single(clientLog.Lines);
        Assert.Equal(line, Assert.Single(serverLog.Lines));
        var parts = line.Split(' ');
        Assert.Equal("CLIENT_RANDOM", parts[0]);
        Assert.Equal(64, parts[1].Length);
        Assert.Equal(96, parts[2].Length);
    }

    [Fact]
    public void Ems_is_echoed_only_when_offered_and_renegotiation_info_always()
    {
        // Same suite, EMS on then off: both connect; the ServerHello carries extended_master_secret only when offered.
        foreach (bool ems in new[] { true, false })
        {
            byte[]? serverHello = null;
            using var pair = Pair(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, ems);
            pair.ServerToClient = b => { serverHello ??= b; return b; };
            pair.Handshake();
            var sh = WireSurgery.Messages(WireSurgery.Split(serverHello!)[0].Fragment)[0];
            var decoded = SharpTls.Messages.HandshakeMessage.Decode<SharpTls.Messages.ServerHello>(sh, SharpTls.Messages.MessageContext.None);
            Assert.Equal(ems, decoded.Extensions.Find<SharpTls.Messages.Extensions.ExtendedMasterSecretExtension>() is not null);
            Assert.NotNull(decoded.Extensions.Find<SharpTls.Messages.Extensions.RenegotiationInfoExtension>());
        }
    }

    [Fact]
    public void Server_with_ems_accepts_a_client_without_it()
    {
        // RFC 7627 §5.2/§5.3: a server that supports EMS and a client that does not offer it use the
        // legacy master secret. The client is built without EMS (its ClientHello is built when it is created).
        var serverLog = new KeyLogCollector();
        var clientLog = new KeyLogCollector();
        using var pair = Pair(CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, ems: true, serverLog: serverLog, clientLog: clientLog, clientEms: false);
        Assert.True(pair.ServerOptions.ExtendedMasterSecret);
        byte[]? clientHello = null, serverHello = null;
        pair.ClientToServer = b => { clientHello ??= b; return b; };
        pair.ServerToClient = b => { serverHello ??= b; return b; };
        pair.Handshake();
        Assert.Equal(ProtocolVersion.Tls12, pair.Server.Info.Version);

        var ch = WireSurgery.Messages(WireSurgery.Split(clientHello!)[0].Fragment)[0];
        var offered = SharpTls.Messages.HandshakeMessage.Decode<SharpTls.Messages.ClientHello>(ch, SharpTls.Messages.MessageContext.None);
        Assert.Null(offered.Extensions.Find<SharpTls.Messages.Extensions.ExtendedMasterSecretExtension>());
        var sh = WireSurgery.Messages(WireSurgery.Split(serverHello!)[0].Fragment)[0];
        var answered = SharpTls.Messages.HandshakeMessage.Decode<SharpTls.Messages.ServerHello>(sh, SharpTls.Messages.MessageContext.None);
        Assert.Null(answered.Extensions.Find<SharpTls.Messages.Extensions.ExtendedMasterSecretExtension>());
        // Both derived the same (legacy) master secret, and data flows both ways.
        Assert.Equal(Assert.Single(clientLog.Lines), Assert.Single(serverLog.Lines));
        Assert.Equal("no ems"u8.ToArray(), pair.Send(pair.Client, pair.Server, "no ems"u8.ToArray()));
        Assert.Equal("back"u8.ToArray(), pair.Send(pair.Server, pair.Client, "back"u8.ToArray()));
    }

    [Fact]
    public void Default_client_and_default_server_agree_on_tls13_but_a_tls12_only_client_gets_tls12_with_the_sentinel()
    {
        using (var both = new InMemoryPair(InMemoryPair.DefaultServer(), InMemoryPair.DefaultClient()))
        {
            both.Handshake();
            Assert.Equal(ProtocolVersion.Tls13, both.Client.Info.Version);
        }
        byte[]? serverHello = null;
        using var pair = Pair(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, true);
        pair.ServerToClient = b => { serverHello ??= b; return b; };
        pair.Handshake();
        // RFC 8446 §4.1.3: a server that supports TLS 1.3 marks a TLS 1.2 ServerHello's random.
        var record = WireSurgery.Split(serverHello!)[0].Fragment;
        Assert.Equal("DOWNGRD\u0001"u8.ToArray(), record.AsSpan(4 + 2 + 24, 8).ToArray());
    }

    [Fact]
    public void Client_offering_both_versions_talks_tls12_to_a_tls12_only_server()
    {
        var server = InMemoryPair.DefaultServer(UnitPki.RsaLeaf);
        server.Versions = TlsVersions.Tls12;
        using var pair = new InMemoryPair(server, InMemoryPair.DefaultClient());
        pair.Handshake();
        Assert.Equal(ProtocolVersion.Tls12, pair.Client.Info.Version);
        Assert.Equal(CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, pair.Client.Info.CipherSuite);
    }

    [Fact]
    public void Client_offering_tls13_refuses_a_tls12_answer_with_the_downgrade_sentinel()
    {
        // A TLS 1.2-only client gets a ServerHello with the sentinel; replaying it to a client that offered TLS 1.3 is a downgrade.
        var server = InMemoryPair.DefaultServer();
        var client = InMemoryPair.DefaultClient();
        client.Versions = TlsVersions.Tls12;
        using var pair12 = new InMemoryPair(server, client);
        byte[]? flight = null;
        pair12.ServerToClient = b => { flight ??= b; return b; };
        pair12.Handshake();
        using var victim = TlsConnection.CreateClient(InMemoryPair.DefaultClient());
        victim.Feed(flight!);
        Failures.AssertGenerated(victim, AlertDescription.IllegalParameter, "ExpectServerHello", "downgrade sentinel");
    }

    [Fact]
    public void Ecdsa_certificate_on_a_curve_the_client_does_not_list_is_not_used()
    {
        // RFC 8422 §5.1: a P-256 certificate is unusable for a client whose supported_groups lists only P-384.
        var client = InMemoryPair.DefaultClient();
        client.Versions = TlsVersions.Tls12;
        client.Groups = [NamedGroup.Secp384r1];
        using var pair = new InMemoryPair(InMemoryPair.DefaultServer(UnitPki.EcdsaLeaf), client);
        // Our client sends a random session ID (RFC 8446 §D.4), so the server first asks its session cache, then fails.
        var failure = pair.HandshakeFails(pair.Server, AlertDescription.HandshakeFailure, "AwaitSessionLookup", "no cipher suite in common at TLS 1.2");
        // Schannel's 36874 at TLS 1.2 as at TLS 1.3, not the generic 36888.
        Assert.Equal(TlsEvents.NoCipherSuiteInCommon, failure.EventId);

        using var both = new InMemoryPair(InMemoryPair.DefaultServer(UnitPki.EcdsaLeaf, UnitPki.RsaLeaf), client);
        both.Handshake();
        Assert.Equal((CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, NamedGroup.Secp384r1), (both.Client.Info.CipherSuite!.Value, both.Client.Info.Group!.Value));
    }

    [Fact]
    public void Tls13_only_server_still_refuses_a_tls12_client()
    {
        var server = InMemoryPair.DefaultServer();
        server.Versions = TlsVersions.Tls13;
        var client = InMemoryPair.DefaultClient();
        client.Versions = TlsVersions.Tls12;
        using var pair = new InMemoryPair(server, client);
        pair.HandshakeFails(pair.Server, AlertDescription.ProtocolVersion, "AwaitPolicy", "no protocol version in common");
    }

    [Fact]
    public void Fallback_scsv_from_a_tls12_client_is_inappropriate_fallback()
    {
        var client = InMemoryPair.DefaultClient();
        client.Versions = TlsVersions.Tls12;
        client.CipherSuites = [CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_FALLBACK_SCSV];
        using var pair = new InMemoryPair(InMemoryPair.DefaultServer(), client);
        // Our client never sends the SCSV itself: add it to the suite list on the wire.
        pair.ClientToServer = AddFallbackScsv;
        pair.HandshakeFails(pair.Server, AlertDescription.InappropriateFallback, "AwaitPolicy", "TLS_FALLBACK_SCSV");
    }

    private static byte[] AddFallbackScsv(byte[] wire)
    {
        var records = WireSurgery.Split(wire);
        var hello = records[0].Fragment;
        if (hello[0] != (byte)HandshakeType.ClientHello) return wire;
        var decoded = SharpTls.Messages.HandshakeMessage.Decode<SharpTls.Messages.ClientHello>(hello, SharpTls.Messages.MessageContext.None);
        var rebuilt = new SharpTls.Messages.ClientHello
        {
            LegacyVersion = decoded.LegacyVersion, Random = decoded.Random, SessionId = decoded.SessionId,
            CipherSuites = [.. decoded.CipherSuites, (ushort)CipherSuite.TLS_FALLBACK_SCSV], Extensions = decoded.Extensions,
        };
        records[0] = records[0] with { Fragment = rebuilt.Encode() };
        return WireSurgery.Join(records);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Tampered_client_finished_is_decrypt_error(bool ems)
    {
        var log = new KeyLogCollector();
        using var pair = Pair(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, ems, clientLog: log);
        byte[]? serverRandom = null;
        pair.ServerToClient = b => { serverRandom ??= WireSurgery.Split(b)[0].Fragment.AsSpan(6, 32).ToArray(); return b; };
        pair.ClientToServer = b => ReplaceFinished(b, log, serverRandom, client: true);
        pair.HandshakeFails(pair.Server, AlertDescription.DecryptError, "Tls12.ExpectFinished", "Finished verify_data");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Tampered_server_finished_is_decrypt_error(bool ems)
    {
        var log = new KeyLogCollector();
        using var pair = Pair(CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, ems, clientLog: log);
        byte[]? serverRandom = null;
        pair.ServerToClient = b =>
        {
            serverRandom ??= WireSurgery.Split(b)[0].Fragment.AsSpan(6, 32).ToArray();
            return ReplaceFinished(b, log, serverRandom, client: false);
        };
        pair.HandshakeFails(pair.Client, AlertDescription.DecryptError, "Tls12.ExpectFinished", "Finished verify_data");
    }

    [Fact]
    public void Finished_without_change_cipher_spec_fails_the_handshake()
    {
        using var pair = Pair(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, true);
        // Drop the client's ChangeCipherSpec record: its (encrypted) Finished then arrives while the server waits for it.
        pair.ClientToServer = b =>
        {
            var records = WireSurgery.Split(b);
            return WireSurgery.Join(records.Where(r => r.Type != ContentType.ChangeCipherSpec));
        };
        pair.Pump();
        // Still under null read protection, the sealed Finished is garbage: never accepted, whatever the alert.
        Assert.Equal(TlsStatus.Failed, pair.Server.Status);
        Assert.True(pair.Server.Failure!.Generated);
        Assert.Equal("Server.Tls12.ExpectChangeCipherSpec", pair.Server.Failure.InternalState);
        Assert.NotEqual(TlsStatus.Connected, pair.Client.Status);
    }

    [Fact]
    public void Renegotiation_is_declined_with_a_warning_by_default_and_the_connection_goes_on()
    {
        var clientTrace = new HandshakeTraceCollector();
        var serverTrace = new HandshakeTraceCollector();
        using var pair = Pair(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, true, serverTrace: serverTrace, clientTrace: clientTrace);
        pair.Handshake();
        byte[] noRenegotiation = [(byte)AlertLevel.Warning, (byte)AlertDescription.NoRenegotiation];
        // A client asking to renegotiate: the server answers no_renegotiation (warning, RFC 5246 §7.2.2,
        // RFC 5746 §4.4: the server may decline) and stays up.
        var renegotiation = WireSurgery.Message(HandshakeType.ClientHello, new byte[40]);
        pair.Client.Records.QueueHandshake(renegotiation, null);
        pair.Client.Records.Flush(GetOutput(pair.Client));
        pair.Pump();
        Assert.Equal(TlsStatus.Connected, pair.Server.Status);
        Assert.Equal(TlsStatus.Connected, pair.Client.Status);
        var warning = Assert.Single(clientTrace.Entries, e => !e.Sent && e.ContentType == ContentType.Alert);
        Assert.Equal(noRenegotiation, warning.Bytes);
        Assert.True(warning.Encrypted);
        Assert.Equal("still here"u8.ToArray(), pair.Send(pair.Client, pair.Server, "still here"u8.ToArray()));

        // A server asking (HelloRequest) of a client that does not allow renegotiation: it declines the same way
        // (RFC 5246 §7.4.1.1). Tls12RenegotiationTests covers the renegotiations that do run.
        pair.ClientOptions.AllowRenegotiation = false;
        pair.Server.Records.QueueHandshake(WireSurgery.Message(HandshakeType.HelloRequest), null);
        pair.Server.Records.Flush(GetOutput(pair.Server));
        pair.Pump();
        Assert.Equal(TlsStatus.Connected, pair.Client.Status);
        Assert.Equal(TlsStatus.Connected, pair.Server.Status);
        Assert.Equal(noRenegotiation, Assert.Single(serverTrace.Entries, e => !e.Sent && e.ContentType == ContentType.Alert).Bytes);
        Assert.Equal("and here"u8.ToArray(), pair.Send(pair.Server, pair.Client, "and here"u8.ToArray()));
    }

    private static ByteQueue GetOutput(TlsConnection c)
        => (ByteQueue)typeof(TlsConnection).GetField("_output", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(c)!;

    /// <summary>Re-seals the flight's Finished (the first protected record) with wrong verify_data, using the key log's master secret.</summary>
    private static byte[] ReplaceFinished(byte[] wire, KeyLogCollector log, byte[]? serverRandom, bool client)
    {
        var records = WireSurgery.Split(wire);
        int ccs = records.FindIndex(r => r.Type == ContentType.ChangeCipherSpec);
        if (ccs < 0 || ccs + 1 >= records.Count || serverRandom is null) return wire;
        var parts = Assert.Single(log.Lines).Split(' ');
        byte[] clientRandom = Convert.FromHexString(parts[1]), master = Convert.FromHexString(parts[2]);
        var suite = CipherSuites.Info(records[ccs + 1].Fragment.Length == 16 + 16 ? CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 : CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256);
        bool chacha = suite.Suite == CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256;
        var aead = chacha ? AeadAlgorithm.ChaCha20Poly1305 : AeadAlgorithm.Aes128Gcm;
        using var block = Tls12Prf.KeyBlock(suite.PrfHash, master, clientRandom, serverRandom, 0, chacha ? 32 : 16, chacha ? 12 : 4);
        using var protection = new Tls12AeadRecordProtection(aead, client ? block.ClientKey : block.ServerKey, client ? block.ClientIv : block.ServerIv);
        byte[] finished = WireSurgery.Message(HandshakeType.Finished, new byte[12]); // all-zero verify_data: wrong
        var output = new ArrayBufferWriter<byte>();
        protection.Seal(ContentType.Handshake, 0x0303, finished, output);
        records[ccs + 1] = WireSurgery.Split(output.WrittenSpan.ToArray())[0];
        return WireSurgery.Join(records);
    }
}
