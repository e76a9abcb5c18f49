using SharpTls.Handshake.Tls12;
using SharpTls.KeySchedule;
using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Sessions;
using SharpTls.Wire;

namespace SharpTls.Handshake.Client.Tls12;

/// <summary>
/// A TLS 1.2 ServerHello (RFC 5246 §7.4.1.3), or one of a legacy version our switches allow (TLS 1.1, 1.0, SSL 3.0), answering our hello: check the suite, the compression
/// method and renegotiation_info (RFC 5746 §3.4), note the extended master secret (RFC 7627) and
/// encrypt-then-MAC (RFC 7366); the server echoing the session ID we offered with a session resumes it
/// (abbreviated handshake), anything else is a full handshake.
/// </summary>
internal static class ServerHelloHandler
{
    public static HandshakeState Accept(TlsConnection connection, HelloTemplate template, ClientHello sent, ServerHello hello, ReadOnlyMemory<byte> message,
        ProtocolVersion version)
    {
        var suite = (CipherSuite)hello.CipherSuite;
        if (!template.Suites.Contains(suite) || !Tls12Suites.IsImplemented(suite) || !Tls12Suites.AllowedIn(suite, version)
            || (version >= ProtocolVersion.Tls12 && Tls12Suites.LegacyOnly.Contains(suite)))
            throw TlsProtocolException.Illegal($"the server chose {CipherSuites.Name(hello.CipherSuite)}, which we did not offer for {ProtocolVersions.Name(version)}");
        if (hello.CompressionMethod != CompressionMethod.Null)
            throw TlsProtocolException.Illegal("compression_method must be null");
        var renegotiationInfo = hello.Extensions.Find<RenegotiationInfoExtension>();
        if (connection.Session is { } previous)
            // RFC 5746 §3.5: a renegotiating ServerHello carries both verify_data of the handshake before.
            SharpTls.Handshake.Tls12.Renegotiation.CheckRenegotiatedConnection(
                renegotiationInfo?.RenegotiatedConnection ?? throw new TlsProtocolException(AlertDescription.HandshakeFailure, "the renegotiating ServerHello carries no renegotiation_info (RFC 5746 §3.5)"),
                SharpTls.Handshake.Tls12.Renegotiation.ServerRenegotiationInfo(previous), "ServerHello");
        else if (renegotiationInfo is { RenegotiatedConnection.Length: > 0 })
            throw new TlsProtocolException(AlertDescription.HandshakeFailure, "renegotiation_info is not empty on an initial handshake (RFC 5746 §3.4)");
        if (hello.Extensions.Find<EcPointFormatsExtension>() is { } formats && !formats.Formats.Contains(EcPointFormat.Uncompressed))
            throw TlsProtocolException.Illegal("ec_point_formats does not list uncompressed (RFC 8422 §5.1.2)");
        bool ems = hello.Extensions.Find<ExtendedMasterSecretExtension>() is not null;
        var info = CipherSuites.Info(suite);
        bool etm = hello.Extensions.Find<EncryptThenMacExtension>() is not null;
        if (etm && info.Mode != BulkCipherMode.Cbc)
            throw TlsProtocolException.Illegal($"encrypt_then_mac with {info.Name}, which is not a CBC suite (RFC 7366 §3)");
        connection.Info.Version = version;
        connection.Info.CipherSuite = suite;
        connection.Records.Version = version;
        connection.Records.RecordVersion = (ushort)version;
        if (hello.Extensions.Find<AlpnExtension>() is { } alpn)
        {
            string chosen = System.Text.Encoding.ASCII.GetString(alpn.Protocols.Count == 1 ? alpn.Protocols[0] : []);
            if (alpn.Protocols.Count != 1 || !template.Options.ApplicationProtocols.Contains(chosen))
                throw TlsProtocolException.Illegal("ALPN: the server must select exactly one protocol we offered");
            connection.Info.ApplicationProtocol = chosen;
        }
        // A TLS 1.2 CertificateVerify signs the raw messages: keep them while we may have to send one.
        var transcript = new Transcript(Tls12Secrets.TranscriptHash(version, info), keepMessages: template.Options.ClientCertificate is not null && version >= ProtocolVersion.Tls12);
        transcript.Add(sent.Raw.Span);
        transcript.Add(message.Span);
        var secrets = new Tls12Secrets(version, info, transcript, template.Random, hello.Random, ems, etm);
        var context = new Tls12ClientContext(template, hello.SessionId, hello.Extensions.Find<SessionTicketExtension>() is not null,
            SecureRenegotiation: renegotiationInfo is not null)
        {
            StatusExpected = hello.Extensions.Find<StatusRequestExtension>() is not null,
        };
        template.AcceptRecordSize(connection, hello.Extensions, tls13: false);

        bool echoed = hello.SessionId.Length > 0 && hello.SessionId.AsSpan().SequenceEqual(sent.SessionId);
        if (echoed)
        {
            var offered = template.Tls12Session;
            if (offered is null)
                throw TlsProtocolException.Illegal("the server echoed a session ID we offered no session for");
            if (offered.CipherSuite != suite || offered.Version != version)
                throw TlsProtocolException.Illegal($"the server resumed our session with {CipherSuites.Name(hello.CipherSuite)}; the session has {offered.CipherSuite} (RFC 5246 §7.4.1.3)");
            if (!ems && version != ProtocolVersion.Ssl3)
                throw new TlsProtocolException(AlertDescription.HandshakeFailure, "the server resumed an extended-master-secret session without the extension (RFC 7627 §5.3)");
            secrets.ResumeMasterSecret(offered.MasterSecret, connection.Services.KeyLog);
            connection.Info.PeerCertificates = offered.PeerCertificates;
            return context.TicketExpected ? new ExpectNewSessionTicket(context, secrets, resumed: true) : new ExpectResumedChangeCipherSpec(context, secrets, ticket: null);
        }
        // A full handshake: the session we offered (if any) was not taken.
        if (template.Tls12Session is not null) template.Options.SessionStore?.RemoveTls12(SharpTls.Handshake.Tls13.Connected.SessionKey(template.Options));
        return new ExpectCertificate(context, secrets);
    }
}

/// <summary>The facts of one TLS 1.2 client handshake that its states share.</summary>
internal sealed record Tls12ClientContext(HelloTemplate Template, byte[] ServerSessionId, bool TicketExpected, bool SecureRenegotiation)
{
    /// <summary>The server answered status_request: a CertificateStatus may follow its Certificate (RFC 6066 §8).</summary>
    public bool StatusExpected { get; init; }

    /// <summary>The client_version of our ClientHello (legacy_version), which RSA key transport puts in the pre-master secret.</summary>
    public ProtocolVersion OfferedVersion => Template.ClientVersion;

    /// <summary>Full handshake: the verify_data of the Finished we sent (the session keeps it for renegotiation).</summary>
    public byte[] ClientVerifyData { get; set; } = [];

    /// <summary>The default lifetime of a session we keep (a ticket's hint overrides it).</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(10);

    /// <summary>Remembers the session for resumption when it can be resumed (an ID or a ticket, and the extended master secret).</summary>
    public void StoreSession(TlsConnection connection, Tls12Secrets secrets, byte[]? ticket, uint ticketLifetime)
    {
        var store = Template.Options.SessionStore;
        // RFC 7627 §5.3: only sessions with the extended master secret are kept, except SSL 3.0's, which cannot have it.
        if (store is null || (!secrets.ExtendedMasterSecret && secrets.Version != ProtocolVersion.Ssl3) || (ServerSessionId.Length == 0 && ticket is null)) return;
        store.AddTls12(SharpTls.Handshake.Tls13.Connected.SessionKey(Template.Options), new Tls12ClientSession
        {
            Version = secrets.Version,
            CipherSuite = secrets.Suite.Suite,
            SessionId = ServerSessionId,
            Ticket = ticket,
            MasterSecret = [.. secrets.MasterSecret!],
            ExtendedMasterSecret = secrets.ExtendedMasterSecret,
            Created = connection.Time.GetUtcNow(),
            Lifetime = ticketLifetime > 0 ? TimeSpan.FromSeconds(Math.Min(ticketLifetime, 7 * 24 * 3600)) : SessionLifetime,
            PeerCertificates = connection.Info.PeerCertificates,
        });
    }
}
