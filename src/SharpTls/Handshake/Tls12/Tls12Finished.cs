using SharpTls.Messages;

namespace SharpTls.Handshake.Tls12;

/// <summary>The steps around Finished that both sides and both handshake kinds share (RFC 5246 §7.1, §7.4.9).</summary>
internal static class Tls12Finished
{
    /// <summary>Queues our ChangeCipherSpec, switches the write keys, sends our Finished; returns its verify_data.</summary>
    public static byte[] Send(TlsConnection connection, Tls12Secrets secrets, bool client)
    {
        connection.SendChangeCipherSpec(secrets.Protection(clientWrite: client, connection.Crypto.Fill));
        byte[] verifyData = secrets.FinishedVerifyData(client);
        connection.SendHandshake(new Finished { VerifyData = verifyData }, secrets.Transcript);
        return verifyData;
    }

    /// <summary>
    /// Both Finished exchanged: the session is established (with what resumption and secure renegotiation,
    /// RFC 5746 §3.1, need: the master secret, both verify_data) and the handshake's secrets are dropped.
    /// </summary>
    public static HandshakeState Complete(TlsConnection connection, Tls12Secrets secrets, byte[] clientVerifyData, byte[] serverVerifyData,
        bool resumed, bool secureRenegotiation, byte[] sessionId)
    {
        var info = connection.Info;
        info.Resumed = resumed;
        connection.Establish(new TlsSession
        {
            Version = secrets.Version,
            CipherSuite = secrets.Suite.Suite,
            ServerName = info.ServerName,
            ApplicationProtocol = info.ApplicationProtocol,
            PeerCertificates = info.PeerCertificates,
            ClientCertificateVerdict = info.ClientCertificateVerdict,
            Resumed = resumed,
            MasterSecret = [.. secrets.MasterSecret!],
            SessionId = sessionId,
            ExtendedMasterSecret = secrets.ExtendedMasterSecret,
            SecureRenegotiation = secureRenegotiation,
            ClientVerifyData = clientVerifyData,
            ServerVerifyData = serverVerifyData,
        });
        var connected = new Connected(connection.IsServer);
        secrets.Dispose();
        return connected;
    }
}
