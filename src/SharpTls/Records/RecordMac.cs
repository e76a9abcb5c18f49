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

    /// <summary>Computes the MAC of <paramref name="content"/> into <paramref name="mac"/> (Length bytes).</summary>
    public void Compute(ulong seq, ContentType type, ushort version, ReadOnlySpan<byte> content, Span<byte> mac)
    {
        Span<byte> header = stackalloc byte[13];
        if (_ssl3Secret is null)
        {
            CbcRecordProtection.WriteMacHeader(header, seq, type, version, content.Length);
            _mac.AppendData(header);
            _mac.AppendData(content);
            _mac.TryGetHashAndReset(mac, out _);
            return;
        }
        // SSL 3.0: seq_num(8) type(1) length(2), no version.
        BinaryPrimitives.WriteUInt64BigEndian(header, seq);
        header[8] = (byte)type;
        BinaryPrimitives.WriteUInt16BigEndian(header[9..], (ushort)content.Length);
        Span<byte> pad = stackalloc byte[48];
        pad.Fill(0x36);
        _mac.AppendData(_ssl3Secret);
        _mac.AppendData(pad[.._ssl3PadLength]);
        _mac.AppendData(header[..11]);
        _mac.AppendData(content);
        Span<byte> inner = stackalloc byte[Length];
        _mac.TryGetHashAndReset(inner, out _);
        pad.Fill(0x5c);
        _outer!.AppendData(_ssl3Secret);
        _outer.AppendData(pad[.._ssl3PadLength]);
        _outer.AppendData(inner);
        _outer.TryGetHashAndReset(mac, out _);
    }

    /// <summary>
    /// Computes the MAC of <c>record[..contentLength]</c>, where <paramref name="contentLength"/> is
    /// secret and at most <paramref name="maxContentLength"/> (public), then hashes as many extra
    /// blocks as the longest content would have cost, so the work does not depend on the secret length.
    /// </summary>
    public void ComputeConstantWork(ulong seq, ContentType type, ushort version, ReadOnlySpan<byte> record,
        int contentLength, int maxContentLength, Span<byte> mac)
    {
        Compute(seq, type, version, record[..contentLength], mac);
        int extra = Blocks(maxContentLength) - Blocks(contentLength);
        Span<byte> burn = stackalloc byte[128];
        var block = burn[.._blockSize];
        for (int i = 0; i < extra; i++) _dummy.AppendData(block);
        _dummy.TryGetHashAndReset(burn, out _);
    }

    // Compression calls of the (inner) hash over prefix + content: message + 0x80 + length field, in blocks.
    private int Blocks(int contentLength)
        => (_prefixLength + contentLength + 1 + _lengthFieldSize + _blockSize - 1) / _blockSize;

    public void Dispose()
    {
        if (_ssl3Secret is not null) CryptographicOperations.ZeroMemory(_ssl3Secret);
        _mac.Dispose();
        _outer?.Dispose();
        _dummy.Dispose();
    }
}
