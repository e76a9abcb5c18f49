using SharpTls.Handshake.Tls12;
using SharpTls.Handshake.Tls12.KeyExchange;
using SharpTls.KeySchedule;
using SharpTls.Messages;
using SharpTls.Wire;

namespace SharpTls.Handshake.Server.Tls12;

/// <summary>
/// The server's flight of a full TLS 1.2 handshake (RFC 5246 §7.3): ServerHello, Certificate,
/// ServerKeyExchange when the key exchange has one (signed over both randoms and the parameters),
/// CertificateRequest when the policy asks for a client certificate, ServerHelloDone; then the client's
/// Certificate (when asked for) and ClientKeyExchange.
/// </summary>
internal static class FullHandshake
{
    /// <summary>RFC 8446 §4.1.3: the last 8 bytes of a TLS 1.2 ServerHello.random from a server that also speaks TLS 1.3.</summary>
    private static ReadOnlySpan<byte> DowngradeTls12 => "DOWNGRD\u0001"u8;

    /// <summary>RFC 8446 §4.1.3: the last 8 bytes of a TLS 1.1-or-older ServerHello.random from a server that also speaks TLS 1.2 or 1.3.</summary>
    private static ReadOnlySpan<byte> DowngradeTls11 => "DOWNGRD\u0000"u8;

    /// <summary>One message of the plaintext flight, in a record of its own (<see cref="TlsConnection.EndHandshakeRecord"/>),
    /// encoded in the connection's scratch writer (no array per message, as the TLS 1.3 flight does).</summary>
    private static void Send(TlsConnection connection, Transcript transcript, HandshakeMessage message)
    {
        connection.SendHandshake(message, transcript);
        connection.EndHandshakeRecord();
    }

    public static HandshakeState Start(TlsConnection connection, Tls12ServerContext context)
    {
        var options = context.Options;
        bool requestCertificate = options.ClientCertificateMode != ClientCertificateMode.None;
        var choice = Tls12Negotiation.Choose(connection, options, context.Hello, context.Version, context.EnabledSuites);
        var suite = choice.Suite;
        var info = connection.Info;
        info.CipherSuite = suite.Suite;
        info.Group = choice.Group == 0 ? null : choice.Group;
        info.ApplicationProtocol = context.Alpn;
        info.LocalCertificate = choice.Certificate.Certificate;
        info.SignatureScheme = choice.Scheme;

        byte[] random = new byte[32];
        connection.Crypto.Fill(random);
        if (context.Version == ProtocolVersion.Tls12 && options.Versions.HasFlag(TlsVersions.Tls13)) DowngradeTls12.CopyTo(random.AsSpan(24));
        else if (context.Version < ProtocolVersion.Tls12 && (options.Versions & (TlsVersions.Tls12 | TlsVersions.Tls13)) != 0) DowngradeTls11.CopyTo(random.AsSpan(24));
        // Seed 004: a new session ID when the server will resume by ID; none when it will not, or resumes by ticket (RFC 5077 §3.4).
        if (!context.IssueTicket && context.UsesSessionIds(connection))
        {
            context.SessionId = new byte[32];
            connection.Crypto.Fill(context.SessionId);
        }

        // A TLS 1.2 CertificateVerify signs the raw messages: keep them only when we will ask for one (older versions sign the running MD5+SHA-1).
        var transcript = new Transcript(Tls12Secrets.TranscriptHash(context.Version, suite), keepMessages: requestCertificate && context.Version >= ProtocolVersion.Tls12);
        transcript.Add(context.Hello.Raw.Span);
        var extensions = context.ServerHelloExtensions(suite, full: true);
        // RFC 6066 §8: an empty status_request in ServerHello promises the CertificateStatus that follows Certificate.
        byte[]? staple = context.Version == ProtocolVersion.Ssl3 ? null : choice.Certificate.StapleFor(context.Hello);
        if (staple is not null) extensions.Add(new Messages.Extensions.StatusRequestExtension());
        info.OcspResponse = staple;
        var secrets = new Tls12Secrets(context.Version, suite, transcript, context.Hello.Random, random, context.ExtendedMasterSecret,
            extensions.Find<Messages.Extensions.EncryptThenMacExtension>() is not null);
        ITls12KeyExchange? exchange = null;
        bool ok = false;
        try
        {
            exchange = choice.CreateKeyExchange(connection.Crypto, (ushort)context.Hello.LegacyVersion, context.Version);
            Send(connection, transcript, new ServerHello
            {
                LegacyVersion = context.Version,
                Random = random,
                SessionId = context.SessionId,
                CipherSuite = (ushort)suite.Suite,
                Extensions = extensions,
                OmitExtensions = extensions.Count == 0,
            });
            // The certificate_list made once per certificate (RawData copies the DER on each call); entries without extensions are TLS 1.2's form.
            Send(connection, transcript, new CertificateMessage { Entries = choice.Certificate.Entries() });
            if (staple is not null) Send(connection, transcript, new CertificateStatus { OcspResponse = staple });
            if (exchange.ServerParams() is { } unsigned)
            {
                byte[] signed = secrets.SignedParams(unsigned.EncodeParams());
                byte[] signature = context.Version >= ProtocolVersion.Tls12
                    ? choice.Certificate.Sign(connection.Crypto, choice.Scheme!.Value, signed)
                    : LegacySignatures.Sign(connection.Crypto, choice.Certificate.Certificate, LegacySignatures.Md5Sha1(signed));
                Send(connection, transcript, new ServerKeyExchange
                {
                    KeyExchange = unsigned.KeyExchange, Group = unsigned.Group, DhP = unsigned.DhP, DhG = unsigned.DhG, PublicKey = unsigned.PublicKey,
                    SignatureScheme = context.Version >= ProtocolVersion.Tls12 ? choice.Scheme : null, Signature = signature,
                });
            }
            if (requestCertificate) Send(connection, transcript, ClientAuthentication.Request(options, context.Version));
            Send(connection, transcript, new ServerHelloDone());
            ok = true;
            if (!requestCertificate)
            {
                // No CertificateVerify can come: the transcript needs its hash only.
                transcript.DropMessages();
                return new ExpectClientKeyExchange(context, secrets, exchange, clientCertificate: null);
            }
            return new ExpectCertificate(context, secrets, exchange);
        }
        finally
        {
            if (!ok)
            {
                exchange?.Dispose();
                secrets.Dispose();
            }
        }
    }
}
