using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SharpTls.Crypto;

namespace SharpTls.Sessions;

/// <summary>
/// The keys that seal session tickets (the server's state, handed to the client to keep).
/// A ticket is <c>key_id(16) || nonce(12) || AES-256-GCM(state) || tag(16)</c>, with the key id
/// as associated data. The ring rotates: a new key seals after <see cref="RotationInterval"/>,
/// older keys still open tickets until <see cref="KeyLifetime"/>. Several servers that import
/// the same file resume each other's sessions.
/// </summary>
public sealed class TicketKeyRing : IDisposable
{
    private const int IdLength = 16, KeyLength = 32, NonceLength = 12, TagLength = 16;
    private const string FileHeader = "# sharptls ticket keys v1: created-unix-seconds key-id key";
    private readonly List<TicketKey> _keys = [];
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();

    public TicketKeyRing(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <summary>How long a key seals new tickets before a fresh one is made.</summary>
    public TimeSpan RotationInterval { get; init; } = TimeSpan.FromHours(12);

    /// <summary>How long a key still opens tickets after it was made.</summary>
    public TimeSpan KeyLifetime { get; init; } = TimeSpan.FromHours(36);

    /// <summary>Bytes a sealed ticket adds to its state.</summary>
    public const int Overhead = IdLength + NonceLength + TagLength;

    /// <summary>Seals <paramref name="state"/> under the current key.</summary>
    public byte[] Seal(ReadOnlySpan<byte> state) => Seal(state, RandomNumberGenerator.Fill);

    /// <summary>Seals <paramref name="state"/> under the current key with the nonce drawn from <paramref name="random"/>
    /// (a connection's crypto provider, so a replay with injected randomness gives the same ticket).</summary>
    internal byte[] Seal(ReadOnlySpan<byte> state, Action<Span<byte>> random)
    {
        byte[] ticket = new byte[Overhead + state.Length];
        random(ticket.AsSpan(IdLength, NonceLength));
        return SealInto(ticket, state);
    }

    /// <summary>Seals <paramref name="state"/> under the current key with the nonce drawn from <paramref name="random"/>'s
    /// <see cref="ICryptoProvider.Fill"/> (the TLS 1.3 server's tickets: a connection's provider, no delegate made per ticket).</summary>
    internal byte[] Seal(ReadOnlySpan<byte> state, ICryptoProvider random)
    {
        byte[] ticket = new byte[Overhead + state.Length];
        random.Fill(ticket.AsSpan(IdLength, NonceLength));
        return SealInto(ticket, state);
    }

    /// <summary>Completes a ticket whose nonce is drawn: the key id, the state sealed in place, the tag.</summary>
    private byte[] SealInto(byte[] ticket, ReadOnlySpan<byte> state)
    {
        var key = CurrentKey();
        key.Id.CopyTo(ticket, 0);
        var nonce = ticket.AsSpan(IdLength, NonceLength);
        var body = ticket.AsSpan(IdLength + NonceLength, state.Length);
        state.CopyTo(body);
        // One cipher per key, kept (it was a new AesGcm per ticket: ~12 µs and its native context each time).
        key.Cipher.Seal(nonce, body, ticket.AsSpan(IdLength + NonceLength + state.Length, TagLength), key.Id);
        return ticket;
    }

    /// <summary>Opens a ticket; null when it is malformed, forged, or its key has expired.</summary>
    public byte[]? Open(ReadOnlySpan<byte> ticket)
    {
        if (ticket.Length < Overhead) return null;
        var id = ticket[..IdLength];
        TicketKey? key;
        lock (_lock)
        {
            Expire();
            key = null;
            foreach (var k in _keys)
                if (k.Id.AsSpan().SequenceEqual(id)) key = k;
        }
        if (key is null) return null;
        int length = ticket.Length - Overhead;
        byte[] state = ticket.Slice(IdLength + NonceLength, length).ToArray();
        try
        {
            return key.Cipher.Open(ticket.Slice(IdLength, NonceLength), state, ticket[^TagLength..], id) ? state : null;
        }
        catch (ObjectDisposedException)
        {
            return null; // its key expired meanwhile
        }
    }

    /// <summary>Makes a new current key now (e.g. on an administrator's request).</summary>
    public void Rotate()
    {
        lock (_lock) AddKey(_time.GetUtcNow());
    }

    /// <summary>The number of keys held (current and still-valid older ones).</summary>
    public int Count { get { lock (_lock) return _keys.Count; } }

    /// <summary>Writes the keys to a file (mode 600) for other servers to import. The file is a secret.</summary>
    public void Export(string path)
    {
        var sb = new StringBuilder(FileHeader).Append('\n');
        lock (_lock)
        {
            CurrentKeyLocked();
            foreach (var k in _keys)
                sb.Append(CultureInfo.InvariantCulture, $"{k.Created.ToUnixTimeSeconds()} {Convert.ToHexStringLower(k.Id)} {Convert.ToHexStringLower(k.Key)}\n");
        }
        File.WriteAllText(path, "");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(path, sb.ToString());
    }

    /// <summary>Reads keys exported by <see cref="Export"/>, replacing this ring's keys.</summary>
    public void Import(string path)
    {
        var keys = new List<TicketKey>();
        int lineNo = 0;
        foreach (string raw in File.ReadAllLines(path))
        {
            lineNo++;
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 3 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long created))
                throw new FormatException($"{path}:{lineNo}: expected 'created key-id key'");
            byte[] id = Convert.FromHexString(parts[1]), key = Convert.FromHexString(parts[2]);
            if (id.Length != IdLength || key.Length != KeyLength)
                throw new FormatException($"{path}:{lineNo}: key id must be {IdLength} bytes and key {KeyLength} bytes");
            keys.Add(new TicketKey(id, key, DateTimeOffset.FromUnixTimeSeconds(created)));
        }
        lock (_lock)
        {
            DisposeKeys();
            _keys.AddRange(keys.OrderBy(k => k.Created));
        }
    }

    private TicketKey CurrentKey()
    {
        lock (_lock) return CurrentKeyLocked();
    }

    private TicketKey CurrentKeyLocked()
    {
        var now = _time.GetUtcNow();
        Expire();
        if (_keys.Count == 0 || now - _keys[^1].Created >= RotationInterval)
            AddKey(now);
        return _keys[^1];
    }

    private void AddKey(DateTimeOffset now)
    {
        byte[] id = new byte[IdLength], key = new byte[KeyLength];
        RandomNumberGenerator.Fill(id);
        RandomNumberGenerator.Fill(key);
        _keys.Add(new TicketKey(id, key, now));
    }

    private void Expire()
    {
        var now = _time.GetUtcNow();
        for (int i = _keys.Count - 1; i >= 0; i--)
        {
            if (now - _keys[i].Created > KeyLifetime)
            {
                _keys[i].Dispose();
                _keys.RemoveAt(i);
            }
        }
    }

    private void DisposeKeys()
    {
        foreach (var k in _keys) k.Dispose();
        _keys.Clear();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock) DisposeKeys();
    }

    private sealed record TicketKey(byte[] Id, byte[] Key, DateTimeOffset Created) : IDisposable
    {
        public Records.AeadCipher Cipher { get; } = new(Records.AeadAlgorithm.Aes256Gcm, Key);

        public void Dispose()
        {
            Cipher.Dispose();
            CryptographicOperations.ZeroMemory(Key);
        }
    }
}
