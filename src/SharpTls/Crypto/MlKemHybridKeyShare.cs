using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Kems;
using Org.BouncyCastle.Crypto.Parameters;

using SharpTls.Wire;

namespace SharpTls.Crypto;

/// <summary>
/// X25519MLKEM768 (0x11EC, draft-ietf-tls-ecdhe-mlkem). ML-KEM comes first everywhere:
/// client share = ML-KEM-768 encapsulation key (1184) || X25519 public key (32);
/// server share = ML-KEM-768 ciphertext (1088) || X25519 public key (32);
/// shared secret = ML-KEM shared secret (32) || X25519 shared secret (32).
/// ML-KEM is BouncyCastle's; the decapsulation key comes from a 64-byte seed drawn from the provider
/// and the encapsulation randomness too, so a scripted provider replays it.
/// </summary>
internal sealed class MlKemHybridKeyShare : IKeyShare
{
    internal const int EncapsulationKeyLength = 1184;
    internal const int CiphertextLength = 1088;
    internal const int ClientShareLength = EncapsulationKeyLength + 32;
    internal const int ServerShareLength = CiphertextLength + 32;
    private const NamedGroup ThisGroup = NamedGroup.X25519MlKem768;

    private readonly MLKemPrivateKeyParameters _kem;
    private readonly MontgomeryKeyShare _x25519;
    private readonly byte[] _public;

    private MlKemHybridKeyShare(MLKemPrivateKeyParameters kem, MontgomeryKeyShare x25519)
    {
        _kem = kem;
        _x25519 = x25519;
        _public = new byte[ClientShareLength];
        kem.GetPublicKeyEncoded().CopyTo(_public, 0);
        x25519.PublicKey.Span.CopyTo(_public.AsSpan(EncapsulationKeyLength));
    }

    public static MlKemHybridKeyShare Create(ICryptoProvider random)
    {
        byte[] seed = new byte[64];
        random.Fill(seed);
        try
        {
            var kem = MLKemPrivateKeyParameters.FromSeed(MLKemParameters.ml_kem_768, seed);
            return new MlKemHybridKeyShare(kem, MontgomeryKeyShare.CreateX25519(random));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    public NamedGroup Group => ThisGroup;

    public ReadOnlyMemory<byte> PublicKey => _public;

    /// <summary>Client side: decapsulates the server's ciphertext and completes X25519.</summary>
    public byte[] DeriveSecret(ReadOnlySpan<byte> peerShare)
    {
        KeyShares.CheckLength(ThisGroup, peerShare, ServerShareLength);
        byte[] secret = new byte[64];
        var decapsulator = new MLKemDecapsulator(MLKemParameters.ml_kem_768);
        decapsulator.Init(_kem);
        decapsulator.Decapsulate(peerShare[..CiphertextLength], secret.AsSpan(0, 32));
        byte[] ecdh = _x25519.DeriveSecret(peerShare[CiphertextLength..]);
        ecdh.CopyTo(secret, 32);
        CryptographicOperations.ZeroMemory(ecdh);
        return secret;
    }

    /// <summary>Server side: encapsulates to the client's key and answers its X25519 share.</summary>
    public static KeyShareResponse Respond(ReadOnlySpan<byte> clientShare, ICryptoProvider random)
    {
        KeyShares.CheckLength(ThisGroup, clientShare, ClientShareLength);
        ReadOnlySpan<byte> ek = clientShare[..EncapsulationKeyLength];
        if (!EncapsulationKeyIsCanonical(ek))
            throw KeyShares.BadShare(ThisGroup, "ML-KEM encapsulation key fails the modulus check (FIPS 203 §7.2)");

        MLKemPublicKeyParameters publicKey;
        try
        {
            publicKey = MLKemPublicKeyParameters.FromEncoding(MLKemParameters.ml_kem_768, ek.ToArray());
        }
        catch (ArgumentException)
        {
            throw KeyShares.BadShare(ThisGroup, "ML-KEM encapsulation key is malformed");
        }

        byte[] share = new byte[ServerShareLength];
        byte[] secret = new byte[64];
        var encapsulator = new MLKemEncapsulator(MLKemParameters.ml_kem_768);
        encapsulator.Init(new ParametersWithRandom(publicKey, ProviderRandomGenerator.SecureRandomFor(random)));
        encapsulator.Encapsulate(share.AsSpan(0, CiphertextLength), secret.AsSpan(0, 32));

        using MontgomeryKeyShare x25519 = MontgomeryKeyShare.CreateX25519(random);
        byte[] ecdh = x25519.DeriveSecret(clientShare[EncapsulationKeyLength..]);
        ecdh.CopyTo(secret, 32);
        CryptographicOperations.ZeroMemory(ecdh);
        x25519.PublicKey.Span.CopyTo(share.AsSpan(CiphertextLength));
        return new KeyShareResponse(share, secret);
    }

    /// <summary>
    /// FIPS 203 §7.2 input check: every 12-bit coefficient of the encoded t-hat (the first 1152
    /// bytes) must be below q = 3329.
    /// </summary>
    internal static bool EncapsulationKeyIsCanonical(ReadOnlySpan<byte> ek)
    {
        ReadOnlySpan<byte> t = ek[..(EncapsulationKeyLength - 32)];
        bool ok = true;
        for (int i = 0; i + 2 < t.Length; i += 3)
        {
            int a = t[i] | ((t[i + 1] & 0x0F) << 8);
            int b = (t[i + 1] >> 4) | (t[i + 2] << 4);
            ok &= a < 3329 & b < 3329;
        }
        return ok;
    }

    public void Dispose() => _x25519.Dispose();
}
