using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Ocsp;

namespace SharpTls.Diagnostics;

/// <summary>
/// What a DER OCSP response (RFC 6960 §4.2.1) says, for reports and for a host checking the response it is about to
/// staple: the response status and, for a basic response, when it was produced and the status of each certificate it
/// covers with its validity window. It does not verify the responder's signature.
/// </summary>
public sealed class OcspResponseInfo
{
    private static readonly string[] StatusNames =
        ["successful", "malformedRequest", "internalError", "tryLater", "(4)", "sigRequired", "unauthorized"];

    private OcspResponseInfo(int status, DateTimeOffset? producedAt, IReadOnlyList<OcspSingleResponse> responses)
    {
        StatusCode = status;
        ProducedAt = producedAt;
        Responses = responses;
    }

    /// <summary>OCSPResponseStatus: 0 is successful; anything else carries no certificate status.</summary>
    public int StatusCode { get; }

    /// <summary>The name of <see cref="StatusCode"/> (RFC 6960 §4.2.1).</summary>
    public string Status => StatusCode >= 0 && StatusCode < StatusNames.Length ? StatusNames[StatusCode] : $"({StatusCode})";

    /// <summary>producedAt of the basic response (null when it has none).</summary>
    public DateTimeOffset? ProducedAt { get; }

    /// <summary>The SingleResponses: one per certificate the response covers.</summary>
    public IReadOnlyList<OcspSingleResponse> Responses { get; }

    /// <summary>Parses a DER OCSPResponse.</summary>
    /// <exception cref="FormatException">It is not one.</exception>
    public static OcspResponseInfo Parse(ReadOnlySpan<byte> der)
    {
        try
        {
            var response = new OcspResp(der.ToArray());
            if (response.Status != 0 || response.GetResponseObject() is not BasicOcspResp basic)
                return new OcspResponseInfo(response.Status, null, []);
            var singles = basic.Responses.Select(r =>
            {
                string status = r.GetCertStatus() switch
                {
                    null => "good",
                    RevokedStatus revoked => $"revoked at {revoked.RevocationTime:u}",
                    _ => "unknown",
                };
                return new OcspSingleResponse(r.GetCertID().SerialNumber.ToString(16).ToUpperInvariant(), status,
                    new DateTimeOffset(r.ThisUpdate, TimeSpan.Zero), r.NextUpdate is { } next ? new DateTimeOffset(next, TimeSpan.Zero) : null);
            }).ToList();
            return new OcspResponseInfo(0, new DateTimeOffset(basic.ProducedAt, TimeSpan.Zero), singles);
        }
        catch (Exception e) when (e is not FormatException and not OutOfMemoryException)
        {
            throw new FormatException($"not a DER OCSP response: {e.Message}", e);
        }
    }

    /// <summary>The single response for <paramref name="certificate"/> (by serial number), or null.</summary>
    public OcspSingleResponse? For(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        string serial = new Org.BouncyCastle.Math.BigInteger(1, certificate.SerialNumberBytes.Span.ToArray()).ToString(16).ToUpperInvariant();
        return Responses.FirstOrDefault(r => r.SerialNumber == serial);
    }

    /// <summary>One line per fact, as <c>sharptls connect</c> prints them.</summary>
    public override string ToString()
        => $"OCSP response: {Status}"
            + (ProducedAt is { } at ? $", produced {at:u}" : "")
            + string.Concat(Responses.Select(r => $"\n  serial {r.SerialNumber}: {r.CertificateStatus}, this update {r.ThisUpdate:u}"
                + (r.NextUpdate is { } next ? $", next update {next:u}" : ", no next update")));
}

/// <summary>One SingleResponse of an OCSP response: the certificate's serial number (hex), its status, and the window.</summary>
/// <param name="SerialNumber">The serial number, upper-case hex without leading zeros.</param>
/// <param name="CertificateStatus">"good", "revoked at ..." or "unknown".</param>
/// <param name="ThisUpdate">thisUpdate.</param>
/// <param name="NextUpdate">nextUpdate, when the responder gave one.</param>
public sealed record OcspSingleResponse(string SerialNumber, string CertificateStatus, DateTimeOffset ThisUpdate, DateTimeOffset? NextUpdate)
{
    /// <summary>True when the status is good and <paramref name="now"/> lies within thisUpdate..nextUpdate.</summary>
    public bool IsGoodAt(DateTimeOffset now) => CertificateStatus == "good" && ThisUpdate <= now && (NextUpdate is not { } next || now < next);
}
