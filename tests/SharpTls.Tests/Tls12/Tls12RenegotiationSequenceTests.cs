using SharpTls.Tests.Handshake;
using SharpTls.Wire;

namespace SharpTls.Tests.Tls12;

/// <summary>
/// The table of allowed TLS 1.2 message sequences (s2n-tls style), extended to renegotiation: during a server-initiated
/// renegotiation that asks for a client certificate (every message protected by the first session's keys), a message
/// replaced by any other type, a message sent twice, and a message skipped all end in unexpected_message raised by the
/// state that received it. HelloRequest during the client's handshake is ignored (RFC 5246 §7.4.1.1), so it is allowed
/// in the client's states and a repeated HelloRequest is not an error; skipping the last message of a flight only stalls.
/// The same table runs at TLS 1.1 and TLS 1.0 (CBC suites); SSL 3.0 connections are not renegotiated at all
/// (LegacyVersionTests: a renegotiating ClientHello or HelloRequest there is a fatal handshake_failure).
/// </summary>
public class Tls12RenegotiationSequenceTests
{
    public enum Change { Replaced, Duplicated, Skipped }

    /// <summary>A message of the renegotiation: who sends it, the state that expects it and the types that state accepts,
    /// the state that gets a duplicate, and the state that fails when it is skipped (null: skipping it only stalls).</summary>
    private sealed record Step(bool FromServer, string Expecting, HandshakeType[] Allowed, string? DuplicateFailsIn, string? SkipFailsIn);

    private static readonly Dictionary<HandshakeType, Step> ServerMessages = new()
    {
        [HandshakeType.HelloRequest] = new(true, "Client.Tls12.Connected", [HandshakeType.HelloRequest], null, null),
        [HandshakeType.ServerHello] = new(true, "Client.Tls13.ExpectServerHello", [HandshakeType.ServerHello, HandshakeType.HelloRequest], "Client.Tls12.ExpectCertificate", "Client.Tls13.ExpectServerHello"),
        [HandshakeType.Certificate] = new(true, "Client.Tls12.ExpectCertificate", [HandshakeType.Certificate, HandshakeType.HelloRequest], "Client.Tls12.ExpectServerKeyExchange", "Client.Tls12.ExpectCertificate"),
        [HandshakeType.ServerKeyExchange] = new(true, "Client.Tls12.ExpectServerKeyExchange", [HandshakeType.ServerKeyExchange, HandshakeType.HelloRequest], "Client.Tls12.ExpectServerHelloDone", "Client.Tls12.ExpectServerKeyExchange"),
        [HandshakeType.CertificateRequest] = new(true, "Client.Tls12.ExpectServerHelloDone", [HandshakeType.CertificateRequest, HandshakeType.ServerHelloDone, HandshakeType.HelloRequest], "Client.Tls12.ExpectServerHelloDone", "Server.Tls12.ExpectCertificate"),
        [HandshakeType.ServerHelloDone] = new(true, "Client.Tls12.ExpectServerHelloDone", [HandshakeType.CertificateRequest, HandshakeType.ServerHelloDone, HandshakeType.HelloRequest], "Client.Tls12.ExpectChangeCipherSpec", null),
        [HandshakeType.Finished] = new(true, "Client.Tls12.ExpectFinished", [HandshakeType.Finished, HandshakeType.HelloRequest], "Client.Tls12.Connected", null),
    };

    private static readonly Dictionary<HandshakeType, Step> ClientMessages = new()
    {
        [HandshakeType.ClientHello] = new(false, "Server.Tls12.Connected", [HandshakeType.ClientHello], "Server.Tls12.ExpectCertificate", null),
        [HandshakeType.Certificate] = new(false, "Server.Tls12.ExpectCertificate", [HandshakeType.Certificate], "Server.Tls12.ExpectClientKeyExchange", "Server.Tls12.ExpectCertificate"),
        [HandshakeType.ClientKeyExchange] = new(false, "Server.Tls12.ExpectClientKeyExchange", [HandshakeType.ClientKeyExchange], "Server.Tls12.ExpectCertificateVerify", "Server.Tls12.ExpectClientKeyExchange"),
        [HandshakeType.CertificateVerify] = new(false, "Server.Tls12.ExpectCertificateVerify", [HandshakeType.CertificateVerify], "Server.Tls12.ExpectChangeCipherSpec", "Server.Tls12.ExpectCertificateVerify"),
        [HandshakeType.Finished] = new(false, "Server.Tls12.ExpectFinished", [HandshakeType.Finished], "Server.Tls12.Connected", null),
    };

    private static readonly HandshakeType[] AllTypes =
        [.. Enum.GetValues<HandshakeType>(), (HandshakeType)7, (HandshakeType)99, (HandshakeType)255];

    public static TheoryData<ProtocolVersion, bool, HandshakeType, Change, HandshakeType> Cases()
    {
        var data = new TheoryData<ProtocolVersion, bool, HandshakeType, Change, HandshakeType>();
        foreach (var version in new[] { ProtocolVersion.Tls12, ProtocolVersion.Tls11, ProtocolVersion.Tls10 })
            foreach (var (table, fromServer) in new[] { (ServerMessages, true), (ClientMessages, false) })
                foreach (var (message, step) in table)
                {
                    foreach (var type in AllTypes.Where(t => !step.Allowed.Contains(t)))
                        data.Add(version, fromServer, message, Change.Replaced, type);
                    if (step.DuplicateFailsIn is not null) data.Add(version, fromServer, message, Change.Duplicated, message);
                    if (step.SkipFailsIn is not null) data.Add(version, fromServer, message, Change.Skipped, message);
                }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Unexpected_duplicated_and_skipped_messages_during_a_renegotiation_are_unexpected_message(ProtocolVersion version, bool fromServer, HandshakeType message, Change change, HandshakeType replacement)
    {
        var step = (fromServer ? ServerMessages : ClientMessages)[message];
        var s = InMemoryPair.DefaultServer();
        s.Versions = SharpTls.Handshake.VersionSwitches.Flag(version);
        s.TrustedIssuers = [UnitPki.Root];
        s.EnableSessionTickets = false;
        var c = InMemoryPair.DefaultClient();
        c.Versions = s.Versions;
        c.CipherSuites = [version == ProtocolVersion.Tls12 ? CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 : CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA];
        c.ClientCertificate = new ServerCertificate(UnitPki.ClientLeaf);
        using var pair = new InMemoryPair(s, c);
        pair.Handshake();
        Assert.Equal(version, pair.Server.Info.Version);

        var sender = fromServer ? pair.Server : pair.Client;
        bool done = false;
        sender.Records.OutgoingHandshakeFilter = bytes =>
        {
            if (done || bytes[0] != (byte)message) return [bytes];
            done = true;
            return change switch
            {
                Change.Replaced => [WireSurgery.Message(replacement)],
                Change.Duplicated => [bytes, bytes],
                _ => [],
            };
        };
        pair.Server.RequestClientCertificate();
        pair.Pump();
        Assert.True(done, $"{message} was never sent");
        string state = change switch
        {
            Change.Replaced => step.Expecting,
            Change.Duplicated => step.DuplicateFailsIn!,
            _ => step.SkipFailsIn!,
        };
        var failing = state.StartsWith("Server.", StringComparison.Ordinal) ? pair.Server : pair.Client;
        Failures.AssertGenerated(failing, AlertDescription.UnexpectedMessage, state, "");
        Assert.Equal(state, failing.Failure!.InternalState);
        // A duplicate after the last Finished reaches a connection that has just renegotiated; anything else fails before.
        Assert.Equal(state.EndsWith(".Connected", StringComparison.Ordinal) && change == Change.Duplicated ? 1 : 0, failing.Info.Renegotiations);
    }
}
