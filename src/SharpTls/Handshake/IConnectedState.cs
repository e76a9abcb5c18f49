namespace SharpTls.Handshake;

/// <summary>The state of an established connection that can update its keys (TLS 1.3).</summary>
internal interface IConnectedState
{
    /// <summary>Queues a KeyUpdate and switches the write keys.</summary>
    void SendKeyUpdate(TlsConnection connection, bool requestPeer);

    /// <summary>Answers the peer's update_requested, once for all received since we last spoke (RFC 8446 §4.6.3).</summary>
    void AnswerKeyUpdate(TlsConnection connection);
}
