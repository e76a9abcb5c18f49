using SharpTls.Wire;

namespace SharpTls.Handshake.Tls12;

/// <summary>
/// SSL 3.0's alerts (RFC 6101 §5.4.2): close_notify, unexpected_message, bad_record_mac, decompression_failure,
/// handshake_failure, no_certificate, bad_certificate, unsupported_certificate, certificate_revoked,
/// certificate_expired, certificate_unknown and illegal_parameter, and nothing else. Once SSL 3.0 is negotiated, a
/// fatal alert TLS added goes out as the SSL 3.0 alert that covers it, and a warning SSL 3.0 does not have (user_canceled,
/// no_renegotiation) is not sent at all (RFC 5746 §4.5: SSL 3.0 has no way to decline at warning level).
/// </summary>
internal static class Ssl3Alerts
{
    /// <summary>Whether SSL 3.0 defines <paramref name="alert"/>.</summary>
    public static bool Defines(AlertDescription alert) => alert is AlertDescription.CloseNotify or AlertDescription.UnexpectedMessage
        or AlertDescription.BadRecordMac or AlertDescription.DecompressionFailure or AlertDescription.HandshakeFailure
        or AlertDescription.NoCertificate or AlertDescription.BadCertificate or AlertDescription.UnsupportedCertificate
        or AlertDescription.CertificateRevoked or AlertDescription.CertificateExpired or AlertDescription.CertificateUnknown
        or AlertDescription.IllegalParameter;

    /// <summary>The SSL 3.0 alert sent for a fatal <paramref name="alert"/> (itself when SSL 3.0 has it).</summary>
    public static AlertDescription Fatal(AlertDescription alert) => Defines(alert) ? alert : alert switch
    {
        // A record that does not decrypt or is too long: SSL 3.0 has one record-integrity alert.
        AlertDescription.DecryptionFailed or AlertDescription.RecordOverflow => AlertDescription.BadRecordMac,
        // RFC 6101: "a field in the handshake was out of range or inconsistent with other fields".
        AlertDescription.DecodeError => AlertDescription.IllegalParameter,
        // A chain we cannot anchor: RFC 6101's bad_certificate ("contained signatures that did not verify correctly, etc.").
        AlertDescription.UnknownCa => AlertDescription.BadCertificate,
        AlertDescription.CertificateRequired => AlertDescription.NoCertificate,
        // protocol_version, decrypt_error, access_denied, insufficient_security, internal_error and the rest: the
        // handshake cannot go on with these parameters.
        _ => AlertDescription.HandshakeFailure,
    };
}
