using System.Security.Cryptography;
using SharpTls.Crypto;
using SharpTls.Diagnostics;
using SharpTls.KeySchedule;
using SharpTls.Records;
using SharpTls.Wire;

namespace SharpTls.Handshake.Tls12;

/// <summary>
/// The cryptographic state of one TLS 1.0-1.2 handshake, shared by both sides and by the full and
/// abbreviated handshakes: version, suite, randoms, the transcript, the extended master secret and
/// encrypt-then-MAC flags, and the master secret, derived from the pre-master (full handshake,
/// RFC 5246 §8.1, RFC 7627 §4) or taken from the resumed session (abbreviated handshake, §7.3).
/// </summary>
internal sealed class Tls12Secrets : IDisposable
{
    public Tls12Secrets(ProtocolVersion version, CipherSuiteInfo suite, Transcript transcript, byte[] clientRandom, byte[] serverRandom,
        bool extendedMasterSecret, bool encryptThenMac)
    {
        Version = version;
        Suite = suite;
        Transcript = transcript;
        ClientRandom = clientRandom;
        ServerRandom = serverRandom;
        ExtendedMasterSecret = extendedMasterSecret;
        EncryptThenMac = encryptThenMac && suite.Mode == BulkCipherMode.Cbc;
    }

    /// <summary>The transcript hash of a version: the suite's PRF hash in TLS 1.2, MD5+SHA-1 before.</summary>
    public static HashAlgorithmName TranscriptHash(ProtocolVersion version, CipherSuiteInfo suite) => TlsHashes.HandshakeHash(version, suite.PrfHash);

    public ProtocolVersion Version { get; }
    public CipherSuiteInfo Suite { get; }
    public Transcript Transcript { get; }
    public byte[] ClientRandom { get; }
    public byte[] ServerRandom { get; }
    public bool ExtendedMasterSecret { get; }

    /// <summary>RFC 7366 negotiated (and the suite is CBC).</summary>
    public bool EncryptThenMac { get; }

    public byte[]? MasterSecret { get; private set; }

    /// <summary>The hash of the PRF: the suite's in TLS 1.2, MD5+SHA-1 in 1.0/1.1.</summary>
    public HashAlgorithmName PrfHash => TlsHashes.HandshakeHash(Version, Suite.PrfHash);

    /// <summary>Derives the master secret and zeroes the pre-master; call after ClientKeyExchange joined the transcript (the EMS session hash covers it).</summary>
    public void DeriveMasterSecret(byte[] preMasterSecret, IKeyLog? keyLog)
    {
        try
        {
            MasterSecret = Version == ProtocolVersion.Ssl3
                ? Ssl3KeyDerivation.MasterSecret(preMasterSecret, ClientRandom, ServerRandom)
                : ExtendedMasterSecret
                    ? Tls12Prf.ExtendedMasterSecret(PrfHash, preMasterSecret, Transcript.GetCurrentHash())
                    : Tls12Prf.MasterSecret(PrfHash, preMasterSecret, ClientRandom, ServerRandom);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(preMasterSecret);
        }
        keyLog?.Write(KeyLogLabels.ClientRandom, ClientRandom, MasterSecret);
    }

    /// <summary>An abbreviated handshake: the master secret of the resumed session (copied).</summary>
    public void ResumeMasterSecret(ReadOnlySpan<byte> masterSecret, IKeyLog? keyLog)
    {
        MasterSecret = masterSecret.ToArray();
        keyLog?.Write(KeyLogLabels.ClientRandom, ClientRandom, MasterSecret);
    }

    /// <summary>
    /// Record protection for one direction, built from the suite table and the key block. The key block is derived once for
    /// both directions (it was derived again for the second: one PRF run of waste per handshake) and zeroed as soon as both
    /// directions have their keys.
    /// </summary>
    public IRecordProtection Protection(bool clientWrite, Action<Span<byte>> random)
    {
        _keyBlock ??= SuiteRecordProtection.DeriveKeyBlock(Suite, Version, MasterSecret!, ClientRandom, ServerRandom);
        var protection = SuiteRecordProtection.Create(Suite, Version, _keyBlock, clientWrite, EncryptThenMac, random);
        _directionsKeyed |= clientWrite ? 1 : 2;
        if (_directionsKeyed == 3)
        {
            _keyBlock.Dispose();
            _keyBlock = null;
            _directionsKeyed = 0;
        }
        return protection;
    }

    private KeyBlock? _keyBlock;
    private int _directionsKeyed;

    /// <summary>verify_data of a Finished over the current transcript (RFC 5246 §7.4.9; SSL 3.0's 36 bytes, RFC 6101 §5.6.9).</summary>
    public byte[] FinishedVerifyData(bool client)
        => Version == ProtocolVersion.Ssl3
            ? Ssl3KeyDerivation.FinishedVerifyData(Transcript, MasterSecret!, client)
            : Tls12Prf.FinishedVerifyData(PrfHash, MasterSecret!, client, Transcript.GetCurrentHash());

    /// <summary>The length of verify_data: 12, or 36 in SSL 3.0.</summary>
    public int VerifyDataLength => Version == ProtocolVersion.Ssl3 ? 36 : 12;

    /// <summary>Checks the peer's Finished in constant time: decrypt_error when wrong (RFC 5246 §7.4.9). Returns the verify_data.</summary>
    public byte[] CheckFinished(bool fromClient, ReadOnlySpan<byte> received)
    {
        byte[] expected = FinishedVerifyData(fromClient);
        if (!CryptographicOperations.FixedTimeEquals(expected, received))
            throw new TlsProtocolException(AlertDescription.DecryptError, $"the {(fromClient ? "client" : "server")}'s Finished verify_data does not match the transcript");
        return expected;
    }

    /// <summary>The bytes a ServerKeyExchange signature covers: client_random + server_random + params (RFC 5246 §7.4.3, RFC 8422 §5.4).</summary>
    public byte[] SignedParams(byte[] encodedParams)
    {
        byte[] content = new byte[64 + encodedParams.Length];
        ClientRandom.CopyTo(content, 0);
        ServerRandom.CopyTo(content, 32);
        encodedParams.CopyTo(content, 64);
        return content;
    }

    public void Dispose()
    {
        _keyBlock?.Dispose();
        _keyBlock = null;
        Transcript.Dispose();
        if (MasterSecret is not null) CryptographicOperations.ZeroMemory(MasterSecret);
    }
}
