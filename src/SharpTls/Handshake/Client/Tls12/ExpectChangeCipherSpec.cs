using SharpTls.Handshake.Tls12;
using SharpTls.Messages;
using SharpTls.Wire;

namespace SharpTls.Handshake.Client.Tls12;

/// <summary>Full handshake: the server's ChangeCipherSpec (RFC 5246 §7.1), after our Finished; it switches our read keys.</summary>
internal sealed class ExpectChangeCipherSpec(Tls12ClientContext context, Tls12Secrets secrets, byte[]? ticket, uint ticketLifetime)
    : HandshakeState, IChangeCipherSpecState, IDisposable
{
    public override HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message)
        => throw Unexpected(type, context.TicketExpected ? "ChangeCipherSpec" : "NewSessionTicket or ChangeCipherSpec");

    public HandshakeState OnChangeCipherSpec(TlsConnection connection)
    {
        connection.ChangeReadProtection(secrets.Protection(clientWrite: false, connection.Crypto.Fill),
            context.TicketExpected ? HandshakeType.NewSessionTicket : HandshakeType.ServerHelloDone);
        return new ExpectFinished(context, secrets, ticket, ticketLifetime);
    }

    public void Dispose() => secrets.Dispose();
}

/// <summary>Full handshake: the server's Finished, which comes second; then the session is established and kept for resumption.</summary>
internal sealed class ExpectFinished(Tls12ClientContext context, Tls12Secrets secrets, byte[]? ticket, uint ticketLifetime) : HandshakeState, IExpectFinished, IDisposable
{
    public override HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message)
    {
        if (type != HandshakeType.Finished) throw Unexpected(type, "the server's Finished");
        var finished = HandshakeMessage.Decode<Finished>(message, MessageContext.Negotiated(secrets.Version, (ushort)secrets.Suite.Suite) with { VerifyDataLength = secrets.VerifyDataLength });
        byte[] serverVerify = secrets.CheckFinished(fromClient: false, finished.VerifyData);
        secrets.Transcript.Add(message.Span);
        context.StoreSession(connection, secrets, ticket, ticketLifetime);
        return Tls12Finished.Complete(connection, secrets, context.ClientVerifyData, serverVerify, resumed: false, context.SecureRenegotiation, context.ServerSessionId);
    }

    public void Dispose() => secrets.Dispose();
}
