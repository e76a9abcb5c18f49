using System.Security.Cryptography.X509Certificates;
using SharpTls.Wire;

namespace SharpTls.Certificates;

/// <summary>The outcome of verifying a peer's chain: the alert to send on failure and why.</summary>
/// <param name="Ok">True when the chain and the name are acceptable.</param>
/// <param name="Alert">The alert for a failure (bad_certificate, certificate_expired, unknown_ca, ...).</param>
/// <param name="Reasons">What was checked and what failed, one line each.</param>
internal sealed record CertificateVerification(bool Ok, AlertDescription Alert, IReadOnlyList<string> Reasons)
{
    /// <inheritdoc />
    public override string ToString() => (Ok ? "OK" : "FAILED") + ": " + string.Join("; ", Reasons);
}

/// <summary>
/// Verifies a certificate chain the way seed 004 and its KB article describe server
/// authentication: is today's date within the validity period, is the issuer trusted, does
/// the issuer's public key verify the signature, and does the name match the server's name.
/// Chain building and signatures are the BCL's X509Chain; the clock comes from TimeProvider.
/// </summary>
internal static class CertificateVerifier
{
    /// <summary>Verifies <paramref name="peer"/> (leaf first).</summary>
    /// <param name="peer">The certificates the peer sent, leaf first (the handshake's parsed chain and its DER).</param>
    /// <param name="expectedHost">The name to match (server auth), or null to skip the name check (client auth).</param>
    /// <param name="trustedRoots">Custom trust anchors; empty uses the system store.</param>
    /// <param name="serverAuth">True to require the serverAuth EKU, false for clientAuth.</param>
    /// <param name="revocation">Revocation checking mode.</param>
    /// <param name="time">The clock.</param>
    /// <param name="usageCheck">
    /// Client auth only: false skips the usage checks (HTTP.sys' <c>usagecheck=disable</c>); true requires the clientAuth EKU
    /// (when the certificate lists EKUs) and the digitalSignature key usage (when it lists key usages). Server auth always
    /// requires the serverAuth EKU.
    /// </param>
    public static CertificateVerification Verify(PeerCertificateList peer, string? expectedHost,
        X509Certificate2Collection trustedRoots, bool serverAuth, X509RevocationMode revocation, TimeProvider time, bool usageCheck = true)
    {
        if (peer.Count == 0)
            return new(false, serverAuth ? AlertDescription.DecodeError : AlertDescription.CertificateRequired, ["the peer sent no certificate"]);

        var chain = peer.Handshake;
        var leaf = chain[0];
        var now = time.GetUtcNow();
        var reasons = new List<string> { SubjectLine(leaf) };

        using var x509 = new X509Chain();
        var policy = x509.ChainPolicy;
        policy.VerificationTime = now.UtcDateTime;
        policy.VerificationTimeIgnored = false;
        policy.RevocationMode = revocation;
        policy.RevocationFlag = X509RevocationFlag.ExcludeRoot;
        if (serverAuth || usageCheck)
            policy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2"));
        if (trustedRoots.Count > 0)
        {
            policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            policy.CustomTrustStore.AddRange(trustedRoots);
        }
        for (int i = 1; i < chain.Length; i++) policy.ExtraStore.Add(chain[i]);

        bool built = x509.Build(leaf);
        var alert = AlertDescription.BadCertificate;
        string? root = null;
        if (!built)
        {
            foreach (var status in x509.ChainStatus)
            {
                reasons.Add(Describe(status.Status) + (string.IsNullOrWhiteSpace(status.StatusInformation) ? "" : $" ({status.StatusInformation.Trim()})"));
                alert = Worse(alert, AlertFor(status.Status));
            }
            if (x509.ChainStatus.Length == 0) reasons.Add("the chain could not be built");
        }
        else
        {
            root = RootNames.Intern(x509.ChainElements[^1].Certificate.Subject);
            reasons.Add(RootLine(root));
            reasons.Add(ValidityLine(leaf));
        }
        DisposeElements(x509, chain, trustedRoots);

        // A client certificate signs CertificateVerify: with the usage check on, a key usage that excludes signing refuses it.
        bool usageOk = true;
        if (!serverAuth && usageCheck && leaf.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is { } keyUsage
            && !keyUsage.KeyUsages.HasFlag(X509KeyUsageFlags.DigitalSignature))
        {
            usageOk = false;
            reasons.Add($"the certificate's key usage ({keyUsage.KeyUsages}) does not allow digitalSignature");
            if (built) alert = AlertDescription.UnsupportedCertificate;
        }

        bool nameOk = true;
        if (expectedHost is not null)
        {
            nameOk = HostnameMatcher.Matches(leaf, expectedHost);
            reasons.Add(nameOk
                ? NameLine(expectedHost)
                : $"name {expectedHost} does not match the certificate (it is for {string.Join(", ", HostnameMatcher.Names(leaf))})");
        }
        if (built && !nameOk) alert = AlertDescription.BadCertificate;
        bool ok = built && nameOk && usageOk;
        // A verified chain's reasons are kept as the few facts they are made of (the leaf's DER, which the connection keeps
        // anyway, the root's name, shared, and the name checked) and formatted when read: an idle connection with a client
        // certificate held ~390 bytes of these lines as text (bench/PROFILE.md).
        return ok
            ? new(true, alert, new VerifiedReasons(peer.Der[0], root!, expectedHost))
            : new(false, alert, reasons);
    }

    private static string SubjectLine(X509Certificate2 leaf) => $"subject {leaf.Subject}, issuer {leaf.Issuer}";

    private static string RootLine(string root) => $"chain to trusted root {root} OK";

    private static string ValidityLine(X509Certificate2 leaf) => $"valid {leaf.NotBefore.ToUniversalTime():yyyy-MM-dd} to {leaf.NotAfter.ToUniversalTime():yyyy-MM-dd}";

    private static string NameLine(string host) => $"name {host} matches";

    /// <summary>
    /// The reasons of a verified chain, in the order <see cref="Verify"/> writes them (subject and issuer, the trusted root,
    /// the validity dates, the name that matched), formatted from the leaf's DER each time they are read.
    /// </summary>
    internal sealed class VerifiedReasons(byte[] leafDer, string root, string? matchedHost) : IReadOnlyList<string>
    {
        public int Count => matchedHost is null ? 3 : 4;

        public string this[int index] => Lines()[index];

        public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)Lines()).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        private string[] Lines()
        {
            // The DER parsed during the handshake: it parses again.
            using var leaf = X509CertificateLoader.LoadCertificate(leafDer);
            return matchedHost is null
                ? [SubjectLine(leaf), RootLine(root), ValidityLine(leaf)]
                : [SubjectLine(leaf), RootLine(root), ValidityLine(leaf), NameLine(matchedHost)];
        }
    }

    /// <summary>Trusted roots' names, one string each for every connection that names it (at most 1,024 kept).</summary>
    private static class RootNames
    {
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Names = new(StringComparer.Ordinal);

        public static string Intern(string name)
            => Names.TryGetValue(name, out var kept) ? kept : Names.Count < 1024 ? Names.GetOrAdd(name, name) : name;
    }

    /// <summary>
    /// Disposes the certificate objects the chain made for its elements (on Linux each is a new object over a native X509;
    /// <see cref="X509Chain.Dispose()"/> leaves them to the finalizer, and thousands of handshakes' worth then pile up as native
    /// memory between collections: bench/PROFILE.md). Objects that are the caller's own are left alone.
    /// </summary>
    private static void DisposeElements(X509Chain x509, IReadOnlyList<X509Certificate2> chain, X509Certificate2Collection trustedRoots)
    {
        foreach (var element in x509.ChainElements)
        {
            var certificate = element.Certificate;
            bool theirs = false;
            foreach (var c in chain) theirs |= ReferenceEquals(c, certificate);
            foreach (var c in trustedRoots) theirs |= ReferenceEquals(c, certificate);
            if (!theirs) certificate.Dispose();
        }
    }

    private static string Describe(X509ChainStatusFlags flag) => flag switch
    {
        X509ChainStatusFlags.NotTimeValid => "the certificate has expired or is not yet valid",
        X509ChainStatusFlags.UntrustedRoot => "the chain ends in a root that is not trusted",
        X509ChainStatusFlags.PartialChain => "the chain could not be built to a trusted root (issuer unknown)",
        X509ChainStatusFlags.NotSignatureValid => "a signature in the chain does not verify",
        X509ChainStatusFlags.Revoked => "a certificate in the chain is revoked",
        X509ChainStatusFlags.RevocationStatusUnknown or X509ChainStatusFlags.OfflineRevocation => "revocation status unknown",
        X509ChainStatusFlags.NotValidForUsage => "the certificate is not valid for this usage (EKU)",
        _ => flag.ToString(),
    };

    private static AlertDescription AlertFor(X509ChainStatusFlags flag) => flag switch
    {
        X509ChainStatusFlags.NotTimeValid => AlertDescription.CertificateExpired,
        X509ChainStatusFlags.UntrustedRoot or X509ChainStatusFlags.PartialChain => AlertDescription.UnknownCa,
        X509ChainStatusFlags.Revoked => AlertDescription.CertificateRevoked,
        X509ChainStatusFlags.NotValidForUsage => AlertDescription.UnsupportedCertificate,
        X509ChainStatusFlags.RevocationStatusUnknown or X509ChainStatusFlags.OfflineRevocation => AlertDescription.CertificateUnknown,
        _ => AlertDescription.BadCertificate,
    };

    // Trust problems are reported before dates, dates before the rest.
    private static AlertDescription Worse(AlertDescription a, AlertDescription b)
    {
        static int Rank(AlertDescription d) => d switch
        {
            AlertDescription.UnknownCa => 4,
            AlertDescription.CertificateRevoked => 3,
            AlertDescription.CertificateExpired => 2,
            AlertDescription.BadCertificate => 0,
            _ => 1,
        };
        return Rank(b) > Rank(a) ? b : a;
    }
}
