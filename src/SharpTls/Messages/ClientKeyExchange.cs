using SharpTls.Wire;

namespace SharpTls.Messages;

/// <summary>
/// ClientKeyExchange (RFC 5246 §7.4.7, RFC 8422 §5.7; SSL 3.0: RFC 6101 §5.6.7).
/// <code>
/// struct {
///     select (KeyExchangeAlgorithm) {
///         case rsa:               EncryptedPreMasterSecret;
///         case dhe_*, dh_anon:    ClientDiffieHellmanPublic;
///         case ec_diffie_hellman: ClientECDiffieHellmanPublic;
///     } exchange_keys;
/// } ClientKeyExchange;
/// struct { public-key-encrypted PreMasterSecret pre_master_secret; } EncryptedPreMasterSecret;
///     /* TLS: opaque&lt;0..2^16-1&gt;; SSL 3.0: the bare ciphertext, no length */
/// struct { opaque dh_Yc&lt;1..2^16-1&gt;; } ClientDiffieHellmanPublic;      /* explicit form only */
/// struct { opaque point&lt;1..2^8-1&gt;; } ClientECDiffieHellmanPublic;     /* explicit form only */
/// </code>
/// </summary>
internal sealed class ClientKeyExchange : HandshakeMessage
{
    public override HandshakeType Type => HandshakeType.ClientKeyExchange;

    public KeyExchangeKind KeyExchange { get; init; } = KeyExchangeKind.Ecdhe;

    /// <summary>RSA: the encrypted pre-master secret; DHE: dh_Yc; ECDHE: the client's point.</summary>
    public byte[] Exchange { get; init; } = [];

    /// <summary>RSA in SSL 3.0: the ciphertext is written without a length prefix.</summary>
    public bool Ssl3Form { get; init; }

    protected override void WriteBody(TlsWriter w)
    {
        switch (KeyExchange)
        {
            case KeyExchangeKind.Rsa when Ssl3Form: w.WriteBytes(Exchange); break;
            case KeyExchangeKind.Rsa: w.WriteVector(2, Exchange); break;
            case KeyExchangeKind.Ecdhe or KeyExchangeKind.EcdhAnon: w.WriteVector(1, Exchange, 1); break;
            case KeyExchangeKind.Dhe or KeyExchangeKind.DhAnon: w.WriteVector(2, Exchange, 1); break;
            default: throw new InvalidOperationException($"no ClientKeyExchange for {KeyExchange}");
        }
    }

    internal static ClientKeyExchange ReadBody(ref TlsReader r, MessageContext ctx)
    {
        var kind = ctx.KeyExchange;
        var version = ctx.RequireVersion(HandshakeType.ClientKeyExchange);
        bool ssl3 = version == ProtocolVersion.Ssl3;
        byte[] exchange = kind switch
        {
            KeyExchangeKind.Rsa when ssl3 => r.ReadBytes(r.Remaining, "EncryptedPreMasterSecret").ToArray(),
            KeyExchangeKind.Rsa => r.ReadVector16("EncryptedPreMasterSecret").ToArray(),
            KeyExchangeKind.Ecdhe or KeyExchangeKind.EcdhAnon => r.ReadVector8("ecdh_Yc", 1).ToArray(),
            KeyExchangeKind.Dhe or KeyExchangeKind.DhAnon => r.ReadVector16("dh_Yc", 1).ToArray(),
            _ => throw new TlsProtocolException(AlertDescription.UnexpectedMessage, $"ClientKeyExchange: not expected with key exchange {kind}"),
        };
        return new ClientKeyExchange { KeyExchange = kind, Exchange = exchange, Ssl3Form = ssl3 && kind == KeyExchangeKind.Rsa };
    }
}
