using SharpTls.Wire;

namespace SharpTls.Messages;

/// <summary>
/// An alert record's content (RFC 8446 §6, RFC 5246 §7.2). Exactly two bytes (decode_error
/// otherwise); a level other than warning(1) or fatal(2) is illegal_parameter. Unknown
/// descriptions are kept (an unknown alert is still an alert).
/// <code>
/// struct {
///     AlertLevel level;
///     AlertDescription description;
/// } Alert;
/// </code>
/// </summary>
internal readonly record struct AlertMessage(AlertLevel Level, AlertDescription Description)
{
    /// <summary>The two bytes.</summary>
    public byte[] Encode() => [(byte)Level, (byte)Description];

    /// <summary>Writes the two bytes into <paramref name="destination"/> (no allocation).</summary>
    public void WriteTo(Span<byte> destination)
    {
        destination[0] = (byte)Level;
        destination[1] = (byte)Description;
    }

    public static AlertMessage Decode(ReadOnlySpan<byte> content)
    {
        var r = new TlsReader(content);
        byte level = r.ReadUInt8("Alert.level");
        byte description = r.ReadUInt8("Alert.description");
        r.ExpectEnd("Alert");
        if (level is not (1 or 2)) throw TlsProtocolException.Illegal($"Alert.level: {level} is neither warning nor fatal");
        return new AlertMessage((AlertLevel)level, (AlertDescription)description);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Level} {Alerts.Name(Description)}";
}
