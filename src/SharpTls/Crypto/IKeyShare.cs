using SharpTls.Wire;

namespace SharpTls.Crypto;

/// <summary>
/// An ephemeral key exchange in progress: the public bytes we send, and the private half that
/// turns the peer's share into the shared secret. Dispose zeroes the private key.
/// </summary>
public interface IKeyShare : IDisposable
{
    /// <summary>The group.</summary>
    NamedGroup Group { get; }

    /// <summary>
    /// Our public share as it goes on the wire (key_share entry, ECParameters point, dh_Ys; for
    /// X25519MLKEM768 the ML-KEM encapsulation key followed by the X25519 public key).
    /// </summary>
    ReadOnlyMemory<byte> PublicKey { get; }

    /// <summary>
    /// The shared secret from the peer's share. Throws <see cref="Wire.TlsProtocolException"/>
    /// with illegal_parameter on a share of the wrong length, a point not on the curve, a DH value
    /// out of range or an all-zero X25519/X448 result. For FFDHE the secret is left-padded to the
    /// prime's length (RFC 8446 §7.4.1); TLS 1.2 strips leading zeros (<see cref="KeyShares.StripLeadingZeros"/>).
    /// </summary>
    byte[] DeriveSecret(ReadOnlySpan<byte> peerShare);
}

/// <summary>The responder's answer: the share to send back and the shared secret (zero it when done).</summary>
public readonly record struct KeyShareResponse(byte[] Share, byte[] SharedSecret);
