using System.Security.Cryptography.X509Certificates;
using SharpTls.Crypto;
using SharpTls.Diagnostics;
using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Tests.Handshake;
using SharpTls.Wire;

namespace SharpTls.Tests.Tls12;

/// <summary>
/// TLS 1.2 secure renegotiation (RFC 5746, RFC 5246 §7.4.1.1) between our client and server, in memory: server-initiated
/// to ask for a client certificate, client-initiated refused by default, accepted, rate-limited, a refusal flood, data
/// flowing both ways during the second handshake, insecure renegotiation refused, and renegotiation_info verified on both sides.
/// </summary>
public class Tls12RenegotiationTests
{
    private static readonly byte[] NoRenegotiationWarning = [(byte)AlertLevel.Warning, (byte)AlertDescription.NoRenegotiation];

    private static InMemoryPair Pair(Action<TlsServerOptions>? server = null, Action<TlsClientOptions>? client = null)
    {
        var s = InMemoryPair.DefaultServer();
        s.Versions = TlsVersions.Tls12 | TlsVersions.Tls13;
        s.TrustedIssuers = [UnitPki.Root];
        server?.Invoke(s);
        var c = InMemoryPair.DefaultClient();
        c.Versions = TlsVersions.Tls12;
        client?.Invoke(c);
        return new InMemoryPair(s, c);
    }

    private static void AssertConnected(InMemoryPair pair)
    {
        Assert.True(pair.Client.Status == TlsStatus.Connected, $"client: {pair.Client.Status} {pair.Client.Failure}");
        Assert.True(pair.Server.Status == TlsStatus.Connected, $"server: {pair.Server.Status} {pair.Server.Failure}");
    }

    [Fact]
    public void Server_asks_for_a_client_certificate_by_renegotiating()
    {
        var serverTrace = new HandshakeTraceCollector();
        var serverLog = new ListLogger();
        using var pair = Pair(s => { s.Trace = serverTrace; s.Logger = serverLog; }, c => c.ClientCertificate = new ServerCertificate(UnitPki.ClientLeaf));
        pair.Handshake();
        Assert.Empty(pair.Server.Info.PeerCertificates);
        byte[] firstClientVerify = [.. pair.Server.Session!.ClientVerifyData];
        Assert.Equal(firstClientVerify, pair.Client.Session!.ClientVerifyData);

        pair.Server.RequestClientCertificate();
        Assert.True(pair.Server.RenegotiationPending);
        pair.Pump();
        AssertConnected(pair);
        Assert.False(pair.Server.RenegotiationPending);
        Assert.False(pair.Server.RenegotiationRefused);
        // As after the first handshake, both sides keep the peer chain the renegotiation brought as DER only (issue 7).
        foreach (var (side, expected) in new[] { (pair.Server, UnitPki.ClientLeaf), (pair.Client, UnitPki.EcdsaLeaf) })
        {
            var kept = Assert.IsType<SharpTls.Certificates.PeerCertificateList>(side.Info.PeerCertificates);
            Assert.False(kept.HoldsParsed, $"{(side.IsServer ? "server" : "client")} holds the parsed chain after the renegotiation");
            Assert.Equal(expected.RawData, kept.Der[0]);
        }
        Assert.Equal(UnitPki.ClientLeaf.Thumbprint, pair.Server.Info.PeerCertificates[0].Thumbprint);
        Assert.Equal(ClientCertificateStatus.Verified, pair.Server.Info.ClientCertificateVerdict!.Status);
        Assert.Equal(UnitPki.ClientLeaf.Thumbprint, pair.Server.Session!.PeerCertificates[0].Thumbprint);
        Assert.Equal((1, 1), (pair.Server.Info.Renegotiations, pair.Client.Info.Renegotiations));
        // The new session's Finished are new, and the two sides agree on them.
        Assert.NotEqual(firstClientVerify, pair.Server.Session.ClientVerifyData);
        Assert.Equal(pair.Server.Session.ClientVerifyData, pair.Client.Session!.ClientVerifyData);
        Assert.Equal(pair.Server.Session.ServerVerifyData, pair.Client.Session.ServerVerifyData);
        Assert.True(pair.Server.Session.SecureRenegotiation && pair.Client.Session.SecureRenegotiation);
        // The HelloRequest and the whole second handshake travel under the first session's keys.
        var helloRequest = Assert.Single(serverTrace.Entries, e => e.Sent && e.ContentType == ContentType.Handshake && e.Bytes[0] == (byte)HandshakeType.HelloRequest);
        Assert.True(helloRequest.Encrypted);
        Assert.All(serverTrace.Entries.Where(e => e.ContentType == ContentType.Handshake).SkipWhile(e => e != helloRequest), e => Assert.True(e.Encrypted));
        Assert.Contains(serverTrace.Entries, e => e.Sent && e.ContentType == ContentType.Handshake && e.Bytes[0] == (byte)HandshakeType.CertificateRequest);
        Assert.Contains(serverLog.Events, e => e.Id == TlsEvents.RenegotiationCompleted);
        Assert.Equal("after"u8.ToArray(), pair.Send(pair.Client, pair.Server, "after"u8.ToArray()));
        Assert.Equal("and back"u8.ToArray(), pair.Send(pair.Server, pair.Client, "and back"u8.ToArray()));
    }

    [Fact]
    public void Renegotiating_ServerHello_carries_both_verify_data_and_ClientHello_the_clients()
    {
        var serverTrace = new HandshakeTraceCollector();
        using var pair = Pair(s => { s.Trace = serverTrace; s.ClientRenegotiation = ClientRenegotiationPolicy.Allow; });
        pair.Handshake();
        byte[] client = [.. pair.Client.Session!.ClientVerifyData], server = [.. pair.Client.Session.ServerVerifyData];
        pair.Client.Renegotiate();
        pair.Pump();
        AssertConnected(pair);
        var hellos = serverTrace.Entries.Where(e => e.ContentType == ContentType.Handshake && e.Bytes[0] is (byte)HandshakeType.ClientHello or (byte)HandshakeType.ServerHello).ToList();
        Assert.Equal(4, hellos.Count);
        var initial = HandshakeMessage.Decode<ClientHello>(hellos[0].Bytes, MessageContext.None);
        var renegotiating = HandshakeMessage.Decode<ClientHello>(hellos[2].Bytes, MessageContext.None);
        var answer = HandshakeMessage.Decode<ServerHello>(hellos[3].Bytes, MessageContext.None);
        Assert.Empty(initial.Extensions.Find<RenegotiationInfoExtension>()!.RenegotiatedConnection);
        Assert.Equal(client, renegotiating.Extensions.Find<RenegotiationInfoExtension>()!.RenegotiatedConnection);
        Assert.DoesNotContain((ushort)CipherSuite.TLS_EMPTY_RENEGOTIATION_INFO_SCSV, renegotiating.CipherSuites);
        Assert.Null(renegotiating.Extensions.Find<SupportedVersionsExtension>()); // TLS 1.2 only: no TLS 1.3 in a renegotiation
        Assert.Equal([.. client, .. server], answer.Extensions.Find<RenegotiationInfoExtension>()!.RenegotiatedConnection);
    }

    [Fact]
    public void Application_data_flows_both_ways_during_the_second_handshake()
    {
        using var pair = Pair(client: c => c.ClientCertificate = new ServerCertificate(UnitPki.ClientLeaf));
        pair.Handshake();
        var toClient = new List<byte>();
        var toServer = new List<byte>();
        void Step(TlsConnection from, TlsConnection to, List<byte> received)
        {
            byte[] bytes = from.PendingOutput.ToArray();
            from.ConsumeOutput(bytes.Length);
            InMemoryPair.FeedAll(to, bytes);
            var chunk = new byte[to.BufferedApplicationData];
            to.ReadApplicationData(chunk);
            received.AddRange(chunk);
            AssertConnected(pair);
        }
        pair.Server.RequestClientCertificate();
        pair.Server.WriteApplicationData("s1 "u8);
        Step(pair.Server, pair.Client, toClient);    // HelloRequest + s1: the client answers with its ClientHello
        Assert.True(pair.Client.RenegotiationPending);
        pair.Client.WriteApplicationData("c1 "u8);
        Step(pair.Client, pair.Server, toServer);    // ClientHello + c1: the server sends its flight
        pair.Server.WriteApplicationData("s2 "u8);
        Step(pair.Server, pair.Client, toClient);    // flight + s2: the client sends Certificate .. Finished
        pair.Client.WriteApplicationData("c2 "u8);    // under the new keys, after its Finished
        Step(pair.Client, pair.Server, toServer);    // the server establishes the new session and sends CCS, Finished
        Assert.False(pair.Server.RenegotiationPending);
        Assert.True(pair.Client.RenegotiationPending);
        pair.Server.WriteApplicationData("s3"u8);
        Step(pair.Server, pair.Client, toClient);
        Assert.False(pair.Client.RenegotiationPending);
        Assert.Equal("s1 s2 s3", System.Text.Encoding.ASCII.GetString([.. toClient]));
        Assert.Equal("c1 c2 ", System.Text.Encoding.ASCII.GetString([.. toServer]));
        Assert.Equal(UnitPki.ClientLeaf.Thumbprint, pair.Server.Info.PeerCertificates[0].Thumbprint);
        Assert.Equal((1, 1), (pair.Server.Info.Renegotiations, pair.Client.Info.Renegotiations));
    }

    [Fact]
    public void Application_data_between_ChangeCipherSpec_and_Finished_of_a_renegotiation_is_unexpected_message()
    {
        using var pair = Pair(client: c => c.ClientCertificate = new ServerCertificate(UnitPki.ClientLeaf));
        pair.Handshake();
        // The client's Finished is queued right after its ChangeCipherSpec switched its write keys: a data record slipped
        // in between arrives under keys the server has installed but no Finished has confirmed yet.
        pair.Client.Records.OutgoingHandshakeFilter = bytes =>
        {
            if (bytes[0] == (byte)HandshakeType.Finished)
                pair.Client.Records.Write(ContentType.ApplicationData, "too early"u8, Output(pair.Client), null);
            return [bytes];
        };
        pair.Server.RequestClientCertificate();
        pair.Pump();
        Failures.AssertGenerated(pair.Server, AlertDescription.UnexpectedMessage, "Server.Tls12.ExpectFinished", "between the peer's ChangeCipherSpec and its Finished");
        Assert.Equal(0, pair.Server.BufferedApplicationData);
    }

    [Fact]
    public void Client_initiated_renegotiation_is_refused_by_default_with_a_warning_and_the_connection_goes_on()
    {
        var clientTrace = new HandshakeTraceCollector();
        var serverLog = new ListLogger();
        using var pair = Pair(s => s.Logger = serverLog, c => c.Trace = clientTrace);
        pair.Handshake();
        pair.Client.Renegotiate();
        pair.Pump();
        AssertConnected(pair);
        Assert.True(pair.Client.RenegotiationRefused);
        Assert.False(pair.Client.RenegotiationPending);
        Assert.Equal((0, 0), (pair.Server.Info.Renegotiations, pair.Client.Info.Renegotiations));
        var warning = Assert.Single(clientTrace.Entries, e => !e.Sent && e.ContentType == ContentType.Alert);
        Assert.Equal(NoRenegotiationWarning, warning.Bytes);
        Assert.True(warning.Encrypted);
        Assert.Contains(serverLog.Events, e => e.Id == TlsEvents.RenegotiationRefused && e.Message.Contains("refused by this binding's policy", StringComparison.Ordinal));
        Assert.Equal("still here"u8.ToArray(), pair.Send(pair.Client, pair.Server, "still here"u8.ToArray()));
        // Refused, the client may ask again later: the connection is as it was.
        pair.Client.Renegotiate();
        pair.Pump();
        AssertConnected(pair);
        Assert.Equal(2, clientTrace.Entries.Count(e => !e.Sent && e.ContentType == ContentType.Alert));
    }

    [Fact]
    public void Client_initiated_renegotiation_is_accepted_when_the_policy_allows_it()
    {
        using var pair = Pair(s => s.ClientRenegotiation = ClientRenegotiationPolicy.Allow);
        pair.Handshake();
        var suite = pair.Server.Info.CipherSuite;
        pair.Client.Renegotiate();
        Assert.True(pair.Client.RenegotiationPending);
        pair.Pump();
        AssertConnected(pair);
        Assert.False(pair.Client.RenegotiationRefused);
        Assert.Equal((1, 1), (pair.Server.Info.Renegotiations, pair.Client.Info.Renegotiations));
        Assert.Equal(suite, pair.Client.Info.CipherSuite);
        Assert.Equal("renegotiated"u8.ToArray(), pair.Send(pair.Client, pair.Server, "renegotiated"u8.ToArray()));
        // And again: each renegotiation binds to the one before.
        pair.Client.Renegotiate();
        pair.Pump();
        AssertConnected(pair);
        Assert.Equal((2, 2), (pair.Server.Info.Renegotiations, pair.Client.Info.Renegotiations));
    }

    [Fact]
    public void Client_initiated_renegotiation_beyond_the_rate_limit_is_refused_with_an_event_until_the_window_passes()
    {
        var time = new FakeTime();
        var serverLog = new ListLogger();
        using var pair = Pair(s =>
        {
            s.ClientRenegotiation = ClientRenegotiationPolicy.Allow;
            s.ClientRenegotiationLimit = 2;
            s.ClientRenegotiationWindow = TimeSpan.FromMinutes(5);
            s.Logger = serverLog;
            s.Time = time;
        }, c => c.Time = time);
        pair.Handshake();
        for (int i = 0; i < 2; i++)
        {
            pair.Client.Renegotiate();
            pair.Pump();
            time.Advance(TimeSpan.FromMinutes(1));
        }
        Assert.Equal(2, pair.Server.Info.Renegotiations);
        pair.Client.Renegotiate();
        pair.Pump();
        AssertConnected(pair);
        Assert.True(pair.Client.RenegotiationRefused);
        Assert.Equal(2, pair.Server.Info.Renegotiations);
        var exceeded = Assert.Single(serverLog.Events, e => e.Id == TlsEvents.RenegotiationRateExceeded);
        Assert.Contains("more than 2 times", exceeded.Message);
        // The first admitted renegotiation leaves the 5-minute window: one more is admitted, not two.
        time.Advance(TimeSpan.FromMinutes(3));
        pair.Client.Renegotiate();
        pair.Pump();
        Assert.Equal(3, pair.Server.Info.Renegotiations);
        pair.Client.Renegotiate();
        pair.Pump();
        Assert.True(pair.Client.RenegotiationRefused);
        Assert.Equal(3, pair.Server.Info.Renegotiations);
        Assert.Equal(2, serverLog.Events.Count(e => e.Id == TlsEvents.RenegotiationRateExceeded));
        AssertConnected(pair);
    }

    [Fact]
    public void A_client_that_keeps_asking_after_eight_refusals_is_disconnected()
    {
        // The flood case (issue 10: "renegotiation rate"): each refused ClientHello costs the server an alert and
        // nothing else (it is not even decoded); after 8 the ninth ends the connection.
        using var pair = Pair();
        pair.Handshake();
        for (int i = 1; i <= 9; i++)
        {
            pair.Client.Records.QueueHandshake(WireSurgery.Message(HandshakeType.ClientHello, new byte[40]), null);
            pair.Client.Records.Flush(Output(pair.Client));
            pair.Pump();
            if (i <= 8) AssertConnected(pair);
        }
        Failures.AssertGenerated(pair.Server, AlertDescription.UnexpectedMessage, "Server.Tls12.Connected", "after 8 refusals");
        Failures.AssertReceived(pair.Client, AlertDescription.UnexpectedMessage);
    }

    [Fact]
    public void Our_client_refuses_a_HelloRequest_when_renegotiation_is_off_and_the_server_learns_it()
    {
        var serverLog = new ListLogger();
        using var pair = Pair(s => s.Logger = serverLog, c => { c.AllowRenegotiation = false; c.ClientCertificate = new ServerCertificate(UnitPki.ClientLeaf); });
        pair.Handshake();
        pair.Server.RequestClientCertificate();
        pair.Pump();
        AssertConnected(pair);
        Assert.False(pair.Server.RenegotiationPending);
        Assert.True(pair.Server.RenegotiationRefused);
        Assert.Empty(pair.Server.Info.PeerCertificates);
        Assert.Contains(serverLog.Events, e => e.Id == TlsEvents.RenegotiationRefused && e.Message.Contains("the peer refused", StringComparison.Ordinal));
        Assert.Equal("on"u8.ToArray(), pair.Send(pair.Server, pair.Client, "on"u8.ToArray()));
        // The server may ask again.
        pair.Server.Renegotiate();
        pair.Pump();
        Assert.True(pair.Server.RenegotiationRefused);
    }

    [Fact]
    public void A_HelloRequest_during_the_clients_renegotiation_is_ignored()
    {
        using var pair = Pair(s => s.ClientRenegotiation = ClientRenegotiationPolicy.Allow);
        pair.Handshake();
        pair.Client.Renegotiate();
        // The server's HelloRequest crosses the client's ClientHello (RFC 5246 §7.4.1.1: ignored while negotiating).
        pair.Server.Records.QueueHandshake(WireSurgery.Message(HandshakeType.HelloRequest), null);
        pair.Server.Records.Flush(Output(pair.Server));
        pair.Pump();
        AssertConnected(pair);
        Assert.Equal((1, 1), (pair.Server.Info.Renegotiations, pair.Client.Info.Renegotiations));
    }

    [Fact]
    public void Insecure_renegotiation_is_never_done_by_either_side()
    {
        // A client that signals neither renegotiation_info nor the SCSV: both sessions are insecure (RFC 5746 §4).
        var clientTrace = new HandshakeTraceCollector();
        var serverTrace = new HandshakeTraceCollector();
        var serverLog = new ListLogger();
        using var pair = Pair(s => { s.ClientRenegotiation = ClientRenegotiationPolicy.Allow; s.Trace = serverTrace; s.Logger = serverLog; },
            c => { c.Crypto = new WithoutRenegotiationInfo(); c.Trace = clientTrace; });
        pair.Handshake();
        Assert.False(pair.Server.Session!.SecureRenegotiation);
        Assert.False(pair.Client.Session!.SecureRenegotiation);
        Assert.Throws<InvalidOperationException>(pair.Client.Renegotiate);
        Assert.Throws<InvalidOperationException>(pair.Server.Renegotiate);
        Assert.Throws<InvalidOperationException>(pair.Server.RequestClientCertificate);
        // A renegotiating ClientHello anyway: refused although the policy allows client renegotiation.
        pair.Client.Records.QueueHandshake(WireSurgery.Message(HandshakeType.ClientHello, new byte[40]), null);
        pair.Client.Records.Flush(Output(pair.Client));
        pair.Pump();
        AssertConnected(pair);
        Assert.Equal(NoRenegotiationWarning, Assert.Single(clientTrace.Entries, e => !e.Sent && e.ContentType == ContentType.Alert).Bytes);
        Assert.Contains(serverLog.Events, e => e.Id == TlsEvents.RenegotiationRefused && e.Message.Contains("insecure renegotiation is never accepted", StringComparison.Ordinal));
        // A HelloRequest anyway: our client refuses (RFC 5746 §4.2) although it allows renegotiation.
        pair.Server.Records.QueueHandshake(WireSurgery.Message(HandshakeType.HelloRequest), null);
        pair.Server.Records.Flush(Output(pair.Server));
        pair.Pump();
        AssertConnected(pair);
        Assert.Equal(NoRenegotiationWarning, Assert.Single(serverTrace.Entries, e => !e.Sent && e.ContentType == ContentType.Alert).Bytes);
        Assert.Equal(0, pair.Server.Info.Renegotiations);
    }

    [Fact]
    public void Server_refuses_a_renegotiating_ClientHello_whose_renegotiation_info_is_not_the_clients_verify_data()
    {
        using var pair = Pair(s => s.ClientRenegotiation = ClientRenegotiationPolicy.Allow);
        pair.Handshake();
        pair.Server.Session!.ClientVerifyData[0] ^= 1; // what the server saved differs from what the client sends
        pair.Client.Renegotiate();
        pair.HandshakeFails(pair.Server, AlertDescription.HandshakeFailure, "Server.Tls12.Connected", "ClientHello: renegotiation_info does not carry");
    }

    [Fact]
    public void Client_refuses_a_renegotiating_ServerHello_whose_renegotiation_info_is_wrong()
    {
        using var pair = Pair(s => s.ClientRenegotiation = ClientRenegotiationPolicy.Allow);
        pair.Handshake();
        pair.Server.Session!.ServerVerifyData[^1] ^= 1;
        pair.Client.Renegotiate();
        pair.HandshakeFails(pair.Client, AlertDescription.HandshakeFailure, "Client.Tls13.ExpectServerHello", "ServerHello: renegotiation_info does not carry");
    }

    public static TheoryData<string, string> BadRenegotiatingHellos() => new()
    {
        { "no renegotiation_info", "carries no renegotiation_info" },
        { "the SCSV", "TLS_EMPTY_RENEGOTIATION_INFO_SCSV in a renegotiating ClientHello" },
        { "empty renegotiation_info", "renegotiation_info does not carry" },
    };

    [Theory]
    [MemberData(nameof(BadRenegotiatingHellos))]
    public void Server_refuses_a_renegotiating_ClientHello_that_breaks_RFC_5746(string change, string reason)
    {
        using var pair = Pair(s => s.ClientRenegotiation = ClientRenegotiationPolicy.Allow);
        pair.Handshake();
        var extensions = new ExtensionList { new SupportedGroupsExtension([NamedGroup.X25519]), new SignatureAlgorithmsExtension([SignatureScheme.EcdsaSecp256r1Sha256]) };
        ushort[] suites = [(ushort)CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256];
        switch (change)
        {
            case "the SCSV":
                suites = [.. suites, (ushort)CipherSuite.TLS_EMPTY_RENEGOTIATION_INFO_SCSV];
                extensions.Add(new RenegotiationInfoExtension(pair.Client.Session!.ClientVerifyData));
                break;
            case "empty renegotiation_info":
                extensions.Add(new RenegotiationInfoExtension());
                break;
        }
        var hello = new ClientHello { LegacyVersion = ProtocolVersion.Tls12, Random = new byte[32], SessionId = [], CipherSuites = suites, Extensions = extensions };
        pair.Client.Records.QueueHandshake(hello.Encode(), null);
        pair.Client.Records.Flush(Output(pair.Client));
        pair.Pump();
        Failures.AssertGenerated(pair.Server, AlertDescription.HandshakeFailure, "Server.Tls12.Connected", reason);
    }

    [Fact]
    public void A_renegotiation_that_offers_another_version_is_protocol_version()
    {
        using var pair = Pair(s => s.ClientRenegotiation = ClientRenegotiationPolicy.Allow);
        pair.Handshake();
        var hello = new ClientHello
        {
            LegacyVersion = ProtocolVersion.Tls12, Random = new byte[32], SessionId = [], CipherSuites = [(ushort)CipherSuite.TLS_AES_128_GCM_SHA256],
            Extensions = [new SupportedVersionsExtension { Versions = [ProtocolVersion.Tls13] }, new RenegotiationInfoExtension(pair.Client.Session!.ClientVerifyData)],
        };
        pair.Client.Records.QueueHandshake(hello.Encode(), null);
        pair.Client.Records.Flush(Output(pair.Client));
        pair.Pump();
        Failures.AssertGenerated(pair.Server, AlertDescription.ProtocolVersion, "Server.Tls12.Connected", "does not offer TLS 1.2");
    }

    [Fact]
    public void Tls13_has_no_renegotiation()
    {
        using var pair = Pair(client: c => c.Versions = TlsVersions.Tls13);
        pair.Handshake();
        Assert.Throws<InvalidOperationException>(pair.Client.Renegotiate);
        Assert.Throws<InvalidOperationException>(pair.Server.Renegotiate);
        Assert.False(pair.Server.RenegotiationPending);
    }

    [Fact]
    public void Renegotiate_twice_before_the_answer_is_refused_locally()
    {
        using var pair = Pair();
        pair.Handshake();
        pair.Server.Renegotiate();
        Assert.Throws<InvalidOperationException>(pair.Server.Renegotiate);
        Assert.Throws<InvalidOperationException>(pair.Server.RequestClientCertificate);
        pair.Pump();
        AssertConnected(pair);
        Assert.Equal(1, pair.Server.Info.Renegotiations);
    }

    [Fact]
    public void The_policy_a_certificate_request_renegotiates_under_differs_only_in_its_mode()
    {
        var options = InMemoryPair.DefaultServer();
        options.TrustedIssuers = [UnitPki.Root];
        options.ClientCertificateUsageCheck = false;
        options.ClientRenegotiation = ClientRenegotiationPolicy.Allow;
        options.Name = "binding";
        var policy = new TlsServerPolicy(options);
        var asking = policy.WithClientCertificateMode(ClientCertificateMode.Optional);
        Assert.Equal(ClientCertificateMode.Optional, asking.ClientCertificateMode);
        Assert.NotEqual(policy.ClientAuthFingerprint, asking.ClientAuthFingerprint); // its verdicts are its own
        foreach (var property in typeof(TlsServerPolicy).GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance))
        {
            if (property.Name is nameof(TlsServerPolicy.ClientCertificateMode) or "ClientAuthFingerprint" || property.GetIndexParameters().Length > 0) continue;
            Assert.True(Equals(property.GetValue(policy), property.GetValue(asking)), property.Name);
        }
        Assert.Same(policy, policy.WithClientCertificateMode(ClientCertificateMode.None));
    }

    internal static SharpTls.ByteQueue Output(TlsConnection c)
        => (SharpTls.ByteQueue)typeof(TlsConnection).GetField("_output", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(c)!;

    /// <summary>The default provider, but the ClientHello goes out without renegotiation_info (a client that predates RFC 5746).</summary>
    private sealed class WithoutRenegotiationInfo : ICryptoProvider, IHandshakeReplay
    {
        private readonly ICryptoProvider _inner = CryptoProviders.Default;
        public void Fill(Span<byte> destination) => _inner.Fill(destination);
        public bool SupportsGroup(NamedGroup group) => _inner.SupportsGroup(group);
        public IKeyShare GenerateKeyShare(NamedGroup group) => _inner.GenerateKeyShare(group);
        public KeyShareResponse RespondKeyShare(NamedGroup group, ReadOnlySpan<byte> peerShare) => _inner.RespondKeyShare(group, peerShare);
        public byte[] Sign(SignatureScheme scheme, X509Certificate2 certificate, ReadOnlySpan<byte> content) => _inner.Sign(scheme, certificate, content);

        public ClientHello ReplaceClientHello(ClientHello built)
        {
            var hello = new ClientHello
            {
                LegacyVersion = built.LegacyVersion, Random = built.Random, SessionId = built.SessionId, CipherSuites = built.CipherSuites,
                Extensions = new ExtensionList(built.Extensions.Where(e => e.Type != ExtensionType.RenegotiationInfo)),
            };
            hello.Encode();
            return hello;
        }
    }
}
