using SharpTls.Messages.Extensions;
using SharpTls.Wire;

namespace SharpTls.Messages;

/// <summary>One certificate of a chain: DER (or a raw public key) and, in TLS 1.3, its extensions.</summary>
internal sealed record CertificateEntry(byte[] Data, ExtensionList Extensions)
{
    public CertificateEntry(byte[] data) : this(data, []) { }
}

/// <summary>
/// Certificate (the message; named so as not to be confused with X.509 types).
/// TLS 1.0-1.2 (RFC 5246 §7.4.2), chosen when <see cref="RequestContext"/> is null:
/// <code>
/// opaque ASN.1Cert&lt;1..2^24-1&gt;;
/// struct { ASN.1Cert certificate_list&lt;0..2^24-1&gt;; } Certificate;
/// </code>
/// TLS 1.3 (RFC 8446 §4.4.2):
/// <code>
/// struct {
///     opaque cert_data&lt;1..2^24-1&gt;;
///     Extension extensions&lt;0..2^16-1&gt;;
/// } CertificateEntry;
/// struct {
///     opaque certificate_request_context&lt;0..2^8-1&gt;;
///     CertificateEntry certificate_list&lt;0..2^24-1&gt;;
/// } Certificate;
/// </code>
/// </summary>
internal sealed class CertificateMessage : HandshakeMessage
{
    public override HandshakeType Type => HandshakeType.Certificate;

    /// <summary>certificate_request_context (TLS 1.3); null selects the TLS 1.0-1.2 form.</summary>
    public byte[]? RequestContext { get; init; }

    /// <summary>The chain, end-entity first.</summary>
    public IReadOnlyList<CertificateEntry> Entries { get; init; } = [];

    public bool IsTls13 => RequestContext is not null;

    /// <summary>A TLS 1.0-1.2 Certificate from DER certificates.</summary>
    public static CertificateMessage Tls12(IEnumerable<byte[]> chain) => new() { Entries = chain.Select(c => new CertificateEntry(c)).ToArray() };

    protected override void WriteBody(TlsWriter w)
    {
        if (RequestContext is not null) w.WriteVector(1, RequestContext);
        var mark = w.BeginVector(3);
        foreach (var e in Entries)
        {
            w.WriteVector(3, e.Data, 1);
            if (RequestContext is not null) e.Extensions.Write(w);
            else if (e.Extensions.Count > 0) throw new InvalidOperationException("TLS 1.2 certificates carry no extensions");
        }
        w.EndVector(mark);
    }

    internal static CertificateMessage ReadBody(ref TlsReader r, MessageContext ctx)
    {
        bool tls13 = ctx.RequireVersion(HandshakeType.Certificate) == ProtocolVersion.Tls13;
        byte[]? context = tls13 ? r.ReadVector8("certificate_request_context").ToArray() : null;
        var list = r.ReadVector24Reader("certificate_list");
        var entries = new List<CertificateEntry>();
        while (!list.IsEmpty)
        {
            var data = list.ReadVector24(tls13 ? "cert_data" : "ASN.1Cert", 1).ToArray();
            entries.Add(new CertificateEntry(data, tls13 ? ExtensionList.Read(ref list, ExtensionContext.Certificate) : []));
        }
        return new CertificateMessage { RequestContext = context, Entries = entries };
    }
}
