using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SharpTls.Messages;
using SharpTls.Wire;

namespace SharpTls.Certificates;

/// <summary>Turns a Certificate message's entries into X509Certificate2 objects, leaf first.</summary>
internal static class PeerChain
{
    /// <summary>Parses every entry; one that is not a certificate is bad_certificate, naming <paramref name="whose"/>.</summary>
    public static List<X509Certificate2> Parse(IReadOnlyList<CertificateEntry> entries, string whose)
    {
        var chain = new List<X509Certificate2>(entries.Count);
        foreach (var entry in entries)
        {
            try
            {
                chain.Add(X509CertificateLoader.LoadCertificate(entry.Data));
            }
            catch (CryptographicException e)
            {
                throw new TlsProtocolException(AlertDescription.BadCertificate, $"{whose} certificate does not parse: {e.Message}");
            }
        }
        return chain;
    }
}
