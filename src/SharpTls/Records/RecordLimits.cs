using SharpTls.Wire;

namespace SharpTls.Records;

/// <summary>
/// Sizes of the record layer (RFC 5246 §6.2, RFC 8446 §5.1-§5.2) and the per-type rules on
/// record contents that hold whether a record arrived in the clear or was just decrypted.
/// </summary>
internal static class RecordLimits
{
    /// <summary>Bytes of a TLS record header: type(1) version(2) length(2).</summary>
    public const int HeaderLength = 5;

    /// <summary>TLSPlaintext.length and TLSCompressed.length at most 2^14.</summary>
    public const int MaxPlaintextLength = 1 << 14;

    /// <summary>TLSCiphertext.length at most 2^14 + 2048 up to TLS 1.2 (RFC 5246 §6.2.3).</summary>
    public const int MaxCiphertextLengthTls12 = (1 << 14) + 2048;

    /// <summary>TLSCiphertext.length at most 2^14 + 256 in TLS 1.3 (RFC 8446 §5.2).</summary>
    public const int MaxCiphertextLengthTls13 = (1 << 14) + 256;

    /// <summary>A TLSInnerPlaintext (content + type + zeros) is at most 2^14 + 1 bytes (RFC 8446 §5.4).</summary>
    public const int MaxInnerPlaintextLength = (1 << 14) + 1;

    /// <summary>The largest protected fragment allowed for a version (TLS 1.3 or earlier).</summary>
    public static int MaxCiphertextLength(ushort version)
        => version >= (ushort)ProtocolVersion.Tls13 ? MaxCiphertextLengthTls13 : MaxCiphertextLengthTls12;

    /// <summary>True for the content types this stack accepts on the wire (20..23).</summary>
    public static bool IsKnownContentType(byte type)
        => type is (byte)ContentType.ChangeCipherSpec or (byte)ContentType.Alert
            or (byte)ContentType.Handshake or (byte)ContentType.ApplicationData;

    /// <summary>
    /// The rules on an unprotected (or just decrypted) record's content, by type:
    /// no fragment may exceed 2^14 (<c>record_overflow</c>); zero-length Handshake fragments are
    /// forbidden, and so are zero-length Alert fragments (RFC 5246 §6.2.1, RFC 8446 §5.1:
    /// <c>unexpected_message</c>, as the record carries no message at all); a ChangeCipherSpec record
    /// holds exactly one byte, so an empty one is <c>decode_error</c>. Zero-length application data is
    /// allowed (a traffic-analysis countermeasure).
    /// </summary>
    public static void CheckPlaintext(ContentType type, int length)
    {
        if (length > MaxPlaintextLength)
            throw new TlsProtocolException(AlertDescription.RecordOverflow,
                $"{TypeName(type)} record: plaintext length {length} exceeds 2^14");
        if (length != 0) return;
        switch (type)
        {
            case ContentType.Handshake:
                throw new TlsProtocolException(AlertDescription.UnexpectedMessage,
                    "handshake record: zero-length fragment (RFC 8446 §5.1)");
            case ContentType.Alert:
                throw new TlsProtocolException(AlertDescription.UnexpectedMessage,
                    "alert record: zero-length fragment (RFC 8446 §5.1)");
            case ContentType.ChangeCipherSpec:
                throw TlsProtocolException.Decode("change_cipher_spec record: zero-length fragment");
        }
    }

    /// <summary>"handshake", "alert", ... or "content type N".</summary>
    public static string TypeName(ContentType type) => type switch
    {
        ContentType.ChangeCipherSpec => "change_cipher_spec",
        ContentType.Alert => "alert",
        ContentType.Handshake => "handshake",
        ContentType.ApplicationData => "application_data",
        ContentType.Heartbeat => "heartbeat",
        _ => $"content type {(byte)type}",
    };
}
