using SharpTls.Messages;

namespace SharpTls.Crypto;

/// <summary>
/// A replay seam for published transcripts (RFC 8448), implemented by test providers only: the
/// client engine hands every ClientHello it builds to <see cref="ReplaceClientHello"/> and then
/// treats the returned message as the one it sent (transcript, PSK binders, session id echo,
/// middlebox-compatibility ChangeCipherSpec). A replay provider returns a recorded hello whose
/// extension set or order this engine would not produce, after checking that every value the
/// engine did derive (random, key shares, PSK identity and binder) is the recorded one.
/// </summary>
internal interface IHandshakeReplay
{
    /// <summary>The ClientHello to send instead of <paramref name="built"/> (encoded or decoded: <see cref="HandshakeMessage.Raw"/> is set).</summary>
    ClientHello ReplaceClientHello(ClientHello built);
}
