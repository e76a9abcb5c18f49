using SharpTls.Handshake.Tls12;
using SharpTls.Messages;
using SharpTls.Wire;

namespace SharpTls.Handshake.Server.Tls12;

/// <summary>
/// Full handshake: the client's Finished (RFC 5246 §7.4.9), checked in constant time; then ours, after
/// a NewSessionTicket when the client asked for tickets (RFC 5077 §3.3), and the session is established
/// (and stored under its session ID when it has one).
/// </summary>
internal sealed class ExpectFinished(Tls12ServerContext context, Tls12Secrets secrets) : HandshakeState, IExpectFinished, IDisposable
{
    public override HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message)
    {
        if (type != HandshakeType.Finished) throw Unexpected(type, "the client's Finished");
        var finished = HandshakeMessage.Decode<Finished>(message, MessageContext.Negotiated(secrets.Version, (ushort)secrets.Suite.Suite) with { VerifyDataLength = secrets.VerifyDataLength });
        byte[] clientVerify = secrets.CheckFinished(fromClient: true, finished.VerifyData);
        secrets.Transcript.Add(message.Span);
        context.SendTicket(connection, secrets);
        byte[] serverVerify = Tls12Finished.Send(connection, secrets, client: false);
        byte[]? cached = context.SessionId.Length > 0 && (secrets.ExtendedMasterSecret || context.SessionsNeedNoExtendedMasterSecret)
            ? context.SealedSession(connection, secrets) : null;
        var connected = Tls12Finished.Complete(connection, secrets, clientVerify, serverVerify, resumed: false, context.SecureRenegotiation, context.SessionId);
        // The session goes into the cache (perhaps Redis) under its ID; the connection waits for the host to store it.
        return cached is null ? connected
            : new AwaitSessionStore(new SessionStoreRequest(context.SessionId, cached, Tls12ServerContext.SessionLifetime), _ => connected);
    }

    public void Dispose() => secrets.Dispose();
}
