using System.Buffers.Binary;
using System.Security.Cryptography;
using SharpTls.Wire;

namespace SharpTls.Records;

/// <summary>
/// The record MAC of one direction, with a constant-work variant for MAC-then-encrypt CBC records
/// (the Lucky Thirteen countermeasure: whatever the real data length, the same number of hash
/// compression blocks is processed as for the longest data the record could hold).
/// </summary>
/// <remarks>
/// TLS (RFC 5246 §6.2.3.1): <c>HMAC_hash(MAC_write_key, seq_num + type + version + length + content)</c>.
/// SSL 3.0 (RFC 6101 §5.2.3.1):
/// <code>
/// hash(MAC_write_secret + pad_2 +
///      hash(MAC_write_secret + pad_1 + seq_num + SSLCompressed.type + SSLCompressed.length + SSLCompressed.fragment));
/// </code>
/// with pad_1 = 0x36 and pad_2 = 0x5c repeated 48 times for MD5, 40 times for SHA-1.
/// </remarks>
internal sealed class RecordMac : IDisposable
{
    private readonly IncrementalHash _mac;     // HMAC (TLS) or the inner hash (SSL 3.0)
    private readonly IncrementalHash? _outer;  // SSL 3.0 outer hash
    private readonly IncrementalHash _dummy;   // burns compression blocks for constant work
    private readonly byte[]? _ssl3Secret;
    private readonly int _ssl3PadLength;
    private readonly int _blockSize;
    private readonly int _blockShift;
    private readonly int _lengthFieldSize;
    private readonly int _prefixLength;        // bytes hashed before the content in the (inner) hash

    public RecordMac(MacAlgorithm algorithm, ReadOnlySpan<byte> key, bool ssl3)
    {
        var name = algorithm switch
        {
            MacAlgorithm.Md5 => HashAlgorithmName.MD5,
            MacAlgorithm.Sha1 => HashAlgorithmName.SHA1,
            MacAlgorithm.Sha256 => HashAlgorithmName.SHA256,
            _ => HashAlgorithmName.SHA384,
        };
        Length = algorithm switch { MacAlgorithm.Md5 => 16, MacAlgorithm.Sha1 => 20, MacAlgorithm.Sha256 => 32, _ => 48 };
        _blockSize = algorithm == MacAlgorithm.Sha384 ? 128 : 64;
        _blockShift = algorithm == MacAlgorithm.Sha384 ? 7 : 6;
        _lengthFieldSize = algorithm == MacAlgorithm.Sha384 ? 16 : 8;
        if (key.Length != Length)
            throw new ArgumentException($"{algorithm} MAC key must be {Length} bytes, got {key.Length}", nameof(key));
        _dummy = IncrementalHash.CreateHash(name);
        if (ssl3)
        {
            if (algorithm is not (MacAlgorithm.Md5 or MacAlgorithm.Sha1))
                throw new ArgumentException("SSL 3.0 MACs use MD5 or SHA-1", nameof(algorithm));
            _ssl3Secret = key.ToArray();
            _ssl3PadLength = algorithm == MacAlgorithm.Md5 ? 48 : 40;
            _mac = IncrementalHash.CreateHash(name);
            _outer = IncrementalHash.CreateHash(name);
            _prefixLength = Length + _ssl3PadLength + 11;
        }
        else
        {
            _mac = IncrementalHash.CreateHMAC(name, key);
            _prefixLength = _blockSize + 13;
        }
    }

    /// <summary>MAC length in bytes.</summary>
    public int Length { get; }

    /// <summary>Counts the hash calls and compression blocks (tests: the work must not follow a secret length). Null in production.</summary>
    internal HashWork? Work { get; set; }

    /// <summary>Computes the MAC of <paramref name="content"/> into <paramref name="mac"/> (Length bytes).</summary>
    public void Compute(ulong seq, ContentType type, ushort version, ReadOnlySpan<byte> content, Span<byte> mac)
    {
        Span<byte> header = stackalloc byte[13];
        if (_ssl3Secret is null)
        {
            CbcRecordProtection.WriteMacHeader(header, seq, type, version, content.Length);
            Append(_mac, header);
            Append(_mac, content);
            Finish(_mac, mac, _blockSize); // the HMAC's inner hash starts with the key block
            return;
        }
        // SSL 3.0: seq_num(8) type(1) length(2), no version.
        BinaryPrimitives.WriteUInt64BigEndian(header, seq);
        header[8] = (byte)type;
        BinaryPrimitives.WriteUInt16BigEndian(header[9..], (ushort)content.Length);
        Span<byte> pad = stackalloc byte[48];
        pad.Fill(0x36);
        Append(_mac, _ssl3Secret);
        Append(_mac, pad[.._ssl3PadLength]);
        Append(_mac, header[..11]);
        Append(_mac, content);
        Span<byte> inner = stackalloc byte[Length];
        Finish(_mac, inner, 0);
        pad.Fill(0x5c);
        Append(_outer!, _ssl3Secret);
        Append(_outer!, pad[.._ssl3PadLength]);
        Append(_outer!, inner);
        Finish(_outer!, mac, 0);
    }

    /// <summary>
    /// Computes the MAC of <c>record[..contentLength]</c>, where <paramref name="contentLength"/> is
    /// secret and at most <paramref name="maxContentLength"/> (public), then hashes as many extra
    /// blocks as the longest content would have cost, so the work does not depend on the secret length:
    /// the same number of calls into the hash (the extra blocks go in one call, from a zero buffer), and
    /// the same number of compression blocks in total (MAC plus dummy), whatever the padding was.
    /// </summary>
    public void ComputeConstantWork(ulong seq, ContentType type, ushort version, ReadOnlySpan<byte> record,
        int contentLength, int maxContentLength, Span<byte> mac)
    {
        Compute(seq, type, version, record[..contentLength], mac);
        // Blocks of the longest content, minus those of this one: one slice of a zero buffer, fed in a
        // number of calls that depends only on the public maximum.
        int maxBlocks = Blocks(maxContentLength);
        int extraBytes = (maxBlocks - Blocks(contentLength)) << _blockShift;
        int calls = ((maxBlocks << _blockShift) + Zeros.Length - 1) / Zeros.Length;
        for (int i = 0; i < calls; i++)
        {
            int take = Math.Min(extraBytes, Zeros.Length);
            Append(_dummy, Zeros.AsSpan(0, take));
            extraBytes -= take;
        }
        Span<byte> burn = stackalloc byte[64];
        Finish(_dummy, burn, 0);
    }

    /// <summary>Zeros the dummy hash reads (read-only; 32 KiB: one call covers any TLS record's MAC).</summary>
    private static readonly byte[] Zeros = new byte[32 * 1024];

    // Compression calls of the (inner) hash over prefix + content: message + 0x80 + length field, in blocks
    // (block sizes are powers of two: a shift, no data-dependent division).
    private int Blocks(int contentLength)
        => (_prefixLength + contentLength + 1 + _lengthFieldSize + _blockSize - 1) >> _blockShift;

    private void Append(IncrementalHash hash, ReadOnlySpan<byte> data)
    {
        hash.AppendData(data);
        Work?.Appended(hash, data.Length);
    }

    private void Finish(IncrementalHash hash, Span<byte> output, int prefixBytes)
    {
        hash.TryGetHashAndReset(output, out _);
        Work?.Finished(hash, prefixBytes, _blockSize, _lengthFieldSize);
    }

    public void Dispose()
    {
        if (_ssl3Secret is not null) CryptographicOperations.ZeroMemory(_ssl3Secret);
        _mac.Dispose();
        _outer?.Dispose();
        _dummy.Dispose();
    }
}

/// <summary>
/// What a <see cref="RecordMac"/> asked of its hashes: native calls (appends and finishes) and compression
/// blocks (for each finished hash: the bytes fed, plus the HMAC key block, padded; the HMAC's outer hash,
/// the same for every record, is not counted). A test hook: production leaves <see cref="RecordMac.Work"/> null.
/// </summary>
internal sealed class HashWork
{
    private readonly Dictionary<IncrementalHash, long> _pending = new(ReferenceEqualityComparer.Instance);

    public int Calls { get; private set; }
    public long Blocks { get; private set; }

    internal void Appended(IncrementalHash hash, int bytes)
    {
        Calls++;
        _pending[hash] = _pending.GetValueOrDefault(hash) + bytes;
    }

    internal void Finished(IncrementalHash hash, int prefixBytes, int blockSize, int lengthFieldSize)
    {
        Calls++;
        long bytes = prefixBytes + _pending.GetValueOrDefault(hash);
        _pending.Remove(hash);
        Blocks += (bytes + 1 + lengthFieldSize + blockSize - 1) / blockSize;
    }
}
