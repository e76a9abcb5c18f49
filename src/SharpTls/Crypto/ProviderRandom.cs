using Org.BouncyCastle.Crypto.Prng;
using Org.BouncyCastle.Security;

namespace SharpTls.Crypto;

/// <summary>Adapts an <see cref="ICryptoProvider"/> to BouncyCastle's <see cref="SecureRandom"/>,
/// so BouncyCastle operations that need randomness (ML-KEM encapsulation) draw it from the provider.</summary>
internal sealed class ProviderRandomGenerator(ICryptoProvider provider) : IRandomGenerator
{
    public static SecureRandom SecureRandomFor(ICryptoProvider provider) => new(new ProviderRandomGenerator(provider));

    public void AddSeedMaterial(byte[] seed) { }
    public void AddSeedMaterial(ReadOnlySpan<byte> seed) { }
    public void AddSeedMaterial(long seed) { }
    public void NextBytes(byte[] bytes) => provider.Fill(bytes);
    public void NextBytes(byte[] bytes, int start, int len) => provider.Fill(bytes.AsSpan(start, len));
    public void NextBytes(Span<byte> bytes) => provider.Fill(bytes);
}
