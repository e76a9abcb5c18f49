using SharpTls.Wire;

namespace SharpTls.Records;

/// <summary>
/// An SSL 2.0-format ClientHello, as sent first by old clients that also speak SSL 3.0/TLS
/// (RFC 5246 Appendix E.2, RFC 6101 Appendix E), with the fields of the equivalent ClientHello.
/// A client whose version is SSL 2.0 itself (0x0002) is parsed too, and flagged by
/// <see cref="IsSsl2Only"/>, so that the engine can refuse it with a clear message
/// ("SSL 2.0 is not supported").
/// </summary>
/// <remarks>
/// RFC 5246 Appendix E.2:
/// <code>
/// uint8 V2CipherSpec[3];
/// struct {
///     uint16 msg_length;          /* high bit set; the record header */
///     uint8 msg_type;             /* 1 */
///     Version version;
///     uint16 cipher_spec_length;  /* a multiple of 3 */
///     uint16 session_id_length;   /* 0 for a client that claims TLS 1.2 */
///     uint16 challenge_length;    /* 16..32 */
///     V2CipherSpec cipher_specs[V2ClientHello.cipher_spec_length];
///     opaque session_id[V2ClientHello.session_id_length];
///     opaque challenge[V2ClientHello.challenge_length];
/// } V2ClientHello;
/// </code>
/// Session id: SSL 2.0 allows 0 or 16 bytes, RFC 5246 requires 0 when the client offers TLS 1.2
/// or later; both rules are enforced (<c>decode_error</c> / <c>illegal_parameter</c>).
/// </remarks>
internal sealed class Sslv2ClientHello
{
    /// <summary>SSL 2.0 msg_type of CLIENT-HELLO.</summary>
    public const byte MsgTypeClientHello = 1;

    private Sslv2ClientHello(ushort version, ushort[] suites, byte[] specs, byte[] sessionId, byte[] challenge, byte[] message)
    {
        Version = version;
        CipherSuites = suites;
        CipherSpecs = specs;
        SessionId = sessionId;
        Challenge = challenge;
        MessageBytes = message;
        var random = new byte[32];
        challenge.CopyTo(random.AsSpan(32 - challenge.Length));
        Random = random;
    }

    /// <summary>The client's highest version (0x0002 for an SSL 2.0-only client).</summary>
    public ushort Version { get; }

    /// <summary>True for a real SSL 2.0 client (version below SSL 3.0): the server must refuse it.</summary>
    public bool IsSsl2Only => Version < (ushort)ProtocolVersion.Ssl3;

    /// <summary>The TLS cipher suites: the 3-byte specs whose first byte is 0, in order.</summary>
    public IReadOnlyList<ushort> CipherSuites { get; }

    /// <summary>All cipher specs as sent, 3 bytes each (SSL 2.0 kinds included).</summary>
    public ReadOnlyMemory<byte> CipherSpecs { get; }

    /// <summary>The session id (empty for TLS clients).</summary>
    public ReadOnlyMemory<byte> SessionId { get; }

    /// <summary>The challenge (16..32 bytes).</summary>
    public ReadOnlyMemory<byte> Challenge { get; }

    /// <summary>ClientHello.random: the challenge right-aligned in 32 bytes, zero-padded on the left.</summary>
    public ReadOnlyMemory<byte> Random { get; }

    /// <summary>
    /// The V2ClientHello from msg_type to the end (the 2-byte header excluded): what the handshake
    /// transcript hashes in place of a ClientHello (RFC 5246 Appendix E.2).
    /// </summary>
    public ReadOnlyMemory<byte> MessageBytes { get; }

    /// <summary>Parses a V2ClientHello body (a <see cref="TlsRecord.Fragment"/> with <see cref="TlsRecord.IsSslv2ClientHello"/>).</summary>
    public static Sslv2ClientHello Parse(ReadOnlySpan<byte> message)
    {
        var r = new TlsReader(message);
        byte msgType = r.ReadUInt8("V2ClientHello.msg_type");
        if (msgType != MsgTypeClientHello)
            throw new TlsProtocolException(AlertDescription.UnexpectedMessage, $"V2ClientHello.msg_type: {msgType}, expected 1");
        ushort version = r.ReadUInt16("V2ClientHello.version");
        int specLength = r.ReadUInt16("V2ClientHello.cipher_spec_length");
        int sessionIdLength = r.ReadUInt16("V2ClientHello.session_id_length");
        int challengeLength = r.ReadUInt16("V2ClientHello.challenge_length");
        if (specLength == 0 || specLength % 3 != 0)
            throw TlsProtocolException.Decode($"V2ClientHello.cipher_spec_length: {specLength} is not a positive multiple of 3");
        if (sessionIdLength is not (0 or 16))
            throw TlsProtocolException.Decode($"V2ClientHello.session_id_length: {sessionIdLength}, must be 0 or 16");
        if (sessionIdLength != 0 && version >= (ushort)ProtocolVersion.Tls12)
            throw TlsProtocolException.Illegal("V2ClientHello.session_id_length: must be 0 for a client offering TLS 1.2 (RFC 5246 E.2)");
        if (challengeLength is < 16 or > 32)
            throw TlsProtocolException.Decode($"V2ClientHello.challenge_length: {challengeLength} outside 16..32");
        var specs = r.ReadBytes(specLength, "V2ClientHello.cipher_specs");
        var sessionId = r.ReadBytes(sessionIdLength, "V2ClientHello.session_id");
        var challenge = r.ReadBytes(challengeLength, "V2ClientHello.challenge");
        r.ExpectEnd("V2ClientHello");

        int tlsCount = 0;
        for (int i = 0; i < specs.Length; i += 3)
            if (specs[i] == 0) tlsCount++;
        var suites = new ushort[tlsCount];
        for (int i = 0, k = 0; i < specs.Length; i += 3)
            if (specs[i] == 0) suites[k++] = (ushort)((specs[i + 1] << 8) | specs[i + 2]);

        return new Sslv2ClientHello(version, suites, specs.ToArray(), sessionId.ToArray(), challenge.ToArray(), message.ToArray());
    }
}
