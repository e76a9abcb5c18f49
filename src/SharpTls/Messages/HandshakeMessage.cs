using SharpTls.Wire;

namespace SharpTls.Messages;

/// <summary>
/// A handshake message (RFC 8446 §4, RFC 5246 §7.4):
/// <code>
/// struct {
///     HandshakeType msg_type;
///     uint24 length;
///     select (Handshake.msg_type) { ... } body;
/// } Handshake;
/// </code>
/// <para>The shape of the codec, for everyone who calls it:</para>
/// <list type="bullet">
/// <item>One sealed class per message in this folder, with init-only typed properties. Build one
/// with an object initializer and call <see cref="Encode"/>; the bytes (4-byte header included)
/// are returned and kept in <see cref="Raw"/>, ready for the transcript.</item>
/// <item><see cref="Decode(ReadOnlyMemory{byte}, MessageContext)"/> takes one full message (header
/// included, as the record layer reassembled it) and returns the typed message, whose
/// <see cref="Raw"/> is exactly those bytes (the same memory, not a copy: do not change it while the message is used). <see cref="Decode{T}"/> also checks the type
/// (unexpected_message otherwise). Messages whose form depends on the negotiated version or key
/// exchange read it from <see cref="MessageContext"/>; the others decode with <see cref="MessageContext.None"/>.</item>
/// <item>Decoding is strict: every length within its RFC bounds, no byte missing or left over
/// (decode_error, RFC 3546 §2.1), registry values that the RFC says must be rejected are
/// illegal_parameter, an unknown or misplaced msg_type is unexpected_message. Every failure is a
/// <see cref="TlsProtocolException"/> whose reason names the field. Nothing is allocated from a claimed length.</item>
/// <item>Cipher suites travel as <c>ushort</c> wire values; named registries (<see cref="NamedGroup"/>,
/// <see cref="SignatureScheme"/>, ...) as their enums, unknown values included.</item>
/// <item>Extensions: <see cref="Extensions.ExtensionList"/>, decoded for the message they sit in
/// (<see cref="Extensions.ExtensionContext"/>).</item>
/// <item>The record-level <see cref="AlertMessage"/> and <see cref="ChangeCipherSpecMessage"/> live
/// here too but are not handshake messages.</item>
/// </list>
/// </summary>
internal abstract class HandshakeMessage
{
    /// <summary>The msg_type.</summary>
    public abstract HandshakeType Type { get; }

    /// <summary>The whole message, header included, as decoded or as last encoded (empty before either).</summary>
    public ReadOnlyMemory<byte> Raw { get; private set; }

    /// <summary>Encodes the message with its 4-byte header, and keeps the bytes in <see cref="Raw"/>.</summary>
    public byte[] Encode()
    {
        var w = TlsWriter.RentScratch();
        try
        {
            WriteMessage(w);
            var bytes = w.ToArray();
            Raw = bytes;
            return bytes;
        }
        finally
        {
            TlsWriter.ReturnScratch(w);
        }
    }

    /// <summary>Writes the message with its 4-byte header into <paramref name="w"/> (<see cref="Raw"/> is not set).</summary>
    public void WriteMessage(TlsWriter w)
    {
        w.WriteUInt8((byte)Type);
        var mark = w.BeginVector(3);
        WriteBody(w);
        w.EndVector(mark);
    }

    /// <summary>Writes the body (everything after the 4-byte header).</summary>
    protected abstract void WriteBody(TlsWriter w);

    /// <summary>Decodes one whole handshake message (header included).</summary>
    public static HandshakeMessage Decode(ReadOnlyMemory<byte> fullMessage, MessageContext context)
    {
        var r = new TlsReader(fullMessage.Span);
        var type = (HandshakeType)r.ReadUInt8("Handshake.msg_type");
        var body = new TlsReader(r.ReadVector24("Handshake.body", 0, 0xFFFFFF));
        r.ExpectEnd("Handshake");
        HandshakeMessage message = type switch
        {
            HandshakeType.HelloRequest => new HelloRequest(),
            HandshakeType.ClientHello => ClientHello.ReadBody(ref body),
            HandshakeType.ServerHello => ServerHello.ReadBody(ref body),
            HandshakeType.NewSessionTicket => NewSessionTicket.ReadBody(ref body, context),
            HandshakeType.EndOfEarlyData => new EndOfEarlyData(),
            HandshakeType.EncryptedExtensions => EncryptedExtensions.ReadBody(ref body),
            HandshakeType.Certificate => CertificateMessage.ReadBody(ref body, context),
            HandshakeType.ServerKeyExchange => ServerKeyExchange.ReadBody(ref body, context),
            HandshakeType.CertificateRequest => CertificateRequest.ReadBody(ref body, context),
            HandshakeType.ServerHelloDone => new ServerHelloDone(),
            HandshakeType.CertificateVerify => CertificateVerify.ReadBody(ref body, context),
            HandshakeType.ClientKeyExchange => ClientKeyExchange.ReadBody(ref body, context),
            HandshakeType.Finished => Finished.ReadBody(ref body, context),
            HandshakeType.CertificateStatus => CertificateStatus.ReadBody(ref body),
            HandshakeType.KeyUpdate => KeyUpdate.ReadBody(ref body),
            HandshakeType.CompressedCertificate => CompressedCertificate.ReadBody(ref body),
            _ => throw new TlsProtocolException(AlertDescription.UnexpectedMessage, $"Handshake.msg_type: unexpected type {(byte)type}"),
        };
        body.ExpectEnd(type.ToString());
        // Not copied (allocation per handshake, issue 11): the record layer hands each message over in an array of its
        // own, and callers keep the memory they decode unchanged while they use the message.
        message.Raw = fullMessage;
        return message;
    }

    /// <summary>Decodes a message without version context (ClientHello, ServerHello, Finished, ...).</summary>
    public static HandshakeMessage Decode(ReadOnlyMemory<byte> fullMessage) => Decode(fullMessage, MessageContext.None);

    /// <summary>Decodes a message that must be a <typeparamref name="T"/>; any other type is unexpected_message.</summary>
    public static T Decode<T>(ReadOnlyMemory<byte> fullMessage, MessageContext context) where T : HandshakeMessage
        => Decode(fullMessage, context) as T
            ?? throw new TlsProtocolException(AlertDescription.UnexpectedMessage,
                $"Handshake.msg_type: expected {typeof(T).Name}, got type {(fullMessage.Length > 0 ? fullMessage.Span[0] : -1)}");
}

/// <summary>A message with an empty body (HelloRequest, ServerHelloDone, EndOfEarlyData).</summary>
internal abstract class EmptyHandshakeMessage : HandshakeMessage
{
    protected sealed override void WriteBody(TlsWriter w) { }
}
