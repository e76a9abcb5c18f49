using SharpTls.KeySchedule;
using SharpTls.Messages;
using SharpTls.Sessions;
using SharpTls.Wire;

namespace SharpTls.Handshake.Tls13;

/// <summary>
/// An established TLS 1.3 connection (RFC 8446 §4.6): KeyUpdate in both directions, tickets
/// arriving at the client. Everything else is unexpected_message.
/// </summary>
internal sealed class Connected(Tls13Keys keys, bool isServer, bool postHandshakeAuth = false) : HandshakeState, IConnectedState, IDisposable
{
    // An idle connection keeps the traffic secrets, the transcript hash only for post-handshake auth,
    // and the resumption secret only at the client (tickets arrive later); the rest is zeroed now.
    private readonly Tls13Keys keys = keys.ReleaseHandshake(keepTranscript: postHandshakeAuth, keepResumptionSecret: !isServer);
    private PostHandshakeAuth.ServerExchange? _pendingAuth;

    public override bool IsConnected => true;

    /// <summary>True while a post-handshake CertificateRequest waits for its answer.</summary>
    public bool PostHandshakeAuthPending => _pendingAuth is not null;

    /// <summary>Server: asks for a client certificate now (the client must have offered post_handshake_auth).</summary>
    public void RequestClientCertificate(TlsConnection connection)
    {
        if (!isServer) throw new InvalidOperationException("only a server requests client certificates");
        if (!postHandshakeAuth) throw new InvalidOperationException("the client did not offer post_handshake_auth");
        if (_pendingAuth is not null) throw new InvalidOperationException("a post-handshake authentication is already under way");
        _pendingAuth = Tls13.PostHandshakeAuth.Request(connection, keys, connection.Policy!);
    }

    public override HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message)
    {
        if (_pendingAuth is not null && type is HandshakeType.Certificate or HandshakeType.CertificateVerify or HandshakeType.Finished)
        {
            if (_pendingAuth.Handle(connection, keys, connection.Policy!, type, message))
            {
                _pendingAuth.Dispose();
                _pendingAuth = null;
            }
            return this;
        }
        switch (type)
        {
            case HandshakeType.CertificateRequest when !isServer && postHandshakeAuth:
                Tls13.PostHandshakeAuth.Answer(connection, keys, connection.ClientOptions!, message);
                return this;
            case HandshakeType.KeyUpdate:
                var update = HandshakeMessage.Decode<KeyUpdate>(message, MessageContext.Tls13);
                if (update.RequestUpdate is not (KeyUpdateRequest.UpdateNotRequested or KeyUpdateRequest.UpdateRequested))
                    throw TlsProtocolException.Illegal($"KeyUpdate.request_update {(byte)update.RequestUpdate}");
                UpdateReadKeys(connection);
                // Answered when this batch of input is processed: many requests while we are silent get one update.
                if (update.RequestUpdate == KeyUpdateRequest.UpdateRequested) _updateOwed = true;
                return this;
            case HandshakeType.NewSessionTicket when !isServer:
                StoreTicket(connection, HandshakeMessage.Decode<NewSessionTicket>(message, MessageContext.Tls13));
                return this;
            default:
                throw Unexpected(type, isServer ? "KeyUpdate" : "KeyUpdate or NewSessionTicket");
        }
    }

    private bool _updateOwed;

    public void AnswerKeyUpdate(TlsConnection connection)
    {
        if (_updateOwed) SendKeyUpdate(connection, requestPeer: false);
    }

    /// <summary>Sends KeyUpdate under the current keys, then switches our write keys (RFC 8446 §4.6.3).</summary>
    public void SendKeyUpdate(TlsConnection connection, bool requestPeer)
    {
        _updateOwed = false;
        connection.SendHandshake(new KeyUpdate
        {
            RequestUpdate = requestPeer ? KeyUpdateRequest.UpdateRequested : KeyUpdateRequest.UpdateNotRequested,
        }.Encode());
        if (isServer)
            keys.ServerApplicationSecret = Next(keys.ServerApplicationSecret!);
        else
            keys.ClientApplicationSecret = Next(keys.ClientApplicationSecret!);
        connection.ChangeWriteProtection(keys.Protection(isServer ? keys.ServerApplicationSecret! : keys.ClientApplicationSecret!, connection.Settings));
    }

    private void UpdateReadKeys(TlsConnection connection)
    {
        if (isServer)
            keys.ClientApplicationSecret = Next(keys.ClientApplicationSecret!);
        else
            keys.ServerApplicationSecret = Next(keys.ServerApplicationSecret!);
        connection.ChangeReadProtection(keys.Protection(isServer ? keys.ClientApplicationSecret! : keys.ServerApplicationSecret!, connection.Settings), HandshakeType.KeyUpdate);
    }

    private byte[] Next(byte[] current)
    {
        byte[] next = Tls13KeySchedule.NextApplicationTrafficSecret(keys.Hash, current);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(current);
        return next;
    }

    private void StoreTicket(TlsConnection connection, NewSessionTicket ticket)
    {
        if (ticket.Lifetime > 7 * 24 * 3600)
            throw TlsProtocolException.Illegal($"NewSessionTicket.ticket_lifetime {ticket.Lifetime} s exceeds 7 days");
        if (connection.ClientOptions is not { SessionStore: { } store } options || ticket.Lifetime == 0) return;
        store.Add(SessionKey(options), new ClientTicket
        {
            Ticket = ticket.Ticket,
            Psk = Tls13KeySchedule.ResumptionPsk(keys.Hash, keys.ResumptionMasterSecret!, ticket.Nonce),
            CipherSuite = keys.Suite.Suite,
            AgeAdd = ticket.AgeAdd,
            LifetimeSeconds = ticket.Lifetime,
            Received = connection.Time.GetUtcNow(),
            ApplicationProtocol = connection.Info.ApplicationProtocol,
            ServerName = options.TargetHost,
            PeerCertificates = connection.Info.PeerCertificates,
        });
    }

    /// <summary>Where a client keeps its tickets: per target host.</summary>
    internal static string SessionKey(TlsClientOptions options) => options.TargetHost ?? "";

    public void Dispose()
    {
        _pendingAuth?.Dispose();
        keys.Dispose();
    }
}
