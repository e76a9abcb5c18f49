using System.Net;
using Microsoft.Extensions.Logging;

namespace SharpTls.Hosting.Diagnostics;

/// <summary>
/// The host's event catalogue (docs/events.md): every failed handshake is one event, with the
/// Schannel number where Schannel has one (36887, 36888, 36874, 36871, 36870, 36886) and ours from
/// 36890 on. Each carries the binding, the SNI name, both endpoints and what the client offered,
/// as structured state. The numbers are stable: scripts may match on them.
/// </summary>
public static class HostEvents
{
    /// <summary>36880: a handshake completed, logged for bindings with <c>logextendedevents</c> (Schannel's "handshake completed successfully").</summary>
    public const int HandshakeSucceeded = 36880;

    /// <summary>36888: we sent a fatal alert (alert number, internal state, reason).</summary>
    public const int FatalAlertGenerated = 36888;

    /// <summary>36887: the client sent a fatal alert.</summary>
    public const int FatalAlertReceived = 36887;

    /// <summary>36874: no cipher suite in common with the client.</summary>
    public const int NoCipherSuiteInCommon = 36874;

    /// <summary>36871: the binding's credential (certificate or key) cannot be used.</summary>
    public const int CredentialError = 36871;

    /// <summary>36870: the client offered no protocol version the binding enables.</summary>
    public const int ProtocolVersionRefused = 36870;

    /// <summary>36886: no binding for the local endpoint and the requested name.</summary>
    public const int NoBinding = 36886;

    /// <summary>36890: the client refused the binding's certificate because it is expired or not yet valid.</summary>
    public const int CertificateNotTimeValid = 36890;

    /// <summary>36891: the client's certificate was refused (none sent where required, untrusted issuer, bad signature...).</summary>
    public const int ClientCertificateRejected = 36891;

    /// <summary>36892: the handshake did not finish within the handshake timeout.</summary>
    public const int HandshakeTimedOut = 36892;

    /// <summary>36893: the client closed the connection during the handshake without an alert.</summary>
    public const int ClosedDuringHandshake = 36893;

    /// <summary>36894: the cap on handshakes in progress was reached; the oldest are closed to make room (once per burst).</summary>
    public const int HandshakeLimitReached = 36894;

    /// <summary>36895: a request's Host names another site than the one its SNI chose (421 Misdirected Request).</summary>
    public const int MisdirectedRequest = 36895;

    /// <summary>36896: a request matched no site for its IP, port and Host (404).</summary>
    public const int NoSite = 36896;

    /// <summary>36897: the site configuration was (re)loaded.</summary>
    public const int SitesLoaded = 36897;

    /// <summary>36898: the site configuration is invalid; the previous one stays in force.</summary>
    public const int SitesInvalid = 36898;

    // 36899 (SitesNeedRestart, "a site change names an endpoint this process does not listen on") is retired:
    // new endpoints are listened on without a restart (36904).

    /// <summary>36900: an SSL binding of the file is not served (its certificate is missing, expired, without key...).</summary>
    public const int BindingNotServed = 36900;

    /// <summary>36901: the bindings file does not parse; the bindings in force stay.</summary>
    public const int BindingsFileInvalid = 36901;

    /// <summary>36902: a file of the central certificate store cannot be used; the other names keep working.</summary>
    public const int CentralStoreFileInvalid = 36902;

    /// <summary>36903: a new binding table is in force.</summary>
    public const int BindingsChanged = 36903;

    /// <summary>36904: the endpoints listened on changed (a site or an SSL binding on a new or removed port or address).</summary>
    public const int EndpointsChanged = 36904;

    /// <summary>36905: an SSL binding names a port a site serves in plain HTTP: it is not listened on for TLS.</summary>
    public const int BindingOnPlainHttpPort = 36905;

    /// <summary>36906: a certificate's OCSP response file cannot be stapled (not an OCSP response, not "good", no status for
    /// the certificate, or stale: outside thisUpdate..nextUpdate); nothing is stapled until it is replaced.</summary>
    public const int OcspResponseUnusable = 36906;

    /// <summary>36907: a certificate's OCSP response file is stapled (again).</summary>
    public const int OcspResponseStapled = 36907;

    /// <summary>36908: an HTTP/2 client exceeded its binding's SETTINGS limits (<c>http2maxsettingsperframe</c> /
    /// <c>http2maxsettingsperminute</c>, HTTP.sys' extended property 1); the connection was closed.</summary>
    public const int Http2SettingsLimitExceeded = 36908;

    /// <summary>36909: a binding's HTTP/2 receive window (<c>http2receivewindow</c>) is not the one Kestrel runs with (one
    /// per server, set when <c>serve</c> starts): bindings name different windows, or the file changed while it runs.</summary>
    public const int ReceiveWindowNotApplied = 36909;
}

/// <summary>The events as source-generated logger methods (cheap: no boxing when the level is off).</summary>
internal static partial class HostLog
{
    [LoggerMessage(EventId = HostEvents.HandshakeSucceeded, EventName = "HandshakeSucceeded", Level = LogLevel.Information,
        Message = "A TLS server handshake completed successfully on binding {Binding}: {Version} {Suite} {Group}, resumed {Resumed}, ALPN {Alpn}, {Milliseconds:F1} ms. SNI {ServerName}, local {LocalEndPoint}, remote {RemoteEndPoint}. {SelectionReason}")]
    public static partial void HandshakeSucceeded(ILogger logger, string? binding, string? serverName, IPEndPoint? localEndPoint, IPEndPoint? remoteEndPoint,
        Wire.ProtocolVersion? version, Wire.CipherSuite? suite, Wire.NamedGroup? group, bool resumed, string? alpn, double milliseconds, string? selectionReason);

    [LoggerMessage(EventId = HostEvents.FatalAlertGenerated, EventName = "FatalAlertGenerated", Level = LogLevel.Warning,
        Message = "The following fatal alert was generated: {AlertNumber} ({Alert}). The internal error state is {InternalState}. {Reason} Binding {Binding}, SNI {ServerName}, local {LocalEndPoint}, remote {RemoteEndPoint}, offered versions [{OfferedVersions}], offered suites [{OfferedSuites}].")]
    public static partial void AlertGenerated(ILogger logger, int alertNumber, string alert, string internalState, string reason,
        string? binding, string? serverName, IPEndPoint? localEndPoint, IPEndPoint? remoteEndPoint, string offeredVersions, string offeredSuites);

    [LoggerMessage(EventId = HostEvents.FatalAlertReceived, EventName = "FatalAlertReceived", Level = LogLevel.Warning,
        Message = "The following fatal alert was received: {AlertNumber} ({Alert}). The internal error state is {InternalState}. Binding {Binding}, SNI {ServerName}, local {LocalEndPoint}, remote {RemoteEndPoint}, offered versions [{OfferedVersions}], offered suites [{OfferedSuites}].")]
    public static partial void AlertReceived(ILogger logger, int alertNumber, string alert, string internalState,
        string? binding, string? serverName, IPEndPoint? localEndPoint, IPEndPoint? remoteEndPoint, string offeredVersions, string offeredSuites);

    [LoggerMessage(EventId = HostEvents.NoCipherSuiteInCommon, EventName = "NoCipherSuiteInCommon", Level = LogLevel.Warning,
        Message = "An TLS connection request was received from a remote client application, but none of the cipher suites supported by the client application are supported by the server. {Reason} The internal error state is {InternalState}. Binding {Binding}, SNI {ServerName}, local {LocalEndPoint}, remote {RemoteEndPoint}, offered versions [{OfferedVersions}], offered suites [{OfferedSuites}].")]
    public static partial void NoCipherSuite(ILogger logger, string reason, string internalState,
        string? binding, string? serverName, IPEndPoint? localEndPoint, IPEndPoint? remoteEndPoint, string offeredVersions, string offeredSuites);

    [LoggerMessage(EventId = HostEvents.ProtocolVersionRefused, EventName = "ProtocolVersionRefused", Level = LogLevel.Warning,
        Message = "A TLS connection request was received from a remote client application, but none of the protocols requested by the client application are supported by the server. {Reason} Binding {Binding}, SNI {ServerName}, local {LocalEndPoint}, remote {RemoteEndPoint}, offered versions [{OfferedVersions}], offered suites [{OfferedSuites}].")]
    public static partial void VersionRefused(ILogger logger, string reason,
        string? binding, string? serverName, IPEndPoint? localEndPoint, IPEndPoint? remoteEndPoint, string offeredVersions, string offeredSuites);

    [LoggerMessage(EventId = HostEvents.CredentialError, EventName = "CredentialError", Level = LogLevel.Error,
        Message = "A fatal error occurred while using the TLS server credential of binding {Binding}: {Reason} The internal error state is {InternalState}. SNI {ServerName}, local {LocalEndPoint}, remote {RemoteEndPoint}.")]
    public static partial void CredentialError(ILogger logger, string? binding, string reason, string internalState,
        string? serverName, IPEndPoint? localEndPoint, IPEndPoint? remoteEndPoint);

    [LoggerMessage(EventId = HostEvents.NoBinding, EventName = "NoBinding", Level = LogLevel.Warning,
        Message = "No SSL binding matches local endpoint {LocalEndPoint} and name {ServerName}: the handshake was refused with alert {AlertNumber} ({Alert}). {Reason} Remote {RemoteEndPoint}, offered versions [{OfferedVersions}], offered suites [{OfferedSuites}].")]
    public static partial void NoBinding(ILogger logger, IPEndPoint? localEndPoint, string? serverName, int alertNumber, string alert, string reason,
        IPEndPoint? remoteEndPoint, string offeredVersions, string offeredSuites);

    [LoggerMessage(EventId = HostEvents.CertificateNotTimeValid, EventName = "CertificateNotTimeValid", Level = LogLevel.Error,
        Message = "The client refused the certificate of binding {Binding} (alert {AlertNumber} {Alert}): it {Validity}. Certificate {Subject}, thumbprint {Thumbprint}, valid {NotBefore:u} to {NotAfter:u}. SNI {ServerName}, local {LocalEndPoint}, remote {RemoteEndPoint}.")]
    public static partial void CertificateNotTimeValid(ILogger logger, string? binding, int alertNumber, string alert, string validity,
        string subject, string thumbprint, DateTime notBefore, DateTime notAfter, string? serverName, IPEndPoint? localEndPoint, IPEndPoint? remoteEndPoint);

    [LoggerMessage(EventId = HostEvents.ClientCertificateRejected, EventName = "ClientCertificateRejected", Level = LogLevel.Warning,
        Message = "The client certificate was rejected with alert {AlertNumber} ({Alert}): {Reason} The internal error state is {InternalState}. Binding {Binding}, SNI {ServerName}, local {LocalEndPoint}, remote {RemoteEndPoint}.")]
    public static partial void ClientCertificateRejected(ILogger logger, int alertNumber, string alert, string reason, string internalState,
        string? binding, string? serverName, IPEndPoint? localEndPoint, IPEndPoint? remoteEndPoint);

    [LoggerMessage(EventId = HostEvents.HandshakeTimedOut, EventName = "HandshakeTimedOut", Level = LogLevel.Information,
        Message = "The TLS handshake did not finish within {TimeoutSeconds} s and the connection was closed with a user_canceled warning and close_notify. The internal state was {InternalState}. Binding {Binding}, SNI {ServerName}, local {LocalEndPoint}, remote {RemoteEndPoint}.")]
    public static partial void HandshakeTimedOut(ILogger logger, double timeoutSeconds, string internalState,
        string? binding, string? serverName, IPEndPoint? localEndPoint, IPEndPoint? remoteEndPoint);

    [LoggerMessage(EventId = HostEvents.ClosedDuringHandshake, EventName = "ClosedDuringHandshake", Level = LogLevel.Information,
        Message = "The client closed the connection during the TLS handshake without an alert. The internal state was {InternalState}. Binding {Binding}, SNI {ServerName}, local {LocalEndPoint}, remote {RemoteEndPoint}.")]
    public static partial void ClosedDuringHandshake(ILogger logger, string internalState,
        string? binding, string? serverName, IPEndPoint? localEndPoint, IPEndPoint? remoteEndPoint);

    [LoggerMessage(EventId = HostEvents.HandshakeLimitReached, EventName = "HandshakeLimitReached", Level = LogLevel.Warning,
        Message = "{Limit} TLS handshakes are in progress, the limit: the oldest are closed to make room for new connections until there is room again (a flood of stalled handshakes?). Newest: remote {RemoteEndPoint}, local {LocalEndPoint}.")]
    public static partial void HandshakeLimitReached(ILogger logger, IPEndPoint? remoteEndPoint, IPEndPoint? localEndPoint, int limit);

    [LoggerMessage(EventId = HostEvents.MisdirectedRequest, EventName = "MisdirectedRequest", Level = LogLevel.Information,
        Message = "421 Misdirected Request: Host {Host} belongs to site {HostSite} but the connection's SNI {ServerName} chose site {SniSite} (local {LocalEndPoint}, remote {RemoteEndPoint}).")]
    public static partial void MisdirectedRequest(ILogger logger, string host, string hostSite, string? serverName, string sniSite,
        IPEndPoint? localEndPoint, IPEndPoint? remoteEndPoint);

    [LoggerMessage(EventId = HostEvents.NoSite, EventName = "NoSite", Level = LogLevel.Information,
        Message = "404: no site is bound to {Scheme} {LocalEndPoint} with Host {Host} (remote {RemoteEndPoint}).")]
    public static partial void NoSite(ILogger logger, string scheme, IPEndPoint? localEndPoint, string host, IPEndPoint? remoteEndPoint);

    [LoggerMessage(EventId = HostEvents.SitesLoaded, EventName = "SitesLoaded", Level = LogLevel.Information,
        Message = "Sites loaded: {Sites}.")]
    public static partial void SitesLoaded(ILogger logger, string sites);

    [LoggerMessage(EventId = HostEvents.EndpointsChanged, EventName = "EndpointsChanged", Level = LogLevel.Information,
        Message = "Listening endpoints changed: added [{Added}], removed [{Removed}]; now [{Endpoints}].")]
    public static partial void EndpointsChanged(ILogger logger, string added, string removed, string endpoints);

    [LoggerMessage(EventId = HostEvents.BindingOnPlainHttpPort, EventName = "BindingOnPlainHttpPort", Level = LogLevel.Warning,
        Message = "The SSL binding {Binding} names port {Port}, which a site serves in plain HTTP: it is not listened on for TLS.")]
    public static partial void BindingOnPlainHttpPort(ILogger logger, string binding, int port);

    /// <summary>36906 (nothing stapled, and why) or 36907 (stapled again) for a certificate's OCSP response file.</summary>
    public static void OcspResponseChanged(ILogger logger, string path, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, string? problem)
    {
        if (problem is null) OcspResponseStapled(logger, certificate.Subject, certificate.Thumbprint, path);
        else OcspResponseUnusable(logger, certificate.Subject, certificate.Thumbprint, problem, path);
    }

    [LoggerMessage(EventId = HostEvents.OcspResponseUnusable, EventName = "OcspResponseUnusable", Level = LogLevel.Warning,
        Message = "OCSP stapling for {Subject} ({Thumbprint}): nothing is stapled: {Problem}. Put a fresh response in {Path} (openssl ocsp ... -respout); it is read again when it changes.")]
    private static partial void OcspResponseUnusable(ILogger logger, string subject, string thumbprint, string problem, string path);

    [LoggerMessage(EventId = HostEvents.OcspResponseStapled, EventName = "OcspResponseStapled", Level = LogLevel.Information,
        Message = "OCSP stapling for {Subject} ({Thumbprint}): the response in {Path} is stapled.")]
    private static partial void OcspResponseStapled(ILogger logger, string subject, string thumbprint, string path);

    [LoggerMessage(EventId = HostEvents.Http2SettingsLimitExceeded, EventName = "Http2SettingsLimitExceeded", Level = LogLevel.Warning,
        Message = "An HTTP/2 client exceeded the SETTINGS limits of binding {Binding}: {Violation}; the connection was closed. SNI {ServerName}, local {LocalEndPoint}, remote {RemoteEndPoint}.")]
    public static partial void Http2SettingsLimitExceeded(ILogger logger, string violation, string? binding, string? serverName, IPEndPoint? localEndPoint, IPEndPoint? remoteEndPoint);

    [LoggerMessage(EventId = HostEvents.ReceiveWindowNotApplied, EventName = "ReceiveWindowNotApplied", Level = LogLevel.Warning,
        Message = "HTTP/2 receive window: Kestrel applies one window to every binding, {Applied} bytes, set when serve started; not the {Wanted} of {Bindings}. {Remedy}")]
    public static partial void ReceiveWindowNotApplied(ILogger logger, int applied, string wanted, string bindings, string remedy);

    [LoggerMessage(EventId = HostEvents.SitesInvalid, EventName = "SitesInvalid", Level = LogLevel.Error,
        Message = "The site configuration is invalid and was not applied (the previous one stays in force): {Reason}")]
    public static partial void SitesInvalid(ILogger logger, string reason);
}
