using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Wire;

namespace SharpTls.Tests.Handshake;

/// <summary>Issue 10's deviations found by an independent conformance suite, each with its RFC section.</summary>
public class ConformanceTests
{
    private static ClientHello Hello(ProtocolVersion legacy, SupportedVersionsExtension? versions, ushort[] suites, SignatureScheme[]? schemes = null)
    {
        var extensions = new ExtensionList
        {
            new ServerNameExtension("www.contoso.test"),
            new SupportedGroupsExtension([NamedGroup.X25519, NamedGroup.Secp256r1]),
            new EcPointFormatsExtension([EcPointFormat.Uncompressed]),
            new SignatureAlgorithmsExtension(schemes ?? [SignatureScheme.EcdsaSecp256r1Sha256, SignatureScheme.RsaPssRsaeSha256]),
        };
        if (versions is not null)
        {
            extensions.Add(versions);
            using var share = SharpTls.Crypto.CryptoProviders.Default.GenerateKeyShare(NamedGroup.X25519);
            extensions.Add(new KeyShareExtension { ClientShares = [new KeyShareEntry(NamedGroup.X25519, share.PublicKey.ToArray())] });
        }
        return new ClientHello
        {
            LegacyVersion = legacy,
            Random = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(),
            SessionId = new byte[32],
            CipherSuites = suites,
            Extensions = extensions,
        };
    }

    private static TlsConnection Serve(byte[] wire, TlsVersions versions = TlsVersions.Default)
    {
        var options = InMemoryPair.DefaultServer();
        options.Versions = versions;
        var server = TlsConnection.CreateServer(TlsServerListener.FromOptions(options));
        InMemoryPair.FeedAll(server, wire);
        if (server.Status == TlsStatus.WaitingForHost) server.ChoosePolicy(new TlsServerPolicy(options));
        // A TLS 1.2 hello with a session ID makes the server ask its session cache: nothing is stored.
        if (server.Status == TlsStatus.WaitingForHost && server.HostRequest is SessionLookupRequest) server.CompleteSessionLookup(null);
        return server;
    }

    private static readonly ushort[] Both = [(ushort)CipherSuite.TLS_AES_128_GCM_SHA256, (ushort)CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256];

    /// <summary>RFC 8446 §4.2.1 and Appendix D: without supported_versions, legacy_version 0x0304 means "TLS 1.2 or below".</summary>
    [Fact]
    public void LegacyVersion0304WithoutSupportedVersionsNegotiatesTls12()
    {
        using var server = Serve(WireSurgery.Record(ContentType.Handshake, Hello((ProtocolVersion)0x0304, null, Both).Encode(), 0x0301));
        Assert.True(server.Status == TlsStatus.Handshaking, $"{server.Status}: {server.Failure}");
        Assert.Equal(ProtocolVersion.Tls12, server.Info.Version);
        var first = WireSurgery.Split(server.PendingOutput.ToArray())[0];
        var serverHello = HandshakeMessage.Decode<ServerHello>(first.Fragment.AsMemory(0, 4 + (first.Fragment[1] << 16 | first.Fragment[2] << 8 | first.Fragment[3])), MessageContext.None);
        Assert.Null(serverHello.Extensions.Find<SupportedVersionsExtension>());
    }

    /// <summary>RFC 7507 with RFC 8446 Appendix D: the same hello with TLS_FALLBACK_SCSV is a downgrade from a server with TLS 1.3.</summary>
    [Fact]
    public void LegacyVersion0304WithFallbackScsvIsInappropriateFallback()
    {
        ushort[] suites = [.. Both, (ushort)CipherSuite.TLS_FALLBACK_SCSV];
        using var server = Serve(WireSurgery.Record(ContentType.Handshake, Hello((ProtocolVersion)0x0304, null, suites).Encode(), 0x0301));
        Failures.AssertGenerated(server, AlertDescription.InappropriateFallback, "Server.AwaitPolicy", "TLS_FALLBACK_SCSV");
    }

    /// <summary>RFC 8446 §4.1.2, Appendix D.5: a TLS 1.3 ClientHello with legacy_version 0x0300 or below is protocol_version.</summary>
    [Theory]
    [InlineData(0x0000)]
    [InlineData(0x0200)]
    [InlineData(0x0300)]
    public void Tls13HelloWithAncientLegacyVersionIsProtocolVersion(int legacy)
    {
        var hello = Hello((ProtocolVersion)legacy, new SupportedVersionsExtension { Versions = [ProtocolVersion.Tls13] }, Both);
        using var server = Serve(WireSurgery.Record(ContentType.Handshake, hello.Encode(), 0x0301));
        Failures.AssertGenerated(server, AlertDescription.ProtocolVersion, "Server.ExpectClientHello", "legacy_version");
        Assert.Equal(ContentType.Alert, WireSurgery.Split(server.PendingOutput.ToArray()).Single().Type);
    }

    /// <summary>RFC 8446 §4.4.2.2: no signature scheme in common is handshake_failure instead of a ServerHello.</summary>
    [Theory]
    [InlineData(SignatureScheme.RsaPssPssSha256)]
    [InlineData(SignatureScheme.RsaPkcs1Sha256)]
    public void NoSchemeInCommonIsRefusedBeforeServerHello(SignatureScheme only)
    {
        var hello = Hello(ProtocolVersion.Tls12, new SupportedVersionsExtension { Versions = [ProtocolVersion.Tls13] },
            [(ushort)CipherSuite.TLS_AES_128_GCM_SHA256], [only]);
        using var server = Serve(WireSurgery.Record(ContentType.Handshake, hello.Encode(), 0x0301), TlsVersions.Tls13);
        Failures.AssertGenerated(server, AlertDescription.HandshakeFailure, "Server.AwaitPolicy", "no certificate can sign");
        Assert.Equal(ContentType.Alert, WireSurgery.Split(server.PendingOutput.ToArray()).Single().Type);
    }

    /// <summary>RFC 8446 §5: records that arrive in the same read as ClientHello are processed after it, in order: the
    /// server's flight goes out first, then the alert for the second ChangeCipherSpec, or for a heartbeat record (RFC 6520:
    /// we negotiate no heartbeat, so its content type is unexpected).</summary>
    [Theory]
    [InlineData("ccs-twice", "ChangeCipherSpec")]
    [InlineData("heartbeat", "content type 24")]
    public void RecordsBehindTheClientHelloFailAfterTheServersFlight(string behind, string reason)
    {
        var hello = Hello(ProtocolVersion.Tls12, new SupportedVersionsExtension { Versions = [ProtocolVersion.Tls13] }, [(ushort)CipherSuite.TLS_AES_128_GCM_SHA256]);
        byte[] after = behind == "heartbeat"
            ? WireSurgery.Record(ContentType.Heartbeat, [1, 0, 16, .. new byte[32]]) // heartbeat_request, payload_length 16, payload and padding
            : [.. WireSurgery.Record(ContentType.ChangeCipherSpec, [1]), .. WireSurgery.Record(ContentType.ChangeCipherSpec, [1])];
        byte[] wire = [.. WireSurgery.Record(ContentType.Handshake, hello.Encode(), 0x0301), .. after];
        using var server = Serve(wire, TlsVersions.Tls13);
        Failures.AssertGenerated(server, AlertDescription.UnexpectedMessage, "Server.", reason);
        var records = WireSurgery.Split(server.PendingOutput.ToArray());
        Assert.Equal(ContentType.Handshake, records[0].Type); // ServerHello
        Assert.True(records.Count > 3, "the whole first flight precedes the alert");
        Assert.Equal(ContentType.ApplicationData, records[^1].Type); // the alert, protected by the handshake keys
    }
}

/// <summary>Issue 10: browsers send an X25519MLKEM768 share first; the server takes it, never asks for it by HelloRetryRequest.</summary>
public class HybridGroupPreferenceTests
{
    private static InMemoryPair Pair(NamedGroup[] shares, NamedGroup[]? serverGroups = null)
    {
        var server = InMemoryPair.DefaultServer();
        server.Groups = serverGroups;
        var client = InMemoryPair.DefaultClient();
        client.KeyShareGroups = shares;
        return new InMemoryPair(server, client);
    }

    [Fact]
    public void HybridShareIsPreferredWhenSent()
    {
        using var pair = Pair([NamedGroup.X25519MlKem768, NamedGroup.X25519]);
        pair.Handshake();
        Assert.Equal(NamedGroup.X25519MlKem768, pair.Server.Info.Group);
        Assert.False(pair.Server.Info.HelloRetryRequested);
    }

    [Fact]
    public void HybridSupportedButNotSentTakesX25519WithoutRetry()
    {
        using var pair = Pair([NamedGroup.X25519]);
        pair.Handshake();
        Assert.Equal(NamedGroup.X25519, pair.Server.Info.Group);
        Assert.False(pair.Server.Info.HelloRetryRequested);
    }

    [Fact]
    public void AConfiguredOrderIsTheServersOwn()
    {
        using var pair = Pair([NamedGroup.X25519MlKem768, NamedGroup.X25519], [NamedGroup.X25519, NamedGroup.X25519MlKem768]);
        pair.Handshake();
        Assert.Equal(NamedGroup.X25519, pair.Server.Info.Group);
    }

    [Fact]
    public void OurClientSendsBothSharesByDefault()
    {
        var trace = new SharpTls.Diagnostics.HandshakeTraceCollector();
        var client = InMemoryPair.DefaultClient();
        client.Trace = trace;
        using var pair = new InMemoryPair(InMemoryPair.DefaultServer(), client);
        pair.Handshake();
        var hello = trace.Entries.First(e => e.Sent && e.ContentType == ContentType.Handshake && e.Bytes[0] == (byte)HandshakeType.ClientHello);
        var shares = HandshakeMessage.Decode<ClientHello>(hello.Bytes, MessageContext.None).Extensions.Find<KeyShareExtension>()!.ClientShares;
        Assert.Equal([NamedGroup.X25519MlKem768, NamedGroup.X25519], shares.Select(s => s.Group));
    }
}
