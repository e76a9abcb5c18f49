using SharpTls.KeySchedule;
using SharpTls.Messages;

namespace SharpTls.Handshake;

/// <summary>The one way a state sends a handshake message: encode, add to the transcript, queue.</summary>
internal static class HandshakeSend
{
    /// <summary>Encodes <paramref name="message"/>, adds it to <paramref name="transcript"/> and queues it; returns the bytes.</summary>
    public static byte[] SendMessage(this TlsConnection connection, Transcript transcript, HandshakeMessage message)
    {
        byte[] bytes = message.Encode();
        transcript.Add(bytes);
        connection.SendHandshake(bytes);
        return bytes;
    }
}
