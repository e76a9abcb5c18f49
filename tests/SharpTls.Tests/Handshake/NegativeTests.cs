using CsCheck;
using SharpTls.Diagnostics;
using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Wire;

namespace SharpTls.Tests.Handshake;

/// <summary>
/// Every way a peer can break a TLS 1.3 handshake that the engine must notice: the alert the
/// failing side sends, the event it records (state and reason), and the alert the other side receives.
/// </summary>
public class NegativeTests
{
    private const CipherSuite Suite = CipherSuite.TLS_AES_128_GCM_SHA256;

    private static InMemoryPair Pair(Action<TlsServerOptions>? server = null, Action<TlsClientOptions>? client = null)
    {
        var s = InMemoryPair.DefaultServer();
        server?.Invoke(s);
        var c = InMemoryPair.DefaultClient();
        client?.Invoke(c);
        return new InMemoryPair(s, c);
    }

    /// <summary>A server fed raw bytes, its selection hook run when it asks.</summary>
    internal static TlsConnection FeedServer(params byte[][] chunks)
    {
        var server = TlsConnection.CreateServer(InMemoryPair.DefaultServer());
        foreach (var chunk in chunks)
        {
            server.Feed(chunk);
            if (server.Status == TlsStatus.WaitingForHost)
                server.AnswerHostRequestAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
        return server;
    }

    [Fact]
    public void TamperedServerFinished()
    {
        var keys = new KeyCapture();
        using var pair = Pair(s => s.KeyLog = keys);
        pair.ServerToClient = WireSurgery.RewriteHandshakeFlight(keys, serverFlight: true, Suite,
            WireSurgery.Replace(HandshakeType.Finished, WireSurgery.FlipLastByte));
        pair.HandshakeFails(pair.Client, AlertDescription.DecryptError, "Client.Tls13.ExpectFinished", "server's Finished");
    }

    [Fact]
    public void TamperedClientFinished()
    {
        var keys = new KeyCapture();
        using var pair = Pair(s => s.KeyLog = keys);
        pair.ClientToServer = WireSurgery.RewriteHandshakeFlight(keys, serverFlight: false, Suite,
            WireSurgery.Replace(HandshakeType.Finished, WireSurgery.FlipLastByte));
        pair.HandshakeFails(pair.Server, AlertDescription.DecryptError, "Server.Tls13.ExpectFinished", "client's Finished");
    }

    [Fact]
    public void UntouchedRewriteIsTransparent()
    {
        var keys = new KeyCapture();
        using var pair = Pair(s => s.KeyLog = keys);
        pair.ServerToClient = WireSurgery.RewriteHandshakeFlight(keys, serverFlight: true, Suite, m => m);
        pair.ClientToServer = WireSurgery.RewriteHandshakeFlight(keys, serverFlight: false, Suite, m => m);
        pair.Handshake();
    }

    [Theory]
    [InlineData(SignatureScheme.EcdsaSecp256r1Sha256)]
    [InlineData(SignatureScheme.RsaPssRsaeSha256)]
    public void BadCertificateVerifySignature(SignatureScheme scheme)
    {
        var keys = new KeyCapture();
        using var pair = Pair(s =>
        {
            s.KeyLog = keys;
            s.Certificates = [new ServerCertificate(Tls13MatrixTests.LeafFor(scheme))];
        });
        pair.ServerToClient = WireSurgery.RewriteHandshakeFlight(keys, serverFlight: true, Suite,
            WireSurgery.Replace(HandshakeType.CertificateVerify, WireSurgery.FlipLastByte));
        pair.HandshakeFails(pair.Client, AlertDescription.DecryptError, "Client.Tls13.ExpectCertificateVerify", "does not verify");
    }

    [Fact]
    public void CertificateVerifyWithASchemeNotOffered()
    {
        var keys = new KeyCapture();
        using var pair = Pair(s => s.KeyLog = keys, c => c.SignatureSchemes = [SignatureScheme.EcdsaSecp256r1Sha256]);
        pair.ServerToClient = WireSurgery.RewriteHandshakeFlight(keys, serverFlight: true, Suite,
            WireSurgery.Replace(HandshakeType.CertificateVerify, m =>
            {
                var copy = (byte[])m.Clone();
                copy[4] = 0x08; // rsa_pss_rsae_sha256
                copy[5] = 0x04;
                return copy;
            }));
        pair.HandshakeFails(pair.Client, AlertDescription.IllegalParameter, "Client.Tls13.ExpectCertificateVerify", "did not offer");
    }

    [Fact]
    public void CertificateForAnotherName()
    {
        using var pair = Pair(s => s.Certificates = [new ServerCertificate(UnitPki.OtherNameLeaf)]);
        pair.HandshakeFails(pair.Client, AlertDescription.BadCertificate, "Client.Tls13.ExpectCertificate", "does not match");
        Assert.Contains("mail.contoso.test", pair.Client.Failure!.Reason);
    }

    [Fact]
    public void ExpiredCertificate()
    {
        using var pair = Pair(s => s.Certificates = [new ServerCertificate(UnitPki.ExpiredLeaf)]);
        pair.HandshakeFails(pair.Client, AlertDescription.CertificateExpired, "Client.Tls13.ExpectCertificate", "expired");
    }

    [Fact]
    public void CertificateExpiredByTheClientsClock()
    {
        using var pair = Pair(client: c => c.Time = new FakeTime(DateTimeOffset.UtcNow.AddYears(2)));
        pair.HandshakeFails(pair.Client, AlertDescription.CertificateExpired, "Client.Tls13.ExpectCertificate", "expired");
    }

    [Fact]
    public void UntrustedRoot()
    {
        using var pair = Pair(s => s.Certificates = [new ServerCertificate(UnitPki.RogueLeaf)]);
        pair.HandshakeFails(pair.Client, AlertDescription.UnknownCa, "Client.Tls13.ExpectCertificate", "server certificate rejected");
    }

    [Fact]
    public void UntrustedRootEvenWhenTheServerSendsIt()
    {
        using var pair = Pair(s => s.Certificates = [new ServerCertificate(UnitPki.RogueLeaf, [UnitPki.RogueRoot])]);
        pair.HandshakeFails(pair.Client, AlertDescription.UnknownCa, "Client.Tls13.ExpectCertificate", "server certificate rejected");
    }

    [Fact]
    public void NoCipherSuiteInCommon()
    {
        using var pair = Pair(s => s.CipherSuites = [CipherSuite.TLS_AES_128_GCM_SHA256],
            c => c.CipherSuites = [CipherSuite.TLS_CHACHA20_POLY1305_SHA256]);
        var failure = pair.HandshakeFails(pair.Server, AlertDescription.HandshakeFailure, "Server.", "no cipher suite in common");
        Assert.StartsWith("no cipher suite in common", failure.Reason);
        Assert.Equal(TlsEvents.NoCipherSuiteInCommon, failure.EventId);
        Assert.Contains("TLS_CHACHA20_POLY1305_SHA256", failure.Reason);
    }

    [Fact]
    public void NoGroupInCommon()
    {
        using var pair = Pair(s => s.Groups = [NamedGroup.X25519],
            c => { c.Groups = [NamedGroup.Secp521r1]; c.KeyShareGroups = [NamedGroup.Secp521r1]; });
        var failure = pair.HandshakeFails(pair.Server, AlertDescription.HandshakeFailure, "Server.", "no key exchange group in common");
        Assert.Contains("secp521r1", failure.Reason);
    }

    [Fact]
    public void ClientHelloWithoutTls13IsProtocolVersion()
    {
        var hello = new ClientHello
        {
            LegacyVersion = ProtocolVersion.Tls12,
            Random = new byte[32],
            CipherSuites = [(ushort)CipherSuite.TLS_AES_128_GCM_SHA256, 0xC02F],
            Extensions = [new SupportedGroupsExtension([NamedGroup.X25519]), new SignatureAlgorithmsExtension([SignatureScheme.EcdsaSecp256r1Sha256])],
        };
        // A server with TLS 1.3 only (the default server now speaks TLS 1.2 as well).
        var options = InMemoryPair.DefaultServer();
        options.Versions = TlsVersions.Tls13;
        using var server = TlsConnection.CreateServer(options);
        server.Feed(WireSurgery.Record(ContentType.Handshake, hello.Encode(), 0x0301));
        server.ChoosePolicy(new TlsServerPolicy(options));
        var failure = Failures.AssertGenerated(server, AlertDescription.ProtocolVersion, "Server.AwaitPolicy", "no protocol version in common");
        Assert.Equal(TlsEvents.ProtocolVersionRefused, failure.EventId);
        var alert = WireSurgery.Split(server.PendingOutput.ToArray()).Single();
        Assert.Equal(ContentType.Alert, alert.Type);
        Assert.Equal([2, 70], alert.Fragment);
    }

    [Fact]
    public void ClientHelloOfferingOnlyTls12InSupportedVersionsIsProtocolVersion()
    {
        using var pair = Pair(server: s => s.Versions = TlsVersions.Tls13, client: c => c.Versions = TlsVersions.Tls13);
        pair.ClientToServer = wire => WireSurgery.Join(WireSurgery.Split(wire).Select(r =>
            r.Fragment[0] != (byte)HandshakeType.ClientHello ? r : r with
            {
                Fragment = HelloRetryRequestTests.Rebuild(HandshakeMessage.Decode<ClientHello>(r.Fragment, MessageContext.None),
                    h => HelloRetryRequestTests.With(h.Extensions, ExtensionType.SupportedVersions,
                        new SupportedVersionsExtension { Versions = [ProtocolVersion.Tls12, ProtocolVersion.Tls11] })).Raw.ToArray(),
            }));
        pair.HandshakeFails(pair.Server, AlertDescription.ProtocolVersion, "Server.AwaitPolicy", "no protocol version in common");
    }

    [Fact]
    public void Sslv2CompatibleHelloIsProtocolVersion()
    {
        byte[] specs = [0x00, 0x00, 0x2F, 0x00, 0x00, 0xFF];
        byte[] challenge = new byte[16];
        byte[] body = [0x01, 0x03, 0x03, 0x00, (byte)specs.Length, 0x00, 0x00, 0x00, (byte)challenge.Length, .. specs, .. challenge];
        byte[] record = [(byte)(0x80 | body.Length >> 8), (byte)body.Length, .. body];
        using var server = FeedServer(record);
        var failure = Failures.AssertGenerated(server, AlertDescription.ProtocolVersion, "Server.ExpectClientHello", "SSLv2-compatible ClientHello");
        Assert.Equal(TlsEvents.ProtocolVersionRefused, failure.EventId);
    }

    [Fact]
    public void Ssl2OnlyHelloIsProtocolVersion()
    {
        byte[] specs = [0x01, 0x00, 0x80];
        byte[] challenge = new byte[16];
        byte[] body = [0x01, 0x00, 0x02, 0x00, (byte)specs.Length, 0x00, 0x00, 0x00, (byte)challenge.Length, .. specs, .. challenge];
        using var server = FeedServer([(byte)(0x80 | body.Length >> 8), (byte)body.Length, .. body]);
        Failures.AssertGenerated(server, AlertDescription.ProtocolVersion, "Server.ExpectClientHello", "SSL 2.0");
    }

    [Fact]
    public void GarbageBytes()
    {
        using var server = FeedServer("GET / HTTP/1.1\r\nHost: www.contoso.test\r\n\r\n"u8.ToArray());
        Failures.AssertGenerated(server, AlertDescription.UnexpectedMessage, "Server.ExpectClientHello", "unknown content type");
        using var client = TlsConnection.CreateClient(InMemoryPair.DefaultClient());
        client.Feed("HTTP/1.1 400 Bad Request\r\n\r\n"u8);
        Failures.AssertGenerated(client, AlertDescription.UnexpectedMessage, "Client.Tls13.ExpectServerHello", "unknown content type");
    }

    [Fact]
    public void RandomBytesNeverThrowAndNeverConnect()
    {
        Gen.Byte.Array[1, 400].Sample(bytes =>
        {
            using var server = FeedServer(bytes);
            Assert.NotEqual(TlsStatus.Connected, server.Status);
            if (server.Status == TlsStatus.Failed) Assert.True(server.Failure!.Generated);
            using var client = TlsConnection.CreateClient(InMemoryPair.DefaultClient());
            client.Feed(bytes);
            Assert.NotEqual(TlsStatus.Connected, client.Status);
        }, iter: 300);
    }

    [Fact]
    public void RandomCorruptionOfARealHandshakeNeverThrows()
    {
        // One byte of one flight flipped (or one flight cut short): each side either fails with an
        // alert, waits for more bytes, or (when the byte did not matter) completes.
        Gen.Select(Gen.Int[0, 5], Gen.Int[0, 4000], Gen.Byte[1, 255], Gen.Bool).Sample((flight, offset, xor, cut) =>
        {
            using var pair = Pair();
            int moves = 0;
            byte[] Corrupt(byte[] wire)
            {
                if (moves++ != flight) return wire;
                int at = offset % wire.Length;
                if (cut) return wire[..at];
                var copy = (byte[])wire.Clone();
                copy[at] ^= xor;
                return copy;
            }
            pair.ClientToServer = Corrupt;
            pair.ServerToClient = Corrupt;
            pair.Pump();
            foreach (var side in new[] { pair.Client, pair.Server })
                if (side.Status == TlsStatus.Failed) Assert.NotNull(side.Failure);
            // A handshake that connected despite a flipped byte (one that does not count, such as a record
            // header's legacy version) must have agreed on everything: the same suite and keys, so data flows
            // both ways intact. Mismatched keys would fail here with bad_record_mac. (A cut flight loses the
            // rest of the stream for good, as a truncated connection does, and so does a flipped record length that
            // leaves one side waiting for bytes that will never come: nothing more can be expected of those.)
            if (!cut && pair.Client.Status == TlsStatus.Connected && pair.Server.Status == TlsStatus.Connected
                && !pair.Client.Records.HasBufferedInput && !pair.Server.Records.HasBufferedInput)
            {
                pair.ClientToServer = null; // the check's own records travel intact
                pair.ServerToClient = null;
                Assert.Equal(pair.Client.Info.CipherSuite, pair.Server.Info.CipherSuite);
                Assert.Equal(pair.Client.Info.Version, pair.Server.Info.Version);
                Assert.Equal("to the server"u8.ToArray(), pair.Send(pair.Client, pair.Server, "to the server"u8.ToArray()));
                Assert.Equal("to the client"u8.ToArray(), pair.Send(pair.Server, pair.Client, "to the client"u8.ToArray()));
            }
        }, iter: 150);
    }

    [Fact]
    public void PlaintextRecordOverTheSizeLimit()
    {
        byte[] header = [22, 3, 1, 0x40, 0x01];
        using var server = FeedServer(header);
        Failures.AssertGenerated(server, AlertDescription.RecordOverflow, "Server.ExpectClientHello", "exceeds");
    }

    [Fact]
    public void ProtectedRecordOverTheSizeLimit()
    {
        using var pair = Pair();
        pair.Handshake();
        int length = (1 << 14) + 256 + 1;
        byte[] record = [23, 3, 3, (byte)(length >> 8), (byte)length, .. new byte[length]];
        pair.Server.Feed(record);
        pair.Pump();
        Failures.AssertGenerated(pair.Server, AlertDescription.RecordOverflow, "Server.Tls13.Connected", "exceeds");
        Failures.AssertReceived(pair.Client, AlertDescription.RecordOverflow);
    }

    [Fact]
    public void ProtectedRecordThatDoesNotAuthenticate()
    {
        using var pair = Pair();
        pair.Handshake();
        pair.Client.WriteApplicationData("hello"u8);
        pair.ClientToServer = wire =>
        {
            wire[^1] ^= 1;
            return wire;
        };
        pair.Pump();
        Failures.AssertGenerated(pair.Server, AlertDescription.BadRecordMac, "Server.Tls13.Connected", "");
        Failures.AssertReceived(pair.Client, AlertDescription.BadRecordMac);
    }

    [Fact]
    public void ApplicationDataBeforeTheHandshake()
    {
        using var server = FeedServer(WireSurgery.Record(ContentType.ApplicationData, "hello"u8));
        Failures.AssertGenerated(server, AlertDescription.UnexpectedMessage, "Server.ExpectClientHello", "application data before the handshake");

        using var client = TlsConnection.CreateClient(InMemoryPair.DefaultClient());
        client.Feed(WireSurgery.Record(ContentType.ApplicationData, "hello"u8));
        Failures.AssertGenerated(client, AlertDescription.UnexpectedMessage, "Client.Tls13.ExpectServerHello", "application data before the handshake");
    }

    [Fact]
    public void WritingBeforeTheHandshakeIsAnApiError()
    {
        using var client = TlsConnection.CreateClient(InMemoryPair.DefaultClient());
        Assert.Throws<InvalidOperationException>(() => client.WriteApplicationData("early"u8));
    }

    [Fact]
    public void TruncatedConnectionDuringTheHandshake()
    {
        using var pair = Pair();
        pair.ServerToClient = wire => wire[..(wire.Length / 2)];
        pair.Pump();
        Assert.Equal(TlsStatus.Handshaking, pair.Client.Status);
        pair.Client.OnTransportClosed();
        Assert.Equal(TlsStatus.Failed, pair.Client.Status);
        var failure = pair.Client.Failure!;
        Assert.Contains("closed the connection during the handshake", failure.Reason);
        Assert.StartsWith("Client.Tls13.", failure.InternalState);
        Assert.True(pair.Client.PeerClosed);
    }

    [Fact]
    public void AbortSendsTheAlertAndThePeerRecordsIt()
    {
        using var pair = Pair();
        pair.Handshake();
        // A fatal alert from the peer is recorded as received, with its state.
        pair.Server.Abort(AlertDescription.InternalError, "test abort");
        pair.Pump();
        Failures.AssertGenerated(pair.Server, AlertDescription.InternalError, "Server.Tls13.Connected", "test abort");
        Failures.AssertReceived(pair.Client, AlertDescription.InternalError);
        Assert.Equal("Client.Tls13.Connected", pair.Client.Failure!.InternalState);
    }
}
