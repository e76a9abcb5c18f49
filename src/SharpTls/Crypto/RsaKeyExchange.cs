using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Encodings;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace SharpTls.Crypto;

/// <summary>
/// RSA key transport (TLS 1.2 and older, RFC 5246 §7.4.7.1).
/// <para>
/// The server side decrypts the EncryptedPreMasterSecret WITHOUT a padding oracle: through
/// libcrypto's TLS padding mode where it loads (the key is never exported), else a managed path
/// with branch-free checks. Every input gives 48 bytes and no exception; a wrong pre-master only
/// shows up as a Finished that does not verify (decrypt_error / bad_record_mac), as for any other mismatch.
/// </para>
/// </summary>
internal static class RsaKeyExchange
{
    /// <summary>Length of the pre-master secret.</summary>
    public const int PreMasterSecretLength = 48;

    /// <summary>Client side: client_version (the ClientHello version, big-endian) || 46 random bytes.</summary>
    public static byte[] CreatePreMasterSecret(ushort clientHelloVersion, ICryptoProvider random)
    {
        byte[] pms = new byte[PreMasterSecretLength];
        pms[0] = (byte)(clientHelloVersion >> 8);
        pms[1] = (byte)clientHelloVersion;
        random.Fill(pms.AsSpan(2));
        return pms;
    }

    /// <summary>
    /// Client side: PKCS#1 v1.5 encryption of the pre-master secret to the server's RSA key. The
    /// padding randomness comes from <paramref name="random"/> so a scripted run is reproducible.
    /// </summary>
    public static byte[] Encrypt(RSA serverPublicKey, ReadOnlySpan<byte> preMasterSecret, ICryptoProvider random)
    {
        RsaKeyParameters key = DotNetUtilities.GetRsaPublicKey(serverPublicKey.ExportParameters(false));
        var pkcs1 = new Pkcs1Encoding(new RsaEngine());
        pkcs1.Init(true, new ParametersWithRandom(key, ProviderRandomGenerator.SecureRandomFor(random)));
        byte[] input = preMasterSecret.ToArray();
        try
        {
            byte[] output = pkcs1.ProcessBlock(input, 0, input.Length);
            int k = (serverPublicKey.KeySize + 7) / 8;
            if (output.Length == k) return output;
            byte[] padded = new byte[k];
            output.CopyTo(padded, k - output.Length);
            return padded;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(input);
        }
    }

    /// <summary>
    /// Server side: the pre-master secret from an EncryptedPreMasterSecret (the bytes inside the
    /// length prefix for TLS 1.0+, the whole body for SSL 3.0). Returns 48 bytes always: the real
    /// pre-master when the block is well formed and starts with <paramref name="clientHelloVersion"/>,
    /// otherwise a random substitute, with no observable difference (see <see cref="DecryptPreMasterSecret(RSA, ReadOnlySpan{byte}, ushort, ICryptoProvider, Span{byte})"/>).
    /// </summary>
    public static byte[] DecryptPreMasterSecret(RSA serverPrivateKey, ReadOnlySpan<byte> encrypted,
        ushort clientHelloVersion, ICryptoProvider random)
    {
        byte[] result = new byte[PreMasterSecretLength];
        DecryptPreMasterSecret(serverPrivateKey, encrypted, clientHelloVersion, random, result);
        return result;
    }

    /// <summary>
    /// Server side, into <paramref name="preMasterSecret"/> (48 bytes). A 48-byte substitute is drawn from
    /// <paramref name="random"/> first, whatever the ciphertext. Where libcrypto loads and the key is
    /// OpenSSL's (every BCL key on Linux), the decryption runs in libcrypto's TLS padding mode
    /// (<see cref="OpenSslRsaKeyExchange"/>): no key export, implicit rejection inside OpenSSL. Elsewhere
    /// the managed path (BouncyCastle on a form of the key made once per key) checks the block with branch-free arithmetic.
    /// </summary>
    public static void DecryptPreMasterSecret(RSA serverPrivateKey, ReadOnlySpan<byte> encrypted,
        ushort clientHelloVersion, ICryptoProvider random, Span<byte> preMasterSecret)
    {
        if (preMasterSecret.Length != PreMasterSecretLength)
            throw new ArgumentException($"the pre-master secret is {PreMasterSecretLength} bytes", nameof(preMasterSecret));
        // The substitute is drawn before anything depends on the ciphertext.
        Span<byte> substitute = stackalloc byte[PreMasterSecretLength];
        random.Fill(substitute);
        try
        {
            switch (OpenSslRsaKeyExchange.TryDecrypt(serverPrivateKey, encrypted, clientHelloVersion, preMasterSecret))
            {
                case NativeDecrypt.Served:
                    return;
                case NativeDecrypt.PublicFailure:
                    // Wrong length or not below the modulus: facts the peer knows; the substitute stands in.
                    substitute.CopyTo(preMasterSecret);
                    return;
                default:
                    DecryptManaged(serverPrivateKey, encrypted, clientHelloVersion, substitute, preMasterSecret);
                    return;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(substitute);
        }
    }

    /// <summary>
    /// The managed path, for keys libcrypto cannot serve: the RSA operation is raw (BouncyCastle's blinded engine, since
    /// the BCL's PKCS#1 decrypt throws on bad padding), the padding and the client_version bytes are checked with
    /// branch-free arithmetic, and the result is selected by mask between the decrypted value and <paramref name="substitute"/>.
    /// The key is exported and turned into BouncyCastle's form once per key object (<see cref="ManagedRsaPrivateKey"/>), not
    /// on every call: building that form costs BouncyCastle's modulus validation, about four times the RSA operation.
    /// </summary>
    internal static void DecryptManaged(RSA serverPrivateKey, ReadOnlySpan<byte> encrypted, ushort clientHelloVersion,
        ReadOnlySpan<byte> substitute, Span<byte> result)
        => ManagedRsaPrivateKey.For(serverPrivateKey).DecryptPreMasterSecret(encrypted, clientHelloVersion, substitute, result);

    /// <summary>
    /// Checks EM = 0x00 || 0x02 || PS (k-51 nonzero bytes) || 0x00 || client_version || 46 bytes without a branch on its
    /// content, and writes its last 48 bytes when it is well formed, <paramref name="substitute"/> otherwise, selected by
    /// mask. <paramref name="bad"/> is nonzero when the RSA operation already failed (a public fact).
    /// </summary>
    internal static void SelectPreMasterSecret(ReadOnlySpan<byte> em, int bad, ushort clientHelloVersion, ReadOnlySpan<byte> substitute, Span<byte> result)
    {
        int k = em.Length;
        int separator = k - PreMasterSecretLength - 1;
        bad |= em[0];
        bad |= em[1] ^ 0x02;
        for (int i = 2; i < separator; i++)
            bad |= ZeroByteFlag(em[i]);
        bad |= em[separator];
        bad |= em[separator + 1] ^ (clientHelloVersion >> 8);
        bad |= em[separator + 2] ^ (clientHelloVersion & 0xFF);

        // good = 1 when bad == 0; mask = 0xFF when good.
        int good = ((bad - 1) >> 31) & 1;
        byte mask = (byte)-good;
        for (int i = 0; i < PreMasterSecretLength; i++)
            result[i] = (byte)((em[separator + 1 + i] & mask) | (substitute[i] & ~mask));
    }

    /// <summary>1 when b == 0, else 0, without a branch.</summary>
    private static int ZeroByteFlag(byte b) => ((b - 1) >> 8) & 1;
}

/// <summary>
/// What the managed RSA key-exchange path keeps per key: BouncyCastle's CRT form of the private key, built once from one
/// export (the exported arrays are zeroed at once) and kept for as long as the BCL key object lives (a weak table keyed by
/// it; the provider's default passes the key kept per certificate, <see cref="TlsSignatures.SigningKey"/>). Before, every
/// decryption exported the key and rebuilt this form, about 80% of its cost (BouncyCastle validates the modulus with
/// Miller-Rabin rounds each time). <see cref="Dispose"/> (also run when the key object is collected) overwrites the
/// private values in place: BouncyCastle's BigInteger has no clearing call, so its word arrays are reached by reflection
/// (<see cref="ClearsItsWords"/> tells whether that works with the BouncyCastle in use; a test requires it).
/// </summary>
internal sealed class ManagedRsaPrivateKey : IDisposable
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<RSA, ManagedRsaPrivateKey> Keys = new();
    private static readonly System.Reflection.FieldInfo? Magnitude =
        typeof(Org.BouncyCastle.Math.BigInteger).GetField("magnitude", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic);

    private RsaPrivateCrtKeyParameters? _key;
    private readonly int _length;

    private ManagedRsaPrivateKey(RSA key)
    {
        RSAParameters p = key.ExportParameters(true);
        try
        {
            _length = p.Modulus!.Length;
            _key = new RsaPrivateCrtKeyParameters(Unsigned(p.Modulus!), Unsigned(p.Exponent!), Unsigned(p.D!), Unsigned(p.P!),
                Unsigned(p.Q!), Unsigned(p.DP!), Unsigned(p.DQ!), Unsigned(p.InverseQ!));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(p.D);
            CryptographicOperations.ZeroMemory(p.P);
            CryptographicOperations.ZeroMemory(p.Q);
            CryptographicOperations.ZeroMemory(p.DP);
            CryptographicOperations.ZeroMemory(p.DQ);
            CryptographicOperations.ZeroMemory(p.InverseQ);
        }
    }

    ~ManagedRsaPrivateKey() => Clear();

    /// <summary>The managed form of <paramref name="key"/>, made on first use and kept with the key object.</summary>
    public static ManagedRsaPrivateKey For(RSA key) => Keys.GetValue(key, k => new ManagedRsaPrivateKey(k));

    /// <summary>Drops and overwrites the managed form of <paramref name="key"/>, if one was made (its certificate was disposed).</summary>
    public static void Forget(RSA key)
    {
        if (Keys.TryGetValue(key, out var managed) && Keys.Remove(key)) managed.Dispose();
    }

    /// <summary>Whether reflection reaches BouncyCastle's BigInteger words, so that <see cref="Dispose"/> can overwrite them.</summary>
    public static bool ClearsItsWords => Magnitude?.FieldType == typeof(uint[]);

    /// <summary>
    /// Raw RSA on <paramref name="encrypted"/> (a length other than the modulus', or a value not below the modulus, is a
    /// public failure: the peer knows it as well as we do), then <see cref="RsaKeyExchange.SelectPreMasterSecret"/>.
    /// </summary>
    public void DecryptPreMasterSecret(ReadOnlySpan<byte> encrypted, ushort clientHelloVersion, ReadOnlySpan<byte> substitute, Span<byte> result)
    {
        var key = _key ?? throw new ObjectDisposedException(nameof(ManagedRsaPrivateKey));
        byte[] em = new byte[_length];
        try
        {
            int bad = 1;
            if (encrypted.Length == _length)
            {
                var engine = new RsaBlindedEngine();
                engine.Init(false, key);
                byte[] input = encrypted.ToArray();
                try
                {
                    byte[] output = engine.ProcessBlock(input, 0, input.Length);
                    int n = Math.Min(output.Length, em.Length);
                    output.AsSpan(output.Length - n).CopyTo(em.AsSpan(em.Length - n));
                    CryptographicOperations.ZeroMemory(output);
                    bad = 0;
                }
                catch (DataLengthException)
                {
                    // not below the modulus: bad stays 1
                }
            }
            RsaKeyExchange.SelectPreMasterSecret(em, bad, clientHelloVersion, substitute, result);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(em);
        }
    }

    /// <summary>Whether the private values have been overwritten (after <see cref="Dispose"/>).</summary>
    internal bool IsCleared => _key is null;

    /// <summary>Overwrites the private values (D, P, Q, DP, DQ, QInv) and forgets them; later calls throw.</summary>
    public void Dispose()
    {
        Clear();
        GC.SuppressFinalize(this);
    }

    /// <summary>The words of the private values, for the test that they are overwritten.</summary>
    internal static uint[]?[] WordsOf(RsaPrivateCrtKeyParameters key) =>
        [.. new[] { key.Exponent, key.P, key.Q, key.DP, key.DQ, key.QInv }.Select(v => Magnitude?.GetValue(v) as uint[])];

    /// <summary>BouncyCastle's form of the key (null once cleared), for tests.</summary>
    internal RsaPrivateCrtKeyParameters? Parameters => _key;

    private void Clear()
    {
        var key = Interlocked.Exchange(ref _key, null);
        if (key is null) return;
        foreach (uint[]? words in WordsOf(key))
            if (words is not null) Array.Clear(words);
    }

    private static Org.BouncyCastle.Math.BigInteger Unsigned(byte[] bytes) => new(1, bytes);
}
