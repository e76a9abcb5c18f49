using System.Security.Cryptography;
using SharpTls.Crypto;
using SharpTls.Messages;
using SharpTls.Wire;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace SharpTls.Handshake.Tls12.KeyExchange;

/// <summary>
/// Finite-field DHE (RFC 5246 §7.4.3): the server sends (p, g, Ys) from an RFC 7919 group; the client
/// checks peer-chosen parameters (at least <see cref="MinimumClientPrimeBits"/> bits, a safe prime unless
/// they are a published group: RFC 7919's or RFC 3526's) and answers Yc. The pre-master is the shared value with its
/// leading zero bytes stripped (RFC 5246 §8.1.2).
/// </summary>
internal sealed class DheKeyExchange : ITls12KeyExchange
{
    /// <summary>The groups the server offers DHE with (RFC 7919), in preference order.</summary>
    public static readonly NamedGroup[] Groups = [NamedGroup.Ffdhe2048, NamedGroup.Ffdhe3072, NamedGroup.Ffdhe4096];

    private readonly ICryptoProvider _crypto;
    private readonly FfdheKeyShare? _serverShare;
    private readonly int _minimumBits;
    private FfdheKeyShare? _clientShare;
    private byte[]? _peerPublic;

    private DheKeyExchange(ICryptoProvider crypto, FfdheKeyShare? serverShare, int minimumBits)
    {
        _crypto = crypto;
        _serverShare = serverShare;
        _minimumBits = minimumBits;
    }

    /// <summary>The smallest prime our client accepts by default.</summary>
    public const int MinimumClientPrimeBits = 2048;

    /// <summary>Server: a fresh share in the RFC 7919 <paramref name="group"/>.</summary>
    public static DheKeyExchange ForServer(ICryptoProvider crypto, NamedGroup group)
        => new(crypto, (FfdheKeyShare)crypto.GenerateKeyShare(group), 0);

    /// <summary>Client: accepts a server's (p, g) of at least <paramref name="minimumBits"/> bits.</summary>
    public static DheKeyExchange ForClient(ICryptoProvider crypto, int minimumBits = MinimumClientPrimeBits) => new(crypto, null, minimumBits);

    public KeyExchangeKind Kind => KeyExchangeKind.Dhe;

    /// <summary>The RFC 7919 group in use, or 0 for explicit parameters not among them.</summary>
    public NamedGroup Group { get; private set; }

    public ServerKeyExchange? ServerParams()
    {
        var share = _serverShare!;
        Group = share.Group;
        var (p, g) = RfcGroup(Group);
        return new ServerKeyExchange { KeyExchange = KeyExchangeKind.Dhe, DhP = p, DhG = g, PublicKey = share.PublicKey.ToArray() };
    }

    public byte[] ServerPreMaster(ClientKeyExchange exchange)
        => Strip(_serverShare!.DeriveSecret(LeftPad(exchange.Exchange, _serverShare.PrimeLength, _serverShare.Group)));

    public void ClientParams(ServerKeyExchange serverKeyExchange)
    {
        var p = new BigInteger(1, serverKeyExchange.DhP);
        if (p.BitLength < _minimumBits)
            throw new TlsProtocolException(AlertDescription.InsufficientSecurity,
                $"the server's DHE prime has {p.BitLength} bits; at least {_minimumBits} are required");
        Group = Groups.FirstOrDefault(g => RfcGroup(g) is var (gp, gg) && gp.AsSpan().SequenceEqual(Trim(serverKeyExchange.DhP)) && gg.AsSpan().SequenceEqual(Trim(serverKeyExchange.DhG)));
        if (Group == 0 && !IsPublishedSafePrime(p))
        {
            // Not a published group: p and (p-1)/2 must both be prime, or small-subgroup attacks apply.
            // (64 Miller-Rabin rounds on each of two 2048-bit numbers take a second or more in managed code,
            // which is why the groups servers actually use are recognised by value first.)
            if (!p.IsProbablePrime(64) || !p.ShiftRight(1).IsProbablePrime(64))
                throw new TlsProtocolException(AlertDescription.InsufficientSecurity, "the server's DHE prime is not a safe prime");
        }
        _clientShare = FfdheKeyShare.ForExplicitGroup(serverKeyExchange.DhP, serverKeyExchange.DhG, _crypto);
        _peerPublic = serverKeyExchange.PublicKey;
    }

    public (ClientKeyExchange Message, byte[] PreMaster) ClientExchange()
    {
        var share = _clientShare ?? throw new InvalidOperationException("ClientExchange before ClientParams");
        byte[] secret = Strip(share.DeriveSecret(_peerPublic!));
        return (new ClientKeyExchange { KeyExchange = KeyExchangeKind.Dhe, Exchange = share.PublicKey.ToArray() }, secret);
    }

    /// <summary>
    /// The published safe primes servers send besides RFC 7919's: the RFC 3526 MODP groups (OpenSSL's built-in
    /// parameters for DHE when no dhparam file is configured) and RFC 7919's larger groups. Their primality is a
    /// published fact, so the client's safe-prime test is skipped for them; the generator is checked like any other.
    /// </summary>
    private static readonly Org.BouncyCastle.Math.BigInteger[] PublishedSafePrimes =
    [
        Org.BouncyCastle.Crypto.Agreement.DHStandardGroups.rfc3526_2048.P,
        Org.BouncyCastle.Crypto.Agreement.DHStandardGroups.rfc3526_3072.P,
        Org.BouncyCastle.Crypto.Agreement.DHStandardGroups.rfc3526_4096.P,
        Org.BouncyCastle.Crypto.Agreement.DHStandardGroups.rfc3526_6144.P,
        Org.BouncyCastle.Crypto.Agreement.DHStandardGroups.rfc3526_8192.P,
        Org.BouncyCastle.Crypto.Agreement.DHStandardGroups.rfc7919_ffdhe6144.P,
        Org.BouncyCastle.Crypto.Agreement.DHStandardGroups.rfc7919_ffdhe8192.P,
    ];

    private static bool IsPublishedSafePrime(BigInteger p) => PublishedSafePrimes.Any(known => known.Equals(p));

    /// <summary>(p, g) of an RFC 7919 group as unsigned big-endian bytes.</summary>
    private static (byte[] P, byte[] G) RfcGroup(NamedGroup group)
    {
        var parameters = group switch
        {
            NamedGroup.Ffdhe2048 => Org.BouncyCastle.Crypto.Agreement.DHStandardGroups.rfc7919_ffdhe2048,
            NamedGroup.Ffdhe3072 => Org.BouncyCastle.Crypto.Agreement.DHStandardGroups.rfc7919_ffdhe3072,
            _ => Org.BouncyCastle.Crypto.Agreement.DHStandardGroups.rfc7919_ffdhe4096,
        };
        return (parameters.P.ToByteArrayUnsigned(), parameters.G.ToByteArrayUnsigned());
    }

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> value)
    {
        int i = 0;
        while (i < value.Length - 1 && value[i] == 0) i++;
        return value[i..];
    }

    /// <summary>dh_Yc may come without its leading zeros (OpenSSL sends the minimal form): pad it to the prime's length.</summary>
    private static byte[] LeftPad(byte[] value, int length, NamedGroup group)
    {
        if (value.Length > length)
            throw KeyShares.BadShare(group, $"dh_Yc is {value.Length} bytes for a {length}-byte prime");
        if (value.Length == length) return value;
        byte[] padded = new byte[length];
        value.CopyTo(padded, length - value.Length);
        return padded;
    }

    private static byte[] Strip(byte[] padded)
    {
        byte[] stripped = KeyShares.StripLeadingZeros(padded);
        CryptographicOperations.ZeroMemory(padded);
        return stripped;
    }

    public void Dispose()
    {
        _serverShare?.Dispose();
        _clientShare?.Dispose();
    }
}
