using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Agreement;
using Org.BouncyCastle.Crypto.Parameters;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

using SharpTls.Wire;

namespace SharpTls.Crypto;

/// <summary>
/// Finite-field DHE: the RFC 7919 named groups (TLS 1.3 and TLS 1.2 with supported_groups) and,
/// for TLS 1.2 DHE suites, a server-chosen (p, g). BouncyCastle does the arithmetic and the checks; the two
/// exponentiations go through libcrypto where it loads (<see cref="OpenSslModExp"/>, ~7x faster at 8192 bits). The private
/// exponent is 512 bits from the provider (RFC 7919 §5.2 asks for at least twice the security level).
/// </summary>
internal sealed class FfdheKeyShare : IKeyShare
{
    private const int ExponentBytes = 64;

    private readonly DHParameters _parameters;
    private readonly DHPrivateKeyParameters _private;
    private readonly byte[] _public;
    private readonly int _primeBytes;
    private readonly bool _libCrypto;

    private FfdheKeyShare(NamedGroup group, DHParameters parameters, ICryptoProvider random, bool libCrypto)
    {
        _libCrypto = libCrypto && OpenSslModExp.IsAvailable;
        Group = group;
        _parameters = parameters;
        _primeBytes = (parameters.P.BitLength + 7) / 8;
        byte[] x = new byte[ExponentBytes];
        random.Fill(x);
        x[0] |= 0x80; // a full-length exponent, never 0 or 1
        var exponent = new BigInteger(1, x);
        CryptographicOperations.ZeroMemory(x);
        _private = new DHPrivateKeyParameters(exponent, parameters);
        _public = _libCrypto ? NativeModPow(parameters.G, exponent) : Pad(parameters.G.ModPow(exponent, parameters.P), _primeBytes);
    }

    /// <summary><paramref name="value"/>^<paramref name="exponent"/> mod p through libcrypto, padded to the prime's length.</summary>
    private byte[] NativeModPow(BigInteger value, BigInteger exponent)
    {
        byte[] x = exponent.ToByteArrayUnsigned();
        try
        {
            return OpenSslModExp.ModPow(value.ToByteArrayUnsigned(), x, _parameters.P.ToByteArrayUnsigned());
        }
        finally
        {
            CryptographicOperations.ZeroMemory(x);
        }
    }

    /// <summary>A share for an RFC 7919 group; <paramref name="libCrypto"/> false keeps the arithmetic in BouncyCastle.</summary>
    internal static FfdheKeyShare Create(NamedGroup group, ICryptoProvider random, bool libCrypto = true)
        => new(group, ParametersFor(group), random, libCrypto);

    /// <summary>
    /// A TLS 1.2 DHE share for explicit server parameters (ServerDHParams dh_p, dh_g). The caller
    /// enforces its minimum prime size; this refuses an even or tiny prime or g outside [2, p-2]
    /// with illegal_parameter.
    /// </summary>
    public static FfdheKeyShare ForExplicitGroup(ReadOnlySpan<byte> p, ReadOnlySpan<byte> g, ICryptoProvider random, bool libCrypto = true)
    {
        var prime = new BigInteger(1, p.ToArray());
        var generator = new BigInteger(1, g.ToArray());
        if (prime.BitLength < 512 || !prime.TestBit(0))
            throw Wire.TlsProtocolException.Illegal("ServerDHParams.dh_p: not an odd prime of at least 512 bits");
        if (generator.CompareTo(BigInteger.Two) < 0 || generator.CompareTo(prime.Subtract(BigInteger.Two)) > 0)
            throw Wire.TlsProtocolException.Illegal("ServerDHParams.dh_g: out of range");
        return new FfdheKeyShare(0, new DHParameters(prime, generator), random, libCrypto);
    }

    /// <summary>Our public value, left-padded to the prime's length.</summary>
    public ReadOnlyMemory<byte> PublicKey => _public;

    /// <summary>The group (0 for an explicit TLS 1.2 group).</summary>
    public NamedGroup Group { get; }

    /// <summary>The prime's length in bytes.</summary>
    public int PrimeLength => _primeBytes;

    /// <summary>Whether the exponentiations go through libcrypto (for the tests that hold both paths to the same bytes).</summary>
    internal bool UsesLibCrypto => _libCrypto;

    /// <summary>
    /// The shared secret, left-padded to the prime length (RFC 8446 §7.4.1). The peer's value must be
    /// in [2, p-2] (and, for the RFC 7919 groups, in the prime-order subgroup).
    /// </summary>
    public byte[] DeriveSecret(ReadOnlySpan<byte> peerShare)
    {
        if (Group != 0)
            KeyShares.CheckLength(Group, peerShare, _primeBytes);
        else if (peerShare.Length == 0 || peerShare.Length > _primeBytes)
            throw KeyShares.BadShare(Group, $"dh_Y is {peerShare.Length} bytes for a {_primeBytes}-byte prime");

        var y = new BigInteger(1, peerShare.ToArray());
        DHPublicKeyParameters peer;
        try
        {
            peer = new DHPublicKeyParameters(y, _parameters); // checks 2 <= y <= p-2 and y^q == 1 when q is known
        }
        catch (ArgumentException)
        {
            throw KeyShares.BadShare(Group, "DH public value out of range or not in the subgroup");
        }

        if (_libCrypto)
        {
            byte[] secret = NativeModPow(peer.Y, _private.X);
            if (secret.AsSpan(0, secret.Length - 1).IndexOfAnyExcept((byte)0) < 0 && secret[^1] == 1)
                throw KeyShares.BadShare(Group, "DH shared secret is 1");
            return secret;
        }
        var agreement = new DHBasicAgreement();
        agreement.Init(_private);
        BigInteger z = agreement.CalculateAgreement(peer);
        if (z.Equals(BigInteger.One))
            throw KeyShares.BadShare(Group, "DH shared secret is 1");
        return Pad(z, _primeBytes);
    }

    private static byte[] Pad(BigInteger value, int length)
    {
        byte[] raw = value.ToByteArrayUnsigned();
        if (raw.Length == length) return raw;
        byte[] padded = new byte[length];
        raw.CopyTo(padded, length - raw.Length);
        CryptographicOperations.ZeroMemory(raw);
        return padded;
    }

    private static DHParameters ParametersFor(NamedGroup group) => group switch
    {
        NamedGroup.Ffdhe2048 => DHStandardGroups.rfc7919_ffdhe2048,
        NamedGroup.Ffdhe3072 => DHStandardGroups.rfc7919_ffdhe3072,
        NamedGroup.Ffdhe4096 => DHStandardGroups.rfc7919_ffdhe4096,
        NamedGroup.Ffdhe6144 => DHStandardGroups.rfc7919_ffdhe6144,
        NamedGroup.Ffdhe8192 => DHStandardGroups.rfc7919_ffdhe8192,
        _ => throw new NotSupportedException($"{group} is not an FFDHE group"),
    };

    /// <summary>Nothing to zero beyond what the BigInteger holds (immutable; BouncyCastle owns it).</summary>
    public void Dispose() { }
}
