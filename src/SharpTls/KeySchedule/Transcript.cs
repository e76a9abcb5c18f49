using System.Security.Cryptography;
using SharpTls.Crypto;

namespace SharpTls.KeySchedule;

/// <summary>
/// The running handshake transcript (RFC 8446 §4.4.1; RFC 5246 §7.4.9 handshake_messages).
/// <para>
/// Messages are added whole (with their 4-byte handshake header). Until the hash is known (the
/// ServerHello picks the suite) they are buffered; <see cref="SetHash"/> replays the buffer and, unless
/// the transcript was created to keep its messages, zeroes and drops it: from then on only the running
/// hash is held, which is all TLS 1.3 needs (HelloRetryRequest's message_hash, PSK binders through
/// <see cref="GetHashWith"/>, post-handshake authentication through the hash state). A TLS 1.2
/// CertificateVerify whose signature hash differs from the PRF's signs the messages themselves: such a
/// handshake asks for them (<c>keepMessages</c>) and calls <see cref="DropMessages"/> once it is signed or
/// verified. Hashing is incremental (<see cref="IncrementalHash"/>) and forks cheaply
/// (<see cref="GetCurrentHash()"/>, <see cref="Clone"/>).
/// <see cref="TlsHashes.Md5Sha1"/> keeps MD5 and SHA-1 side by side for TLS 1.0/1.1 and SSL 3.0.
/// </para>
/// </summary>
internal sealed class Transcript : IDisposable
{
    private IncrementalHash[]? _hashes;
    private byte[]? _messages;
    private int _messagesLength;
    private readonly bool _keepMessages;

    /// <summary>
    /// An empty transcript whose hash is not chosen yet: messages are buffered until <see cref="SetHash"/>,
    /// and kept after it only when <paramref name="keepMessages"/> is set.
    /// </summary>
    public Transcript(bool keepMessages = false)
    {
        _keepMessages = keepMessages;
        _messages = new byte[1024];
    }

    /// <summary>
    /// An empty transcript hashing with <paramref name="hash"/> from the start. It keeps no copy of the
    /// messages unless <paramref name="keepMessages"/> is set (then until <see cref="DropMessages"/>).
    /// </summary>
    public Transcript(HashAlgorithmName hash, bool keepMessages = false)
    {
        _keepMessages = keepMessages;
        if (keepMessages) _messages = new byte[1024];
        SetHash(hash);
    }

    /// <summary>Whether the hash has been chosen.</summary>
    public bool HasHash => _hashes is not null;

    /// <summary>The hash (valid once <see cref="HasHash"/>).</summary>
    public HashAlgorithmName Hash { get; private set; }

    /// <summary>The hash length in bytes (36 for MD5SHA1).</summary>
    public int HashLength => TlsHashes.Length(Hash);

    /// <summary>Whether the raw messages are still kept.</summary>
    public bool KeepsMessages => _messages is not null;

    /// <summary>The raw messages so far (only while <see cref="KeepsMessages"/>).</summary>
    public ReadOnlySpan<byte> Messages => _messages is null
        ? throw new InvalidOperationException("the transcript no longer keeps its messages")
        : _messages.AsSpan(0, _messagesLength);

    /// <summary>Appends one handshake message (header included).</summary>
    public void Add(ReadOnlySpan<byte> handshakeMessage)
    {
        if (_hashes is not null)
        {
            foreach (IncrementalHash h in _hashes) h.AppendData(handshakeMessage);
        }
        else if (_messages is null)
        {
            throw new InvalidOperationException("a transcript without a hash must keep its messages");
        }

        if (_messages is not null)
        {
            if (_messagesLength + handshakeMessage.Length > _messages.Length)
            {
                byte[] bigger = new byte[Math.Max(_messages.Length * 2, _messagesLength + handshakeMessage.Length)];
                _messages.AsSpan(0, _messagesLength).CopyTo(bigger);
                CryptographicOperations.ZeroMemory(_messages);
                _messages = bigger;
            }
            handshakeMessage.CopyTo(_messages.AsSpan(_messagesLength));
            _messagesLength += handshakeMessage.Length;
        }
    }

    /// <summary>
    /// Chooses the hash and hashes what was buffered. Choosing the same hash again is a no-op;
    /// a different one is a programming error.
    /// </summary>
    public void SetHash(HashAlgorithmName hash)
    {
        if (_hashes is not null)
        {
            if (hash != Hash) throw new InvalidOperationException($"transcript hash is already {Hash.Name}");
            return;
        }

        Hash = hash;
        _hashes = hash == TlsHashes.Md5Sha1
            ? [IncrementalHash.CreateHash(HashAlgorithmName.MD5), IncrementalHash.CreateHash(HashAlgorithmName.SHA1)]
            : [IncrementalHash.CreateHash(hash)];
        if (_messages is not null)
        {
            foreach (IncrementalHash h in _hashes) h.AppendData(_messages, 0, _messagesLength);
            if (!_keepMessages) DropMessages();
        }
    }

    /// <summary>Stops keeping the raw messages and zeroes them (once no TLS 1.2 CertificateVerify can need them).</summary>
    public void DropMessages()
    {
        if (_hashes is null) throw new InvalidOperationException("choose the hash before dropping the messages");
        if (_messages is not null) CryptographicOperations.ZeroMemory(_messages);
        _messages = null;
        _messagesLength = 0;
    }

    /// <summary>Transcript-Hash of the messages so far (MD5 || SHA-1 for MD5SHA1).</summary>
    public byte[] GetCurrentHash()
    {
        RequireHashes(); // before HashLength: a transcript without a hash says so, as it did
        byte[] output = new byte[HashLength];
        GetCurrentHash(output);
        return output;
    }

    /// <summary>The hash so far into <paramref name="destination"/> (at least <see cref="HashLength"/> bytes); returns its length.</summary>
    public int GetCurrentHash(Span<byte> destination)
    {
        IncrementalHash[] hashes = RequireHashes();
        int offset = 0;
        foreach (IncrementalHash h in hashes) offset += h.GetCurrentHash(destination[offset..]);
        return offset;
    }

    /// <summary>
    /// The hash of the transcript followed by <paramref name="extra"/>, without adding it (the
    /// PSK binder over a partial ClientHello, RFC 8446 §4.2.11.2).
    /// </summary>
    public byte[] GetHashWith(ReadOnlySpan<byte> extra)
    {
        IncrementalHash[] hashes = RequireHashes();
        byte[] output = new byte[HashLength];
        int offset = 0;
        foreach (IncrementalHash h in hashes)
        {
            using IncrementalHash fork = h.Clone();
            fork.AppendData(extra);
            offset += fork.GetHashAndReset(output.AsSpan(offset));
        }
        return output;
    }

    /// <summary>Independent copies of the running hashes (SSL 3.0 Finished and CertificateVerify hash extra pads into them).</summary>
    public IncrementalHash[] CloneHashes()
    {
        IncrementalHash[] hashes = RequireHashes();
        var copies = new IncrementalHash[hashes.Length];
        for (int i = 0; i < hashes.Length; i++) copies[i] = hashes[i].Clone();
        return copies;
    }

    /// <summary>An independent copy of the whole transcript.</summary>
    public Transcript Clone()
    {
        var copy = new Transcript(_keepMessages);
        if (_messages is null) copy._messages = null;
        else
        {
            copy._messages = (byte[])_messages.Clone();
            copy._messagesLength = _messagesLength;
        }
        if (_hashes is not null)
        {
            copy.Hash = Hash;
            copy._hashes = CloneHashes();
        }
        return copy;
    }

    /// <summary>
    /// The HelloRetryRequest rule (RFC 8446 §4.4.1): the transcript so far must be exactly
    /// ClientHello1; it is replaced by the synthetic message_hash message
    /// (254 || 00 00 Hash.length || Hash(ClientHello1)). The HelloRetryRequest is added after this.
    /// </summary>
    public void ReplaceWithMessageHash()
    {
        byte[] clientHello1Hash = GetCurrentHash();
        byte[] synthetic = MessageHash(clientHello1Hash);
        foreach (IncrementalHash h in RequireHashes()) h.Dispose();
        _hashes = null;
        bool keep = _messages is not null;
        if (keep) CryptographicOperations.ZeroMemory(_messages);
        _messages = keep ? new byte[1024] : null;
        _messagesLength = 0;
        SetHash(Hash);
        Add(synthetic);
    }

    /// <summary>
    /// A transcript that starts from message_hash(<paramref name="clientHello1Hash"/>), for a server
    /// that sent a HelloRetryRequest statelessly and recovers the hash from its cookie.
    /// </summary>
    public static Transcript FromClientHello1Hash(HashAlgorithmName hash, ReadOnlySpan<byte> clientHello1Hash)
    {
        if (clientHello1Hash.Length != TlsHashes.Length(hash))
            throw new ArgumentException("hash length does not match the hash algorithm", nameof(clientHello1Hash));
        var t = new Transcript(hash);
        t.Add(MessageHash(clientHello1Hash));
        return t;
    }

    /// <summary>The synthetic handshake message message_hash (type 254) around a ClientHello1 hash.</summary>
    public static byte[] MessageHash(ReadOnlySpan<byte> clientHello1Hash)
    {
        byte[] message = new byte[4 + clientHello1Hash.Length];
        message[0] = (byte)Wire.HandshakeType.MessageHash;
        message[3] = (byte)clientHello1Hash.Length;
        clientHello1Hash.CopyTo(message.AsSpan(4));
        return message;
    }

    private IncrementalHash[] RequireHashes()
        => _hashes ?? throw new InvalidOperationException("the transcript hash is not chosen yet");

    /// <summary>Releases the hashes and zeroes the kept messages.</summary>
    public void Dispose()
    {
        if (_hashes is not null)
        {
            foreach (IncrementalHash h in _hashes) h.Dispose();
        }
        if (_messages is not null) CryptographicOperations.ZeroMemory(_messages);
        _messages = null;
        _messagesLength = 0;
    }
}
