namespace SharpTls.Handshake;

/// <summary>The state of an established connection that can update its keys (TLS 1.3).</summary>
internal interface IConnectedState
{
    /// <summary>Queues a KeyUpdate and switches the write keys.</summary>
    void SendKeyUpdate(TlsConnection connection, bool requestPeer);

    /// <summary>Server: sends a post-handshake CertificateRequest (TLS 1.3).</summary>
    void RequestClientCertificate(TlsConnection connection);

    /// <summary>True while a post-handshake authentication waits for the client.</summary>
    bool PostHandshakeAuthPending { get; }
}
