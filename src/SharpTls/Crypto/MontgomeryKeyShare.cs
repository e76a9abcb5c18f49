using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;

using SharpTls.Wire;

namespace SharpTls.Crypto;

/// <summary>
/// X25519 and X448 (RFC 7748) through BouncyCastle. The private key is the raw scalar drawn from
/// the provider (32 or 56 bytes), so injected randomness reproduces published keys exactly.
/// </summary>
internal sealed class MontgomeryKeyShare : IKeyShare
{
    private readonly byte[] _private;
    private readonly byte[] _public;

    private MontgomeryKeyShare(NamedGroup group, byte[] privateKey)
    {
        Group = group;
        _private = privateKey;
        _public = group == NamedGroup.X25519
            ? new X25519PrivateKeyParameters(privateKey).GeneratePublicKey().GetEncoded()
            : new X448PrivateKeyParameters(privateKey).GeneratePublicKey().GetEncoded();
    }

    public static MontgomeryKeyShare CreateX25519(ICryptoProvider random) => Create(NamedGroup.X25519, 32, random);

    public static MontgomeryKeyShare CreateX448(ICryptoProvider random) => Create(NamedGroup.X448, 56, random);

    /// <summary>A share from a known private key (tests, RFC vectors).</summary>
    public static MontgomeryKeyShare FromPrivateKey(NamedGroup group, ReadOnlySpan<byte> privateKey)
    {
        int n = group == NamedGroup.X25519 ? 32 : 56;
        if (privateKey.Length != n) throw new ArgumentException($"{group} private key must be {n} bytes");
        return new MontgomeryKeyShare(group, privateKey.ToArray());
    }

    private static MontgomeryKeyShare Create(NamedGroup group, int size, ICryptoProvider random)
    {
        byte[] priv = new byte[size];
        random.Fill(priv);
        return new MontgomeryKeyShare(group, priv);
    }

    public NamedGroup Group { get; }

    public ReadOnlyMemory<byte> PublicKey => _public;

    public byte[] DeriveSecret(ReadOnlySpan<byte> peerShare)
    {
        KeyShares.CheckLength(Group, peerShare, _public.Length);
        byte[] secret = new byte[_public.Length];
        try
        {
            if (Group == NamedGroup.X25519)
                new X25519PrivateKeyParameters(_private).GenerateSecret(new X25519PublicKeyParameters(peerShare), secret);
            else
                new X448PrivateKeyParameters(_private).GenerateSecret(new X448PublicKeyParameters(peerShare), secret);
        }
        catch (InvalidOperationException)
        {
            // BouncyCastle refuses an all-zero result (a small-order peer point).
            CryptographicOperations.ZeroMemory(secret);
            throw KeyShares.BadShare(Group, "shared secret is all zeros (small-order point)");
        }

        if (IsAllZero(secret))
            throw KeyShares.BadShare(Group, "shared secret is all zeros (small-order point)");
        return secret;
    }

    private static bool IsAllZero(ReadOnlySpan<byte> s)
    {
        int acc = 0;
        foreach (byte b in s) acc |= b;
        return acc == 0;
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_private);
}
