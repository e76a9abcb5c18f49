using System.Security.Cryptography;
using SharpTls.Wire;

namespace SharpTls.Crypto;

/// <summary>Hash helpers shared by the key schedules and signatures.</summary>
internal static class TlsHashes
{
    /// <summary>
    /// The TLS 1.0/1.1 handshake hash: MD5 and SHA-1 side by side (36 bytes), used by their PRF,
    /// Finished and RSA signatures. Not a BCL algorithm; the transcript and PRF understand it.
    /// </summary>
    public static readonly HashAlgorithmName Md5Sha1 = new("MD5SHA1");

    /// <summary>Output length in bytes of a hash (MD5SHA1 included).</summary>
    public static int Length(HashAlgorithmName hash)
    {
        if (hash == HashAlgorithmName.SHA256) return 32;
        if (hash == HashAlgorithmName.SHA384) return 48;
        if (hash == HashAlgorithmName.SHA512) return 64;
        if (hash == HashAlgorithmName.SHA1) return 20;
        if (hash == HashAlgorithmName.MD5) return 16;
        if (hash == Md5Sha1) return 36;
        throw new NotSupportedException($"hash {hash.Name} is not used by TLS");
    }

    /// <summary>Hash of <paramref name="data"/> (MD5SHA1 gives MD5 || SHA-1).</summary>
    public static byte[] Hash(HashAlgorithmName hash, ReadOnlySpan<byte> data)
    {
        if (hash == Md5Sha1)
        {
            byte[] both = new byte[36];
            MD5.HashData(data, both.AsSpan(0, 16));
            SHA1.HashData(data, both.AsSpan(16));
            return both;
        }
        byte[] output = new byte[Length(hash)];
        CryptographicOperations.HashData(hash, data, output);
        return output;
    }

    /// <summary>
    /// The PRF / handshake hash for a negotiated version: TLS 1.2 and 1.3 use the suite's hash
    /// (<c>CipherSuiteInfo.PrfHash</c>), TLS 1.0/1.1 the MD5SHA1 pair. SSL 3.0 has its own
    /// derivation (<see cref="KeySchedule.Ssl3KeyDerivation"/>) and hashes with MD5SHA1 too.
    /// </summary>
    public static HashAlgorithmName HandshakeHash(ProtocolVersion version, HashAlgorithmName suitePrfHash)
        => version >= ProtocolVersion.Tls12 ? suitePrfHash : Md5Sha1;

    /// <summary>The hash of a signature scheme (SHA-1 for the legacy ones; SHA-512 for Ed25519's internal hash is not exposed: null).</summary>
    public static HashAlgorithmName? ForScheme(SignatureScheme scheme) => scheme switch
    {
        SignatureScheme.RsaPkcs1Sha1 or SignatureScheme.EcdsaSha1 or SignatureScheme.DsaSha1 => HashAlgorithmName.SHA1,
        SignatureScheme.RsaPkcs1Sha256 or SignatureScheme.EcdsaSecp256r1Sha256 or SignatureScheme.DsaSha256
            or SignatureScheme.RsaPssRsaeSha256 or SignatureScheme.RsaPssPssSha256 => HashAlgorithmName.SHA256,
        SignatureScheme.RsaPkcs1Sha384 or SignatureScheme.EcdsaSecp384r1Sha384 or SignatureScheme.DsaSha384
            or SignatureScheme.RsaPssRsaeSha384 or SignatureScheme.RsaPssPssSha384 => HashAlgorithmName.SHA384,
        SignatureScheme.RsaPkcs1Sha512 or SignatureScheme.EcdsaSecp521r1Sha512 or SignatureScheme.DsaSha512
            or SignatureScheme.RsaPssRsaeSha512 or SignatureScheme.RsaPssPssSha512 => HashAlgorithmName.SHA512,
        _ => null,
    };
}
