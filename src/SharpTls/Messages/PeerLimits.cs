using SharpTls.Wire;

namespace SharpTls.Messages;

/// <summary>
/// Limits on sizes a peer controls inside handshake messages, beyond what the wire format bounds (issue 10: every size
/// a peer controls has a limit). A message past one is refused with illegal_parameter, as OpenSSL refuses a message
/// over its size limits (SSL_R_EXCESSIVE_MESSAGE_SIZE); the 36888 event says which limit. docs/limits.md lists them all.
/// </summary>
internal static class PeerLimits
{
    /// <summary>
    /// The most distinguished names a certificate_authorities list (TLS 1.2 CertificateRequest, RFC 5246 §7.4.4; the
    /// TLS 1.3 extension, RFC 8446 §4.2.4) may hold. The vector itself is at most 2^16-1 bytes; the count is what a
    /// peer could otherwise inflate: 3-byte names would make some 21,800 objects of one 64 KiB message. Real lists are
    /// a server's trust store at most: Schannel cuts what it sends at 16 KB (KB 933430, some 100-200 names) and a whole
    /// system root store holds 150-450 roots.
    /// </summary>
    public const int MaxCertificateAuthorities = 1024;

    /// <summary>
    /// The longest session ticket we take: a NewSessionTicket's ticket (RFC 8446 §4.6.1, RFC 5077 §3.3) on our client,
    /// which keeps it and sends it back, and a ClientHello's PSK identity (RFC 8446 §4.2.11) on our server. The wire
    /// allows 2^16-1 bytes. Tickets seen in practice are 100-300 bytes (OpenSSL, Go, rustls, ours), a few KB when they
    /// carry a client certificate (ours holds the leaf); 16 KiB is a full record of plaintext and leaves room for all of
    /// them. Our server never issues a ticket past it.
    /// </summary>
    public const int MaxTicketLength = 16 * 1024;

    /// <summary>
    /// The most PskIdentity entries a ClientHello's pre_shared_key (RFC 8446 §4.2.11) may hold on our server. The wire
    /// bounds them only through the binders vector (2^16-1 bytes of binders of at least 33 bytes: up to 1,985 entries,
    /// each an identity and a binder the server would copy). Clients send one (NSS, BoringSSL, Go, rustls: the newest
    /// ticket) or two (OpenSSL and GnuTLS: a resumption ticket and an external PSK); our server tries the first
    /// <c>ServerHelloFlight.MaxPskIdentitiesTried</c> (5, as Go) and ignores the rest, so 16 leaves room for any real
    /// client while refusing a hello made to cost us thousands of copies. BoringSSL reads only the first identity and
    /// Go parses them all; neither names a count.
    /// </summary>
    public const int MaxPskIdentities = 16;

    /// <summary>illegal_parameter when <paramref name="count"/> distinguished names are more than we take.</summary>
    public static void CheckAuthorities(int count, string where)
    {
        if (count > MaxCertificateAuthorities)
            throw TlsProtocolException.Illegal($"{where}: {count} certificate authorities; at most {MaxCertificateAuthorities} are accepted");
    }

    /// <summary>illegal_parameter when a ticket (or PSK identity) of <paramref name="length"/> bytes is longer than we take.</summary>
    public static void CheckTicket(int length, string where)
    {
        if (length > MaxTicketLength)
            throw TlsProtocolException.Illegal($"{where} of {length} bytes; at most {MaxTicketLength} are accepted");
    }
}
