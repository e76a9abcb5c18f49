using SharpTls.Wire;

namespace SharpTls.Messages;

/// <summary>
/// Finished (RFC 8446 §4.4.4, RFC 5246 §7.4.9; SSL 3.0: md5_hash[16] + sha_hash[20]).
/// <code>struct { opaque verify_data[Hash.length]; } Finished;   /* 12 bytes in TLS 1.0-1.2, 36 in SSL 3.0 */</code>
/// The body is the verify_data; it must not be empty, and when the context gives
/// <see cref="MessageContext.VerifyDataLength"/> any other length is a decode_error.
/// </summary>
internal sealed class Finished : HandshakeMessage
{
    public override HandshakeType Type => HandshakeType.Finished;

    public byte[] VerifyData { get; init; } = [];

    protected override void WriteBody(TlsWriter w) => w.WriteBytes(VerifyData);

    internal static Finished ReadBody(ref TlsReader r, MessageContext ctx)
    {
        int length = r.Remaining;
        if (length == 0 || (ctx.VerifyDataLength is { } expected && expected != length))
            throw TlsProtocolException.Decode($"verify_data: length {length}, expected {ctx.VerifyDataLength?.ToString() ?? "at least 1"}");
        return new Finished { VerifyData = r.ReadBytes(length, "verify_data").ToArray() };
    }
}
