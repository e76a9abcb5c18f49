using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Kems;
using Org.BouncyCastle.Crypto.Parameters;

using SharpTls.Wire;

namespace SharpTls.Crypto;

/// <summary>
/// The hybrid groups of draft-ietf-tls-ecdhe-mlkem: an ECDH share and an ML-KEM share concatenated,
/// both secrets concatenated in the same order.
/// <list type="bullet">
/// <item>X25519MLKEM768 (0x11EC): ML-KEM first. Client share = ML-KEM-768 encapsulation key (1184) || X25519 key (32);
/// server share = ML-KEM-768 ciphertext (1088) || X25519 key (32); secret = ML-KEM secret (32) || X25519 secret (32).</item>
/// <item>SecP256r1MLKEM768 (0x11EB): ECDH first. Client share = P-256 uncompressed point (65) || encapsulation key (1184);
/// server share = point (65) || ciphertext (1088); secret = ECDH secret (32) || ML-KEM secret (32).</item>
/// <item>SecP384r1MLKEM1024 (0x11ED): ECDH first. Client share = P-384 point (97) || ML-KEM-1024 encapsulation key (1568);
/// server share = point (97) || ciphertext (1568); secret = ECDH secret (48) || ML-KEM secret (32).</item>
/// </list>
/// ML-KEM is BouncyCastle's; the decapsulation key comes from a 64-byte seed drawn from the provider and the
/// encapsulation randomness too (drawn before the ECDH key, on both sides), so a scripted provider replays it.
/// </summary>
internal sealed class MlKemHybridKeyShare : IKeyShare
{
    /// <summary>How one hybrid group lays out its halves.</summary>
    internal sealed record Layout(NamedGroup Group, MLKemParameters Kem, NamedGroup Classical, int ClassicalLength,
        int EncapsulationKeyLength, int CiphertextLength, bool KemFirst)
    {
        /// <summary>The client's share: encapsulation key and ECDH share.</summary>
        public int ClientShareLength => EncapsulationKeyLength + ClassicalLength;

        /// <summary>The server's share: ciphertext and ECDH share.</summary>
        public int ServerShareLength => CiphertextLength + ClassicalLength;

        /// <summary>Where the ML-KEM half of a share starts (either side's: the ECDH half has one length).</summary>
        public int KemOffset => KemFirst ? 0 : ClassicalLength;

        /// <summary>Where the ECDH half of a share whose ML-KEM half is <paramref name="kemLength"/> bytes starts.</summary>
        public int ClassicalOffset(int kemLength) => KemFirst ? kemLength : 0;
    }

    private static readonly Layout s_x25519 = new(NamedGroup.X25519MlKem768, MLKemParameters.ml_kem_768, NamedGroup.X25519, 32, 1184, 1088, KemFirst: true);
    private static readonly Layout s_p256 = new(NamedGroup.SecP256r1MlKem768, MLKemParameters.ml_kem_768, NamedGroup.Secp256r1, 65, 1184, 1088, KemFirst: false);
    private static readonly Layout s_p384 = new(NamedGroup.SecP384r1MlKem1024, MLKemParameters.ml_kem_1024, NamedGroup.Secp384r1, 97, 1568, 1568, KemFirst: false);

    /// <summary>The layout of a hybrid group, or null when <paramref name="group"/> is not one.</summary>
    internal static Layout? LayoutOf(NamedGroup group) => group switch
    {
        NamedGroup.X25519MlKem768 => s_x25519,
        NamedGroup.SecP256r1MlKem768 => s_p256,
        NamedGroup.SecP384r1MlKem1024 => s_p384,
        _ => null,
    };

    private readonly Layout _layout;
    private readonly MLKemPrivateKeyParameters _kem;
    private readonly IKeyShare _classical;
    private readonly byte[] _public;

    private MlKemHybridKeyShare(Layout layout, MLKemPrivateKeyParameters kem, IKeyShare classical)
    {
        _layout = layout;
        _kem = kem;
        _classical = classical;
        _public = new byte[layout.ClientShareLength];
        kem.GetPublicKeyEncoded().CopyTo(_public, layout.KemOffset);
        classical.PublicKey.Span.CopyTo(_public.AsSpan(layout.ClassicalOffset(layout.EncapsulationKeyLength)));
    }

    /// <summary>Our share for the hybrid <paramref name="group"/> (client side).</summary>
    public static MlKemHybridKeyShare Create(NamedGroup group, ICryptoProvider random)
    {
        var layout = LayoutOf(group) ?? throw new NotSupportedException($"{group} is not an ML-KEM hybrid group");
        byte[] seed = new byte[64];
        random.Fill(seed);
        try
        {
            var kem = MLKemPrivateKeyParameters.FromSeed(layout.Kem, seed);
            return new MlKemHybridKeyShare(layout, kem, KeyShares.Generate(layout.Classical, random));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    public NamedGroup Group => _layout.Group;

    public ReadOnlyMemory<byte> PublicKey => _public;

    /// <summary>Client side: decapsulates the server's ciphertext and completes the ECDH half.</summary>
    public byte[] DeriveSecret(ReadOnlySpan<byte> peerShare)
    {
        var l = _layout;
        KeyShares.CheckLength(l.Group, peerShare, l.ServerShareLength);
        int kemAt = l.KemOffset, ecdhAt = l.ClassicalOffset(l.CiphertextLength);
        byte[] ecdh = _classical.DeriveSecret(peerShare.Slice(ecdhAt, l.ClassicalLength));
        byte[] secret = new byte[32 + ecdh.Length];
        var decapsulator = new MLKemDecapsulator(l.Kem);
        decapsulator.Init(_kem);
        decapsulator.Decapsulate(peerShare.Slice(kemAt, l.CiphertextLength), secret.AsSpan(l.KemFirst ? 0 : ecdh.Length, 32));
        ecdh.CopyTo(secret, l.KemFirst ? 32 : 0);
        CryptographicOperations.ZeroMemory(ecdh);
        return secret;
    }

    /// <summary>Server side: encapsulates to the client's key and answers its ECDH share.</summary>
    public static KeyShareResponse Respond(NamedGroup group, ReadOnlySpan<byte> clientShare, ICryptoProvider random)
    {
        var l = LayoutOf(group) ?? throw new NotSupportedException($"{group} is not an ML-KEM hybrid group");
        KeyShares.CheckLength(group, clientShare, l.ClientShareLength);
        ReadOnlySpan<byte> ek = clientShare.Slice(l.KemOffset, l.EncapsulationKeyLength);
        ReadOnlySpan<byte> peerEcdh = clientShare.Slice(l.ClassicalOffset(l.EncapsulationKeyLength), l.ClassicalLength);
        if (!EncapsulationKeyIsCanonical(ek))
            throw KeyShares.BadShare(group, "ML-KEM encapsulation key fails the modulus check (FIPS 203 §7.2)");

        MLKemPublicKeyParameters publicKey;
        try
        {
            publicKey = MLKemPublicKeyParameters.FromEncoding(l.Kem, ek.ToArray());
        }
        catch (ArgumentException)
        {
            throw KeyShares.BadShare(group, "ML-KEM encapsulation key is malformed");
        }

        byte[] ciphertext = new byte[l.CiphertextLength];
        byte[] kemSecret = new byte[32];
        var encapsulator = new MLKemEncapsulator(l.Kem);
        encapsulator.Init(new ParametersWithRandom(publicKey, ProviderRandomGenerator.SecureRandomFor(random)));
        encapsulator.Encapsulate(ciphertext, kemSecret);

        using IKeyShare classical = KeyShares.Generate(l.Classical, random);
        byte[] ecdh;
        try
        {
            ecdh = classical.DeriveSecret(peerEcdh);
        }
        catch
        {
            CryptographicOperations.ZeroMemory(kemSecret);
            throw;
        }
        byte[] share = l.KemFirst ? [.. ciphertext, .. classical.PublicKey.Span] : [.. classical.PublicKey.Span, .. ciphertext];
        byte[] secret = l.KemFirst ? [.. kemSecret, .. ecdh] : [.. ecdh, .. kemSecret];
        CryptographicOperations.ZeroMemory(ecdh);
        CryptographicOperations.ZeroMemory(kemSecret);
        return new KeyShareResponse(share, secret);
    }

    /// <summary>
    /// FIPS 203 §7.2 input check: every 12-bit coefficient of the encoded t-hat (all but the last 32 bytes, ρ)
    /// must be below q = 3329.
    /// </summary>
    internal static bool EncapsulationKeyIsCanonical(ReadOnlySpan<byte> ek)
    {
        ReadOnlySpan<byte> t = ek[..^32];
        bool ok = true;
        for (int i = 0; i + 2 < t.Length; i += 3)
        {
            int a = t[i] | ((t[i + 1] & 0x0F) << 8);
            int b = (t[i + 1] >> 4) | (t[i + 2] << 4);
            ok &= a < 3329 & b < 3329;
        }
        return ok;
    }

    public void Dispose() => _classical.Dispose();
}
