using System.Security.Cryptography;
using SharpTls.Crypto;
using SharpTls.Handshake.Tls13;
using SharpTls.KeySchedule;
using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Sessions;
using SharpTls.Wire;

namespace SharpTls.Handshake.Client.Tls13;

/// <summary>
/// ServerHello or HelloRetryRequest (RFC 8446 §4.1.3-§4.1.4). Checks everything the server could
/// get wrong (version, echoed session id, suite and group we offered, the downgrade sentinel),
/// then derives the handshake keys.
/// </summary>
internal sealed class ExpectServerHello(HelloTemplate template, ClientHello sent, IReadOnlyList<IKeyShare> shares,
    ClientTicket? ticket, bool retried, Transcript? transcript = null) : HandshakeState, IDisposable
{
    private static ReadOnlySpan<byte> DowngradeTls12 => "DOWNGRD\u0001"u8;
    private static ReadOnlySpan<byte> DowngradeTls11 => "DOWNGRD\u0000"u8;

    public override HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message)
    {
        if (type != HandshakeType.ServerHello) throw Unexpected(type, "ServerHello");
        connection.Records.RecordVersion = (ushort)ProtocolVersion.Tls12; // 0x0301 was for the first ClientHello only
        var hello = HandshakeMessage.Decode<ServerHello>(message, MessageContext.None);
        var version = hello.Extensions.Find<SupportedVersionsExtension>()?.Selected;
        if (version is null)
        {
            var chosen = hello.LegacyVersion;
            var tail = hello.Random.AsSpan(24);
            // RFC 8446 §4.1.3: checked when we offered TLS 1.3 (a TLS 1.2-only hello invites a 1.2 answer), and the TLS 1.1
            // sentinel also when we offered TLS 1.2 and the server answers with an older version.
            if (template.OffersTls13 && (tail.SequenceEqual(DowngradeTls12) || tail.SequenceEqual(DowngradeTls11))
                || template.MaxVersion >= ProtocolVersion.Tls12 && chosen < ProtocolVersion.Tls12 && tail.SequenceEqual(DowngradeTls11))
                throw TlsProtocolException.Illegal("the ServerHello random carries the TLS 1.3 downgrade sentinel: a downgrade attack, or a misconfigured server");
            if (chosen <= ProtocolVersion.Tls12 && template.Offers(chosen))
            {
                if (retried)
                    throw TlsProtocolException.Illegal($"a {ProtocolVersions.Name(chosen)} ServerHello after a HelloRetryRequest (RFC 8446 §4.1.4)");
                HelloTemplate.CheckSolicited(hello.Extensions, sent, "ServerHello");
                if (chosen == ProtocolVersion.Ssl3 && hello.Extensions.Types.Any(t => t != ExtensionType.RenegotiationInfo))
                    throw TlsProtocolException.Illegal("an SSL 3.0 ServerHello with TLS extensions (RFC 6101 has none)");
                Dispose();
                return Tls12.ServerHelloHandler.Accept(connection, template, sent, hello, message, chosen);
            }
            string hint = chosen is >= ProtocolVersion.Ssl3 and <= ProtocolVersion.Tls12
                ? $"; {VersionSwitches.SwitchFor(chosen, server: false)} would allow it"
                : "";
            throw new TlsProtocolException(AlertDescription.ProtocolVersion,
                $"the server chose {ProtocolVersions.Describe((ushort)chosen)}; this client enables {VersionSwitches.Describe(template.Options.Versions)}{hint}");
        }
        if (version != ProtocolVersion.Tls13 || !template.OffersTls13)
            throw TlsProtocolException.Illegal($"supported_versions selects {ProtocolVersions.Describe((ushort)version)}, which we did not offer");
        if (hello.LegacyVersion != ProtocolVersion.Tls12)
            throw TlsProtocolException.Illegal($"legacy_version {ProtocolVersions.Describe((ushort)hello.LegacyVersion)} in a TLS 1.3 ServerHello (must be 0x0303)");
        if (!hello.SessionId.AsSpan().SequenceEqual(sent.SessionId))
            throw TlsProtocolException.Illegal("legacy_session_id_echo does not echo our session id");
        if (hello.CompressionMethod != CompressionMethod.Null)
            throw TlsProtocolException.Illegal("legacy_compression_method must be 0");
        if (!template.Suites.Contains((CipherSuite)hello.CipherSuite))
            throw TlsProtocolException.Illegal($"the server chose {CipherSuites.Name(hello.CipherSuite)}, which we did not offer");
        var suite = CipherSuites.Info((CipherSuite)hello.CipherSuite);
        connection.Info.Version = ProtocolVersion.Tls13;
        connection.Records.Version = ProtocolVersion.Tls13;

        HelloTemplate.CheckSolicited(hello.Extensions, sent, hello.IsHelloRetryRequest ? "HelloRetryRequest" : "ServerHello", allowCookie: hello.IsHelloRetryRequest);
        return hello.IsHelloRetryRequest ? Retry(connection, hello, message, suite) : Accept(connection, hello, message, suite);
    }

    private HandshakeState Retry(TlsConnection connection, ServerHello hrr, ReadOnlyMemory<byte> message, CipherSuiteInfo suite)
    {
        if (retried)
            throw new TlsProtocolException(AlertDescription.UnexpectedMessage, "a second HelloRetryRequest");
        var selected = hrr.Extensions.Find<KeyShareExtension>()?.SelectedGroup;
        var cookie = hrr.Extensions.Find<CookieExtension>()?.Cookie;
        if (selected is null && cookie is null)
            throw TlsProtocolException.Illegal("a HelloRetryRequest that would not change the ClientHello");
        if (selected is { } g && (!template.Groups.Contains(g) || shares.Any(s => (NamedGroup)s.Group == g)))
            throw TlsProtocolException.Illegal($"HelloRetryRequest asks for {NamedGroups.Name(g)}, which we did not offer or already sent a share for");
        connection.Info.HelloRetryRequested = true;

        var newTranscript = new Transcript(suite.PrfHash);
        newTranscript.Add(sent.Raw.Span);
        newTranscript.ReplaceWithMessageHash();
        newTranscript.Add(message.Span);

        IReadOnlyList<IKeyShare> newShares = shares;
        if (selected is { } group)
        {
            foreach (var s in shares) s.Dispose();
            newShares = [connection.Crypto.GenerateKeyShare((NamedGroup)group)];
        }
        var keep = ticket is not null && CipherSuites.Info(ticket.CipherSuite).PrfHash == suite.PrfHash ? ticket : null;
        var second = template.Build(newShares.Select(s => new KeyShareEntry((NamedGroup)s.Group, s.PublicKey.ToArray())).ToList(), cookie, keep, connection, newTranscript);
        if (sent.SessionId.Length > 0) connection.SendDummyChangeCipherSpec();
        connection.SendHandshake(second.Raw.Span);
        return new ExpectServerHello(template, second, newShares, keep, retried: true, newTranscript);
    }

    private HandshakeState Accept(TlsConnection connection, ServerHello hello, ReadOnlyMemory<byte> message, CipherSuiteInfo suite)
    {
        var serverShare = hello.Extensions.Find<KeyShareExtension>()?.ServerShare
            ?? throw new TlsProtocolException(AlertDescription.MissingExtension, "the ServerHello has no key_share (psk_ke was not offered)");
        var share = shares.FirstOrDefault(s => (NamedGroup)s.Group == serverShare.Group)
            ?? throw TlsProtocolException.Illegal($"the server's key share is for {NamedGroups.Name(serverShare.Group)}, which we sent no share for");
        if (transcript is not null && transcript.Hash != suite.PrfHash)
            throw TlsProtocolException.Illegal("the ServerHello's suite differs in hash from the HelloRetryRequest's");

        byte[]? psk = null;
        if (hello.Extensions.Find<PreSharedKeyExtension>() is { SelectedIdentity: { } index })
        {
            if (ticket is null || index != 0)
                throw TlsProtocolException.Illegal($"the server selected PSK identity {index}, which we did not offer");
            if (CipherSuites.Info(ticket.CipherSuite).PrfHash != suite.PrfHash)
                throw TlsProtocolException.Illegal("the server resumed with a suite whose hash differs from the ticket's");
            psk = ticket.Psk;
            connection.Info.Resumed = true;
            connection.Info.PeerCertificates = ticket.PeerCertificates;
            connection.Info.CertificateVerification = "resumed: the certificate was verified in the original session";
        }

        // After HelloRetryRequest the transcript holds message_hash(ClientHello1) and the HRR; the second ClientHello follows (§4.4.1).
        var tr = transcript ?? new Transcript(suite.PrfHash);
        tr.Add(sent.Raw.Span);
        tr.Add(message.Span);
        var keys = new Tls13Keys(suite, tr, template.Random, psk ?? default);
        byte[] secret = share.DeriveSecret(serverShare.KeyExchange);
        keys.DeriveHandshakeSecrets(secret, connection);
        CryptographicOperations.ZeroMemory(secret);
        Dispose();
        connection.Info.CipherSuite = suite.Suite;
        connection.Info.Group = serverShare.Group;
        connection.ChangeReadProtection(keys.Protection(keys.ServerHandshakeSecret!, template.Options), HandshakeType.ServerHello);
        return new ExpectEncryptedExtensions(new ClientFlight(template, keys, sent) { MiddleboxCompatibility = sent.SessionId.Length > 0 });
    }

    public void Dispose()
    {
        foreach (var s in shares) s.Dispose();
    }
}

/// <summary>What the client carries through the server's encrypted flight.</summary>
internal sealed class ClientFlight(HelloTemplate template, Tls13Keys keys, ClientHello hello)
{
    /// <summary>The ClientHello the server answered (the second one after HelloRetryRequest).</summary>
    public ClientHello Hello => hello;

    public HelloTemplate Template => template;
    public Tls13Keys Keys => keys;
    public TlsClientOptions Options => template.Options;

    /// <summary>Whether our hello carried a legacy_session_id, i.e. middlebox compatibility mode (RFC 8446 §D.4).</summary>
    public bool MiddleboxCompatibility { get; init; }

    /// <summary>The server's CertificateRequest, if it sent one.</summary>
    public CertificateRequest? CertificateRequest { get; set; }

    public void Add(ReadOnlyMemory<byte> message) => keys.Transcript.Add(message.Span);
}
