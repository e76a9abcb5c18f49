namespace SharpTls.Wire;

/// <summary>
/// The one exception of the codec and the engine: a peer sent something the protocol forbids.
/// It carries the alert the connection must send and a reason that names the field or rule.
/// Handlers throw it; the connection turns it into an alert in one place.
/// </summary>
public sealed class TlsProtocolException : Exception
{
    public TlsProtocolException(AlertDescription alert, string reason)
        : base($"{Alerts.Name(alert)}: {reason}")
    {
        Alert = alert;
        Reason = reason;
    }

    /// <summary>The alert this failure maps to.</summary>
    public AlertDescription Alert { get; }

    /// <summary>A human-readable reason naming the field or rule that failed.</summary>
    public string Reason { get; }

    /// <summary>Shorthand for a decode_error.</summary>
    public static TlsProtocolException Decode(string reason) => new(AlertDescription.DecodeError, reason);

    /// <summary>Shorthand for an illegal_parameter.</summary>
    public static TlsProtocolException Illegal(string reason) => new(AlertDescription.IllegalParameter, reason);
}
