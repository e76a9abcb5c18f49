using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Wire;

namespace SharpTls.Tests.Handshake;

/// <summary>
/// missing_extension and unsupported_extension where the engine raises them (issue 10, "behaviour with no test"):
/// RFC 8446 §4.2 (a server answering with an extension the client did not offer: unsupported_extension),
/// §9.2 (a TLS 1.3 ClientHello without supported_groups, key_share or signature_algorithms: missing_extension),
/// §4.2.9 (pre_shared_key without psk_key_exchange_modes), §4.1.3/§4.2.8 (a ServerHello without key_share
/// when psk_ke was not offered), and unsupported_extension in each message that answers the ClientHello: ServerHello,
/// HelloRetryRequest, EncryptedExtensions, CertificateEntry. The messages are our own, changed in flight.
/// </summary>
public class ExtensionAlertTests
{
    private static ClientHello OurClientHello(TlsClientOptions? options = null)
    {
        using var client = TlsConnection.CreateClient(options ?? InMemoryPair.DefaultClient());
        var record = WireSurgery.Split(client.PendingOutput.ToArray())[0];
        return SharpTls.Messages.HandshakeMessage.Decode<ClientHello>(WireSurgery.Messages(record.Fragment)[0], MessageContext.None);
    }

    private static TlsConnection Serve(ClientHello hello)
    {
        var options = InMemoryPair.DefaultServer();
        options.Versions = TlsVersions.Tls13;
        var server = TlsConnection.CreateServer(options);
        InMemoryPair.FeedAll(server, WireSurgery.Record(ContentType.Handshake, hello.Encode(), 0x0301));
        if (server.Status == TlsStatus.WaitingForHost)
            server.AnswerHostRequestAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return server;
    }

    [Theory]
    [InlineData(ExtensionType.SupportedGroups, "supported_groups is required")]
    [InlineData(ExtensionType.KeyShare, "key_share is required")]
    [InlineData(ExtensionType.SignatureAlgorithms, "signature_algorithms is required")]
    public void A_tls13_client_hello_without_a_mandatory_extension_is_missing_extension(ExtensionType removed, string reason)
    {
        var hello = HelloRetryRequestTests.Rebuild(OurClientHello(), h => HelloRetryRequestTests.With(h.Extensions, removed, null));
        Assert.False(hello.Extensions.Contains(removed));
        using var server = Serve(hello);
        Failures.AssertGenerated(server, AlertDescription.MissingExtension, "Server.", reason);
    }

    [Fact]
    public async Task A_pre_shared_key_without_psk_key_exchange_modes_is_missing_extension()
    {
        // A real resumption offer from our client (ticket from a first handshake), with psk_key_exchange_modes cut out.
        var store = new Sessions.ClientSessionStore();
        var server = InMemoryPair.DefaultServer();
        server.Versions = TlsVersions.Tls13;
        var first = InMemoryPair.DefaultClient();
        first.SessionStore = store;
        using (var pair = new InMemoryPair(server, first)) pair.Handshake();
        var again = InMemoryPair.DefaultClient();
        again.SessionStore = store;
        var offer = OurClientHello(again);
        Assert.NotNull(offer.Extensions.Find<PreSharedKeyExtension>());
        var hello = HelloRetryRequestTests.Rebuild(offer, h => HelloRetryRequestTests.With(h.Extensions, ExtensionType.PskKeyExchangeModes, null));
        var connection = TlsConnection.CreateServer(server);
        InMemoryPair.FeedAll(connection, WireSurgery.Record(ContentType.Handshake, hello.Encode(), 0x0301));
        if (connection.Status == TlsStatus.WaitingForHost)
            await connection.AnswerHostRequestAsync(CancellationToken.None);
        Failures.AssertGenerated(connection, AlertDescription.MissingExtension, "Server.", "psk_key_exchange_modes");
        connection.Dispose();
    }

    /// <summary>Runs a handshake whose (plaintext) ServerHello is rebuilt with <paramref name="change"/>.</summary>
    private static InMemoryPair WithServerHello(Func<ExtensionList, ExtensionList> change, NamedGroup[]? serverGroups = null)
    {
        var server = InMemoryPair.DefaultServer();
        server.Versions = TlsVersions.Tls13;
        if (serverGroups is not null) server.Groups = serverGroups;
        var pair = new InMemoryPair(server, InMemoryPair.DefaultClient());
        bool done = false;
        pair.ServerToClient = wire =>
        {
            if (done) return wire;
            done = true;
            var records = WireSurgery.Split(wire);
            var messages = WireSurgery.Messages(records[0].Fragment);
            var sh = SharpTls.Messages.HandshakeMessage.Decode<ServerHello>(messages[0], MessageContext.None);
            var rebuilt = new ServerHello
            {
                LegacyVersion = sh.LegacyVersion,
                Random = sh.Random,
                SessionId = sh.SessionId,
                CipherSuite = sh.CipherSuite,
                Extensions = change(sh.Extensions),
            }.Encode();
            records[0] = records[0] with { Fragment = [.. rebuilt, .. messages.Skip(1).SelectMany(m => m)] };
            return WireSurgery.Join(records);
        };
        pair.Pump();
        return pair;
    }

    [Fact]
    public void A_server_hello_extension_the_client_did_not_offer_is_unsupported_extension()
    {
        using var pair = WithServerHello(e => [.. e, new UnknownExtension(0x8001, [])]);
        Failures.AssertGenerated(pair.Client, AlertDescription.UnsupportedExtension, "ExpectServerHello", "did not offer");
    }

    /// <summary>RFC 8446 §4.3.2: signature_algorithms MUST be in a CertificateRequest; the server's flight is rewritten without it.</summary>
    [Fact]
    public void A_certificate_request_without_signature_algorithms_is_missing_extension()
    {
        var keys = new KeyCapture();
        var server = InMemoryPair.DefaultServer();
        server.KeyLog = keys;
        server.ClientCertificateMode = ClientCertificateMode.Optional;
        using var pair = new InMemoryPair(server, InMemoryPair.DefaultClient());
        pair.ServerToClient = WireSurgery.RewriteHandshakeFlight(keys, serverFlight: true, CipherSuite.TLS_AES_128_GCM_SHA256,
            WireSurgery.Replace(HandshakeType.CertificateRequest, _ => new CertificateRequest { Context = [], Extensions = [new UnknownExtension(0x8001, [])] }.Encode()));
        pair.HandshakeFails(pair.Client, AlertDescription.MissingExtension, "Client.Tls13.ExpectCertificate", "signature_algorithms is required");
    }

    /// <summary>The server's encrypted first flight with one message rebuilt by <paramref name="change"/>; the client offers no certificate compression.</summary>
    private static InMemoryPair WithServerFlight(HandshakeType type, Func<byte[], byte[]> change)
    {
        var keys = new KeyCapture();
        var server = InMemoryPair.DefaultServer();
        server.Versions = TlsVersions.Tls13;
        server.KeyLog = keys;
        var client = InMemoryPair.DefaultClient();
        client.CertificateCompression = false; // a plain Certificate, whose entries can be changed
        var pair = new InMemoryPair(server, client);
        pair.ServerToClient = WireSurgery.RewriteHandshakeFlight(keys, serverFlight: true, CipherSuite.TLS_AES_128_GCM_SHA256, WireSurgery.Replace(type, change));
        return pair;
    }

    /// <summary>RFC 8446 §4.2: EncryptedExtensions may carry only what the ClientHello offered.</summary>
    [Fact]
    public void An_encrypted_extensions_extension_the_client_did_not_offer_is_unsupported_extension()
    {
        using var pair = WithServerFlight(HandshakeType.EncryptedExtensions, m =>
        {
            var ee = HandshakeMessage.Decode<EncryptedExtensions>(m, MessageContext.Tls13);
            return new EncryptedExtensions { Extensions = [.. ee.Extensions, new UnknownExtension(0x8001, [])] }.Encode();
        });
        pair.HandshakeFails(pair.Client, AlertDescription.UnsupportedExtension, "Client.Tls13.ExpectEncryptedExtensions", "EncryptedExtensions carries");
    }

    /// <summary>RFC 8446 §4.4.2: a CertificateEntry's extensions must answer ones the ClientHello sent.</summary>
    [Fact]
    public void A_certificate_entry_extension_the_client_did_not_offer_is_unsupported_extension()
    {
        using var pair = WithServerFlight(HandshakeType.Certificate, m =>
        {
            var c = HandshakeMessage.Decode<CertificateMessage>(m, MessageContext.Tls13);
            var first = c.Entries[0];
            return new CertificateMessage
            {
                RequestContext = c.RequestContext,
                Entries = [first with { Extensions = [.. first.Extensions, new UnknownExtension(0x8001, [])] }, .. c.Entries.Skip(1)],
            }.Encode();
        });
        pair.HandshakeFails(pair.Client, AlertDescription.UnsupportedExtension, "Client.Tls13.ExpectCertificate", "CertificateEntry carries");
    }

    /// <summary>RFC 8446 §4.1.4: a HelloRetryRequest may add only a cookie to what the ClientHello offered.</summary>
    [Fact]
    public void A_hello_retry_request_extension_the_client_did_not_offer_is_unsupported_extension()
    {
        // The client shares X25519MLKEM768 and X25519, the server takes only secp256r1: the first ServerHello is a HelloRetryRequest.
        using var pair = WithServerHello(e => [.. e, new UnknownExtension(0x8001, [])], serverGroups: [NamedGroup.Secp256r1]);
        Failures.AssertGenerated(pair.Client, AlertDescription.UnsupportedExtension, "ExpectServerHello", "HelloRetryRequest carries");
    }

    [Fact]
    public void A_server_hello_without_key_share_when_psk_ke_was_not_offered_is_missing_extension()
    {
        using var pair = WithServerHello(e => HelloRetryRequestTests.With(e, ExtensionType.KeyShare, null));
        Failures.AssertGenerated(pair.Client, AlertDescription.MissingExtension, "ExpectServerHello", "no key_share");
    }
}
