using SharpTls.Wire;

namespace SharpTls.Messages.Extensions;

/// <summary>
/// early_data (RFC 8446 §4.2.10): empty in ClientHello and EncryptedExtensions; in
/// NewSessionTicket the most 0-RTT data the server will accept.
/// <code>
/// struct {} Empty;
/// struct {
///     select (Handshake.msg_type) {
///         case new_session_ticket:   uint32 max_early_data_size;
///         case client_hello:         Empty;
///         case encrypted_extensions: Empty;
///     };
/// } EarlyDataIndication;
/// </code>
/// </summary>
internal sealed class EarlyDataExtension : TlsExtension
{
    public override ExtensionType Type => ExtensionType.EarlyData;

    /// <summary>NewSessionTicket form; null otherwise.</summary>
    public uint? MaxEarlyDataSize { get; init; }

    public override void WriteData(TlsWriter w)
    {
        if (MaxEarlyDataSize is { } max) w.WriteUInt32(max);
    }

    internal static EarlyDataExtension Read(ref TlsReader r, ExtensionContext ctx)
        => ctx == ExtensionContext.NewSessionTicket
            ? new EarlyDataExtension { MaxEarlyDataSize = r.ReadUInt32("max_early_data_size") }
            : new EarlyDataExtension();
}
