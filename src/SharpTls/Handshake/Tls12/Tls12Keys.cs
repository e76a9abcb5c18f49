using System.Security.Cryptography;
using SharpTls.Diagnostics;
using SharpTls.KeySchedule;
using SharpTls.Records;
using SharpTls.Wire;

namespace SharpTls.Handshake.Tls12;

/// <summary>
/// The cryptographic state of a TLS 1.2 handshake, shared by both sides: suite, randoms, the
/// transcript, and the master secret once ClientKeyExchange has been sent or received
/// (RFC 5246 §8.1, RFC 7627 §4 for the extended master secret).
/// </summary>
internal sealed class Tls12Keys(CipherSuiteInfo suite, Transcript transcript, byte[] clientRandom, byte[] serverRandom, bool extendedMasterSecret) : IDisposable
{
    /// <summary>The TLS 1.2 AEAD suites this engine negotiates, in the server's preference order.</summary>
    public static readonly CipherSuite[] Suites =
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ];

    /// <summary>The groups usable for TLS 1.2 ECDHE (RFC 8422, RFC 7748).</summary>
    public static readonly NamedGroup[] Groups = [NamedGroup.X25519, NamedGroup.Secp256r1, NamedGroup.Secp384r1];

    /// <summary>TLS 1.2 suites enabled by the options (all of ours when the options name none), in their order.</summary>
    public static IReadOnlyList<CipherSuite> SuitesOf(INegotiationSettings options)
        => options.ConfiguredSuites is { } list ? [.. list.Where(Suites.Contains)] : Suites;

    /// <summary>TLS 1.2 groups enabled by the options, in their order.</summary>
    public static IReadOnlyList<NamedGroup> GroupsOf(INegotiationSettings options, Crypto.ICryptoProvider crypto)
        => [.. Defaults.GroupsOf(options).Where(g => Groups.Contains(g) && crypto.SupportsGroup(g))];

    /// <summary>True for an ECDSA-authenticated suite (false: RSA).</summary>
    public static bool IsEcdsaSuite(CipherSuite s) => CipherSuites.Info(s).KeyExchange == CipherSuiteKeyExchange.EcdheEcdsa;

    public CipherSuiteInfo Suite => suite;
    public HashAlgorithmName Hash => suite.PrfHash;
    public Transcript Transcript => transcript;
    public byte[] ClientRandom => clientRandom;
    public byte[] ServerRandom => serverRandom;
    public bool ExtendedMasterSecret => extendedMasterSecret;
    public byte[]? MasterSecret { get; private set; }

    /// <summary>Derives the master secret; call after ClientKeyExchange joined the transcript (the EMS session hash covers it).</summary>
    public void DeriveMasterSecret(byte[] preMasterSecret, TlsConnection connection)
    {
        MasterSecret = extendedMasterSecret
            ? Tls12Prf.ExtendedMasterSecret(Hash, preMasterSecret, transcript.GetCurrentHash())
            : Tls12Prf.MasterSecret(Hash, preMasterSecret, clientRandom, serverRandom);
        CryptographicOperations.ZeroMemory(preMasterSecret);
        connection.Services.KeyLog?.Write(KeyLogLabels.ClientRandom, clientRandom, MasterSecret);
    }

    /// <summary>Record protection for one direction, from the key block (RFC 5246 §6.3).</summary>
    public IRecordProtection Protection(bool clientWrite)
    {
        var aead = suite.Suite switch
        {
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 or CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 => AeadAlgorithm.Aes128Gcm,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 or CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 => AeadAlgorithm.Aes256Gcm,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 or CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 => AeadAlgorithm.ChaCha20Poly1305,
            _ => throw new TlsProtocolException(AlertDescription.InternalError, $"{suite.Suite} is not a TLS 1.2 suite we implement"),
        };
        int ivLength = aead == AeadAlgorithm.ChaCha20Poly1305 ? AeadCipher.NonceLength : 4;
        using var block = Tls12Prf.KeyBlock(Hash, MasterSecret!, clientRandom, serverRandom, 0, AeadCipher.KeyLength(aead), ivLength);
        return clientWrite
            ? new Tls12AeadRecordProtection(aead, block.ClientKey, block.ClientIv)
            : new Tls12AeadRecordProtection(aead, block.ServerKey, block.ServerIv);
    }

    /// <summary>verify_data of a Finished over the current transcript (RFC 5246 §7.4.9).</summary>
    public byte[] FinishedVerifyData(bool client) => Tls12Prf.FinishedVerifyData(Hash, MasterSecret!, client, transcript.GetCurrentHash());

    /// <summary>Checks the peer's Finished in constant time: decrypt_error when wrong (RFC 5246 §7.4.9).</summary>
    public void CheckFinished(bool fromClient, ReadOnlySpan<byte> received)
    {
        byte[] expected = FinishedVerifyData(fromClient);
        if (!CryptographicOperations.FixedTimeEquals(expected, received))
            throw new TlsProtocolException(AlertDescription.DecryptError, $"the {(fromClient ? "client" : "server")}'s Finished verify_data does not match the transcript");
    }

    /// <summary>The bytes a TLS 1.2 ServerKeyExchange signature covers: client_random + server_random + params (RFC 8422 §5.4).</summary>
    public byte[] SignedParams(byte[] encodedParams)
    {
        byte[] content = new byte[64 + encodedParams.Length];
        clientRandom.CopyTo(content, 0);
        serverRandom.CopyTo(content, 32);
        encodedParams.CopyTo(content, 64);
        return content;
    }

    public void Dispose()
    {
        transcript.Dispose();
        if (MasterSecret is not null) CryptographicOperations.ZeroMemory(MasterSecret);
    }
}
