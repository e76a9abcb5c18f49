using System.Security.Cryptography;

using System.Text;
using SharpTls.Crypto;
using SharpTls.Handshake.Tls13;
using SharpTls.KeySchedule;
using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Sessions;
using SharpTls.Wire;

namespace SharpTls.Handshake.Server.Tls13;

/// <summary>
/// The server's answer to a TLS 1.3 ClientHello (RFC 8446 §4.1-§4.4): negotiate suite, group,
/// certificate, ALPN and PSK, then either send HelloRetryRequest or the whole first flight:
/// ServerHello, (ChangeCipherSpec), EncryptedExtensions, [CertificateRequest, Certificate,
/// CertificateVerify], Finished.
/// </summary>
internal static class ServerHelloFlight
{
    /// <summary>PSK identities tried per ClientHello; the rest are ignored (Go stops at 5): each costs a ticket
    /// decryption, and a peer controls how many it sends.</summary>
    internal const int MaxPskIdentitiesTried = 5;

    public static HandshakeState Start(TlsConnection connection, TlsServerPolicy options, ClientHello hello)
    {
        CheckLegacyFields(hello);
        var suite = ChooseSuite(options, hello);
        // RFC 8446 §4.4.2.2: without a certificate and scheme the client accepts there is nothing to answer with; say so
        // before ServerHello (or HelloRetryRequest), unless a ticket may spare the certificate.
        (ServerCertificate, SignatureScheme)? credential = hello.Extensions.Find<PreSharedKeyExtension>() is null ? ChooseCertificate(options, hello) : null;
        var transcript = new Transcript(suite.PrfHash);
        // We never accept 0-RTT: early data the client sends after this hello is skipped (RFC 8446 §4.2.10), by trial
        // decryption after a ServerHello, wholesale after a HelloRetryRequest (decided below).
        bool earlyData = hello.Extensions.Contains(ExtensionType.EarlyData);
        if (earlyData) connection.Records.SkipEarlyData(afterHelloRetryRequest: false);
        if (PskOnlyRequested(options, hello)
            && TryResume(connection, options, hello, suite, transcript, ChooseAlpn(options, hello), PskKeyExchangeMode.PskKe) is { } pskOnly)
            return Respond(connection, options, hello, suite, transcript, null, null, pskOnly);
        var choice = ChooseGroup(connection, options, hello);
        if (choice.Share is null)
        {
            // HelloRetryRequest (§4.1.4): ask for a share of the group we both support.
            transcript.Add(hello.Raw.Span);
            transcript.ReplaceWithMessageHash();
            byte[] cookie = new byte[32];
            connection.Crypto.Fill(cookie);
            var hrr = ServerHello.HelloRetryRequest(hello.SessionId, (ushort)suite.Suite,
            [
                new KeyShareExtension { SelectedGroup = choice.Group },
                new CookieExtension(cookie),
                new SupportedVersionsExtension { Selected = ProtocolVersion.Tls13 },
            ]);
            byte[] hrrBytes = hrr.Encode();
            transcript.Add(hrrBytes);
            connection.Records.Version = ProtocolVersion.Tls13;
            connection.Info.Version = ProtocolVersion.Tls13;
            connection.Info.HelloRetryRequested = true;
            connection.SendHandshake(hrrBytes);
            if (hello.SessionId.Length > 0) connection.SendDummyChangeCipherSpec();
            if (earlyData) connection.Records.SkipEarlyData(afterHelloRetryRequest: true);
            return new ExpectSecondClientHello(options, hello, suite, transcript, choice.Group, cookie);
        }
        return Respond(connection, options, hello, suite, transcript, choice.Group, choice.Share, credential: credential);
    }

    /// <summary>Continues after a (first or second) ClientHello that carries a usable key share.</summary>
    internal static HandshakeState Respond(TlsConnection connection, TlsServerPolicy options, ClientHello hello,
        CipherSuiteInfo suite, Transcript transcript, NamedGroup? group, byte[]? clientShare, Resumption? pskOnly = null,
        (ServerCertificate Certificate, SignatureScheme Scheme)? credential = null)
    {
        var info = connection.Info;
        info.Version = ProtocolVersion.Tls13;
        info.CipherSuite = suite.Suite;
        info.Group = group;
        connection.Records.Version = ProtocolVersion.Tls13;
        string? alpn = ChooseAlpn(options, hello);
        info.ApplicationProtocol = alpn;

        // Resumption (§4.2.11): a ticket we sealed, whose binder proves the client holds its PSK.
        var resumed = pskOnly ?? TryResume(connection, options, hello, suite, transcript, alpn, PskKeyExchangeMode.PskDheKe);
        // A full handshake settles its certificate and signature scheme before ServerHello (§4.4.2.2); Start chose it already
        // for a ClientHello without a PSK (the same choice: same policy, same hello).
        var signer = resumed is null ? credential ?? ChooseCertificate(options, hello) : default;

        transcript.Add(hello.Raw.Span);
        var keys = new Tls13Keys(suite, transcript, hello.Random, resumed?.Psk ?? default);
        bool ok = false;
        try
        {
            // psk_ke (§4.2.9) has no (EC)DHE: the key schedule takes a zero secret (§7.1).
            var response = group is { } g
                ? connection.Crypto.RespondKeyShare(g, clientShare!)
                : new KeyShareResponse([], new byte[keys.Schedule.HashLength]);
            byte[] random = new byte[32];
            connection.Crypto.Fill(random);
            // Extension order as RFC 8448's server sends it: pre_shared_key, key_share, supported_versions.
            var extensions = new ExtensionList();
            if (resumed is not null) extensions.Add(new PreSharedKeyExtension { SelectedIdentity = (ushort)resumed.Index });
            if (group is { } chosen)
                extensions.Add(new KeyShareExtension { ServerShare = new KeyShareEntry(chosen, response.Share) });
            extensions.Add(new SupportedVersionsExtension { Selected = ProtocolVersion.Tls13 });
            var serverHello = new ServerHello
            {
                Random = random,
                SessionId = hello.SessionId,
                CipherSuite = (ushort)suite.Suite,
                Extensions = extensions,
            };
            Send(connection, transcript, serverHello);
            if (hello.SessionId.Length > 0 && !info.HelloRetryRequested) connection.SendDummyChangeCipherSpec();

            keys.DeriveHandshakeSecrets(response.SharedSecret, connection);
            CryptographicOperations.ZeroMemory(response.SharedSecret);
            connection.ChangeWriteProtection(keys.Protection(keys.ServerHandshakeSecret!, options));
            connection.ChangeReadProtection(keys.Protection(keys.ClientHandshakeSecret!, options), HandshakeType.ClientHello);

            // EncryptedExtensions
            var ee = new ExtensionList();
            if (alpn is not null) ee.Add(new AlpnExtension([Encoding.ASCII.GetBytes(alpn)]));
            if (info.ServerName is not null && resumed is null) ee.Add(new ServerNameExtension());
            // RFC 8449 record_size_limit, else RFC 6066 max_fragment_length: our records from EncryptedExtensions on fit.
            if (ServerChoices.NegotiateRecordSize(connection, hello, tls13: true) is { } recordSize) ee.Add(recordSize);
            Send(connection, transcript, new EncryptedExtensions { Extensions = ee });

            bool requestCertificate = resumed is null && options.ClientCertificateMode != ClientCertificateMode.None;
            if (resumed is null)
            {
                if (requestCertificate)
                    Send(connection, transcript, BuildCertificateRequest(options));
                var (certificate, scheme) = signer;
                info.LocalCertificate = certificate.Certificate;
                info.SignatureScheme = scheme;
                var entries = certificate.Entries();
                // RFC 8446 §4.4.2.1: the stapled OCSP response travels in the leaf's CertificateEntry.
                if (certificate.StapleFor(hello) is { } staple)
                {
                    var stapled = entries.ToArray(); // the certificate's list is shared: staple into a copy
                    stapled[0] = stapled[0] with { Extensions = [new StatusRequestExtension { OcspResponse = staple }] };
                    entries = stapled;
                    info.OcspResponse = staple;
                }
                // RFC 8879: compressed when the client offers an algorithm we have (the staple is compressed with the chain).
                var compression = CertificateCompression.Choose(hello.Extensions, options.CertificateCompression);
                info.ServerCertificateCompression = compression is { } algorithm ? SmallRegistryNames.Name(algorithm) : null;
                Send(connection, transcript, CertificateCompression.ForSending(new CertificateMessage { RequestContext = [], Entries = entries }, compression, certificate));
                Span<byte> hash = stackalloc byte[transcript.HashLength];
                transcript.GetCurrentHash(hash);
                Span<byte> content = stackalloc byte[TlsSignatures.Tls13SignedContentLength(server: true, hash.Length)];
                TlsSignatures.Tls13SignedContent(server: true, hash, content);
                byte[] signature = certificate.Sign(connection.Crypto, scheme, content);
                Send(connection, transcript, new CertificateVerify { Scheme = scheme, Signature = signature });
            }
            else
            {
                info.Resumed = true;
                var verdict = new ClientCertificateVerdict(resumed.State.ClientCertificateStatus, [], resumed.State.PolicyFingerprint, fromResumedSession: true);
                info.ClientCertificateVerdict = verdict;
                if (resumed.State.ClientCertificate is { } der)
                {
                    info.PeerCertificates = new Certificates.PeerCertificateList([Certificates.PeerDerPool.Intern(der)]); // our own ticket's DER (shared with other connections holding it): parsed only if the application reads it
                    info.SetCertificateVerification(verdict);
                }
            }

            Send(connection, transcript, new Finished { VerifyData = keys.FinishedVerifyData(keys.ServerHandshakeSecret!) });
            keys.DeriveApplicationSecrets(connection);
            connection.ChangeWriteProtection(keys.Protection(keys.ServerApplicationSecret!, options));
            ok = true;
            var pending = new PendingClientFlight(keys, options, hello, resumed?.State.ClientCertificate);
            return requestCertificate ? new ExpectCertificate(pending) : new ExpectFinished(pending);
        }
        finally
        {
            if (!ok) keys.Dispose();
        }
    }

    private static void Send(TlsConnection connection, Transcript transcript, HandshakeMessage message)
        => connection.SendHandshake(message, transcript);

    private static void CheckLegacyFields(ClientHello hello)
    {
        if (hello.CompressionMethods.Count != 1 || hello.CompressionMethods[0] != CompressionMethod.Null)
            throw TlsProtocolException.Illegal("legacy_compression_methods: a TLS 1.3 ClientHello must offer exactly the null method");
        if (hello.Extensions.Find<PreSharedKeyExtension>() is not null && hello.Extensions.Find<PskKeyExchangeModesExtension>() is null)
            throw new TlsProtocolException(AlertDescription.MissingExtension, "pre_shared_key without psk_key_exchange_modes (RFC 8446 §4.2.9)");
    }

    internal static CipherSuiteInfo ChooseSuite(TlsServerPolicy options, ClientHello hello)
    {
        foreach (var suite in options.Suites13) // worked out once per policy
            if (hello.CipherSuites.Contains((ushort)suite))
                return CipherSuites.Info(suite);
        string offered = string.Join(", ", hello.CipherSuites.Where(s => !Grease.IsGrease(s)).Select(s => CipherSuites.Name(s)));
        // CCM_8 is opt-in (issue 10): say so when the client offers it, so the event tells an operator what to switch on.
        string ccm8 = !options.EnableCcm8 && hello.CipherSuites.Contains((ushort)CipherSuite.TLS_AES_128_CCM_8_SHA256)
            ? "; TLS_AES_128_CCM_8_SHA256 is off on this server (TlsServerOptions.EnableCcm8)"
            : "";
        throw new TlsProtocolException(AlertDescription.HandshakeFailure,
            $"{Diagnostics.TlsFailure.NoCipherSuiteInCommon}: the client offers {offered}{ccm8}");
    }

    private static (NamedGroup Group, byte[]? Share) ChooseGroup(TlsConnection connection, TlsServerPolicy options, ClientHello hello)
    {
        var groups = hello.Extensions.Find<SupportedGroupsExtension>()
            ?? throw new TlsProtocolException(AlertDescription.MissingExtension, "supported_groups is required for a TLS 1.3 (EC)DHE handshake");
        var keyShare = hello.Extensions.Find<KeyShareExtension>()
            ?? throw new TlsProtocolException(AlertDescription.MissingExtension, "key_share is required for a TLS 1.3 (EC)DHE handshake");
        // Index loops: no closure or boxed enumerator per list (issue 11: allocation per handshake).
        var shares = keyShare.ClientShares;
        for (int i = 0; i < shares.Count; i++)
            if (!groups.Groups.Contains(shares[i].Group) && !Grease.IsGrease((ushort)shares[i].Group))
                throw TlsProtocolException.Illegal($"key_share: a share for {NamedGroups.Name(shares[i].Group)}, which supported_groups does not list");
        var preferred = options.ShareGroups;
        for (int g = 0; g < preferred.Count; g++)
        {
            var group = preferred[g];
            if (!connection.Crypto.SupportsGroup(group)) continue;
            for (int i = 0; i < shares.Count; i++)
                if (shares[i].Group == group)
                    return (group, shares[i].KeyExchange);
        }
        var ours = options.Groups.Where(connection.Crypto.SupportsGroup).ToList();
        foreach (var group in ours)
            if (groups.Groups.Contains(group))
                return (group, null);
        throw new TlsProtocolException(AlertDescription.HandshakeFailure,
            $"no key exchange group in common: the client supports {string.Join(", ", groups.Groups.Select(g => NamedGroups.Name(g)))}");
    }

    internal static string? ChooseAlpn(TlsServerPolicy options, ClientHello hello) => ServerChoices.ChooseAlpn(options.ApplicationProtocols, hello);

    /// <summary>The certificate and scheme: the first of ours (in order) that can sign with a scheme the client accepts.</summary>
    internal static (ServerCertificate Certificate, SignatureScheme Scheme) ChooseCertificate(TlsServerPolicy options, ClientHello hello)
    {
        var accepted = hello.Extensions.Find<SignatureAlgorithmsExtension>()?.Schemes
            ?? throw new TlsProtocolException(AlertDescription.MissingExtension, "signature_algorithms is required for certificate authentication (RFC 8446 §4.2.3)");
        if (ServerChoices.ChooseCertificate(options.Certificates, _ => true, Defaults.SignaturesOf(options), accepted, tls13: true) is { } chosen)
            return chosen;
        throw new TlsProtocolException(AlertDescription.HandshakeFailure,
            $"no certificate can sign with a scheme the client accepts ({string.Join(", ", accepted.Select(s => SignatureSchemes.Name(s)))})");
    }

    private static CertificateRequest BuildCertificateRequest(TlsServerPolicy options)
    {
        var extensions = new ExtensionList { new SignatureAlgorithmsExtension([.. Defaults.SignaturesOf(options)]) };
        if (options.CertificateCompression) extensions.Add(CertificateCompression.Offer());
        if (options.TrustedIssuers.Count > 0)
            extensions.Add(new CertificateAuthoritiesExtension([.. options.TrustedIssuers.Select(c => c.SubjectName.RawData)]));
        return new CertificateRequest { Context = [], Extensions = extensions };
    }

    internal sealed record Resumption(int Index, byte[] Psk, TicketState State);

    /// <summary>
    /// psk_ke when the options opt into it (faster resumption, no forward secrecy) and it is the only mode the client
    /// offers: psk_dhe_ke, when offered, is preferred whatever the client's order (forward secrecy, issue 10 item 7).
    /// </summary>
    private static bool PskOnlyRequested(TlsServerPolicy options, ClientHello hello)
        => options.AllowPskWithoutKeyExchange
            && hello.Extensions.Find<PskKeyExchangeModesExtension>() is { } modes
            && modes.Modes.Contains(PskKeyExchangeMode.PskKe)
            && !modes.Modes.Contains(PskKeyExchangeMode.PskDheKe);

    private static Resumption? TryResume(TlsConnection connection, TlsServerPolicy options, ClientHello hello,
        CipherSuiteInfo suite, Transcript transcript, string? alpn, PskKeyExchangeMode mode)
    {
        var psk = hello.Extensions.Find<PreSharedKeyExtension>();
        var modes = hello.Extensions.Find<PskKeyExchangeModesExtension>();
        if (psk is null || modes is null || !options.EnableSessionTickets || !modes.Modes.Contains(mode))
            return null;
        var ring = connection.Listener!.TicketKeys;
        long now = connection.Time.GetUtcNow().ToUnixTimeMilliseconds();
        for (int i = 0; i < Math.Min(psk.Identities.Count, MaxPskIdentitiesTried); i++)
        {
            var opened = ring.Open(psk.Identities[i].Identity);
            if (opened is null || TicketState.Decode(opened) is not { } state) continue;
            var ticketSuite = CipherSuites.Info(state.CipherSuite);
            long age = now - state.IssuedUnixMilliseconds;
            uint clientAge = psk.Identities[i].ObfuscatedTicketAge - state.AgeAdd;
            bool fits = state.Version == ProtocolVersion.Tls13
                && ticketSuite?.PrfHash == suite.PrfHash
                && age >= 0 && age <= state.LifetimeSeconds * 1000L
                && Math.Abs(age - clientAge) <= 60_000
                && string.Equals(state.ServerName, connection.Info.ServerName, StringComparison.Ordinal)
                && string.Equals(state.ApplicationProtocol, alpn, StringComparison.Ordinal)
                && ClientAuthCarriesOver(options, state);
            if (!fits) continue;

            // The binder (§4.2.11.2): HMAC over the transcript up to the truncated ClientHello.
            using var schedule = new Tls13KeySchedule(suite.PrfHash, state.Psk);
            byte[] binderKey = schedule.BinderKey(resumption: true);
            byte[] partialHash = transcript.GetHashWith(hello.TruncatedForBinders().Span);
            bool valid = i < psk.Binders.Count
                && Tls13KeySchedule.VerifyFinished(suite.PrfHash, binderKey, partialHash, psk.Binders[i]);
            CryptographicOperations.ZeroMemory(binderKey);
            if (!valid)
                throw new TlsProtocolException(AlertDescription.DecryptError, $"the PSK binder of identity {i} does not verify");
            return new Resumption(i, state.Psk, state);
        }
        return null;
    }

    /// <summary>
    /// A resumed session skips CertificateRequest, so it brings the original session's verdict on the client's
    /// certificate. That verdict counts only under the policy that made it (same mode, trusted issuers,
    /// revocation setting, binding and server certificates); otherwise the server does a full handshake and judges afresh, as Go and
    /// rustls do. A policy that requires a certificate also needs a verified one.
    /// </summary>
    internal static bool ClientAuthCarriesOver(TlsServerPolicy policy, TicketState state)
        => state.PolicyFingerprint.AsSpan().SequenceEqual(policy.ClientAuthFingerprint)
            && (policy.ClientCertificateMode != ClientCertificateMode.Required || state.ClientCertificateStatus == ClientCertificateStatus.Verified);
}

/// <summary>What the server carries while waiting for the client's second flight.</summary>
internal sealed record PendingClientFlight(Tls13Keys Keys, TlsServerPolicy Options, ClientHello Hello, byte[]? ResumedClientCertificate);
