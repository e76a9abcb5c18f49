using SharpTls.Handshake.Tls12;
using SharpTls.KeySchedule;
using SharpTls.Messages;
using SharpTls.Sessions;
using SharpTls.Wire;

namespace SharpTls.Handshake.Server.Tls12;

/// <summary>
/// The server's side of an abbreviated handshake (RFC 5246 §7.3, Figure 2; RFC 5077 §3.1): ServerHello
/// echoing the client's session ID, a renewed ticket when the client asked for tickets, then our
/// ChangeCipherSpec and Finished first, with the resumed session's master secret.
/// </summary>
internal static class AbbreviatedHandshake
{
    public static HandshakeState Start(TlsConnection connection, Tls12ServerContext context, Tls12SessionState session)
    {
        var suite = CipherSuites.Info((CipherSuite)session.CipherSuite);
        var info = connection.Info;
        info.CipherSuite = suite.Suite;
        info.ApplicationProtocol = context.Alpn;
        info.Resumed = true;
        // The original session's verdict on the client's certificate carries over (the policy fingerprint matched).
        info.ClientCertificateVerdict = new ClientCertificateVerdict(session.ClientCertificateStatus, [], session.PolicyFingerprint, fromResumedSession: true);
        if (session.ClientCertificate is { } leaf) info.PeerCertificates = new Certificates.PeerCertificateList([Certificates.PeerDerPool.Intern(leaf)]);

        byte[] random = new byte[32];
        connection.Crypto.Fill(random);
        var transcript = new Transcript(Tls12Secrets.TranscriptHash(context.Version, suite));
        transcript.Add(context.Hello.Raw.Span);
        var extensions = context.ServerHelloExtensions(suite, full: false);
        var secrets = new Tls12Secrets(context.Version, suite, transcript, context.Hello.Random, random, session.ExtendedMasterSecret,
            extensions.Find<Messages.Extensions.EncryptThenMacExtension>() is not null);
        bool ok = false;
        try
        {
            secrets.ResumeMasterSecret(session.MasterSecret, connection.Services.KeyLog);
            connection.SendMessage(transcript, new ServerHello
            {
                LegacyVersion = context.Version,
                Random = random,
                SessionId = context.Hello.SessionId,
                CipherSuite = (ushort)suite.Suite,
                Extensions = extensions,
                OmitExtensions = extensions.Count == 0,
            });
            context.SendTicket(connection, secrets);
            byte[] serverVerify = Tls12Finished.Send(connection, secrets, client: false);
            ok = true;
            return new ExpectResumedChangeCipherSpec(context, secrets, serverVerify);
        }
        finally
        {
            if (!ok) secrets.Dispose();
        }
    }
}

/// <summary>Abbreviated handshake: the client's ChangeCipherSpec, after our Finished.</summary>
internal sealed class ExpectResumedChangeCipherSpec(Tls12ServerContext context, Tls12Secrets secrets, byte[] serverVerifyData) : HandshakeState, IChangeCipherSpecState, IDisposable
{
    public override HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message)
        => throw Unexpected(type, "ChangeCipherSpec");

    public HandshakeState OnChangeCipherSpec(TlsConnection connection)
    {
        connection.ChangeReadProtection(secrets.Protection(clientWrite: true, connection.Crypto.Fill), HandshakeType.ClientHello);
        return new ExpectResumedFinished(context, secrets, serverVerifyData);
    }

    public void Dispose() => secrets.Dispose();
}

/// <summary>Abbreviated handshake: the client's Finished, which comes second; then the session is established.</summary>
internal sealed class ExpectResumedFinished(Tls12ServerContext context, Tls12Secrets secrets, byte[] serverVerifyData) : HandshakeState, IExpectFinished, IDisposable
{
    public override HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message)
    {
        if (type != HandshakeType.Finished) throw Unexpected(type, "the client's Finished");
        var finished = HandshakeMessage.Decode<Finished>(message, MessageContext.Negotiated(secrets.Version, (ushort)secrets.Suite.Suite) with { VerifyDataLength = secrets.VerifyDataLength });
        byte[] clientVerify = secrets.CheckFinished(fromClient: true, finished.VerifyData);
        secrets.Transcript.Add(message.Span);
        return Tls12Finished.Complete(connection, secrets, clientVerify, serverVerifyData, resumed: true, context.SecureRenegotiation, context.Hello.SessionId);
    }

    public void Dispose() => secrets.Dispose();
}
