using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using SharpTls.Crypto;

namespace SharpTls.KeySchedule;

/// <summary>
/// The TLS 1.3 HKDF primitives (RFC 8446 §7.1) on <see cref="HKDF"/>.
/// <code>
/// struct {
///     uint16 length = Length;
///     opaque label&lt;7..255&gt; = "tls13 " + Label;
///     opaque context&lt;0..255&gt; = Context;
/// } HkdfLabel;
/// HKDF-Expand-Label(Secret, Label, Context, Length) = HKDF-Expand(Secret, HkdfLabel, Length)
/// Derive-Secret(Secret, Label, Messages) = HKDF-Expand-Label(Secret, Label, Transcript-Hash(Messages), Hash.length)
/// </code>
/// </summary>
internal static class Tls13Hkdf
{
    /// <summary>HKDF-Extract(salt, IKM); an empty salt or IKM means Hash.length zero bytes (RFC 8446 §7.1).</summary>
    public static byte[] Extract(HashAlgorithmName hash, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> ikm)
    {
        int n = TlsHashes.Length(hash);
        Span<byte> zeros = stackalloc byte[64];
        zeros.Clear();
        byte[] prk = new byte[n];
        Extract(hash, salt.IsEmpty ? zeros[..n] : salt, ikm.IsEmpty ? zeros[..n] : ikm, prk);
        return prk;
    }

    /// <summary>
    /// Whether the HMACs go through libcrypto's fetched-once <c>EVP_MAC</c> (<see cref="LibCryptoHmac"/>), where it loads,
    /// instead of the BCL's HKDF and HMAC, which fetch from OpenSSL's provider per call (bench `parts`: ~2.7 -> ~1.1 µs
    /// per HKDF-Expand-Label).
    /// </summary>
    private static bool Fast(HashAlgorithmName hash) => LibCryptoHmac.Serves(hash) && LibCryptoHmac.IsAvailable;

    /// <summary>HMAC(key, data) into <paramref name="destination"/> (the hash's length): Finished and PSK binders.</summary>
    public static void Hmac(HashAlgorithmName hash, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (Fast(hash)) LibCryptoHmac.Compute(hash, key, data, default, destination);
        else CryptographicOperations.HmacData(hash, key, data, destination);
    }

    /// <summary>HKDF-Extract = HMAC(salt, IKM) (RFC 5869 §2.2) into <paramref name="prk"/> (the hash's length).</summary>
    private static void Extract(HashAlgorithmName hash, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> ikm, Span<byte> prk)
    {
        if (Fast(hash)) LibCryptoHmac.Compute(hash, salt, ikm, default, prk);
        else HKDF.Extract(hash, ikm, salt, prk);
    }

    /// <summary>
    /// HKDF-Expand (RFC 5869 §2.3). Every TLS 1.3 output is at most one hash long, i.e. T(1) = HMAC(PRK, info || 0x01),
    /// truncated: one HMAC on the fast path (the block is made on the stack and wiped). Longer outputs (an exporter may ask
    /// for them) take the BCL's HKDF.
    /// </summary>
    internal static void Expand(HashAlgorithmName hash, ReadOnlySpan<byte> prk, ReadOnlySpan<byte> info, Span<byte> output)
    {
        int n = TlsHashes.Length(hash);
        if (!Fast(hash) || output.Length > n || prk.Length < n)
        {
            HKDF.Expand(hash, prk, output, info);
            return;
        }
        ReadOnlySpan<byte> counter = [1];
        if (output.Length == n)
        {
            LibCryptoHmac.Compute(hash, prk, info, counter, output);
            return;
        }
        Span<byte> block = stackalloc byte[n];
        try
        {
            LibCryptoHmac.Compute(hash, prk, info, counter, block);
            block[..output.Length].CopyTo(output);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(block);
        }
    }

    /// <summary>HKDF-Expand-Label into <paramref name="output"/> (its length is the Length field).</summary>
    public static void ExpandLabel(HashAlgorithmName hash, ReadOnlySpan<byte> secret, string label,
        ReadOnlySpan<byte> context, Span<byte> output)
    {
        int labelLength = 6 + label.Length;
        if (labelLength > 255 || context.Length > 255 || output.Length > ushort.MaxValue)
            throw new ArgumentException("HkdfLabel field out of range");
        Span<byte> info = stackalloc byte[2 + 1 + labelLength + 1 + context.Length];
        BinaryPrimitives.WriteUInt16BigEndian(info, (ushort)output.Length);
        info[2] = (byte)labelLength;
        Encoding.ASCII.GetBytes("tls13 ", info[3..]);
        Encoding.ASCII.GetBytes(label, info[9..]);
        info[3 + labelLength] = (byte)context.Length;
        context.CopyTo(info[(4 + labelLength)..]);
        Expand(hash, secret, info, output);
    }

    /// <summary>HKDF-Expand-Label returning a new array of <paramref name="length"/> bytes.</summary>
    public static byte[] ExpandLabel(HashAlgorithmName hash, ReadOnlySpan<byte> secret, string label,
        ReadOnlySpan<byte> context, int length)
    {
        byte[] output = new byte[length];
        ExpandLabel(hash, secret, label, context, output);
        return output;
    }

    /// <summary>Derive-Secret with the transcript hash already computed.</summary>
    public static byte[] DeriveSecret(HashAlgorithmName hash, ReadOnlySpan<byte> secret, string label, ReadOnlySpan<byte> transcriptHash)
        => ExpandLabel(hash, secret, label, transcriptHash, TlsHashes.Length(hash));

    /// <summary>Derive-Secret over the empty transcript ("derived", exporter labels).</summary>
    public static byte[] DeriveSecretEmpty(HashAlgorithmName hash, ReadOnlySpan<byte> secret, string label)
        => DeriveSecret(hash, secret, label, EmptyHash(hash));

    private static readonly byte[] EmptySha256 = SHA256.HashData(ReadOnlySpan<byte>.Empty);
    private static readonly byte[] EmptySha384 = SHA384.HashData(ReadOnlySpan<byte>.Empty);

    /// <summary>Hash("") (a public constant: computed once for the TLS 1.3 hashes).</summary>
    private static ReadOnlySpan<byte> EmptyHash(HashAlgorithmName hash)
        => hash == HashAlgorithmName.SHA256 ? EmptySha256 : hash == HashAlgorithmName.SHA384 ? EmptySha384 : TlsHashes.Hash(hash, []);

    private static readonly byte[] ZeroEarlySha256 = Extract(HashAlgorithmName.SHA256, default, default);
    private static readonly byte[] ZeroEarlySha384 = Extract(HashAlgorithmName.SHA384, default, default);

    /// <summary>
    /// HKDF-Extract(salt, IKM) for the early secret: without a PSK it is HKDF-Extract(0, 0), a public constant per hash
    /// (RFC 8448 §3 lists it), copied instead of computed.
    /// </summary>
    public static byte[] EarlySecret(HashAlgorithmName hash, ReadOnlySpan<byte> psk)
    {
        if (psk.IsEmpty && hash == HashAlgorithmName.SHA256) return (byte[])ZeroEarlySha256.Clone();
        if (psk.IsEmpty && hash == HashAlgorithmName.SHA384) return (byte[])ZeroEarlySha384.Clone();
        return Extract(hash, default, psk);
    }
}

/// <summary>Record protection keys derived from a traffic secret (RFC 8446 §7.3). Dispose zeroes them.</summary>
internal sealed class TrafficKeys(byte[] key, byte[] iv) : IDisposable
{
    /// <summary>The AEAD key.</summary>
    public byte[] Key { get; } = key;

    /// <summary>The write IV (nonce base).</summary>
    public byte[] Iv { get; } = iv;

    /// <summary>Zeroes key and IV.</summary>
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(Key);
        CryptographicOperations.ZeroMemory(Iv);
    }
}

/// <summary>
/// The TLS 1.3 key schedule (RFC 8446 §7.1), stateful from the early secret to the master secret.
/// <code>
///              0
///              |
///    PSK -&gt;  HKDF-Extract = Early Secret   (binder key, c e traffic, e exp master)
///              |  Derive-Secret(., "derived", "")
/// (EC)DHE -&gt; HKDF-Extract = Handshake Secret   (c hs traffic, s hs traffic)
///              |  Derive-Secret(., "derived", "")
///       0 -&gt; HKDF-Extract = Master Secret   (c ap traffic, s ap traffic, exp master, res master)
/// </code>
/// Each stage's secret is zeroed when the next replaces it; Dispose zeroes the current one.
/// Traffic secrets returned to the caller are the caller's to zero.
/// </summary>
internal sealed class Tls13KeySchedule : IDisposable
{
    private enum Stage { Early, Handshake, Master }

    private byte[] _secret;
    private Stage _stage;

    /// <summary>Starts with the early secret: HKDF-Extract(0, PSK), or (0, 0) when <paramref name="psk"/> is empty.</summary>
    public Tls13KeySchedule(HashAlgorithmName hash, ReadOnlySpan<byte> psk = default)
    {
        Hash = hash;
        HashLength = TlsHashes.Length(hash);
        _secret = Tls13Hkdf.EarlySecret(hash, psk);
        _stage = Stage.Early;
    }

    /// <summary>The suite's hash.</summary>
    public HashAlgorithmName Hash { get; }

    /// <summary>Hash.length.</summary>
    public int HashLength { get; }

    /// <summary>A copy of the current stage's secret (early, handshake or master), for tests and key logs.</summary>
    public byte[] CurrentSecret => (byte[])_secret.Clone();

    /// <summary>binder_key: Derive-Secret(Early Secret, "ext binder" | "res binder", "").</summary>
    public byte[] BinderKey(bool resumption)
    {
        Require(Stage.Early);
        return Tls13Hkdf.DeriveSecretEmpty(Hash, _secret, resumption ? "res binder" : "ext binder");
    }

    /// <summary>client_early_traffic_secret = Derive-Secret(Early Secret, "c e traffic", ClientHello).</summary>
    public byte[] ClientEarlyTrafficSecret(ReadOnlySpan<byte> clientHelloHash)
        => Derive(Stage.Early, "c e traffic", clientHelloHash);

    /// <summary>early_exporter_master_secret = Derive-Secret(Early Secret, "e exp master", ClientHello).</summary>
    public byte[] EarlyExporterMasterSecret(ReadOnlySpan<byte> clientHelloHash)
        => Derive(Stage.Early, "e exp master", clientHelloHash);

    /// <summary>
    /// Moves to the Handshake Secret: HKDF-Extract(Derive-Secret(Early, "derived", ""), (EC)DHE).
    /// An empty <paramref name="sharedSecret"/> (psk_ke) stands for Hash.length zeros.
    /// </summary>
    public void AddSharedSecret(ReadOnlySpan<byte> sharedSecret)
    {
        Require(Stage.Early);
        Advance(sharedSecret);
        _stage = Stage.Handshake;
    }

    /// <summary>client_handshake_traffic_secret = Derive-Secret(HS, "c hs traffic", ClientHello..ServerHello).</summary>
    public byte[] ClientHandshakeTrafficSecret(ReadOnlySpan<byte> helloHash)
        => Derive(Stage.Handshake, "c hs traffic", helloHash);

    /// <summary>server_handshake_traffic_secret = Derive-Secret(HS, "s hs traffic", ClientHello..ServerHello).</summary>
    public byte[] ServerHandshakeTrafficSecret(ReadOnlySpan<byte> helloHash)
        => Derive(Stage.Handshake, "s hs traffic", helloHash);

    /// <summary>Moves to the Master Secret: HKDF-Extract(Derive-Secret(HS, "derived", ""), 0).</summary>
    public void DeriveMasterSecret()
    {
        Require(Stage.Handshake);
        Advance(default);
        _stage = Stage.Master;
    }

    /// <summary>client_application_traffic_secret_0 (transcript ClientHello..server Finished).</summary>
    public byte[] ClientApplicationTrafficSecret(ReadOnlySpan<byte> serverFinishedHash)
        => Derive(Stage.Master, "c ap traffic", serverFinishedHash);

    /// <summary>server_application_traffic_secret_0 (transcript ClientHello..server Finished).</summary>
    public byte[] ServerApplicationTrafficSecret(ReadOnlySpan<byte> serverFinishedHash)
        => Derive(Stage.Master, "s ap traffic", serverFinishedHash);

    /// <summary>exporter_master_secret (transcript ClientHello..server Finished).</summary>
    public byte[] ExporterMasterSecret(ReadOnlySpan<byte> serverFinishedHash)
        => Derive(Stage.Master, "exp master", serverFinishedHash);

    /// <summary>resumption_master_secret (transcript ClientHello..client Finished).</summary>
    public byte[] ResumptionMasterSecret(ReadOnlySpan<byte> clientFinishedHash)
        => Derive(Stage.Master, "res master", clientFinishedHash);

    // ---- stateless pieces -------------------------------------------------------------

    /// <summary>The PSK of a ticket (RFC 8446 §4.6.1): HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce, Hash.length).</summary>
    public static byte[] ResumptionPsk(HashAlgorithmName hash, ReadOnlySpan<byte> resumptionMasterSecret, ReadOnlySpan<byte> ticketNonce)
        => Tls13Hkdf.ExpandLabel(hash, resumptionMasterSecret, "resumption", ticketNonce, TlsHashes.Length(hash));

    /// <summary>application_traffic_secret_N+1 = HKDF-Expand-Label(secret_N, "traffic upd", "", Hash.length) (RFC 8446 §7.2).</summary>
    public static byte[] NextApplicationTrafficSecret(HashAlgorithmName hash, ReadOnlySpan<byte> currentSecret)
        => Tls13Hkdf.ExpandLabel(hash, currentSecret, "traffic upd", default, TlsHashes.Length(hash));

    /// <summary>write_key = HKDF-Expand-Label(Secret, "key", "", key_length); write_iv likewise with "iv" (RFC 8446 §7.3).</summary>
    public static TrafficKeys DeriveTrafficKeys(HashAlgorithmName hash, ReadOnlySpan<byte> trafficSecret, int keyLength, int ivLength = 12)
        => new(Tls13Hkdf.ExpandLabel(hash, trafficSecret, "key", default, keyLength),
               Tls13Hkdf.ExpandLabel(hash, trafficSecret, "iv", default, ivLength));

    /// <summary>finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length) (RFC 8446 §4.4.4).</summary>
    public static byte[] FinishedKey(HashAlgorithmName hash, ReadOnlySpan<byte> baseKey)
        => Tls13Hkdf.ExpandLabel(hash, baseKey, "finished", default, TlsHashes.Length(hash));

    /// <summary>
    /// verify_data = HMAC(finished_key, Transcript-Hash(Handshake Context, Certificate*, CertificateVerify*))
    /// (RFC 8446 §4.4.4). The PSK binder is the same computation with the binder key and the partial ClientHello hash.
    /// </summary>
    public static byte[] FinishedVerifyData(HashAlgorithmName hash, ReadOnlySpan<byte> baseKey, ReadOnlySpan<byte> transcriptHash)
    {
        byte[] verifyData = new byte[TlsHashes.Length(hash)];
        FinishedVerifyData(hash, baseKey, transcriptHash, verifyData);
        return verifyData;
    }

    /// <summary>verify_data into <paramref name="destination"/> (the hash's length); the finished_key lives on the stack and is wiped.</summary>
    private static void FinishedVerifyData(HashAlgorithmName hash, ReadOnlySpan<byte> baseKey, ReadOnlySpan<byte> transcriptHash, Span<byte> destination)
    {
        Span<byte> key = stackalloc byte[TlsHashes.Length(hash)];
        try
        {
            Tls13Hkdf.ExpandLabel(hash, baseKey, "finished", default, key);
            Tls13Hkdf.Hmac(hash, key, transcriptHash, destination);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Checks a received Finished (or binder) in constant time.</summary>
    public static bool VerifyFinished(HashAlgorithmName hash, ReadOnlySpan<byte> baseKey, ReadOnlySpan<byte> transcriptHash, ReadOnlySpan<byte> received)
    {
        Span<byte> expected = stackalloc byte[TlsHashes.Length(hash)];
        try
        {
            FinishedVerifyData(hash, baseKey, transcriptHash, expected);
            return CryptographicOperations.FixedTimeEquals(expected, received);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(expected);
        }
    }

    /// <summary>
    /// TLS-Exporter(label, context_value, key_length) = HKDF-Expand-Label(Derive-Secret(Secret, label, ""),
    /// "exporter", Hash(context_value), key_length) (RFC 8446 §7.5), with the (early) exporter master secret.
    /// </summary>
    public static byte[] Export(HashAlgorithmName hash, ReadOnlySpan<byte> exporterMasterSecret, string label,
        ReadOnlySpan<byte> context, int length)
    {
        byte[] derived = Tls13Hkdf.DeriveSecretEmpty(hash, exporterMasterSecret, label);
        try
        {
            return Tls13Hkdf.ExpandLabel(hash, derived, "exporter", TlsHashes.Hash(hash, context), length);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(derived);
        }
    }

    private void Advance(ReadOnlySpan<byte> ikm)
    {
        byte[] derived = Tls13Hkdf.DeriveSecretEmpty(Hash, _secret, "derived");
        byte[] next = Tls13Hkdf.Extract(Hash, derived, ikm);
        CryptographicOperations.ZeroMemory(derived);
        CryptographicOperations.ZeroMemory(_secret);
        _secret = next;
    }

    private byte[] Derive(Stage stage, string label, ReadOnlySpan<byte> transcriptHash)
    {
        Require(stage);
        return Tls13Hkdf.DeriveSecret(Hash, _secret, label, transcriptHash);
    }

    private void Require(Stage stage)
    {
        if (_stage != stage)
            throw new InvalidOperationException($"key schedule is at the {_stage} secret, not the {stage} secret");
    }

    /// <summary>Zeroes the current secret.</summary>
    public void Dispose() => CryptographicOperations.ZeroMemory(_secret);
}
