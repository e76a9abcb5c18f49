using SharpTls.Wire;

namespace SharpTls.Messages;

/// <summary>
/// ServerKeyExchange for ECDHE (RFC 8422 §5.4) and DHE (RFC 5246 §7.4.3); RSA export is not supported.
/// <code>
/// enum { explicit_prime(1), explicit_char2(2), named_curve(3), (255) } ECCurveType;
/// struct { ECCurveType curve_type; select (curve_type) { case named_curve: NamedCurve namedcurve; }; } ECParameters;
/// struct { opaque point&lt;1..2^8-1&gt;; } ECPoint;
/// struct { ECParameters curve_params; ECPoint public; } ServerECDHParams;
/// struct { opaque dh_p&lt;1..2^16-1&gt;; opaque dh_g&lt;1..2^16-1&gt;; opaque dh_Ys&lt;1..2^16-1&gt;; } ServerDHParams;
/// struct {
///     select (KeyExchangeAlgorithm) {
///         case ec_diffie_hellman: ServerECDHParams params; Signature signed_params;
///         case dhe_dss, dhe_rsa:  ServerDHParams params;   digitally-signed struct { ... } signed_params;
///         case dh_anon, ecdh_anon: params only;
///     };
/// } ServerKeyExchange;
/// /* TLS 1.2 digitally-signed: */ struct { SignatureAndHashAlgorithm algorithm; opaque signature&lt;0..2^16-1&gt;; }
/// /* TLS 1.0, 1.1, SSL 3.0:   */ struct { opaque signature&lt;0..2^16-1&gt;; }
/// </code>
/// Only named_curve is accepted (RFC 8422 §5.4 deprecates the explicit forms): other curve types are illegal_parameter.
/// A ServerKeyExchange under RSA key exchange (or none) is unexpected_message.
/// </summary>
internal sealed class ServerKeyExchange : HandshakeMessage
{
    public override HandshakeType Type => HandshakeType.ServerKeyExchange;

    public KeyExchangeKind KeyExchange { get; init; } = KeyExchangeKind.Ecdhe;

    /// <summary>ECDHE: the named group.</summary>
    public NamedGroup Group { get; init; }

    /// <summary>ECDHE: the server's point; DHE: dh_Ys.</summary>
    public byte[] PublicKey { get; init; } = [];

    /// <summary>DHE: the prime dh_p.</summary>
    public byte[] DhP { get; init; } = [];

    /// <summary>DHE: the generator dh_g.</summary>
    public byte[] DhG { get; init; } = [];

    /// <summary>TLS 1.2: the signature algorithm; null before TLS 1.2.</summary>
    public SignatureScheme? SignatureScheme { get; init; }

    /// <summary>The signature over client_random + server_random + params (empty for anonymous key exchange).</summary>
    public byte[] Signature { get; init; } = [];

    private bool IsEc => KeyExchange is KeyExchangeKind.Ecdhe or KeyExchangeKind.EcdhAnon;

    private bool IsSigned => KeyExchange is KeyExchangeKind.Ecdhe or KeyExchangeKind.Dhe;

    /// <summary>The encoded ServerECDHParams / ServerDHParams: what the signature covers after the two randoms.</summary>
    public byte[] EncodeParams()
    {
        var w = new TlsWriter();
        WriteParams(w);
        return w.ToArray();
    }

    private void WriteParams(TlsWriter w)
    {
        if (IsEc)
        {
            w.WriteUInt8(3);
            w.WriteUInt16((ushort)Group);
            w.WriteVector(1, PublicKey, 1);
            return;
        }
        w.WriteVector(2, DhP, 1);
        w.WriteVector(2, DhG, 1);
        w.WriteVector(2, PublicKey, 1);
    }

    protected override void WriteBody(TlsWriter w)
    {
        WriteParams(w);
        if (!IsSigned) return;
        if (SignatureScheme is { } scheme) w.WriteUInt16((ushort)scheme);
        w.WriteVector(2, Signature);
    }

    internal static ServerKeyExchange ReadBody(ref TlsReader r, MessageContext ctx)
    {
        var kind = ctx.KeyExchange;
        if (kind is KeyExchangeKind.None or KeyExchangeKind.Rsa)
            throw new TlsProtocolException(AlertDescription.UnexpectedMessage, $"ServerKeyExchange: not expected with key exchange {kind}");
        var version = ctx.RequireVersion(HandshakeType.ServerKeyExchange);
        NamedGroup group = default;
        byte[] p = [], g = [], pub;
        if (kind is KeyExchangeKind.Ecdhe or KeyExchangeKind.EcdhAnon)
        {
            byte curveType = r.ReadUInt8("curve_type");
            if (curveType != 3) throw TlsProtocolException.Illegal($"curve_type: {curveType} is not named_curve (3)");
            group = (NamedGroup)r.ReadUInt16("namedcurve");
            pub = r.ReadVector8("point", 1).ToArray();
        }
        else
        {
            p = r.ReadVector16("dh_p", 1).ToArray();
            g = r.ReadVector16("dh_g", 1).ToArray();
            pub = r.ReadVector16("dh_Ys", 1).ToArray();
        }
        SignatureScheme? scheme = null;
        byte[] signature = [];
        if (kind is KeyExchangeKind.Ecdhe or KeyExchangeKind.Dhe)
        {
            if (version >= ProtocolVersion.Tls12) scheme = (SignatureScheme)r.ReadUInt16("signed_params.algorithm");
            signature = r.ReadVector16("signed_params.signature").ToArray();
        }
        return new ServerKeyExchange
        {
            KeyExchange = kind, Group = group, PublicKey = pub, DhP = p, DhG = g, SignatureScheme = scheme, Signature = signature,
        };
    }
}
