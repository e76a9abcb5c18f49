using System.Net;
using System.Text;
using SharpTls.Crypto;
using SharpTls.KeySchedule;
using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Sessions;
using SharpTls.Wire;

namespace SharpTls.Handshake.Client;

/// <summary>The client's first step: build and send ClientHello (RFC 8446 §4.1.2).</summary>
internal sealed class ClientStart : HandshakeState
{
    public static readonly ClientStart Instance = new();

    public override HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message)
        => throw Unexpected(type, "nothing before the ClientHello is sent");

    /// <summary>Sends ClientHello and returns the state that waits for ServerHello.</summary>
    public static HandshakeState Begin(TlsConnection connection)
    {
        var options = connection.ClientOptions!;
        bool tls13 = options.Versions.HasFlag(TlsVersions.Tls13);
        var maxTls12 = VersionSwitches.Enabled(options.Versions).FirstOrDefault(v => v <= ProtocolVersion.Tls12);
        if (!tls13 && maxTls12 == 0)
            throw new TlsProtocolException(AlertDescription.ProtocolVersion, "the client enables no protocol version (TlsClientOptions.Versions)");
        // TLS 1.3 suites first, then the TLS 1.2-and-older ones (RFC 8446 §4.1.2 lets one hello offer both).
        IReadOnlyList<CipherSuite> suites = [.. tls13 ? Defaults.Suites13(options) : [], .. maxTls12 != 0 ? Tls12.Tls12Start.Suites(options) : []];
        if (suites.Count == 0)
            throw new TlsProtocolException(AlertDescription.HandshakeFailure, $"no configured cipher suite can be used with {VersionSwitches.Describe(options.Versions)}");
        bool tls12 = maxTls12 != 0;
        var groups = Defaults.GroupsOf(options).Where(g => connection.Crypto.SupportsGroup((NamedGroup)g)
            && (tls13 || SharpTls.Handshake.Tls12.KeyExchange.EcdheKeyExchange.Groups.Contains(g))).ToList();
        var shareGroups = tls13 ? (options.KeyShareGroups ?? Defaults.ClientKeyShares).Where(groups.Contains).ToList() : [];
        // Groups configured without the default share groups (and no KeyShareGroups): share the first configured group,
        // as Go does, rather than send an empty key_share that only buys a HelloRetryRequest round trip (RFC 8446 §4.2.8).
        if (tls13 && options.KeyShareGroups is null && shareGroups.Count == 0 && groups.Count > 0) shareGroups.Add(groups[0]);
        var shares = shareGroups.Select(g => connection.Crypto.GenerateKeyShare((NamedGroup)g)).ToList();

        byte[] random = new byte[32], sessionId = new byte[32];
        connection.Crypto.Fill(random);
        connection.Crypto.Fill(sessionId);
        var ticket = !tls13 ? null : options.SessionStore?.Take(SharpTls.Handshake.Tls13.Connected.SessionKey(options), connection.Time.GetUtcNow());
        if (ticket is not null && !suites.Any(s => CipherSuites.Info(s).PrfHash == CipherSuites.Info(ticket.CipherSuite).PrfHash))
            ticket = null;

        var tls12Session = tls12 ? Tls12.Tls12Start.SessionToOffer(connection, options, suites) : null;
        if (tls12Session is { Ticket: null }) sessionId = tls12Session.SessionId;
        var template = new HelloTemplate(random, sessionId, suites, groups, options) { Tls12Session = tls12Session };
        var hello = template.Build(shares.Select(s => new KeyShareEntry((NamedGroup)s.Group, s.PublicKey.ToArray())).ToList(), cookie: null, ticket, connection, prefix: null);
        connection.Info.ServerName = template.ServerName;
        // legacy_record_version 0x0301 for the first ClientHello (RFC 8446 §5.1), 0x0300 from an SSL 3.0-only client. The record
        // is only sealed when the connection flushes, so the version stays until ServerHello resets it.
        connection.Records.RecordVersion = (ushort)(template.MaxVersion == ProtocolVersion.Ssl3 ? ProtocolVersion.Ssl3 : ProtocolVersion.Tls10);
        connection.SendHandshake(hello.Raw.Span);
        return new Tls13.ExpectServerHello(template, hello, shares, ticket, retried: false);
    }
}

/// <summary>Everything a ClientHello is made of, so the second one after HelloRetryRequest is the same but for what §4.1.2 lets change.</summary>
internal sealed class HelloTemplate(byte[] random, byte[] sessionId, IReadOnlyList<CipherSuite> suites,
    IReadOnlyList<NamedGroup> groups, TlsClientOptions options)
{
    public byte[] Random => random;
    public byte[] SessionId => sessionId;
    public IReadOnlyList<CipherSuite> Suites => suites;
    public IReadOnlyList<NamedGroup> Groups => groups;
    public TlsClientOptions Options => options;

    /// <summary>The TLS 1.2 session this hello offers to resume (by its ID, or by its ticket), or null.</summary>
    public Tls12ClientSession? Tls12Session { get; init; }

    /// <summary>A renegotiation's hello (RFC 5746 §3.5): our last Finished verify_data for renegotiation_info; it offers TLS 1.2 only.</summary>
    public byte[]? RenegotiatedConnection { get; init; }

    /// <summary>Whether this hello offers TLS 1.3 (and so carries key shares).</summary>
    public bool OffersTls13 => RenegotiatedConnection is null && options.Versions.HasFlag(TlsVersions.Tls13);

    /// <summary>Whether this hello offers TLS 1.2 (its suites, extended_master_secret, renegotiation_info, ec_point_formats).</summary>
    public bool OffersTls12 => options.Versions.HasFlag(TlsVersions.Tls12);

    /// <summary>A renegotiating hello: the version of the established session, which the second handshake keeps.</summary>
    public ProtocolVersion? RenegotiatedVersion { get; init; }

    /// <summary>The highest version this hello offers (a renegotiating one: the session's).</summary>
    public ProtocolVersion MaxVersion => RenegotiatedVersion ?? VersionSwitches.Highest(options.Versions) ?? ProtocolVersion.Tls12;

    /// <summary>legacy_version (client_version): the highest version up to TLS 1.2 (RFC 8446 §4.1.2: 0x0303 when TLS 1.3 is offered).</summary>
    public ProtocolVersion ClientVersion => MaxVersion >= ProtocolVersion.Tls12 ? ProtocolVersion.Tls12 : MaxVersion;

    /// <summary>Whether this hello offers a version from SSL 3.0 to TLS 1.2 (answered by a TLS 1.2-style ServerHello).</summary>
    public bool OffersPreTls13 => VersionSwitches.Enabled(options.Versions).Any(v => v <= ProtocolVersion.Tls12);

    /// <summary>Whether <paramref name="version"/> is one this client enables.</summary>
    public bool Offers(ProtocolVersion version) => VersionSwitches.IsEnabled(options.Versions, version);

    /// <summary>
    /// An SSL 3.0-only hello carries no extensions at all (RFC 6101 has none); it signals secure renegotiation with
    /// TLS_EMPTY_RENEGOTIATION_INFO_SCSV instead (RFC 5746 §3.3).
    /// </summary>
    public bool WithoutExtensions => MaxVersion == ProtocolVersion.Ssl3;

    /// <summary>The SNI we send: the target host unless it is an IP literal (RFC 6066 §3).</summary>
    public string? ServerName => options.TargetHost is { } h && !IPAddress.TryParse(h, out _) ? h.TrimEnd('.') : null;

    /// <summary>
    /// The schemes we accept: the configured ones, or the TLS 1.3 defaults plus, when TLS 1.2 is offered, PKCS#1
    /// (TLS 1.2 servers such as Schannel sign ServerKeyExchange with it; TLS 1.3 never accepts it in CertificateVerify).
    /// </summary>
    public IReadOnlyList<SignatureScheme> SignatureSchemes { get; } = options.SignatureSchemes is null && options.Versions.HasFlag(TlsVersions.Tls12)
        ? [.. Defaults.SignaturesOf(options), SignatureScheme.RsaPkcs1Sha256, SignatureScheme.RsaPkcs1Sha384, SignatureScheme.RsaPkcs1Sha512]
        : Defaults.SignaturesOf(options);

    /// <summary>
    /// RFC 8446 §4.2: a server may answer only extensions we sent (the HelloRetryRequest's cookie
    /// excepted); anything else is unsupported_extension.
    /// </summary>
    public static void CheckSolicited(ExtensionList received, ClientHello sent, string message, bool allowCookie = false)
    {
        // RFC 5746 §3.6: TLS_EMPTY_RENEGOTIATION_INFO_SCSV (our SSL 3.0 hello's signal) solicits renegotiation_info as the extension would.
        bool scsv = sent.CipherSuites.Contains((ushort)CipherSuite.TLS_EMPTY_RENEGOTIATION_INFO_SCSV);
        foreach (var type in received.Types)
        {
            if (sent.Extensions.Contains(type) || (allowCookie && type == ExtensionType.Cookie) || (scsv && type == ExtensionType.RenegotiationInfo)) continue;
            throw new TlsProtocolException(AlertDescription.UnsupportedExtension,
                $"{message} carries {ExtensionTypes.Name(type)}, which our ClientHello did not offer");
        }
    }

    /// <summary>
    /// The server's answer on record sizes (TLS 1.2 ServerHello, TLS 1.3 EncryptedExtensions; already known to be solicited):
    /// max_fragment_length must echo our value (RFC 6066 §4) and then limits both directions; record_size_limit bounds what
    /// we send (RFC 8449 §4: TLS 1.3 counts the inner content type, TLS 1.2 does not). Both at once is illegal_parameter (§5).
    /// </summary>
    public void AcceptRecordSize(TlsConnection connection, ExtensionList received, bool tls13)
    {
        var fragment = received.Find<MaxFragmentLengthExtension>();
        var sizeLimit = received.Find<RecordSizeLimitExtension>();
        if (fragment is not null && sizeLimit is not null)
            throw TlsProtocolException.Illegal("the server answers both max_fragment_length and record_size_limit (RFC 8449 §5)");
        if (fragment is not null)
        {
            if (fragment.Bytes != options.MaxFragmentLength)
                throw TlsProtocolException.Illegal($"the server answers max_fragment_length {fragment.Bytes}; we asked for {options.MaxFragmentLength} (RFC 6066 §4)");
            connection.Records.ApplyMaxFragmentLength(fragment.Bytes);
        }
        if (sizeLimit is not null)
        {
            int max = Records.RecordLimits.MaxPlaintextLength;
            if (tls13 && sizeLimit.Limit > max + 1)
                throw TlsProtocolException.Illegal($"record_size_limit {sizeLimit.Limit} exceeds 2^14+1 in TLS 1.3 (RFC 8449 §4)");
            connection.Records.MaxFragmentLength = Math.Min(tls13 ? sizeLimit.Limit - 1 : sizeLimit.Limit, max);
        }
    }

    /// <summary>Builds (and encodes) a ClientHello; with a ticket, the binder is computed over <paramref name="prefix"/> + the truncated hello.</summary>
    public ClientHello Build(IReadOnlyList<KeyShareEntry> shares, byte[]? cookie, ClientTicket? ticket, TlsConnection connection, Transcript? prefix)
    {
        ClientHello Make(PreSharedKeyExtension? psk)
        {
            if (WithoutExtensions)
            {
                var bare = new ClientHello
                {
                    LegacyVersion = ProtocolVersion.Ssl3,
                    Random = random,
                    SessionId = sessionId,
                    CipherSuites = [.. suites.Select(s => (ushort)s), (ushort)CipherSuite.TLS_EMPTY_RENEGOTIATION_INFO_SCSV],
                    Extensions = [],
                    OmitExtensions = true,
                };
                bare.Encode();
                return bare;
            }
            var ext = new ExtensionList();
            if (ServerName is { } sni) ext.Add(new ServerNameExtension(sni));
            ext.Add(new SupportedGroupsExtension([.. groups]));
            // RFC 5246 §7.4.1.4.1: not offered by a client whose highest version is below TLS 1.2.
            if (MaxVersion >= ProtocolVersion.Tls12) ext.Add(new SignatureAlgorithmsExtension([.. SignatureSchemes]));
            if (options.ApplicationProtocols.Count > 0)
                ext.Add(new AlpnExtension([.. options.ApplicationProtocols.Select(p => Encoding.ASCII.GetBytes(p))]));
            if (options.RequestOcspStapling) ext.Add(StatusRequestExtension.Ocsp());
            if (options.MaxFragmentLength is { } fragment) ext.Add(new MaxFragmentLengthExtension((MaxFragmentLength)(System.Numerics.BitOperations.Log2((uint)fragment) - 8)));
            if (OffersPreTls13)
            {
                if (options.ExtendedMasterSecret) ext.Add(new ExtendedMasterSecretExtension());
                ext.Add(new RenegotiationInfoExtension(RenegotiatedConnection ?? []));
                ext.Add(new EcPointFormatsExtension([EcPointFormat.Uncompressed]));
                if (suites.Any(s => CipherSuites.Info(s).Mode == BulkCipherMode.Cbc)) ext.Add(new EncryptThenMacExtension());
                if (options.SessionStore is not null) ext.Add(new SessionTicketExtension { Ticket = Tls12Session?.Ticket ?? [] });
            }
            if (OffersTls13)
            {
                ext.Add(new SupportedVersionsExtension { Versions = [.. VersionSwitches.Enabled(options.Versions)] });
                if (cookie is not null) ext.Add(new CookieExtension(cookie));
                ext.Add(new PskKeyExchangeModesExtension([PskKeyExchangeMode.PskDheKe]));
                if (options.ClientCertificate is not null) ext.Add(new PostHandshakeAuthExtension());
                if (options.RecordSizeLimit is { } limit) ext.Add(new RecordSizeLimitExtension(limit));
                if (options.CertificateCompression) ext.Add(SharpTls.Handshake.Tls13.CertificateCompression.Offer());
                ext.Add(new KeyShareExtension { ClientShares = shares });
            }
            if (psk is not null) ext.Add(psk);
            var hello = new ClientHello
            {
                LegacyVersion = ClientVersion,
                Random = random,
                SessionId = sessionId,
                CipherSuites = [.. suites.Select(s => (ushort)s)],
                Extensions = ext,
            };
            hello.Encode();
            // A replay provider (RFC 8448 tests) may substitute a recorded hello; it is then what we sent.
            return connection.Crypto is IHandshakeReplay replay ? replay.ReplaceClientHello(hello) : hello;
        }

        if (ticket is null) return Make(null);
        var hash = CipherSuites.Info(ticket.CipherSuite).PrfHash;
        uint age = (uint)Math.Max(0, (connection.Time.GetUtcNow() - ticket.Received).TotalMilliseconds);
        var identity = new PskIdentity(ticket.Ticket, unchecked(age + ticket.AgeAdd));
        int hashLength = Crypto.TlsHashes.Length(hash);
        var draft = Make(new PreSharedKeyExtension { Identities = [identity], Binders = [new byte[hashLength]] });
        using var schedule = new Tls13KeySchedule(hash, ticket.Psk);
        byte[] binderKey = schedule.BinderKey(resumption: true);
        byte[] partial = prefix is null ? Crypto.TlsHashes.Hash(hash, draft.TruncatedForBinders().Span) : prefix.GetHashWith(draft.TruncatedForBinders().Span);
        byte[] binder = Tls13KeySchedule.FinishedVerifyData(hash, binderKey, partial);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(binderKey);
        return Make(new PreSharedKeyExtension { Identities = [identity], Binders = [binder] });
    }
}
