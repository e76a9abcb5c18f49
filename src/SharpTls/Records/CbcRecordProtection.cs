using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using SharpTls.Wire;

namespace SharpTls.Records;

/// <summary>The CBC block ciphers of record protection. RC4 is not offered: the BCL has no RC4.</summary>
internal enum CbcCipher
{
    /// <summary>AES-128-CBC.</summary>
    Aes128,
    /// <summary>AES-256-CBC.</summary>
    Aes256,
    /// <summary>3DES-EDE-CBC (24-byte key).</summary>
    TripleDes,
}

/// <summary>
/// CBC block-cipher record protection for SSL 3.0 to TLS 1.2: MAC-then-encrypt (RFC 5246 §6.2.3.2,
/// RFC 6101 §5.2.3.2) or encrypt-then-MAC (RFC 7366); the IV chained from the previous record in
/// SSL 3.0 / TLS 1.0, explicit per record from TLS 1.1 on; HMAC, or the SSL 3.0 MAC in SSL 3.0.
/// </summary>
/// <remarks>
/// RFC 5246 §6.2.3.2:
/// <code>
/// struct {
///     opaque IV[SecurityParameters.record_iv_length];
///     block-ciphered struct {
///         opaque content[TLSCompressed.length];
///         opaque MAC[SecurityParameters.mac_length];
///         uint8 padding[GenericBlockCipher.padding_length];
///         uint8 padding_length;
///     };
/// } GenericBlockCipher;
/// </code>
/// <para>No padding oracle: in MAC-then-encrypt, a record whose padding is wrong, whose MAC is
/// wrong, or both, fails with the same <c>bad_record_mac</c> and the same reason after the same
/// work: the padding is checked over a fixed 256-byte window with masks, the MAC is computed as if
/// the padding were empty when it is bad, the hash processes as many blocks as for the longest
/// possible content (<see cref="RecordMac.ComputeConstantWork"/>), the received MAC is extracted
/// with a constant-time rotation and compared with FixedTimeEquals. Only lengths that are public
/// (not a positive multiple of the block size, too short to hold IV + MAC + padding) fail early.</para>
/// <para>SSL 3.0 padding: up to block size - 1 bytes of any value (only padding_length is checked,
/// RFC 6101 §5.2.3.2). TLS padding: every padding byte equals padding_length.</para>
/// </remarks>
internal sealed class CbcRecordProtection : IRecordProtection
{
    private readonly SymmetricAlgorithm _cipher;
    private readonly RecordMac _mac;
    private readonly ushort _version;
    private readonly bool _ssl3;
    private readonly bool _explicitIv;
    private readonly bool _encryptThenMac;
    private readonly int _blockSize;
    private readonly byte[] _chainIv;
    private readonly Action<Span<byte>> _random;
    private SequenceNumber _seq;

    /// <summary>Creates the protection from the key block's values.</summary>
    /// <param name="version">SSL 3.0 (0x0300), TLS 1.0, 1.1 or 1.2: decides the MAC, padding and IV rules.</param>
    /// <param name="cipher">The block cipher.</param>
    /// <param name="mac">The MAC hash (MD5 or SHA-1 for SSL 3.0).</param>
    /// <param name="key">The write key (16, 32 or 24 bytes).</param>
    /// <param name="iv">The key block's write IV (SSL 3.0 / TLS 1.0; ignored from TLS 1.1 on, may be empty).</param>
    /// <param name="macKey">The MAC write key (as long as the MAC).</param>
    /// <param name="encryptThenMac">RFC 7366 encrypt_then_mac negotiated (not in SSL 3.0).</param>
    /// <param name="random">Fills explicit IVs (TLS 1.1+); defaults to <see cref="RandomNumberGenerator.Fill"/>.</param>
    public CbcRecordProtection(ProtocolVersion version, CbcCipher cipher, MacAlgorithm mac, ReadOnlySpan<byte> key,
        ReadOnlySpan<byte> iv, ReadOnlySpan<byte> macKey, bool encryptThenMac = false, Action<Span<byte>>? random = null)
        : this(version, cipher, mac, key, iv, macKey, encryptThenMac, random, 0) { }

    internal CbcRecordProtection(ProtocolVersion version, CbcCipher cipher, MacAlgorithm mac, ReadOnlySpan<byte> key,
        ReadOnlySpan<byte> iv, ReadOnlySpan<byte> macKey, bool encryptThenMac, Action<Span<byte>>? random, ulong initialSequence)
    {
        if (version is not (ProtocolVersion.Ssl3 or ProtocolVersion.Tls10 or ProtocolVersion.Tls11 or ProtocolVersion.Tls12))
            throw new ArgumentException($"CBC record protection is for SSL 3.0 to TLS 1.2, not {ProtocolVersions.Describe((ushort)version)}", nameof(version));
        _version = (ushort)version;
        _ssl3 = version == ProtocolVersion.Ssl3;
        _explicitIv = version >= ProtocolVersion.Tls11;
        if (_ssl3 && encryptThenMac)
            throw new ArgumentException("encrypt-then-MAC does not apply to SSL 3.0 (RFC 7366)", nameof(encryptThenMac));
        _encryptThenMac = encryptThenMac;
        int keyLength = cipher switch { CbcCipher.Aes128 => 16, CbcCipher.Aes256 => 32, _ => 24 };
        if (key.Length != keyLength)
            throw new ArgumentException($"{cipher} needs a {keyLength}-byte key, got {key.Length}", nameof(key));
        _cipher = cipher == CbcCipher.TripleDes ? TripleDES.Create() : Aes.Create();
        var keyCopy = key.ToArray();
        _cipher.Key = keyCopy;
        CryptographicOperations.ZeroMemory(keyCopy);
        _blockSize = _cipher.BlockSize / 8;
        _chainIv = new byte[_blockSize];
        if (!_explicitIv)
        {
            if (iv.Length != _blockSize)
                throw new ArgumentException($"{version} needs a {_blockSize}-byte IV, got {iv.Length}", nameof(iv));
            iv.CopyTo(_chainIv);
        }
        _mac = new RecordMac(mac, macKey, _ssl3);
        _random = random ?? RandomNumberGenerator.Fill;
        _seq = new SequenceNumber(initialSequence);
    }

    /// <inheritdoc/>
    public bool IsNull => false;

    /// <summary>SSL 3.0 and TLS 1.0: each record's IV is the last ciphertext block of the one before (what BEAST exploits).</summary>
    public bool ChainsIv => !_explicitIv;

    /// <inheritdoc/>
    public ulong SequenceNumber => _seq.Value;

    private int IvLength => _explicitIv ? _blockSize : 0;

    /// <inheritdoc/>
    public int MaxOverhead(int plaintextLength) => IvLength + _mac.Length + _blockSize;

    /// <inheritdoc/>
    public void Seal(ContentType type, ushort recordVersion, ReadOnlySpan<byte> plaintext, IBufferWriter<byte> output)
    {
        RecordLimits.CheckPlaintext(type, plaintext.Length);
        ulong seq = _seq.Take();
        int macLength = _mac.Length;
        int encrypted = _encryptThenMac ? plaintext.Length : plaintext.Length + macLength;
        int padding = _blockSize - 1 - encrypted % _blockSize; // padding bytes, padding_length byte excluded
        int bodyLength = encrypted + padding + 1;
        int length = IvLength + bodyLength + (_encryptThenMac ? macLength : 0);

        var dst = output.GetSpan(RecordLimits.HeaderLength + length);
        NullRecordProtection.WriteHeader(dst, type, recordVersion, length);
        var frag = dst.Slice(RecordLimits.HeaderLength, length);
        var body = frag.Slice(IvLength, bodyLength);
        plaintext.CopyTo(body);
        if (!_encryptThenMac)
            _mac.Compute(seq, type, recordVersion, plaintext, body.Slice(plaintext.Length, macLength));
        body[encrypted..].Fill((byte)padding);

        if (_explicitIv) _random(frag[..IvLength]);
        ReadOnlySpan<byte> iv = _explicitIv ? frag[..IvLength] : _chainIv;
        _cipher.EncryptCbc(body, iv, body, PaddingMode.None);
        if (!_explicitIv) body[^_blockSize..].CopyTo(_chainIv);

        if (_encryptThenMac)
            _mac.Compute(seq, type, recordVersion, frag[..(IvLength + bodyLength)], frag[(IvLength + bodyLength)..]);
        output.Advance(RecordLimits.HeaderLength + length);
    }

    /// <inheritdoc/>
    public Span<byte> Open(ContentType type, ushort recordVersion, Span<byte> fragment, out ContentType contentType)
    {
        if (fragment.Length > RecordLimits.MaxCiphertextLengthTls12)
            throw new TlsProtocolException(AlertDescription.RecordOverflow, $"TLSCiphertext.length {fragment.Length} exceeds 2^14+2048");
        ulong seq = _seq.Take();
        var plaintext = _encryptThenMac
            ? OpenEncryptThenMac(seq, type, recordVersion, fragment)
            : OpenMacThenEncrypt(seq, type, recordVersion, fragment);
        RecordLimits.CheckPlaintext(type, plaintext.Length);
        contentType = type;
        return plaintext;
    }

    private Span<byte> OpenMacThenEncrypt(ulong seq, ContentType type, ushort version, Span<byte> fragment)
    {
        int macLength = _mac.Length;
        int n = fragment.Length - IvLength;
        // Public facts only: a whole number of blocks, room for MAC + padding_length.
        if (n < macLength + 1 || n % _blockSize != 0 || n == 0)
            throw Tls13RecordProtection.BadRecordMac();
        var body = Decrypt(fragment, n);

        // From here on nothing branches on the padding or the MAC until the single verdict.
        int padLength = body[n - 1];
        int good = ConstantTime.LessOrEqual(padLength + 1 + macLength, n);
        if (_ssl3)
        {
            good &= ConstantTime.LessThan(padLength, _blockSize);
        }
        else
        {
            int window = Math.Min(256, n);
            int diff = 0;
            for (int i = 1; i <= window; i++)
            {
                int inPadding = ConstantTime.LessOrEqual(i, padLength + 1);
                diff |= inPadding & (body[n - i] ^ padLength);
            }
            good &= ConstantTime.IsZero(diff);
        }
        padLength &= good; // bad padding: MAC the record as if it had none
        int contentLength = n - padLength - 1 - macLength;
        int maxContentLength = n - 1 - macLength;

        Span<byte> expected = stackalloc byte[macLength];
        _mac.ComputeConstantWork(seq, type, version, body, contentLength, maxContentLength, expected);
        Span<byte> received = stackalloc byte[macLength];
        ExtractMac(body, contentLength, macLength, received);
        good &= CryptographicOperations.FixedTimeEquals(expected, received) ? -1 : 0;
        if (good == 0)
            throw Tls13RecordProtection.BadRecordMac();
        return body[..contentLength];
    }

    private Span<byte> OpenEncryptThenMac(ulong seq, ContentType type, ushort version, Span<byte> fragment)
    {
        int macLength = _mac.Length;
        int n = fragment.Length - IvLength - macLength;
        if (n < _blockSize || n % _blockSize != 0)
            throw Tls13RecordProtection.BadRecordMac();
        Span<byte> expected = stackalloc byte[macLength];
        _mac.Compute(seq, type, version, fragment[..^macLength], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, fragment[^macLength..]))
            throw Tls13RecordProtection.BadRecordMac();
        // Authenticated: the padding check may branch, there is no oracle left to protect.
        var body = Decrypt(fragment[..^macLength], n);
        int padLength = body[n - 1];
        if (padLength + 1 > n)
            throw Tls13RecordProtection.BadRecordMac();
        foreach (byte b in body.Slice(n - 1 - padLength, padLength))
            if (b != padLength)
                throw Tls13RecordProtection.BadRecordMac();
        return body[..(n - 1 - padLength)];
    }

    // Decrypts the n bytes after the explicit IV in place, keeping the chained IV for the next record.
    private Span<byte> Decrypt(Span<byte> fragment, int n)
    {
        var body = fragment.Slice(IvLength, n);
        if (_explicitIv)
        {
            _cipher.DecryptCbc(body, fragment[..IvLength], body, PaddingMode.None);
            return body;
        }
        Span<byte> next = stackalloc byte[_blockSize];
        body[^_blockSize..].CopyTo(next);
        _cipher.DecryptCbc(body, _chainIv, body, PaddingMode.None);
        next.CopyTo(_chainIv);
        return body;
    }

    // Copies body[macStart..macStart+macLength] without a memory access pattern that depends on the
    // secret macStart: scan a public window, collect the MAC rotated, then un-rotate with masks.
    private static void ExtractMac(ReadOnlySpan<byte> body, int macStart, int macLength, Span<byte> mac)
    {
        int n = body.Length;
        int scanStart = Math.Max(0, n - (macLength + 256));
        Span<byte> rotated = stackalloc byte[macLength];
        rotated.Clear();
        int macEnd = macStart + macLength;
        for (int j = scanStart, k = 0; j < n; j++)
        {
            int inMac = ConstantTime.LessOrEqual(macStart, j) & ConstantTime.LessThan(j, macEnd);
            rotated[k] |= (byte)(body[j] & inMac);
            if (++k == macLength) k = 0;
        }
        int rotation = (macStart - scanStart) % macLength;
        for (int i = 0; i < macLength; i++)
        {
            int index = i + rotation;
            index -= macLength & ConstantTime.LessOrEqual(macLength, index);
            byte b = 0;
            for (int k = 0; k < macLength; k++)
                b |= (byte)(rotated[k] & ConstantTime.Equal(k, index));
            mac[i] = b;
        }
    }

    /// <summary>seq_num(8) type(1) version(2) length(2): the MAC / AEAD additional-data prefix (RFC 5246 §6.2.3).</summary>
    internal static void WriteMacHeader(Span<byte> dst, ulong seq, ContentType type, ushort version, int length)
    {
        BinaryPrimitives.WriteUInt64BigEndian(dst, seq);
        dst[8] = (byte)type;
        BinaryPrimitives.WriteUInt16BigEndian(dst[9..], version);
        BinaryPrimitives.WriteUInt16BigEndian(dst[11..], (ushort)length);
    }

    /// <summary>Zeroes the chained IV and releases the keys.</summary>
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_chainIv);
        _cipher.Dispose();
        _mac.Dispose();
    }
}

/// <summary>Branch-free comparisons over small non-negative ints (below 2^30): -1 for true, 0 for false.</summary>
internal static class ConstantTime
{
    public static int LessThan(int a, int b) => (a - b) >> 31;

    public static int LessOrEqual(int a, int b) => ~((b - a) >> 31);

    public static int IsZero(int x) => ~((x | -x) >> 31);

    public static int Equal(int a, int b) => IsZero(a ^ b);
}
