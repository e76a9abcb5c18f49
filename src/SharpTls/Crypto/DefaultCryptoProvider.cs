using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

using SharpTls.Wire;

namespace SharpTls.Crypto;

/// <summary>
/// The default provider: randomness from <see cref="RandomNumberGenerator"/>; key exchange through
/// <see cref="KeyShares"/>: libcrypto's arithmetic for X25519, X448 and the NIST curves where it loads
/// (<see cref="OpenSslKeyShares"/>), else BCL ECDH for the NIST curves and BouncyCastle for X25519 and X448;
/// BouncyCastle for FFDHE and ML-KEM; every private key drawn from <see cref="Fill"/>. Derive and override
/// <see cref="Fill"/> to inject randomness.
/// </summary>
internal class DefaultCryptoProvider : ICryptoProvider
{
    /// <summary>
    /// Whether the libcrypto fast paths may serve (default true; they serve only where libcrypto loads). False keeps
    /// the managed paths: the tests run both against the same vectors.
    /// </summary>
    public bool UseLibCrypto { get; init; } = true;

    /// <inheritdoc />
    public virtual void Fill(Span<byte> destination) => RandomNumberGenerator.Fill(destination);

    /// <inheritdoc />
    public virtual bool SupportsGroup(NamedGroup group) => KeyShares.IsSupported(group);

    /// <inheritdoc />
    public virtual IKeyShare GenerateKeyShare(NamedGroup group) => KeyShares.Generate(group, this, UseLibCrypto);

    /// <inheritdoc />
    public virtual KeyShareResponse RespondKeyShare(NamedGroup group, ReadOnlySpan<byte> peerShare)
        => KeyShares.Respond(group, peerShare, this, UseLibCrypto);

    /// <inheritdoc />
    public virtual byte[] Sign(SignatureScheme scheme, X509Certificate2 certificate, ReadOnlySpan<byte> content)
        => TlsSignatures.Sign(scheme, certificate, content, UseLibCrypto);
}
