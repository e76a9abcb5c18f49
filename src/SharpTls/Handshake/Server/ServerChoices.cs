using System.Text;
using SharpTls.Crypto;
using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Wire;

namespace SharpTls.Handshake.Server;

/// <summary>
/// The server's choices that do not depend on the protocol version: the ALPN protocol (RFC 7301 §3.2)
/// and a certificate with a signature scheme the client accepts, among the policy's certificates in
/// their order. TLS 1.3 and TLS 1.2 both choose through here; only the candidate schemes differ
/// (TLS 1.2 also signs with PKCS#1 and, for clients without signature_algorithms, SHA-1).
/// </summary>
internal static class ServerChoices
{
    /// <summary>
    /// Our first protocol the client also offers; no_application_protocol when the client offers only others. Without
    /// <paramref name="http2Allowed"/> (below TLS 1.2: RFC 9113 §9.2) h2 is passed over.
    /// </summary>
    public static string? ChooseAlpn(IReadOnlyList<string> ours, ClientHello hello, bool http2Allowed = true)
    {
        var offered = hello.Extensions.Find<AlpnExtension>();
        if (offered is null || ours.Count == 0) return null;
        var names = offered.Protocols.Select(p => Encoding.ASCII.GetString(p)).ToList();
        foreach (string p in ours)
            if (names.Contains(p) && (http2Allowed || p != "h2")) return p;
        throw new TlsProtocolException(AlertDescription.NoApplicationProtocol,
            $"no application protocol in common: the client offers {string.Join(", ", names)}; the server has {string.Join(", ", ours)}" +
            (http2Allowed ? "" : " (h2 needs TLS 1.2 or later, RFC 9113 §9.2)"));
    }

    /// <summary>
    /// The record-size negotiation of a ClientHello (TLS 1.2 and 1.3), applied to the connection's record layer from the
    /// next record on, and the extension to answer with (in ServerHello for TLS 1.2, EncryptedExtensions for TLS 1.3).
    /// RFC 8449 §5: a server that supports record_size_limit ignores max_fragment_length when both are sent; we
    /// announce a full record as our own limit. Otherwise max_fragment_length (RFC 6066 §4) is accepted and echoed, and
    /// then limits both directions. Null when the client asked for neither.
    /// </summary>
    public static TlsExtension? NegotiateRecordSize(TlsConnection connection, ClientHello hello, bool tls13)
    {
        if (hello.Extensions.Find<RecordSizeLimitExtension>() is { } sizeLimit)
        {
            // TLS 1.3's limit counts the inner content type byte; TLS 1.2's is the plaintext itself (RFC 8449 §4).
            int max = Records.RecordLimits.MaxPlaintextLength;
            connection.Records.MaxFragmentLength = Math.Min(tls13 ? sizeLimit.Limit - 1 : sizeLimit.Limit, max);
            return new RecordSizeLimitExtension((ushort)(tls13 ? max + 1 : max));
        }
        if (hello.Extensions.Find<MaxFragmentLengthExtension>() is { } fragment)
        {
            connection.Records.ApplyMaxFragmentLength(fragment.Bytes);
            return new MaxFragmentLengthExtension(fragment.Value);
        }
        return null;
    }

    /// <summary>
    /// The first certificate (in policy order) that <paramref name="fits"/> and can sign with a scheme of
    /// <paramref name="preference"/> the client <paramref name="accepted"/>, with that scheme; null when none.
    /// </summary>
    public static (ServerCertificate Certificate, SignatureScheme Scheme)? ChooseCertificate(IEnumerable<ServerCertificate> certificates,
        Func<ServerCertificate, bool> fits, IEnumerable<SignatureScheme> preference, IReadOnlyList<SignatureScheme> accepted, bool tls13)
    {
        // Index loops over the lists: no boxed enumerator per certificate and scheme list (issue 11: allocation per handshake).
        var ordered = preference as IReadOnlyList<SignatureScheme> ?? [.. preference];
        var list = certificates as IReadOnlyList<ServerCertificate> ?? [.. certificates];
        for (int c = 0; c < list.Count; c++)
        {
            var certificate = list[c];
            if (!fits(certificate)) continue;
            var canDo = certificate.Schemes(tls13);
            for (int i = 0; i < ordered.Count; i++)
                if (Has(canDo, ordered[i]) && Has(accepted, ordered[i]))
                    return (certificate, ordered[i]);
        }
        return null;

        static bool Has(IReadOnlyList<SignatureScheme> schemes, SignatureScheme scheme)
        {
            for (int i = 0; i < schemes.Count; i++)
                if (schemes[i] == scheme) return true;
            return false;
        }
    }
}
