namespace SharpTls.Messages.Extensions;

/// <summary>
/// The message an extension block belongs to. Several extensions have different bodies in
/// different messages (key_share, pre_shared_key, supported_versions, server_name,
/// status_request, early_data, ...), so decoding is always done for one context.
/// </summary>
[Flags]
internal enum ExtensionContext
{
    None = 0,
    ClientHello = 1,
    ServerHello = 2,
    HelloRetryRequest = 4,
    EncryptedExtensions = 8,
    Certificate = 16,
    CertificateRequest = 32,
    NewSessionTicket = 64,

    /// <summary>Contexts that exist only in TLS 1.3: an extension we know but the RFC 8446 §4.2 table does not allow there is illegal_parameter.</summary>
    Tls13Only = HelloRetryRequest | EncryptedExtensions | Certificate | CertificateRequest | NewSessionTicket,
}
