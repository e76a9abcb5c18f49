using System.Security.Cryptography;
using SharpTls.Diagnostics;
using SharpTls.KeySchedule;
using SharpTls.Records;
using SharpTls.Wire;

namespace SharpTls.Handshake.Tls13;

/// <summary>
/// The cryptographic state a TLS 1.3 handshake carries from state to state: the suite, the
/// transcript and the key schedule, plus the traffic secrets as they appear. Both sides use it;
/// each state class holds it only while it is valid and passes it on.
/// </summary>
internal sealed class Tls13Keys : IDisposable
{
    private Transcript? _transcript;
    private Tls13KeySchedule? _schedule;

    public Tls13Keys(CipherSuiteInfo suite, Transcript transcript, byte[] clientRandom, ReadOnlySpan<byte> psk = default)
    {
        Suite = suite;
        Hash = suite.PrfHash;
        _transcript = transcript;
        _schedule = new Tls13KeySchedule(Hash, psk);
        ClientRandom = clientRandom;
    }

    public CipherSuiteInfo Suite { get; }
    public HashAlgorithmName Hash { get; }
    public Transcript Transcript => _transcript ?? throw new InvalidOperationException("the transcript was released when the handshake completed");
    public Tls13KeySchedule Schedule => _schedule ?? throw new InvalidOperationException("the key schedule was released when the handshake completed");
    public byte[] ClientRandom { get; private set; }

    /// <summary>Whether the transcript hash is still held (after the handshake: only for post-handshake authentication).</summary>
    public bool HoldsTranscript => _transcript is not null;

    /// <summary>Whether the key schedule or any handshake-only secret is still held.</summary>
    public bool HoldsHandshakeSecrets => _schedule is not null || ClientHandshakeSecret is not null || ServerHandshakeSecret is not null || ExporterSecret is not null;

    public byte[]? ClientHandshakeSecret { get; private set; }
    public byte[]? ServerHandshakeSecret { get; private set; }
    public byte[]? ClientApplicationSecret { get; set; }
    public byte[]? ServerApplicationSecret { get; set; }
    public byte[]? ExporterSecret { get; private set; }
    public byte[]? ResumptionMasterSecret { get; private set; }

    /// <summary>The AEAD of a TLS 1.3 suite.</summary>
    public static AeadAlgorithm AeadOf(CipherSuite suite) => suite switch
    {
        CipherSuite.TLS_AES_128_GCM_SHA256 => AeadAlgorithm.Aes128Gcm,
        CipherSuite.TLS_AES_256_GCM_SHA384 => AeadAlgorithm.Aes256Gcm,
        CipherSuite.TLS_CHACHA20_POLY1305_SHA256 => AeadAlgorithm.ChaCha20Poly1305,
        CipherSuite.TLS_AES_128_CCM_SHA256 => AeadAlgorithm.Aes128Ccm,
        CipherSuite.TLS_AES_128_CCM_8_SHA256 => AeadAlgorithm.Aes128Ccm8,
        _ => throw new TlsProtocolException(AlertDescription.InternalError, $"{suite} is not a TLS 1.3 suite we implement"),
    };

    /// <summary>Derives the handshake traffic secrets from the (EC)DHE secret and the transcript through ServerHello.</summary>
    public void DeriveHandshakeSecrets(ReadOnlySpan<byte> sharedSecret, TlsConnection connection)
    {
        Schedule.AddSharedSecret(sharedSecret);
        Span<byte> helloHash = stackalloc byte[Transcript.HashLength];
        Transcript.GetCurrentHash(helloHash);
        ClientHandshakeSecret = Schedule.ClientHandshakeTrafficSecret(helloHash);
        ServerHandshakeSecret = Schedule.ServerHandshakeTrafficSecret(helloHash);
        Log(connection, KeyLogLabels.ClientHandshakeTrafficSecret, ClientHandshakeSecret);
        Log(connection, KeyLogLabels.ServerHandshakeTrafficSecret, ServerHandshakeSecret);
    }

    /// <summary>Derives the application secrets from the transcript through the server's Finished.</summary>
    public void DeriveApplicationSecrets(TlsConnection connection)
    {
        Schedule.DeriveMasterSecret();
        Span<byte> hash = stackalloc byte[Transcript.HashLength];
        Transcript.GetCurrentHash(hash);
        ClientApplicationSecret = Schedule.ClientApplicationTrafficSecret(hash);
        ServerApplicationSecret = Schedule.ServerApplicationTrafficSecret(hash);
        Log(connection, KeyLogLabels.ClientTrafficSecret0, ClientApplicationSecret);
        Log(connection, KeyLogLabels.ServerTrafficSecret0, ServerApplicationSecret);
        // The exporter master secret has one reader, the key log (no exporter API reads it from a connection): derived
        // only when one is set, instead of on every handshake (one Derive-Secret and a secret to zero at Connected).
        if (connection.Services.KeyLog is not null)
        {
            ExporterSecret = Schedule.ExporterMasterSecret(hash);
            Log(connection, KeyLogLabels.ExporterSecret, ExporterSecret);
        }
    }

    /// <summary>Derives the resumption master secret from the transcript through the client's Finished.</summary>
    public void DeriveResumptionSecret()
    {
        Span<byte> hash = stackalloc byte[Transcript.HashLength];
        Transcript.GetCurrentHash(hash);
        ResumptionMasterSecret = Schedule.ResumptionMasterSecret(hash);
    }

    /// <summary>Record protection for one traffic secret.</summary>
    public IRecordProtection Protection(byte[] trafficSecret, INegotiationSettings options)
    {
        var aead = AeadOf(Suite.Suite);
        // The key and IV on the stack (RFC 8446 §7.3): the protection keeps its own copies; these are wiped.
        Span<byte> key = stackalloc byte[AeadCipher.KeyLength(aead)];
        Span<byte> iv = stackalloc byte[AeadCipher.NonceLength];
        try
        {
            Tls13Hkdf.ExpandLabel(Hash, trafficSecret, "key", default, key);
            Tls13Hkdf.ExpandLabel(Hash, trafficSecret, "iv", default, iv);
            var padding = options.RecordPaddingBlock > 0 ? RecordPadding.ToMultipleOf(options.RecordPaddingBlock) : null;
            return new Tls13RecordProtection(aead, key, iv, padding);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(iv);
        }
    }

    /// <summary>Our Finished over the current transcript.</summary>
    public byte[] FinishedVerifyData(byte[] baseKey)
    {
        Span<byte> hash = stackalloc byte[Transcript.HashLength];
        Transcript.GetCurrentHash(hash);
        return Tls13KeySchedule.FinishedVerifyData(Hash, baseKey, hash);
    }

    /// <summary>Checks the peer's Finished in constant time (decrypt_error when wrong, RFC 8446 §4.4.4).</summary>
    public void CheckFinished(byte[] baseKey, ReadOnlySpan<byte> received, string who)
    {
        Span<byte> hash = stackalloc byte[Transcript.HashLength];
        Transcript.GetCurrentHash(hash);
        if (!Tls13KeySchedule.VerifyFinished(Hash, baseKey, hash, received))
            throw new TlsProtocolException(AlertDescription.DecryptError, $"the {who}'s Finished verify_data does not match the transcript");
    }

    /// <summary>
    /// At the end of the handshake: zeroes and releases what an established connection no longer needs
    /// (the key schedule, the handshake traffic secrets, the exporter secret (derived for the key log only), and the
    /// client random). Kept: the application traffic secrets (KeyUpdate); the transcript hash only when
    /// post-handshake authentication may follow (RFC 8446 §4.4.1); the resumption master secret only when
    /// tickets may still arrive (a client).
    /// </summary>
    public Tls13Keys ReleaseHandshake(bool keepTranscript, bool keepResumptionSecret)
    {
        _schedule?.Dispose();
        _schedule = null;
        ClientHandshakeSecret = Zero(ClientHandshakeSecret);
        ServerHandshakeSecret = Zero(ServerHandshakeSecret);
        ExporterSecret = Zero(ExporterSecret);
        if (!keepResumptionSecret) ResumptionMasterSecret = Zero(ResumptionMasterSecret);
        if (!keepTranscript)
        {
            _transcript?.Dispose();
            _transcript = null;
        }
        ClientRandom = [];
        return this;
    }

    private static byte[]? Zero(byte[]? secret)
    {
        if (secret is not null) CryptographicOperations.ZeroMemory(secret);
        return null;
    }

    private void Log(TlsConnection connection, string label, byte[] secret)
        => connection.Services.KeyLog?.Write(label, ClientRandom, secret);

    public void Dispose()
    {
        _schedule?.Dispose();
        _transcript?.Dispose();
        foreach (var s in new[] { ClientHandshakeSecret, ServerHandshakeSecret, ClientApplicationSecret, ServerApplicationSecret, ExporterSecret, ResumptionMasterSecret })
            if (s is not null) CryptographicOperations.ZeroMemory(s);
    }
}
