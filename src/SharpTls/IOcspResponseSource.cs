namespace SharpTls;

/// <summary>
/// Where a server certificate's stapled OCSP response comes from (RFC 6066 §8 on TLS 1.2, RFC 8446 §4.4.2.1 on
/// TLS 1.3). The engine does no I/O and keeps no clock: it reads <see cref="Current"/> once per full handshake in
/// which the client asked for the status, and staples what it gets. Loading the response (from a file, a responder)
/// and replacing it before it expires is the host's work; <c>SharpTls.Hosting.Certificates.OcspResponseFile</c>
/// loads it from a file and reloads it when the file changes.
/// </summary>
public interface IOcspResponseSource
{
    /// <summary>The largest response the engine staples or accepts (32 KiB; real responses are 1-6 KB). A longer one
    /// is not stapled by a server, and a client that receives one ends the handshake with bad_certificate_status_response.</summary>
    const int MaxResponseLength = 32 * 1024;

    /// <summary>The DER <c>OCSPResponse</c> to staple now; empty when there is none (nothing is stapled).
    /// Called on the handshake path: it must return at once, without I/O.</summary>
    ReadOnlyMemory<byte> Current { get; }
}
