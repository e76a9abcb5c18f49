using SharpTls.Handshake.Tls12;
using SharpTls.Messages;
using SharpTls.Wire;

namespace SharpTls.Handshake.Client.Tls12;

/// <summary>
/// Abbreviated handshake (RFC 5246 §7.3, Figure 2): the server's ChangeCipherSpec comes first, right
/// after ServerHello (and a renewed ticket); it switches our read keys.
/// </summary>
internal sealed class ExpectResumedChangeCipherSpec(Tls12ClientContext context, Tls12Secrets secrets, byte[]? ticket, uint ticketLifetime = 0)
    : HandshakeState, IChangeCipherSpecState, IDisposable
{
    public override HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message)
        => throw Unexpected(type, "ChangeCipherSpec (resuming)");

    public HandshakeState OnChangeCipherSpec(TlsConnection connection)
    {
        connection.ChangeReadProtection(secrets.Protection(clientWrite: false, connection.Crypto.Fill),
            context.TicketExpected ? HandshakeType.NewSessionTicket : HandshakeType.ServerHello);
        return new ExpectResumedFinished(context, secrets, ticket, ticketLifetime);
    }

    public void Dispose() => secrets.Dispose();
}

/// <summary>Abbreviated handshake: the server's Finished comes first; we answer with our ChangeCipherSpec and Finished.</summary>
internal sealed class ExpectResumedFinished(Tls12ClientContext context, Tls12Secrets secrets, byte[]? ticket, uint ticketLifetime) : HandshakeState, IExpectFinished, IDisposable
{
    public override HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message)
    {
        if (type != HandshakeType.Finished) throw Unexpected(type, "the server's Finished (resuming)");
        var finished = HandshakeMessage.Decode<Finished>(message, MessageContext.Negotiated(secrets.Version, (ushort)secrets.Suite.Suite) with { VerifyDataLength = secrets.VerifyDataLength });
        byte[] serverVerify = secrets.CheckFinished(fromClient: false, finished.VerifyData);
        secrets.Transcript.Add(message.Span);
        byte[] clientVerify = Tls12Finished.Send(connection, secrets, client: true);
        var offered = context.Template.Tls12Session!;
        context.StoreSession(connection, secrets, ticket ?? offered.Ticket, ticket is null ? (uint)offered.Lifetime.TotalSeconds : ticketLifetime);
        return Tls12Finished.Complete(connection, secrets, clientVerify, serverVerify, resumed: true, context.SecureRenegotiation, context.ServerSessionId);
    }

    public void Dispose() => secrets.Dispose();
}
