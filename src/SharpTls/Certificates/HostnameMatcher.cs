using System.Formats.Asn1;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace SharpTls.Certificates;

/// <summary>
/// Matches a server name against a certificate (RFC 6125 §6.4): the subjectAltName dNSName
/// entries (the subject CN is not consulted when a SAN is present, and is only a fallback for
/// old certificates without any SAN), or iPAddress entries when the name is an IP literal.
/// A wildcard matches only as the whole leftmost label ("*.contoso.com" matches
/// "www.contoso.com", not "contoso.com", "a.b.contoso.com" or via "w*.contoso.com").
/// </summary>
internal static class HostnameMatcher
{
    private const string SubjectAltNameOid = "2.5.29.17";

    /// <summary>True when the certificate is valid for <paramref name="host"/>.</summary>
    public static bool Matches(X509Certificate2 certificate, string host)
    {
        host = Normalize(host);
        var (dnsNames, ipAddresses, hasSan) = ReadSubjectAltNames(certificate);
        if (IPAddress.TryParse(host.Trim('[', ']'), out var ip))
            return ipAddresses.Any(a => a.Equals(ip));
        if (hasSan)
            return dnsNames.Any(n => MatchesName(n, host));
        string? cn = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        return cn is not null && MatchesName(cn, host);
    }

    /// <summary>The DNS names and IP addresses a certificate is valid for, as text (for reports).</summary>
    public static IReadOnlyList<string> Names(X509Certificate2 certificate)
    {
        var (dns, ips, _) = ReadSubjectAltNames(certificate);
        return [.. dns, .. ips.Select(i => i.ToString())];
    }

    /// <summary>Matches one presented identifier (possibly a wildcard) against a host name.</summary>
    public static bool MatchesName(string presented, string host)
    {
        presented = Normalize(presented);
        host = Normalize(host);
        if (presented.Length == 0 || host.Length == 0) return false;
        if (!presented.StartsWith("*.", StringComparison.Ordinal))
            return !presented.Contains('*') && string.Equals(presented, host, StringComparison.OrdinalIgnoreCase);
        string suffix = presented[1..]; // ".contoso.com"
        if (suffix.Contains('*') || suffix.Count(c => c == '.') < 2) return false; // no "*.com"
        int dot = host.IndexOf('.');
        return dot > 0 && string.Equals(host[dot..], suffix, StringComparison.OrdinalIgnoreCase);
    }

    private static string Normalize(string name)
    {
        name = name.Trim().TrimEnd('.');
        try
        {
            return new IdnMapping().GetAscii(name).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return name.ToLowerInvariant();
        }
    }

    private static (List<string> Dns, List<IPAddress> Ips, bool HasSan) ReadSubjectAltNames(X509Certificate2 certificate)
    {
        var dns = new List<string>();
        var ips = new List<IPAddress>();
        var ext = certificate.Extensions[SubjectAltNameOid];
        if (ext is null) return (dns, ips, false);
        try
        {
            var seq = new AsnReader(ext.RawData, AsnEncodingRules.DER).ReadSequence();
            while (seq.HasData)
            {
                var tag = seq.PeekTag();
                if (tag.TagClass == TagClass.ContextSpecific && tag.TagValue == 2)
                    dns.Add(seq.ReadCharacterString(UniversalTagNumber.IA5String, new Asn1Tag(TagClass.ContextSpecific, 2)));
                else if (tag.TagClass == TagClass.ContextSpecific && tag.TagValue == 7)
                {
                    byte[] raw = seq.ReadOctetString(new Asn1Tag(TagClass.ContextSpecific, 7));
                    if (raw.Length is 4 or 16) ips.Add(new IPAddress(raw));
                }
                else
                    seq.ReadEncodedValue();
            }
        }
        catch (AsnContentException)
        {
            // A malformed SAN matches nothing.
            return ([], [], true);
        }
        return (dns, ips, true);
    }
}
