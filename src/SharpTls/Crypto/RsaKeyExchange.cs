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
    /// the managed path exports the key and checks the block with branch-free arithmetic.
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
    /// The managed path, for keys libcrypto cannot serve: the RSA operation is raw (BouncyCastle's
    /// blinded engine on the exported key, since the BCL's PKCS#1 decrypt throws on bad padding), the
    /// padding and the client_version bytes are checked with branch-free arithmetic, and the result is
    /// selected by mask between the decrypted value and <paramref name="substitute"/>.
    /// </summary>
    internal static void DecryptManaged(RSA serverPrivateKey, ReadOnlySpan<byte> encrypted, ushort clientHelloVersion,
        ReadOnlySpan<byte> substitute, Span<byte> result)
    {
        RSAParameters parameters = serverPrivateKey.ExportParameters(true);
        int k = parameters.Modulus!.Length;
        byte[] em = new byte[k];
        int bad = 0;
        try
        {
            bad |= RawDecrypt(parameters, encrypted, em);

            // EM = 0x00 || 0x02 || PS (k-51 nonzero bytes) || 0x00 || PMS (48 bytes)
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
        finally
        {
            CryptographicOperations.ZeroMemory(em);
            CryptographicOperations.ZeroMemory(parameters.D);
            CryptographicOperations.ZeroMemory(parameters.P);
            CryptographicOperations.ZeroMemory(parameters.Q);
            CryptographicOperations.ZeroMemory(parameters.DP);
            CryptographicOperations.ZeroMemory(parameters.DQ);
            CryptographicOperations.ZeroMemory(parameters.InverseQ);
        }
    }

    /// <summary>1 when b == 0, else 0, without a branch.</summary>
    private static int ZeroByteFlag(byte b) => ((b - 1) >> 8) & 1;

    /// <summary>
    /// Raw RSA private operation into <paramref name="em"/> (left-padded to k bytes). Returns 1 when
    /// the ciphertext cannot be decrypted at all (wrong length, not below the modulus); the caller
    /// folds that into the same substitute path.
    /// </summary>
    private static int RawDecrypt(RSAParameters p, ReadOnlySpan<byte> encrypted, byte[] em)
    {
        if (encrypted.Length != em.Length) return 1; // the length is public: the peer chose it
        var key = new RsaPrivateCrtKeyParameters(
            Unsigned(p.Modulus!), Unsigned(p.Exponent!), Unsigned(p.D!), Unsigned(p.P!), Unsigned(p.Q!),
            Unsigned(p.DP!), Unsigned(p.DQ!), Unsigned(p.InverseQ!));
        var engine = new RsaBlindedEngine();
        engine.Init(false, key);
        byte[] input = encrypted.ToArray();
        try
        {
            byte[] output = engine.ProcessBlock(input, 0, input.Length);
            int n = Math.Min(output.Length, em.Length);
            output.AsSpan(output.Length - n).CopyTo(em.AsSpan(em.Length - n));
            CryptographicOperations.ZeroMemory(output);
            return 0;
        }
        catch (DataLengthException)
        {
            return 1; // ciphertext not below the modulus
        }
    }

    private static Org.BouncyCastle.Math.BigInteger Unsigned(byte[] bytes) => new(1, bytes);
}
