using System.Security.Cryptography;

namespace SharpTls.KeySchedule;

/// <summary>
/// SSL 3.0 key derivation (RFC 6101 §6.1, §6.2.2, §5.6.9). The building block is
/// <code>
/// block_i = MD5(secret + SHA(prefix_i + secret + random1 + random2)),  prefix_i = 'A', 'BB', 'CCC', ...
/// master_secret = block_1..3 with (pre_master_secret; ClientHello.random, ServerHello.random)
/// key_block     = block_1..n with (master_secret; ServerHello.random, ClientHello.random)
/// Finished.md5_hash = MD5(master_secret + pad_2 + MD5(handshake_messages + Sender + master_secret + pad_1))
/// Finished.sha_hash = SHA(master_secret + pad_2 + SHA(handshake_messages + Sender + master_secret + pad_1))
/// </code>
/// pad_1 is 0x36 and pad_2 0x5c, repeated 48 times for MD5 and 40 times for SHA-1.
/// </summary>
internal static class Ssl3KeyDerivation
{
    /// <summary>Sender constant of the client: 0x434C4E54 ("CLNT").</summary>
    public static ReadOnlySpan<byte> ClientSender => [0x43, 0x4C, 0x4E, 0x54];

    /// <summary>Sender constant of the server: 0x53525652 ("SRVR").</summary>
    public static ReadOnlySpan<byte> ServerSender => [0x53, 0x52, 0x56, 0x52];

    /// <summary>master_secret (48 bytes) from the pre-master secret.</summary>
    public static byte[] MasterSecret(ReadOnlySpan<byte> preMasterSecret, ReadOnlySpan<byte> clientRandom, ReadOnlySpan<byte> serverRandom)
        => Expand(preMasterSecret, clientRandom, serverRandom, Tls12Prf.MasterSecretLength);

    /// <summary>The key block cut into MAC keys, keys and IVs (same layout as TLS).</summary>
    public static KeyBlock KeyBlock(ReadOnlySpan<byte> masterSecret, ReadOnlySpan<byte> clientRandom,
        ReadOnlySpan<byte> serverRandom, int macKeyLength, int encKeyLength, int ivLength)
    {
        byte[] block = Expand(masterSecret, serverRandom, clientRandom, 2 * (macKeyLength + encKeyLength + ivLength));
        return KeySchedule.KeyBlock.Partition(block, macKeyLength, encKeyLength, ivLength);
    }

    /// <summary>The 36-byte Finished body (md5_hash || sha_hash) for the given side.</summary>
    public static byte[] FinishedVerifyData(Transcript transcript, ReadOnlySpan<byte> masterSecret, bool client)
        => TranscriptMac(transcript, masterSecret, client ? ClientSender : ServerSender);

    /// <summary>
    /// The 36 bytes an SSL 3.0 CertificateVerify signs (RFC 6101 §5.6.8): the Finished
    /// construction without a Sender. For RSA all 36 bytes are signed; for DSA the last 20.
    /// </summary>
    public static byte[] CertificateVerifyHash(Transcript transcript, ReadOnlySpan<byte> masterSecret)
        => TranscriptMac(transcript, masterSecret, []);

    private static byte[] TranscriptMac(Transcript transcript, ReadOnlySpan<byte> masterSecret, ReadOnlySpan<byte> sender)
    {
        if (transcript.Hash != Crypto.TlsHashes.Md5Sha1)
            throw new InvalidOperationException("an SSL 3.0 transcript hashes with MD5SHA1");
        IncrementalHash[] inner = transcript.CloneHashes();
        byte[] output = new byte[36];
        try
        {
            MacPart(inner[0], HashAlgorithmName.MD5, 48, masterSecret, sender, output.AsSpan(0, 16));
            MacPart(inner[1], HashAlgorithmName.SHA1, 40, masterSecret, sender, output.AsSpan(16, 20));
        }
        finally
        {
            foreach (IncrementalHash h in inner) h.Dispose();
        }
        return output;
    }

    private static void MacPart(IncrementalHash inner, HashAlgorithmName name, int padLength,
        ReadOnlySpan<byte> masterSecret, ReadOnlySpan<byte> sender, Span<byte> output)
    {
        Span<byte> pad = stackalloc byte[padLength];
        Span<byte> innerHash = stackalloc byte[output.Length];
        pad.Fill(0x36);
        inner.AppendData(sender);
        inner.AppendData(masterSecret);
        inner.AppendData(pad);
        inner.GetHashAndReset(innerHash);

        using IncrementalHash outer = IncrementalHash.CreateHash(name);
        pad.Fill(0x5C);
        outer.AppendData(masterSecret);
        outer.AppendData(pad);
        outer.AppendData(innerHash);
        outer.GetHashAndReset(output);
    }

    private static byte[] Expand(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> random1, ReadOnlySpan<byte> random2, int length)
    {
        if (length > 26 * 16) throw new ArgumentOutOfRangeException(nameof(length), "SSL 3.0 derivation runs out of prefixes");
        byte[] output = new byte[length];
        Span<byte> prefix = stackalloc byte[26];
        Span<byte> sha = stackalloc byte[20];
        Span<byte> md5 = stackalloc byte[16];
        using IncrementalHash sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        using IncrementalHash md = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        for (int i = 0, offset = 0; offset < length; i++, offset += 16)
        {
            prefix[..(i + 1)].Fill((byte)('A' + i));
            sha1.AppendData(prefix[..(i + 1)]);
            sha1.AppendData(secret);
            sha1.AppendData(random1);
            sha1.AppendData(random2);
            sha1.GetHashAndReset(sha);
            md.AppendData(secret);
            md.AppendData(sha);
            md.GetHashAndReset(md5);
            md5[..Math.Min(16, length - offset)].CopyTo(output.AsSpan(offset));
        }
        CryptographicOperations.ZeroMemory(sha);
        CryptographicOperations.ZeroMemory(md5);
        return output;
    }
}
