using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

using SharpTls.Wire;

namespace SharpTls.Crypto;

/// <summary>
/// The default provider: randomness from <see cref="RandomNumberGenerator"/>; key exchange through
/// <see cref="KeyShares"/> (BCL ECDH for the NIST curves, BouncyCastle for X25519, X448, FFDHE and
/// ML-KEM), with every private key drawn from <see cref="Fill"/>. Derive and override
/// <see cref="Fill"/> to inject randomness.
/// </summary>
internal class DefaultCryptoProvider : ICryptoProvider
{
    /// <inheritdoc />
    public virtual void Fill(Span<byte> destination) => RandomNumberGenerator.Fill(destination);

    /// <inheritdoc />
    public virtual bool SupportsGroup(NamedGroup group) => KeyShares.IsSupported(group);

    /// <inheritdoc />
    public virtual IKeyShare GenerateKeyShare(NamedGroup group) => KeyShares.Generate(group, this);

    /// <inheritdoc />
    public virtual KeyShareResponse RespondKeyShare(NamedGroup group, ReadOnlySpan<byte> peerShare)
        => KeyShares.Respond(group, peerShare, this);

    /// <inheritdoc />
    public virtual byte[] Sign(SignatureScheme scheme, X509Certificate2 certificate, ReadOnlySpan<byte> content)
        => TlsSignatures.Sign(scheme, certificate, content);
}
