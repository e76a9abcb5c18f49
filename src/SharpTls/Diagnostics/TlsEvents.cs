using Microsoft.Extensions.Logging;
using SharpTls.Wire;

namespace SharpTls.Diagnostics;

/// <summary>
/// The event catalogue, modelled on Schannel's System-log events so that an administrator who
/// knows IIS finds the same numbers: every failed handshake logs 36888 (alert generated) or
/// 36887 (alert received), with the alert number, our internal state and the reason.
/// The EventIds are stable: scripts may match on them.
/// </summary>
public static class TlsEvents
{
    /// <summary>36880: a handshake completed (Schannel logs this at Information).</summary>
    public static readonly EventId HandshakeCompleted = new(36880, "HandshakeCompleted");

    /// <summary>36887: a fatal alert was received from the peer.</summary>
    public static readonly EventId FatalAlertReceived = new(36887, "FatalAlertReceived");

    /// <summary>36888: a fatal alert was generated and sent to the peer.</summary>
    public static readonly EventId FatalAlertGenerated = new(36888, "FatalAlertGenerated");

    /// <summary>36892: the handshake did not finish within the handshake timeout; the connection was ended with a
    /// user_canceled warning and close_notify (RFC 8446 §6.1). The host logs the same id.</summary>
    public static readonly EventId HandshakeTimedOut = new(36892, "HandshakeTimedOut");

    /// <summary>36893: the peer closed the connection during the handshake without sending an alert. The host logs the same id.</summary>
    public static readonly EventId ClosedDuringHandshake = new(36893, "ClosedDuringHandshake");

    /// <summary>36874: the client offered no cipher suite the server supports.</summary>
    public static readonly EventId NoCipherSuiteInCommon = new(36874, "NoCipherSuiteInCommon");

    /// <summary>36871: a fatal error occurred while creating credentials (certificate or key unusable).</summary>
    public static readonly EventId CredentialError = new(36871, "CredentialError");

    /// <summary>36882: the remote certificate was issued by an untrusted authority.</summary>
    public static readonly EventId UntrustedCertificate = new(36882, "UntrustedCertificate");

    /// <summary>36884: the remote certificate does not contain the expected name.</summary>
    public static readonly EventId CertificateNameMismatch = new(36884, "CertificateNameMismatch");

    /// <summary>36886: no server credential (certificate) matched the connection (no binding).</summary>
    public static readonly EventId NoServerCredential = new(36886, "NoServerCredential");

    /// <summary>36999 (ours, no Schannel equivalent): the transport closed after the handshake without close_notify.</summary>
    public static readonly EventId TruncatedWithoutCloseNotify = new(36999, "TruncatedWithoutCloseNotify");

    /// <summary>36998 (ours): key logging is on; session secrets are being written out.</summary>
    public static readonly EventId KeyLogEnabled = new(36998, "KeyLogEnabled");

    /// <summary>36997 (ours): the server's selection hook threw; the handshake ended with internal_error.</summary>
    public static readonly EventId SelectionHookFailed = new(36997, "SelectionHookFailed");

    /// <summary>36996 (ours): the TLS 1.2 session cache failed a lookup or a store; the handshake went on without it.</summary>
    public static readonly EventId SessionCacheFailed = new(36996, "SessionCacheFailed");

    /// <summary>36894: the cap on handshakes in progress (<see cref="TlsHandshakeLimit"/>) was reached; the oldest handshakes
    /// are closed to make room for new connections (logged once per burst by <see cref="IO.TlsStream"/>). The host logs the same id.</summary>
    public static readonly EventId HandshakeLimitReached = new(36894, "HandshakeLimitReached");

    /// <summary>36980 (ours): a TLS 1.2 renegotiation completed; the new session is in force.</summary>
    public static readonly EventId RenegotiationCompleted = new(36980, "RenegotiationCompleted");

    /// <summary>36981 (ours): a client asked to renegotiate more often than the policy's limit allows; refused.</summary>
    public static readonly EventId RenegotiationRateExceeded = new(36981, "RenegotiationRateExceeded");

    /// <summary>36982 (ours): a renegotiation was refused with no_renegotiation (by us, or by the peer); the connection goes on.</summary>
    public static readonly EventId RenegotiationRefused = new(36982, "RenegotiationRefused");

    /// <summary>36870: the peer spoke a protocol version we do not enable (SSL 2.0 included).</summary>
    public static readonly EventId ProtocolVersionRefused = new(36870, "ProtocolVersionRefused");
}

/// <summary>What a failed handshake leaves behind: which alert, why, where, and for which binding.</summary>
/// <param name="Alert">The alert sent or received.</param>
/// <param name="Generated">True when we sent it, false when the peer did.</param>
/// <param name="InternalState">Our documented internal state: the handshake state class that failed (e.g. "Server.Tls13.ExpectFinished").</param>
/// <param name="Reason">A human-readable reason naming the field or rule.</param>
/// <param name="Binding">The binding or configuration that served the connection, if known.</param>
public sealed record TlsFailure(AlertDescription Alert, bool Generated, string InternalState, string Reason, string? Binding)
{
    /// <summary>How the handshake ended when it was not by a fatal alert (the default).</summary>
    internal FailureEnding Ending { get; init; }

    /// <summary>The Schannel-style event id for this failure.</summary>
    public EventId EventId => Ending == FailureEnding.ClosedWithoutAlert ? TlsEvents.ClosedDuringHandshake
        : Ending == FailureEnding.TimedOut ? TlsEvents.HandshakeTimedOut
        : !Generated ? TlsEvents.FatalAlertReceived
        : Reason.StartsWith(NoCipherSuiteInCommon, StringComparison.Ordinal) ? TlsEvents.NoCipherSuiteInCommon
        : Reason.StartsWith(SelectionHookFailure, StringComparison.Ordinal) ? TlsEvents.SelectionHookFailed
        : Alert == AlertDescription.ProtocolVersion ? TlsEvents.ProtocolVersionRefused
        : TlsEvents.FatalAlertGenerated;

    /// <summary>How the reason of a failed suite negotiation begins, at every version (event 36874).</summary>
    internal const string NoCipherSuiteInCommon = "no cipher suite in common";

    /// <summary>How the reason of a failed selection hook begins.</summary>
    internal const string SelectionHookFailure = "the selection hook failed";

    /// <inheritdoc />
    public override string ToString() => Ending switch
    {
        FailureEnding.ClosedWithoutAlert =>
            $"The peer closed the connection during the handshake without an alert. The internal state was {InternalState}.{BindingSuffix}",
        FailureEnding.TimedOut =>
            $"The handshake was ended before it finished: {Reason}. The internal state was {InternalState}.{BindingSuffix}",
        _ => AlertText(),
    };

    private string BindingSuffix => Binding is null ? "" : $" [binding {Binding}]";

    private string AlertText() => Generated
        ? $"The following fatal alert was generated: {(byte)Alert} ({Alerts.Name(Alert)}). The internal error state is {InternalState}. {Reason}{(Binding is null ? "" : $" [binding {Binding}]")}"
        : $"The following fatal alert was received: {(byte)Alert} ({Alerts.Name(Alert)}). The internal error state is {InternalState}.{(Binding is null ? "" : $" [binding {Binding}]")}";
}

/// <summary>How a handshake ended that did not end by a fatal alert.</summary>
internal enum FailureEnding
{
    /// <summary>A fatal alert, sent or received.</summary>
    Alert,

    /// <summary>The transport closed during the handshake and no alert came (<see cref="TlsFailure.Alert"/> is handshake_failure by convention).</summary>
    ClosedWithoutAlert,

    /// <summary>Ended from outside, as a timeout does (<see cref="TlsConnection.Abort"/> with user_canceled): user_canceled
    /// went out as a warning, then close_notify.</summary>
    TimedOut,
}
