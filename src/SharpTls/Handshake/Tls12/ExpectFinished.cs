using SharpTls.Messages;
using SharpTls.Wire;

namespace SharpTls.Handshake.Tls12;

/// <summary>
/// The peer's Finished (RFC 5246 §7.4.9), checked in constant time. The server then answers with
/// its ChangeCipherSpec and Finished; the client's handshake is complete.
/// </summary>
internal sealed class ExpectFinished(Tls12Keys keys, bool isServer) : HandshakeState, IDisposable
{
    public override HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message)
    {
        if (type != HandshakeType.Finished) throw Unexpected(type, isServer ? "the client's Finished" : "the server's Finished");
        var finished = HandshakeMessage.Decode<Finished>(message, MessageContext.Negotiated(ProtocolVersion.Tls12, (ushort)keys.Suite.Suite) with { VerifyDataLength = 12 });
        keys.CheckFinished(fromClient: isServer, finished.VerifyData);
        keys.Transcript.Add(message.Span);
        if (isServer) SendFinished(connection, keys, client: false);
        var info = connection.Info;
        connection.Establish(new TlsSession
        {
            Version = ProtocolVersion.Tls12,
            CipherSuite = keys.Suite.Suite,
            ServerName = info.ServerName,
            ApplicationProtocol = info.ApplicationProtocol,
            PeerCertificates = info.PeerCertificates,
            ClientCertificateVerdict = info.ClientCertificateVerdict,
            Resumed = info.Resumed,
            MasterSecret = keys.MasterSecret is { } master ? [.. master] : null,
            ExtendedMasterSecret = keys.ExtendedMasterSecret,
        });
        var connected = new Connected(isServer);
        keys.Dispose();
        return connected;
    }

    /// <summary>Queues ChangeCipherSpec, switches the write keys, and sends our Finished.</summary>
    internal static void SendFinished(TlsConnection connection, Tls12Keys keys, bool client)
    {
        connection.SendDummyChangeCipherSpec();
        connection.ChangeWriteProtection(keys.Protection(clientWrite: client));
        byte[] bytes = new Finished { VerifyData = keys.FinishedVerifyData(client) }.Encode();
        keys.Transcript.Add(bytes);
        connection.SendHandshake(bytes);
    }

    public void Dispose() => keys.Dispose();
}
