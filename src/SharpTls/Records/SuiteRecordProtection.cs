using SharpTls.Crypto;
using SharpTls.KeySchedule;
using SharpTls.Wire;

namespace SharpTls.Records;

/// <summary>
/// Record protection for SSL 3.0 to TLS 1.2, built from the suite table (<see cref="CipherSuiteInfo"/>)
/// and the master secret: the key block's lengths come from the suite's MAC, key and IV sizes and the
/// version (RFC 5246 §6.3; TLS 1.1+ CBC takes no IV from the key block, its IVs are explicit), the
/// key block from the version's derivation (TLS 1.2 PRF with the suite's hash, the MD5+SHA-1 PRF of
/// TLS 1.0/1.1, SSL 3.0's MD5/SHA-1 construction), and the protection from the suite's mode.
/// </summary>
internal static class SuiteRecordProtection
{
    /// <summary>True when this engine can protect records with <paramref name="suite"/> (AES-GCM/CCM, ChaCha20-Poly1305, AES/3DES-CBC with an HMAC).</summary>
    public static bool IsImplemented(CipherSuiteInfo suite)
        => suite.Mode switch
        {
            BulkCipherMode.Gcm or BulkCipherMode.Ccm or BulkCipherMode.Ccm8 => suite.Cipher == BulkCipher.Aes,
            BulkCipherMode.ChaCha20Poly1305 => true,
            BulkCipherMode.Cbc => suite.Cipher is BulkCipher.Aes or BulkCipher.TripleDes
                && suite.Mac is MacAlgorithm.Sha1 or MacAlgorithm.Sha256 or MacAlgorithm.Sha384 or MacAlgorithm.Md5,
            _ => false,
        };

    /// <summary>
    /// The protection of one direction: <paramref name="clientWrite"/> selects the client's write keys
    /// (what the client seals and the server opens). <paramref name="encryptThenMac"/> applies to CBC
    /// suites only (RFC 7366). <paramref name="random"/> fills the explicit CBC IVs.
    /// </summary>
    public static IRecordProtection Create(CipherSuiteInfo suite, ProtocolVersion version, ReadOnlySpan<byte> masterSecret,
        ReadOnlySpan<byte> clientRandom, ReadOnlySpan<byte> serverRandom, bool clientWrite, bool encryptThenMac, Action<Span<byte>> random)
    {
        using KeyBlock block = DeriveKeyBlock(suite, version, masterSecret, clientRandom, serverRandom);
        return Create(suite, version, block, clientWrite, encryptThenMac, random);
    }

    /// <summary>The key block of both directions (RFC 5246 §6.3; SSL 3.0's, RFC 6101 §6.2.2): derive it once per handshake
    /// and make both directions' protection from it (the caller disposes it, which zeroes it).</summary>
    public static KeyBlock DeriveKeyBlock(CipherSuiteInfo suite, ProtocolVersion version, ReadOnlySpan<byte> masterSecret,
        ReadOnlySpan<byte> clientRandom, ReadOnlySpan<byte> serverRandom)
    {
        if (!IsImplemented(suite) || !suite.AllowedIn(version) || version > ProtocolVersion.Tls12)
            throw new TlsProtocolException(AlertDescription.InternalError, $"{suite.Name} cannot protect {ProtocolVersions.Name((ushort)version)} records here");
        var (macLength, keyLength, ivLength) = KeyBlockLengths(suite, version);
        return version == ProtocolVersion.Ssl3
            ? Ssl3KeyDerivation.KeyBlock(masterSecret, clientRandom, serverRandom, macLength, keyLength, ivLength)
            : Tls12Prf.KeyBlock(TlsHashes.HandshakeHash(version, suite.PrfHash), masterSecret, clientRandom, serverRandom, macLength, keyLength, ivLength);
    }

    /// <summary>One direction's protection from a key block made by <see cref="DeriveKeyBlock"/> (the keys are copied).</summary>
    public static IRecordProtection Create(CipherSuiteInfo suite, ProtocolVersion version, KeyBlock block, bool clientWrite, bool encryptThenMac,
        Action<Span<byte>> random)
    {
        byte[] key = clientWrite ? block.ClientKey : block.ServerKey;
        byte[] iv = clientWrite ? block.ClientIv : block.ServerIv;
        if (suite.Mode == BulkCipherMode.Cbc)
        {
            var cipher = suite.Cipher == BulkCipher.TripleDes ? CbcCipher.TripleDes : key.Length == 16 ? CbcCipher.Aes128 : CbcCipher.Aes256;
            return new CbcRecordProtection(version, cipher, suite.Mac, key, iv, clientWrite ? block.ClientMacKey : block.ServerMacKey,
                encryptThenMac && version != ProtocolVersion.Ssl3, random);
        }
        return new Tls12AeadRecordProtection(AeadOf(suite), key, iv);
    }

    /// <summary>(MAC key, encryption key, IV) lengths per direction in the key block.</summary>
    public static (int Mac, int Key, int Iv) KeyBlockLengths(CipherSuiteInfo suite, ProtocolVersion version)
    {
        if (suite.IsAead) return (0, suite.KeyBytes, suite.FixedIvBytes);
        // From TLS 1.1 on, each CBC record carries its IV; the key block has none (RFC 4346 §6.3).
        return (suite.MacBytes, suite.KeyBytes, version >= ProtocolVersion.Tls11 ? 0 : suite.BlockBytes);
    }

    private static AeadAlgorithm AeadOf(CipherSuiteInfo suite) => (suite.Mode, suite.KeyBytes) switch
    {
        (BulkCipherMode.Gcm, 16) => AeadAlgorithm.Aes128Gcm,
        (BulkCipherMode.Gcm, 32) => AeadAlgorithm.Aes256Gcm,
        (BulkCipherMode.Ccm, 16) => AeadAlgorithm.Aes128Ccm,
        (BulkCipherMode.Ccm, 32) => AeadAlgorithm.Aes256Ccm,
        (BulkCipherMode.Ccm8, 16) => AeadAlgorithm.Aes128Ccm8,
        (BulkCipherMode.Ccm8, 32) => AeadAlgorithm.Aes256Ccm8,
        (BulkCipherMode.ChaCha20Poly1305, _) => AeadAlgorithm.ChaCha20Poly1305,
        _ => throw new TlsProtocolException(AlertDescription.InternalError, $"{suite.Name}: no AEAD for {suite.Mode}"),
    };
}
