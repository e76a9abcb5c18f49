using SharpTls.Wire;

namespace SharpTls.Crypto;

/// <summary>
/// Key exchange per named group, with all private keys drawn from an <see cref="ICryptoProvider"/>.
/// The provider implementations call these; engine code calls the provider.
/// </summary>
internal static class KeyShares
{
    /// <summary>Whether the group is implemented.</summary>
    public static bool IsSupported(NamedGroup group) => group switch
    {
        NamedGroup.X25519 or NamedGroup.X448 or NamedGroup.Secp256r1 or NamedGroup.Secp384r1
            or NamedGroup.Secp521r1 or NamedGroup.Ffdhe2048 or NamedGroup.Ffdhe3072
            or NamedGroup.Ffdhe4096 or NamedGroup.Ffdhe6144 or NamedGroup.Ffdhe8192
            or NamedGroup.X25519MlKem768 or NamedGroup.SecP256r1MlKem768 or NamedGroup.SecP384r1MlKem1024 => true,
        _ => false,
    };

    /// <summary>
    /// Creates our ephemeral share for <paramref name="group"/>: through libcrypto (<see cref="OpenSslKeyShares"/>) for
    /// X25519, X448 and the NIST curves where it loads and <paramref name="libCrypto"/> allows, else the managed path.
    /// </summary>
    public static IKeyShare Generate(NamedGroup group, ICryptoProvider random, bool libCrypto = true)
        => libCrypto && OpenSslKeyShares.Serves(group) && OpenSslKeyShares.IsAvailable
            ? OpenSslKeyShares.Generate(group, random)
            : NamedGroups.IsFfdhe(group) ? FfdheKeyShare.Create(group, random, libCrypto)
            : GenerateManaged(group, random);

    /// <summary>The managed share (BouncyCastle, the BCL): the fallback and the reference for the fast path's tests.</summary>
    public static IKeyShare GenerateManaged(NamedGroup group, ICryptoProvider random) => group switch
    {
        NamedGroup.X25519 => MontgomeryKeyShare.CreateX25519(random),
        NamedGroup.X448 => MontgomeryKeyShare.CreateX448(random),
        NamedGroup.Secp256r1 or NamedGroup.Secp384r1 or NamedGroup.Secp521r1 => EcdhKeyShare.Create(group, random),
        NamedGroup.Ffdhe2048 or NamedGroup.Ffdhe3072 or NamedGroup.Ffdhe4096 or NamedGroup.Ffdhe6144
            or NamedGroup.Ffdhe8192 => FfdheKeyShare.Create(group, random, libCrypto: false),
        NamedGroup.X25519MlKem768 or NamedGroup.SecP256r1MlKem768 or NamedGroup.SecP384r1MlKem1024 => MlKemHybridKeyShare.Create(group, random),
        _ => throw new NotSupportedException($"key exchange group 0x{(ushort)group:x4} is not implemented"),
    };

    /// <summary>
    /// Answers the peer's share: for Diffie-Hellman groups a fresh share of ours and the secret;
    /// for the ML-KEM hybrids the ciphertext and our ECDH share, and the combined secret (<see cref="MlKemHybridKeyShare"/>).
    /// </summary>
    public static KeyShareResponse Respond(NamedGroup group, ReadOnlySpan<byte> peerShare, ICryptoProvider random, bool libCrypto = true)
    {
        if (MlKemHybridKeyShare.LayoutOf(group) is not null)
            return MlKemHybridKeyShare.Respond(group, peerShare, random);
        using IKeyShare share = Generate(group, random, libCrypto);
        byte[] secret = share.DeriveSecret(peerShare);
        return new KeyShareResponse(share.PublicKey.ToArray(), secret);
    }

    /// <summary>
    /// The length of a valid share the client sends for <paramref name="group"/> (for the hybrid,
    /// the client's; the server's is <see cref="ServerShareLength"/>), or -1 when not fixed (never).
    /// </summary>
    public static int ClientShareLength(NamedGroup group) => group switch
    {
        NamedGroup.X25519 => 32,
        NamedGroup.X448 => 56,
        NamedGroup.Secp256r1 => 65,
        NamedGroup.Secp384r1 => 97,
        NamedGroup.Secp521r1 => 133,
        NamedGroup.Ffdhe2048 => 256,
        NamedGroup.Ffdhe3072 => 384,
        NamedGroup.Ffdhe4096 => 512,
        NamedGroup.Ffdhe6144 => 768,
        NamedGroup.Ffdhe8192 => 1024,
        _ => MlKemHybridKeyShare.LayoutOf(group)?.ClientShareLength ?? -1,
    };

    /// <summary>The length of the server's share for <paramref name="group"/>.</summary>
    public static int ServerShareLength(NamedGroup group)
        => MlKemHybridKeyShare.LayoutOf(group)?.ServerShareLength ?? ClientShareLength(group);

    /// <summary>
    /// TLS 1.2 and older use the DH shared secret with leading zero bytes stripped (RFC 5246 §8.1.2);
    /// TLS 1.3 keeps it padded. Returns a new array; the caller zeroes both.
    /// </summary>
    public static byte[] StripLeadingZeros(ReadOnlySpan<byte> secret)
    {
        int i = 0;
        while (i < secret.Length - 1 && secret[i] == 0) i++;
        return secret[i..].ToArray();
    }

    internal static TlsProtocolException BadShare(NamedGroup group, string what)
        => TlsProtocolException.Illegal($"key_share ({group}): {what}");

    internal static void CheckLength(NamedGroup group, ReadOnlySpan<byte> share, int expected)
    {
        if (share.Length != expected)
            throw BadShare(group, $"share is {share.Length} bytes, expected {expected}");
    }
}
