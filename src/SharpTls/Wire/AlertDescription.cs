namespace SharpTls.Wire;

/// <summary>Alert levels (RFC 5246 §7.2).</summary>
public enum AlertLevel : byte
{
    Warning = 1,
    Fatal = 2,
}

/// <summary>
/// Alert descriptions (IANA "TLS Alerts" registry). The comment on each value says whether
/// the alert is always fatal, as in the table of seed 004 ("SSL/TLS in Detail").
/// </summary>
public enum AlertDescription : byte
{
    /// <summary>Warning or fatal: the sender will send no more on this connection.</summary>
    CloseNotify = 0,
    /// <summary>Always fatal: an inappropriate message was received.</summary>
    UnexpectedMessage = 10,
    /// <summary>Always fatal: a record with an incorrect MAC or that failed AEAD.</summary>
    BadRecordMac = 20,
    /// <summary>Fatal; TLS 1.0 only, must not be sent since TLS 1.1.</summary>
    DecryptionFailed = 21,
    /// <summary>Always fatal: a record longer than allowed.</summary>
    RecordOverflow = 22,
    /// <summary>Always fatal: decompression failed.</summary>
    DecompressionFailure = 30,
    /// <summary>Always fatal: no acceptable set of security parameters.</summary>
    HandshakeFailure = 40,
    /// <summary>SSL 3.0 only: no certificate available (warning).</summary>
    NoCertificate = 41,
    /// <summary>Warning or fatal: a certificate was corrupt or its signatures did not verify.</summary>
    BadCertificate = 42,
    /// <summary>Warning or fatal: certificate of an unsupported type.</summary>
    UnsupportedCertificate = 43,
    /// <summary>Warning or fatal: certificate revoked by its signer.</summary>
    CertificateRevoked = 44,
    /// <summary>Warning or fatal: certificate expired or not yet valid.</summary>
    CertificateExpired = 45,
    /// <summary>Warning or fatal: some other certificate problem.</summary>
    CertificateUnknown = 46,
    /// <summary>Always fatal: a field was out of range or inconsistent.</summary>
    IllegalParameter = 47,
    /// <summary>Always fatal: the CA certificate could not be located or matched to a trusted anchor.</summary>
    UnknownCa = 48,
    /// <summary>Always fatal: access denied after valid certificate.</summary>
    AccessDenied = 49,
    /// <summary>Always fatal: a message could not be decoded (a length out of range, say).</summary>
    DecodeError = 50,
    /// <summary>Fatal (warning in some stacks): a handshake cryptographic operation failed.</summary>
    DecryptError = 51,
    /// <summary>Always fatal; reserved (export restrictions).</summary>
    ExportRestriction = 60,
    /// <summary>Always fatal: the peer's protocol version is recognised but not supported.</summary>
    ProtocolVersion = 70,
    /// <summary>Always fatal: the server requires ciphers more secure than the client offers.</summary>
    InsufficientSecurity = 71,
    /// <summary>Always fatal: an internal error unrelated to the peer.</summary>
    InternalError = 80,
    /// <summary>Always fatal: an inappropriate fallback was detected (RFC 7507).</summary>
    InappropriateFallback = 86,
    /// <summary>Warning or fatal: the handshake is being cancelled.</summary>
    UserCanceled = 90,
    /// <summary>Warning: renegotiation refused.</summary>
    NoRenegotiation = 100,
    /// <summary>Always fatal: a required extension is missing (TLS 1.3).</summary>
    MissingExtension = 109,
    /// <summary>Always fatal: an extension was not expected in this message.</summary>
    UnsupportedExtension = 110,
    /// <summary>Warning or fatal: certificate could not be obtained (deprecated).</summary>
    CertificateUnobtainable = 111,
    /// <summary>Warning or fatal: the server has no name matching the SNI (RFC 6066).</summary>
    UnrecognizedName = 112,
    /// <summary>Fatal: invalid or unacceptable OCSP response.</summary>
    BadCertificateStatusResponse = 113,
    /// <summary>Fatal (deprecated).</summary>
    BadCertificateHashValue = 114,
    /// <summary>Fatal: PSK identity unknown.</summary>
    UnknownPskIdentity = 115,
    /// <summary>Fatal: certificate required by the server (TLS 1.3).</summary>
    CertificateRequired = 116,
    /// <summary>Fatal: no application protocol in common (RFC 7301).</summary>
    NoApplicationProtocol = 120,
}

/// <summary>Names and fatality of alerts.</summary>
public static class Alerts
{
    /// <summary>The RFC name of an alert (for example "handshake_failure").</summary>
    public static string Name(AlertDescription d) => d switch
    {
        AlertDescription.CloseNotify => "close_notify",
        AlertDescription.UnexpectedMessage => "unexpected_message",
        AlertDescription.BadRecordMac => "bad_record_mac",
        AlertDescription.DecryptionFailed => "decryption_failed",
        AlertDescription.RecordOverflow => "record_overflow",
        AlertDescription.DecompressionFailure => "decompression_failure",
        AlertDescription.HandshakeFailure => "handshake_failure",
        AlertDescription.NoCertificate => "no_certificate",
        AlertDescription.BadCertificate => "bad_certificate",
        AlertDescription.UnsupportedCertificate => "unsupported_certificate",
        AlertDescription.CertificateRevoked => "certificate_revoked",
        AlertDescription.CertificateExpired => "certificate_expired",
        AlertDescription.CertificateUnknown => "certificate_unknown",
        AlertDescription.IllegalParameter => "illegal_parameter",
        AlertDescription.UnknownCa => "unknown_ca",
        AlertDescription.AccessDenied => "access_denied",
        AlertDescription.DecodeError => "decode_error",
        AlertDescription.DecryptError => "decrypt_error",
        AlertDescription.ExportRestriction => "export_restriction",
        AlertDescription.ProtocolVersion => "protocol_version",
        AlertDescription.InsufficientSecurity => "insufficient_security",
        AlertDescription.InternalError => "internal_error",
        AlertDescription.InappropriateFallback => "inappropriate_fallback",
        AlertDescription.UserCanceled => "user_canceled",
        AlertDescription.NoRenegotiation => "no_renegotiation",
        AlertDescription.MissingExtension => "missing_extension",
        AlertDescription.UnsupportedExtension => "unsupported_extension",
        AlertDescription.CertificateUnobtainable => "certificate_unobtainable",
        AlertDescription.UnrecognizedName => "unrecognized_name",
        AlertDescription.BadCertificateStatusResponse => "bad_certificate_status_response",
        AlertDescription.BadCertificateHashValue => "bad_certificate_hash_value",
        AlertDescription.UnknownPskIdentity => "unknown_psk_identity",
        AlertDescription.CertificateRequired => "certificate_required",
        AlertDescription.NoApplicationProtocol => "no_application_protocol",
        _ => $"unknown_alert({(byte)d})",
    };

    /// <summary>
    /// True for alerts that seed 004's table marks as always fatal: a receiver must tear the
    /// connection down whatever level the sender used.
    /// </summary>
    public static bool IsAlwaysFatal(AlertDescription d) => d switch
    {
        AlertDescription.CloseNotify or AlertDescription.NoCertificate or AlertDescription.BadCertificate
            or AlertDescription.UnsupportedCertificate or AlertDescription.CertificateRevoked
            or AlertDescription.CertificateExpired or AlertDescription.CertificateUnknown
            or AlertDescription.UserCanceled or AlertDescription.NoRenegotiation
            or AlertDescription.CertificateUnobtainable or AlertDescription.UnrecognizedName => false,
        _ => true,
    };
}
