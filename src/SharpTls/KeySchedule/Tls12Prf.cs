using System.Security.Cryptography;
using System.Text;
using SharpTls.Crypto;

namespace SharpTls.KeySchedule;

/// <summary>
/// The TLS 1.0-1.2 pseudo-random function and what is derived with it.
/// <code>
/// P_hash(secret, seed) = HMAC_hash(secret, A(1) + seed) + HMAC_hash(secret, A(2) + seed) + ...
///     A(0) = seed, A(i) = HMAC_hash(secret, A(i-1))
/// TLS 1.2 (RFC 5246 §5):       PRF(secret, label, seed) = P_&lt;hash&gt;(secret, label + seed)
/// TLS 1.0/1.1 (RFC 2246 §5):   PRF = P_MD5(S1, label + seed) XOR P_SHA-1(S2, label + seed),
///                              S1, S2 the two halves of the secret (sharing a byte when odd)
/// </code>
/// The hash argument is the suite's PRF hash for TLS 1.2, <see cref="TlsHashes.Md5Sha1"/> for 1.0/1.1.
/// </summary>
internal static class Tls12Prf
{
    /// <summary>Length of master_secret.</summary>
    public const int MasterSecretLength = 48;

    /// <summary>PRF(secret, label, seed) into <paramref name="output"/>.</summary>
    public static void Prf(HashAlgorithmName hash, ReadOnlySpan<byte> secret, string label, ReadOnlySpan<byte> seed, Span<byte> output)
    {
        byte[] labelSeed = new byte[label.Length + seed.Length];
        Encoding.ASCII.GetBytes(label, labelSeed);
        seed.CopyTo(labelSeed.AsSpan(label.Length));

        if (hash != TlsHashes.Md5Sha1)
        {
            PHash(hash, secret, labelSeed, output);
            return;
        }

        int half = (secret.Length + 1) / 2;
        PHash(HashAlgorithmName.MD5, secret[..half], labelSeed, output);
        byte[] sha = new byte[output.Length];
        PHash(HashAlgorithmName.SHA1, secret[(secret.Length - half)..], labelSeed, sha);
        for (int i = 0; i < output.Length; i++) output[i] ^= sha[i];
        CryptographicOperations.ZeroMemory(sha);
    }

    /// <summary>PRF returning a new array.</summary>
    public static byte[] Prf(HashAlgorithmName hash, ReadOnlySpan<byte> secret, string label, ReadOnlySpan<byte> seed, int length)
    {
        byte[] output = new byte[length];
        Prf(hash, secret, label, seed, output);
        return output;
    }

    /// <summary>master_secret = PRF(pre_master_secret, "master secret", ClientHello.random + ServerHello.random)[0..47].</summary>
    public static byte[] MasterSecret(HashAlgorithmName hash, ReadOnlySpan<byte> preMasterSecret,
        ReadOnlySpan<byte> clientRandom, ReadOnlySpan<byte> serverRandom)
        => Prf(hash, preMasterSecret, "master secret", Concat(clientRandom, serverRandom), MasterSecretLength);

    /// <summary>
    /// The extended master secret (RFC 7627 §4): PRF(pre_master_secret, "extended master secret",
    /// session_hash)[0..47], session_hash being the transcript hash through ClientKeyExchange.
    /// </summary>
    public static byte[] ExtendedMasterSecret(HashAlgorithmName hash, ReadOnlySpan<byte> preMasterSecret, ReadOnlySpan<byte> sessionHash)
        => Prf(hash, preMasterSecret, "extended master secret", sessionHash, MasterSecretLength);

    /// <summary>
    /// key_block = PRF(master_secret, "key expansion", server_random + client_random), cut into
    /// client/server MAC keys, client/server encryption keys and client/server IVs (RFC 5246 §6.3).
    /// For AEAD suites <paramref name="macKeyLength"/> is 0 and <paramref name="ivLength"/> the
    /// implicit nonce part (4 for GCM/CCM, 12 for ChaCha20-Poly1305); for TLS 1.0 CBC it is the block size.
    /// </summary>
    public static KeyBlock KeyBlock(HashAlgorithmName hash, ReadOnlySpan<byte> masterSecret,
        ReadOnlySpan<byte> clientRandom, ReadOnlySpan<byte> serverRandom, int macKeyLength, int encKeyLength, int ivLength)
    {
        byte[] block = Prf(hash, masterSecret, "key expansion", Concat(serverRandom, clientRandom),
            2 * (macKeyLength + encKeyLength + ivLength));
        return KeySchedule.KeyBlock.Partition(block, macKeyLength, encKeyLength, ivLength);
    }

    /// <summary>
    /// Finished.verify_data = PRF(master_secret, "client finished" | "server finished",
    /// Hash(handshake_messages))[0..verify_data_length-1] (RFC 5246 §7.4.9; 12 bytes unless the suite says otherwise).
    /// </summary>
    public static byte[] FinishedVerifyData(HashAlgorithmName hash, ReadOnlySpan<byte> masterSecret, bool client,
        ReadOnlySpan<byte> handshakeHash, int length = 12)
        => Prf(hash, masterSecret, client ? "client finished" : "server finished", handshakeHash, length);

    /// <summary>
    /// Keying material exporter for TLS 1.0-1.2 (RFC 5705 §4): PRF(master_secret, label,
    /// client_random + server_random [+ context_length(2) + context]).
    /// </summary>
    public static byte[] Export(HashAlgorithmName hash, ReadOnlySpan<byte> masterSecret, string label,
        ReadOnlySpan<byte> clientRandom, ReadOnlySpan<byte> serverRandom, ReadOnlySpan<byte> context, bool hasContext, int length)
    {
        byte[] seed = Concat(clientRandom, serverRandom);
        if (hasContext)
        {
            if (context.Length > ushort.MaxValue) throw new ArgumentException("exporter context too long", nameof(context));
            byte[] withContext = new byte[seed.Length + 2 + context.Length];
            seed.CopyTo(withContext, 0);
            withContext[seed.Length] = (byte)(context.Length >> 8);
            withContext[seed.Length + 1] = (byte)context.Length;
            context.CopyTo(withContext.AsSpan(seed.Length + 2));
            seed = withContext;
        }
        return Prf(hash, masterSecret, label, seed, length);
    }

    private static void PHash(HashAlgorithmName hash, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> seed, Span<byte> output)
    {
        using var hmac = IncrementalHash.CreateHMAC(hash, secret);
        int n = hmac.HashLengthInBytes;
        Span<byte> a = stackalloc byte[n];
        Span<byte> block = stackalloc byte[n];
        hmac.AppendData(seed);
        hmac.GetHashAndReset(a); // A(1)
        while (!output.IsEmpty)
        {
            hmac.AppendData(a);
            hmac.AppendData(seed);
            hmac.GetHashAndReset(block);
            int take = Math.Min(n, output.Length);
            block[..take].CopyTo(output);
            output = output[take..];
            if (output.IsEmpty) break;
            hmac.AppendData(a);
            hmac.GetHashAndReset(a); // A(i+1)
        }
        CryptographicOperations.ZeroMemory(a);
        CryptographicOperations.ZeroMemory(block);
    }

    internal static byte[] Concat(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        byte[] r = new byte[a.Length + b.Length];
        a.CopyTo(r);
        b.CopyTo(r.AsSpan(a.Length));
        return r;
    }
}

/// <summary>The key block cut into its six parts (RFC 5246 §6.3). Dispose zeroes them.</summary>
internal sealed class KeyBlock : IDisposable
{
    private KeyBlock(byte[] clientMac, byte[] serverMac, byte[] clientKey, byte[] serverKey, byte[] clientIv, byte[] serverIv)
    {
        ClientMacKey = clientMac;
        ServerMacKey = serverMac;
        ClientKey = clientKey;
        ServerKey = serverKey;
        ClientIv = clientIv;
        ServerIv = serverIv;
    }

    /// <summary>client_write_MAC_key.</summary>
    public byte[] ClientMacKey { get; }
    /// <summary>server_write_MAC_key.</summary>
    public byte[] ServerMacKey { get; }
    /// <summary>client_write_key.</summary>
    public byte[] ClientKey { get; }
    /// <summary>server_write_key.</summary>
    public byte[] ServerKey { get; }
    /// <summary>client_write_IV (TLS 1.0 CBC IV, or the AEAD implicit nonce).</summary>
    public byte[] ClientIv { get; }
    /// <summary>server_write_IV.</summary>
    public byte[] ServerIv { get; }

    /// <summary>Cuts a key block (and zeroes the input).</summary>
    internal static KeyBlock Partition(byte[] block, int macKeyLength, int encKeyLength, int ivLength)
    {
        int offset = 0;
        byte[] Take(int n)
        {
            byte[] part = block.AsSpan(offset, n).ToArray();
            offset += n;
            return part;
        }

        var result = new KeyBlock(Take(macKeyLength), Take(macKeyLength), Take(encKeyLength), Take(encKeyLength),
            Take(ivLength), Take(ivLength));
        CryptographicOperations.ZeroMemory(block);
        return result;
    }

    /// <summary>Zeroes every part.</summary>
    public void Dispose()
    {
        foreach (byte[] part in new[] { ClientMacKey, ServerMacKey, ClientKey, ServerKey, ClientIv, ServerIv })
            CryptographicOperations.ZeroMemory(part);
    }
}
