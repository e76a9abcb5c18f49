using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace SharpTls.Hosting.Bindings;

/// <summary>
/// What the binding table reports: the host's events (Hosting/Diagnostics) implement it with their EventIds.
/// Every method is called on whatever thread met the condition and must not throw.
/// </summary>
public interface IBindingDiagnostics
{
    /// <summary>No binding serves this local endpoint and name (the handshake is refused: unrecognized_name, or handshake_failure without SNI).</summary>
    void NoBinding(IPEndPoint local, string? serverName, IPEndPoint? remote);

    /// <summary>Event 36871: the binding's certificate is met at handshake time and cannot serve (expired, not yet valid); the handshake is refused.</summary>
    void CredentialUnusable(SslBinding binding, X509Certificate2? certificate, string reason);

    /// <summary>A binding could not be turned into a policy when the table was built (certificate missing, expired, without key...): it is not served.</summary>
    void BindingNotServed(SslBinding binding, string reason);

    /// <summary>The bindings file does not parse; the last good table stays in force.</summary>
    void BindingsFileInvalid(string path, string error);

    /// <summary>A file of the central certificate store cannot be loaded; the other names keep working.</summary>
    void CentralStoreFileInvalid(string path, string error);

    /// <summary>A new table is in force.</summary>
    void TableChanged(BindingTable table);

    /// <summary>
    /// What a binding staples for <paramref name="certificate"/> from the OCSP response file <paramref name="path"/> changed:
    /// <paramref name="problem"/> says why nothing is stapled now (a bad file, a status other than good, a stale response),
    /// null when a response is stapled again. Reported once per change, when it is noticed. The default does nothing.
    /// </summary>
    void OcspResponseChanged(string path, X509Certificate2 certificate, string? problem) { }
}
