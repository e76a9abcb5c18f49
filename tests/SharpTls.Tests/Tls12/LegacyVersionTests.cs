using System.Security.Cryptography.X509Certificates;
using SharpTls.Handshake.Tls12;
using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Sessions;
using SharpTls.Tests.Handshake;
using SharpTls.Wire;

namespace SharpTls.Tests.Tls12;

/// <summary>
/// TLS 1.1, TLS 1.0 and SSL 3.0 behind their switches (issue 9 item 7), our client against our server: every legacy
/// version × suite (so every key exchange and bulk family, 3DES and DHE_DSS included) with data both ways, each side
/// choosing the version; resumption; client certificates; the 1/n-1 split; and the refusals (a switch off, a downgrade,
/// a legacy-only suite at TLS 1.2).
/// </summary>
public class LegacyVersionTests
{
    private const TlsVersions Everything = TlsVersions.Ssl3 | TlsVersions.Tls10 | TlsVersions.Tls11 | TlsVersions.Tls12 | TlsVersions.Tls13;

    public static TheoryData<ProtocolVersion, CipherSuite, bool> Matrix()
    {
        var data = new TheoryData<ProtocolVersion, CipherSuite, bool>();
        foreach (var version in new[] { ProtocolVersion.Ssl3, ProtocolVersion.Tls10, ProtocolVersion.Tls11 })
            foreach (var suite in Tls12Suites.ServerOrder.Concat(Tls12Suites.LegacyOnly))
                if (Tls12Suites.AllowedIn(suite, version))
                    foreach (bool serverChooses in new[] { true, false })
                        data.Add(version, suite, serverChooses);
        return data;
    }

    internal static X509Certificate2 CertFor(CipherSuite suite) => CipherSuites.Info(suite).KeyExchange switch
    {
        CipherSuiteKeyExchange.EcdheEcdsa => UnitPki.EcdsaLeaf,
        CipherSuiteKeyExchange.DheDss => UnitPki.DsaLeaf,
        _ => UnitPki.RsaLeaf,
    };

    private static TlsVersions Flag(ProtocolVersion v) => SharpTls.Handshake.VersionSwitches.Flag(v);

    private static InMemoryPair Pair(TlsVersions server, TlsVersions client, CipherSuite? suite = null, Action<TlsServerOptions>? s = null,
        Action<TlsClientOptions>? c = null, X509Certificate2? certificate = null)
    {
        var so = InMemoryPair.DefaultServer(certificate ?? (suite is { } x ? CertFor(x) : UnitPki.RsaLeaf));
        so.Versions = server;
        s?.Invoke(so);
        var co = InMemoryPair.DefaultClient();
        co.Versions = client;
        if (suite is { } chosen) co.CipherSuites = [chosen];
        c?.Invoke(co);
        return new InMemoryPair(so, co);
    }

    /// <summary>With <paramref name="serverChooses"/> the server enables every version and the client only the legacy one;
    /// otherwise the client offers every version (TLS 1.3 with supported_versions) and the server enables only the legacy one.</summary>
    [Theory]
    [MemberData(nameof(Matrix))]
    public void Each_legacy_version_and_suite_both_ways(ProtocolVersion version, CipherSuite suite, bool serverChooses)
    {
        using var pair = serverChooses ? Pair(Everything, Flag(version), suite) : Pair(Flag(version), Everything, suite);
        pair.Handshake();
        foreach (var side in new[] { pair.Client, pair.Server })
            Assert.Equal((version, suite), (side.Info.Version!.Value, side.Info.CipherSuite!.Value));
        Assert.Equal("ping"u8.ToArray(), pair.Send(pair.Client, pair.Server, "ping"u8.ToArray()));
        byte[] big = Enumerable.Range(0, 40000).Select(i => (byte)i).ToArray();
        Assert.Equal(big, pair.Send(pair.Server, pair.Client, big));
        Assert.Equal(big, pair.Send(pair.Client, pair.Server, big));
    }

    [Theory]
    [InlineData(ProtocolVersion.Ssl3)]
    [InlineData(ProtocolVersion.Tls10)]
    [InlineData(ProtocolVersion.Tls11)]
    public void Records_carry_the_negotiated_version_and_the_handshake_its_form(ProtocolVersion version)
    {
        var fromServer = new List<byte[]>();
        var fromClient = new List<byte[]>();
        using var pair = Pair(Everything, Flag(version), CipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA);
        pair.ServerToClient = b => { fromServer.Add(b); return b; };
        pair.ClientToServer = b => { fromClient.Add(b); return b; };
        pair.Handshake();
        var serverRecords = WireSurgery.Split([.. fromServer.SelectMany(b => b)]);
        Assert.All(serverRecords, r => Assert.Equal((ushort)version, r.Version));
        var clientRecords = WireSurgery.Split([.. fromClient.SelectMany(b => b)]);
        Assert.All(clientRecords.Skip(1), r => Assert.Equal((ushort)version, r.Version));
        var hello = HandshakeMessage.Decode<ClientHello>(clientRecords[0].Fragment, MessageContext.None);
        var serverHello = HandshakeMessage.Decode<ServerHello>(WireSurgery.Messages(serverRecords[0].Fragment)[0], MessageContext.None);
        Assert.Equal(version, hello.LegacyVersion);
        Assert.Equal(version, serverHello.LegacyVersion);
        // RFC 8446 §4.1.3: a server that also speaks TLS 1.2 marks a TLS 1.1-or-older answer.
        Assert.Equal("DOWNGRD\0"u8.ToArray(), serverHello.Random[24..]);
        Assert.Null(hello.Extensions.Find<SupportedVersionsExtension>());
        // RFC 5246 §7.4.1.4.1: no signature_algorithms from a client whose highest version is older than TLS 1.2.
        Assert.Null(hello.Extensions.Find<SignatureAlgorithmsExtension>());
        if (version == ProtocolVersion.Ssl3)
        {
            // SSL 3.0: our client sends no extensions (the SCSV signals RFC 5746); the server answers with
            // renegotiation_info alone (RFC 5746 §4.5), empty on a first handshake.
            Assert.Empty(hello.Extensions.Types);
            Assert.Equal(ExtensionType.RenegotiationInfo, Assert.Single(serverHello.Extensions.Types));
            Assert.Empty(serverHello.Extensions.Find<RenegotiationInfoExtension>()!.RenegotiatedConnection);
            Assert.Contains((ushort)CipherSuite.TLS_EMPTY_RENEGOTIATION_INFO_SCSV, hello.CipherSuites);
            Assert.Equal((ushort)ProtocolVersion.Ssl3, clientRecords[0].Version);
        }
        else
        {
            Assert.NotNull(serverHello.Extensions.Find<ExtendedMasterSecretExtension>());
            Assert.NotNull(serverHello.Extensions.Find<RenegotiationInfoExtension>());
        }
    }

    [Theory]
    [InlineData(ProtocolVersion.Ssl3, true)]
    [InlineData(ProtocolVersion.Tls10, true)]
    [InlineData(ProtocolVersion.Tls11, false)]
    public void The_client_splits_chained_iv_cbc_records_one_and_n_minus_one(ProtocolVersion version, bool split)
    {
        using var pair = Pair(Everything, Flag(version), CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA);
        pair.Handshake();
        byte[] data = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();
        pair.Client.WriteApplicationData(data);
        var records = WireSurgery.Split(pair.Client.PendingOutput.ToArray());
        pair.Client.ConsumeOutput(pair.Client.PendingOutput.Length);
        Assert.All(records, r => Assert.Equal(ContentType.ApplicationData, r.Type));
        Assert.Equal(split ? 2 : 1, records.Count);
        if (split)
        {
            // 1 byte: with its MAC two AES blocks (MAC-then-encrypt), or one block and the MAC (encrypt-then-MAC); then the other 99 bytes.
            bool etm = version != ProtocolVersion.Ssl3;
            Assert.Equal(etm ? 16 + 20 : 32, records[0].Fragment.Length);
            Assert.Equal(etm ? 112 + 20 : 128, records[1].Fragment.Length);
        }
        InMemoryPair.FeedAll(pair.Server, records.SelectMany(r => r.Encode()).ToArray());
        byte[] received = new byte[200];
        Assert.Equal(data, received[..pair.Server.ReadApplicationData(received)]);
        // The server does not split (BEAST needs the client's chosen plaintext).
        pair.Server.WriteApplicationData(data);
        Assert.Single(WireSurgery.Split(pair.Server.PendingOutput.ToArray()));
    }

    [Theory]
    [InlineData(ProtocolVersion.Ssl3, false, CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA)]
    [InlineData(ProtocolVersion.Ssl3, false, CipherSuite.TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA)]
    [InlineData(ProtocolVersion.Tls10, false, CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA)]
    [InlineData(ProtocolVersion.Tls10, true, CipherSuite.TLS_RSA_WITH_3DES_EDE_CBC_SHA)]
    [InlineData(ProtocolVersion.Tls11, false, CipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA)]
    [InlineData(ProtocolVersion.Tls11, true, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA)]
    public void Resumes_on_legacy_versions(ProtocolVersion version, bool byTicket, CipherSuite suite)
    {
        var cache = new MemorySessionCache();
        using var ring = new TicketKeyRing();
        var store = new ClientSessionStore();
        void Server(TlsServerOptions s) { s.SessionCache = cache; s.TicketKeys = ring; s.EnableSessionTickets = byTicket; }
        void Client(TlsClientOptions c) => c.SessionStore = store;
        using (var first = Pair(Everything, Flag(version), suite, Server, Client))
        {
            first.Handshake();
            Assert.False(first.Server.Info.Resumed);
        }
        Assert.Equal(byTicket ? 0 : 1, cache.Count);
        for (int round = 0; round < 2; round++)
        {
            using var again = Pair(Everything, Flag(version), suite, Server, Client);
            again.Handshake();
            Assert.True(again.Server.Info.Resumed, $"round {round}: {again.Server.Info.Version}");
            Assert.True(again.Client.Info.Resumed, $"round {round}");
            Assert.Equal((version, suite), (again.Server.Info.Version!.Value, again.Server.Info.CipherSuite!.Value));
            Assert.Equal("again"u8.ToArray(), again.Send(again.Client, again.Server, "again"u8.ToArray()));
            Assert.Equal("back"u8.ToArray(), again.Send(again.Server, again.Client, "back"u8.ToArray()));
        }
        // A session of one version is not resumed at another: a full handshake at TLS 1.2.
        using var other = Pair(Everything, TlsVersions.Tls12, null, Server, c => { Client(c); c.CipherSuites = null; });
        other.Handshake();
        Assert.False(other.Server.Info.Resumed);
    }

    public static TheoryData<ProtocolVersion, string> ClientCertificates()
    {
        var data = new TheoryData<ProtocolVersion, string>();
        foreach (var version in new[] { ProtocolVersion.Ssl3, ProtocolVersion.Tls10, ProtocolVersion.Tls11 })
            foreach (string kind in new[] { "rsa", "dsa", "ecdsa" })
                if (version != ProtocolVersion.Ssl3 || kind != "ecdsa")
                    data.Add(version, kind);
        return data;
    }

    [Theory]
    [MemberData(nameof(ClientCertificates))]
    public void Client_certificates_sign_the_legacy_certificate_verify(ProtocolVersion version, string kind)
    {
        var leaf = kind switch { "rsa" => UnitPki.RsaClientLeaf, "dsa" => UnitPki.DsaClientLeaf, _ => UnitPki.ClientLeaf };
        using var pair = Pair(Everything, Flag(version), CipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA,
            s => { s.ClientCertificateMode = ClientCertificateMode.Required; s.TrustedIssuers = UnitPki.Roots; },
            c => c.ClientCertificate = new ServerCertificate(leaf));
        pair.Handshake();
        Assert.Equal(ClientCertificateStatus.Verified, pair.Server.Info.ClientCertificateVerdict!.Status);
        Assert.Equal(leaf.Thumbprint, pair.Server.Info.PeerCertificates[0].Thumbprint);
        Assert.Equal(version, pair.Server.Info.Version);
    }

    [Theory]
    [InlineData(ProtocolVersion.Ssl3)]
    [InlineData(ProtocolVersion.Tls10)]
    public void A_legacy_client_without_a_certificate_is_accepted_when_optional_and_refused_when_required(ProtocolVersion version)
    {
        using (var optional = Pair(Everything, Flag(version), CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA, s => s.ClientCertificateMode = ClientCertificateMode.Optional))
        {
            optional.Handshake();
            Assert.Equal(ClientCertificateStatus.None, optional.Server.Info.ClientCertificateVerdict!.Status);
        }
        using var required = Pair(Everything, Flag(version), CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA, s => s.ClientCertificateMode = ClientCertificateMode.Required);
        required.HandshakeFails(required.Server, AlertDescription.HandshakeFailure, "Server.Tls12.ExpectCertificate", "requires one");
    }

    [Fact]
    public void A_bad_legacy_certificate_verify_is_decrypt_error()
    {
        using var pair = Pair(Everything, TlsVersions.Tls10, CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA,
            s => { s.ClientCertificateMode = ClientCertificateMode.Required; s.TrustedIssuers = UnitPki.Roots; },
            c => c.ClientCertificate = new ServerCertificate(UnitPki.RsaClientLeaf));
        // The CertificateVerify travels in the clear before ChangeCipherSpec: flip the last byte of its signature.
        bool encrypted = false;
        pair.ClientToServer = wire => WireSurgery.Join(WireSurgery.Split(wire).Select(r =>
        {
            if (r.Type == ContentType.ChangeCipherSpec) encrypted = true;
            return r.Type != ContentType.Handshake || encrypted ? r : r with
            {
                Fragment = [.. WireSurgery.Messages(r.Fragment).SelectMany(m => m[0] == (byte)HandshakeType.CertificateVerify ? WireSurgery.FlipLastByte(m) : m)],
            };
        }));
        pair.HandshakeFails(pair.Server, AlertDescription.DecryptError, "Server.Tls12.ExpectCertificateVerify", "does not verify");
    }

    [Theory]
    [InlineData(ProtocolVersion.Ssl3, "TlsVersions.Ssl3", "Protocols\\SSL 3.0\\Server\\Enabled", "--protocols ssl3")]
    [InlineData(ProtocolVersion.Tls10, "TlsVersions.Tls10", "Protocols\\TLS 1.0\\Server\\Enabled", "--protocols tls1.0")]
    [InlineData(ProtocolVersion.Tls11, "TlsVersions.Tls11", "Protocols\\TLS 1.1\\Server\\Enabled", "--protocols tls1.1")]
    public void A_server_with_the_switch_off_refuses_with_protocol_version_naming_the_switch(ProtocolVersion version, string flag, string schannel, string cli)
    {
        using var pair = Pair(TlsVersions.Default, Flag(version));
        var failure = pair.HandshakeFails(pair.Server, AlertDescription.ProtocolVersion, "Server.AwaitPolicy", "no protocol version in common");
        Assert.Equal(SharpTls.Diagnostics.TlsEvents.ProtocolVersionRefused, failure.EventId);
        Assert.Contains($"{ProtocolVersions.Name(version)} is switched off here", failure.Reason);
        Assert.Contains(flag + " in TlsServerOptions.Versions", failure.Reason);
        Assert.Contains(schannel, failure.Reason);
        Assert.Contains("sharptls listen " + cli, failure.Reason);
    }

    [Fact]
    public void A_client_with_the_switch_off_refuses_the_servers_legacy_version_naming_its_switch()
    {
        // A TLS 1.2-only client sends no supported_versions: legacy_version 0x0303 lets a server pick anything up to it.
        using var pair = Pair(TlsVersions.Tls10, TlsVersions.Tls12);
        var failure = pair.HandshakeFails(pair.Client, AlertDescription.ProtocolVersion, "Client.Tls13.ExpectServerHello", "the server chose TLS 1.0");
        Assert.Contains("TlsVersions.Tls10 in TlsClientOptions.Versions", failure.Reason);
        Assert.Contains("Protocols\\TLS 1.0\\Client\\Enabled", failure.Reason);
        Assert.Contains("sharptls connect --protocols tls1.0", failure.Reason);
    }

    [Fact]
    public void Legacy_versions_are_off_by_default_on_both_sides()
    {
        Assert.Equal(TlsVersions.Tls12 | TlsVersions.Tls13, new TlsServerOptions().Versions);
        Assert.Equal(TlsVersions.Tls12 | TlsVersions.Tls13, new TlsClientOptions().Versions);
        using var pair = Pair(TlsVersions.Default, TlsVersions.Default);
        var sent = new List<byte[]>();
        pair.ClientToServer = b => { sent.Add(b); return b; };
        pair.Handshake();
        var hello = HandshakeMessage.Decode<ClientHello>(WireSurgery.Split(sent[0])[0].Fragment, MessageContext.None);
        Assert.Equal([ProtocolVersion.Tls13, ProtocolVersion.Tls12], hello.Extensions.Find<SupportedVersionsExtension>()!.Versions);
        Assert.DoesNotContain(hello.CipherSuites, s => Tls12Suites.LegacyOnly.Contains((CipherSuite)s));
    }

    [Theory]
    [InlineData(TlsVersions.Tls11, TlsVersions.Default)]
    [InlineData(TlsVersions.Tls10, TlsVersions.Tls11 | TlsVersions.Tls12)]
    [InlineData(TlsVersions.Ssl3, TlsVersions.Tls10 | TlsVersions.Ssl3)]
    public void Tls_fallback_scsv_below_our_highest_version_is_inappropriate_fallback(TlsVersions client, TlsVersions server)
    {
        using var pair = Pair(server | client, client);
        pair.ClientToServer = AddToClientHelloSuites(CipherSuite.TLS_FALLBACK_SCSV);
        var failure = pair.HandshakeFails(pair.Server, AlertDescription.InappropriateFallback, "Server.AwaitPolicy", "TLS_FALLBACK_SCSV");
        Assert.Contains(ProtocolVersions.Name(SharpTls.Handshake.VersionSwitches.Highest(server | client)!.Value), failure.Reason);
    }

    [Fact]
    public void Tls_fallback_scsv_at_our_highest_version_is_served()
    {
        // The server answers with its TLS 1.1 flight (the altered hello then fails the Finished check, as it must).
        using var pair = Pair(TlsVersions.Tls10 | TlsVersions.Tls11, TlsVersions.Tls11);
        var fromServer = new List<byte[]>();
        pair.ClientToServer = AddToClientHelloSuites(CipherSuite.TLS_FALLBACK_SCSV);
        pair.ServerToClient = b => { fromServer.Add(b); return b; };
        pair.Pump();
        var first = WireSurgery.Split(fromServer[0])[0];
        Assert.Equal(ContentType.Handshake, first.Type);
        var serverHello = HandshakeMessage.Decode<ServerHello>(WireSurgery.Messages(first.Fragment)[0], MessageContext.None);
        Assert.Equal(ProtocolVersion.Tls11, serverHello.LegacyVersion);
        Assert.NotEqual(AlertDescription.InappropriateFallback, pair.Server.Failure?.Alert);
    }

    [Theory]
    [InlineData(CipherSuite.TLS_RSA_WITH_3DES_EDE_CBC_SHA)]
    [InlineData(CipherSuite.TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA)]
    [InlineData(CipherSuite.TLS_DHE_DSS_WITH_AES_128_CBC_SHA)]
    public void Legacy_only_suites_are_refused_at_tls12(CipherSuite suite)
    {
        // The client would take them at TLS 1.1; the server has only TLS 1.2, where they are not negotiated.
        using var pair = Pair(TlsVersions.Tls12, TlsVersions.Tls11 | TlsVersions.Tls12, suite, certificate: CertFor(suite));
        var failure = pair.HandshakeFails(pair.Server, AlertDescription.HandshakeFailure, "Server.", "no cipher suite in common at TLS 1.2");
        Assert.Contains(CipherSuites.Name((ushort)suite), failure.Reason);
        Assert.Equal(SharpTls.Diagnostics.TlsEvents.NoCipherSuiteInCommon, failure.EventId);
        // And a TLS 1.2-only client does not offer them at all.
        var options = InMemoryPair.DefaultClient();
        options.Versions = TlsVersions.Tls12;
        options.CipherSuites = [suite, CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA];
        Assert.Equal([CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA], SharpTls.Handshake.Client.Tls12.Tls12Start.Suites(options));
    }

    [Fact]
    public void A_server_that_picks_a_legacy_only_suite_at_tls12_is_refused_by_the_client()
    {
        using var pair = Pair(TlsVersions.Tls12, TlsVersions.Tls11 | TlsVersions.Tls12, null,
            c: c => c.CipherSuites = [CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA, CipherSuite.TLS_RSA_WITH_3DES_EDE_CBC_SHA]);
        // Rewrite the server's choice into 3DES (the ServerHello is in the clear): offered, but not at TLS 1.2.
        pair.ServerToClient = wire => WireSurgery.Join(WireSurgery.Split(wire).Select(r =>
            r.Type != ContentType.Handshake || r.Fragment[0] != (byte)HandshakeType.ServerHello ? r : r with { Fragment = WithSuite(r.Fragment, CipherSuite.TLS_RSA_WITH_3DES_EDE_CBC_SHA) }));
        pair.HandshakeFails(pair.Client, AlertDescription.IllegalParameter, "Client.Tls13.ExpectServerHello", "which we did not offer for TLS 1.2");
    }

    [Fact]
    public void A_tls12_client_detects_the_tls11_downgrade_sentinel()
    {
        // The server speaks TLS 1.2 but answers TLS 1.1 (as if an attacker had cut the client's offer): the sentinel gives it away.
        using var pair = Pair(TlsVersions.Tls11 | TlsVersions.Tls12, TlsVersions.Tls11 | TlsVersions.Tls12);
        pair.ClientToServer = wire => WireSurgery.Join(WireSurgery.Split(wire).Select(r =>
            r.Type != ContentType.Handshake || r.Fragment[0] != (byte)HandshakeType.ClientHello ? r : r with { Fragment = WithClientVersion(r.Fragment, ProtocolVersion.Tls11) }));
        pair.HandshakeFails(pair.Client, AlertDescription.IllegalParameter, "Client.Tls13.ExpectServerHello", "downgrade sentinel");
    }

    [Fact]
    public void An_ssl3_only_client_cannot_be_served_by_an_ecdhe_only_server()
    {
        using var pair = Pair(Everything, TlsVersions.Ssl3, null, s => s.CipherSuites = [CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA]);
        var failure = pair.HandshakeFails(pair.Server, AlertDescription.HandshakeFailure, "Server.", "no cipher suite in common at SSL 3.0");
        Assert.Equal(SharpTls.Diagnostics.TlsEvents.NoCipherSuiteInCommon, failure.EventId);
    }

    [Theory]
    [InlineData(ProtocolVersion.Tls10, false)]
    [InlineData(ProtocolVersion.Tls11, false)]
    [InlineData(ProtocolVersion.Tls10, true)]
    public void Server_initiated_renegotiation_at_a_legacy_version_keeps_the_version(ProtocolVersion version, bool clientAlsoSpeaksTls12)
    {
        // With TLS 1.2 on at the client only, the first handshake settles on the legacy version; the second must too.
        using var pair = Pair(clientAlsoSpeaksTls12 ? Flag(version) : Everything, Flag(version) | (clientAlsoSpeaksTls12 ? TlsVersions.Tls12 : 0),
            CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
            s => s.TrustedIssuers = [UnitPki.Root], c => c.ClientCertificate = new ServerCertificate(UnitPki.ClientLeaf));
        pair.Handshake();
        pair.Server.RequestClientCertificate();
        pair.Pump();
        Assert.True(pair.Server.Status == TlsStatus.Connected && pair.Client.Status == TlsStatus.Connected, $"{pair.Server.Failure} {pair.Client.Failure}");
        Assert.False(pair.Server.RenegotiationRefused);
        Assert.Equal(UnitPki.ClientLeaf.Thumbprint, pair.Server.Info.PeerCertificates[0].Thumbprint);
        Assert.Equal((version, version), (pair.Server.Session!.Version, pair.Client.Session!.Version));
        Assert.Equal("after"u8.ToArray(), pair.Send(pair.Client, pair.Server, "after"u8.ToArray()));
    }

    [Fact]
    public void Ssl3_connections_are_not_renegotiated_our_API_refuses_before_sending_anything()
    {
        using var pair = Pair(TlsVersions.Ssl3, TlsVersions.Ssl3, CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA,
            s => { s.TrustedIssuers = [UnitPki.Root]; s.ClientRenegotiation = ClientRenegotiationPolicy.Allow; },
            c => { c.ClientCertificate = new ServerCertificate(UnitPki.ClientLeaf); c.AllowRenegotiation = true; });
        pair.Handshake();
        // The first handshake did signal RFC 5746 (our client's SCSV, the server's renegotiation_info, RFC 5746 §4.5):
        // the refusal is SSL 3.0's, not the insecure-renegotiation one.
        Assert.True(pair.Server.Session!.SecureRenegotiation && pair.Client.Session!.SecureRenegotiation);
        foreach (Action ask in new Action[] { pair.Server.RequestClientCertificate, pair.Server.Renegotiate, pair.Client.Renegotiate })
        {
            var e = Assert.Throws<InvalidOperationException>(ask);
            Assert.Contains("SSL 3.0 connections are not renegotiated", e.Message);
            Assert.Contains("RFC 5746 §4.5", e.Message);
        }
        Assert.Equal(0, Tls12RenegotiationTests.Output(pair.Server).Length + Tls12RenegotiationTests.Output(pair.Client).Length);
        Assert.False(pair.Server.RenegotiationPending || pair.Client.RenegotiationPending);
        Assert.Equal("still"u8.ToArray(), pair.Send(pair.Client, pair.Server, "still"u8.ToArray()));
        Assert.Equal("up"u8.ToArray(), pair.Send(pair.Server, pair.Client, "up"u8.ToArray()));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_peer_that_renegotiates_an_ssl3_connection_gets_a_fatal_handshake_failure(bool fromClient)
    {
        // SSL 3.0 cannot decline at warning level (no no_renegotiation, RFC 5746 §4.5): the refusal is fatal, with an event
        // that says why, although renegotiation is allowed on both sides.
        var log = new ListLogger();
        using var pair = Pair(TlsVersions.Ssl3, TlsVersions.Ssl3, CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA,
            s => { s.ClientRenegotiation = ClientRenegotiationPolicy.Allow; if (fromClient) s.Logger = log; },
            c => { c.AllowRenegotiation = true; if (!fromClient) c.Logger = log; });
        pair.Handshake();
        var (sender, receiver) = fromClient ? (pair.Client, pair.Server) : (pair.Server, pair.Client);
        // A renegotiation as the peer would start it (our API refuses to): a ClientHello or HelloRequest on the established connection.
        sender.Records.QueueHandshake(fromClient ? WireSurgery.Message(HandshakeType.ClientHello, new byte[40]) : WireSurgery.Message(HandshakeType.HelloRequest), null);
        sender.Records.Flush(Tls12RenegotiationTests.Output(sender));
        pair.Pump();
        string state = fromClient ? "Server.Tls12.Connected" : "Client.Tls12.Connected";
        var failure = Failures.AssertGenerated(receiver, AlertDescription.HandshakeFailure, state, "SSL 3.0 connections are not renegotiated");
        Assert.Contains(fromClient ? "the client asked to renegotiate" : "the server asked to renegotiate (HelloRequest)", failure.Reason);
        Failures.AssertReceived(sender, AlertDescription.HandshakeFailure);
        Assert.Contains(log.Events, e => e.Id == SharpTls.Diagnostics.TlsEvents.FatalAlertGenerated && e.Message.Contains("RFC 5746 §4.5", StringComparison.Ordinal));
        Assert.DoesNotContain(log.Events, e => e.Id == SharpTls.Diagnostics.TlsEvents.RenegotiationRefused);
    }

    [Fact]
    public void Once_ssl3_is_negotiated_alerts_it_lacks_go_out_as_its_own()
    {
        // decode_error and internal_error are TLS's; SSL 3.0 has neither (RFC 6101 §5.4.2).
        using var pair = Pair(TlsVersions.Ssl3, TlsVersions.Ssl3, CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA);
        pair.Handshake();
        pair.Server.Abort(AlertDescription.DecodeError, "a test abort");
        pair.Pump();
        Failures.AssertGenerated(pair.Server, AlertDescription.IllegalParameter, "Server.", "SSL 3.0 has no decode_error alert");
        Failures.AssertReceived(pair.Client, AlertDescription.IllegalParameter);
        using var internalError = Pair(TlsVersions.Ssl3, TlsVersions.Ssl3, CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA);
        internalError.Handshake();
        internalError.Client.Abort(AlertDescription.InternalError, "a test abort");
        internalError.Pump();
        Failures.AssertReceived(internalError.Server, AlertDescription.HandshakeFailure);
        Failures.AssertGenerated(internalError.Client, AlertDescription.HandshakeFailure, "Client.", "SSL 3.0 has no internal_error alert");
        // A warning SSL 3.0 lacks is not sent: user_canceled goes as close_notify alone.
        using var canceled = Pair(TlsVersions.Ssl3, TlsVersions.Ssl3, CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA);
        canceled.Handshake();
        canceled.Server.Abort(AlertDescription.UserCanceled, "a test abort");
        canceled.Pump();
        Assert.True(canceled.Client.PeerClosed);
        Assert.Null(canceled.Client.Failure);
    }

    [Theory]
    [InlineData("ssl3,tls1.0,tls1.1,tls1.2,tls1.3", Everything)]
    [InlineData("tls1, TLS1.1", TlsVersions.Tls10 | TlsVersions.Tls11)]
    [InlineData("tls12,tls13", TlsVersions.Default)]
    [InlineData("sslv3", TlsVersions.Ssl3)]
    [InlineData("ssl2", null)]
    [InlineData("tls1.4", null)]
    [InlineData("", null)]
    public void The_protocols_option_parses_every_version_name(string list, TlsVersions? expected)
        => Assert.Equal(expected, SharpTls.Handshake.VersionSwitches.Parse(list));

    private static Func<byte[], byte[]> AddToClientHelloSuites(CipherSuite extra)
        => wire => WireSurgery.Join(WireSurgery.Split(wire).Select(r =>
            r.Type != ContentType.Handshake || r.Fragment[0] != (byte)HandshakeType.ClientHello ? r : r with
            {
                Fragment = Reencode(HandshakeMessage.Decode<ClientHello>(r.Fragment, MessageContext.None), h => new ClientHello
                {
                    LegacyVersion = h.LegacyVersion, Random = h.Random, SessionId = h.SessionId,
                    CipherSuites = [.. h.CipherSuites, (ushort)extra], CompressionMethods = h.CompressionMethods,
                    Extensions = h.Extensions, OmitExtensions = h.OmitExtensions,
                }),
            }));

    private static byte[] WithClientVersion(byte[] fragment, ProtocolVersion version)
        => Reencode(HandshakeMessage.Decode<ClientHello>(fragment, MessageContext.None), h => new ClientHello
        {
            LegacyVersion = version, Random = h.Random, SessionId = h.SessionId, CipherSuites = h.CipherSuites,
            CompressionMethods = h.CompressionMethods, Extensions = h.Extensions, OmitExtensions = h.OmitExtensions,
        });

    private static byte[] WithSuite(byte[] fragment, CipherSuite suite)
    {
        var messages = WireSurgery.Messages(fragment);
        var hello = HandshakeMessage.Decode<ServerHello>(messages[0], MessageContext.None);
        var changed = new ServerHello
        {
            LegacyVersion = hello.LegacyVersion, Random = hello.Random, SessionId = hello.SessionId, CipherSuite = (ushort)suite,
            CompressionMethod = hello.CompressionMethod, Extensions = hello.Extensions, OmitExtensions = hello.OmitExtensions,
        };
        return [.. changed.Encode().ToArray(), .. messages.Skip(1).SelectMany(m => m)];
    }

    private static byte[] Reencode(ClientHello hello, Func<ClientHello, ClientHello> change) => change(hello).Encode().ToArray();
}
