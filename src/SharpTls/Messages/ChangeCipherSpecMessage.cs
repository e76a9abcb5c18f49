using SharpTls.Wire;

namespace SharpTls.Messages;

/// <summary>
/// The change_cipher_spec record's content (RFC 5246 §7.1; RFC 8446 §5 for the TLS 1.3
/// middlebox-compatibility record): exactly one byte of value 1.
/// <code>struct { enum { change_cipher_spec(1), (255) } type; } ChangeCipherSpec;</code>
/// Anything else is unexpected_message, as RFC 8446 §5 requires.
/// </summary>
internal static class ChangeCipherSpecMessage
{
    /// <summary>The only valid value.</summary>
    public const byte Value = 1;

    /// <summary>The one-byte record content.</summary>
    public static byte[] Encode() => [Value];

    /// <summary>Checks a received change_cipher_spec content.</summary>
    public static void Decode(ReadOnlySpan<byte> content)
    {
        if (content.Length != 1 || content[0] != Value)
            throw new TlsProtocolException(AlertDescription.UnexpectedMessage,
                $"ChangeCipherSpec: content must be the single byte 0x01 ({content.Length} byte(s) received)");
    }
}
