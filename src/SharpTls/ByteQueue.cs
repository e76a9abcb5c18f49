using System.Buffers;

namespace SharpTls;

/// <summary>
/// Bytes waiting to be sent (or decrypted bytes waiting to be read): a pooled, growable
/// window with a consumed prefix. Empty buffers hand their array back to the pool so an idle
/// connection holds no buffer. Before an array goes back to the pool the queue zeroes what it used (decrypted data waits
/// here): the part written or handed out to a writer, not the whole rented array (which is up to twice as large).
/// </summary>
/// <remarks>
/// A queue of wire bytes (<c>wireBytes: true</c>, the records to send) zeroes only memory it handed to a writer that did
/// not advance over it (a record whose seal threw may have left plaintext there): what was advanced over is sealed
/// records, the bytes the peer and any observer of the wire see, so wiping them protects nothing (it was 1 MB of
/// memset per MB sent, bench/PROFILE.md).
/// </remarks>
internal sealed class ByteQueue(bool wireBytes = false) : IBufferWriter<byte>, IDisposable
{
    private byte[]? _buffer;
    // _offered: the end of what writers were handed; for wire bytes, of the last offer only (none: 0), [_end, _offered)
    // being memory handed out and not yet advanced over.
    private int _start, _end, _used, _offered;

    /// <summary>Makes room for <paramref name="size"/> more bytes at once (a caller that knows how much it will write).</summary>
    public void Reserve(int size)
    {
        if (wireBytes) WipeOffer();
        Ensure(size);
    }

    public int Length => _end - _start;

    public ReadOnlyMemory<byte> Memory => _buffer is null ? ReadOnlyMemory<byte>.Empty : _buffer.AsMemory(_start, _end - _start);

    public ReadOnlySpan<byte> Span => _buffer is null ? default : _buffer.AsSpan(_start, _end - _start);

    public void Write(ReadOnlySpan<byte> data)
    {
        data.CopyTo(GetSpan(data.Length));
        Advance(data.Length);
    }

    public void Consume(int count)
    {
        if ((uint)count > (uint)Length) throw new ArgumentOutOfRangeException(nameof(count));
        _start += count;
        if (_start == _end) Release();
    }

    /// <summary>Copies up to <paramref name="destination"/>.Length bytes out and consumes them.</summary>
    public int Take(Span<byte> destination)
    {
        int n = Math.Min(destination.Length, Length);
        Span[..n].CopyTo(destination);
        Consume(n);
        return n;
    }

    public void Advance(int count)
    {
        _end += count;
        if (_end > _used) _used = _end;
        if (wireBytes) WipeOffer();
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Offer(sizeHint);
        return _buffer!.AsMemory(_end);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Offer(sizeHint);
        return _buffer!.AsSpan(_end);
    }

    private void Offer(int sizeHint)
    {
        if (wireBytes) WipeOffer(); // an earlier offer nobody advanced over (before Ensure may copy or return the array)
        int size = Math.Max(sizeHint, 256);
        Ensure(size);
        _offered = wireBytes ? Math.Min(_buffer!.Length, _end + size) : Math.Max(_offered, _end + size);
    }

    /// <summary>Wire bytes: zeroes what the last offer handed out beyond what was advanced over.</summary>
    private void WipeOffer()
    {
        if (_buffer is not null && _offered > _end) _buffer.AsSpan(_end, _offered - _end).Clear();
        _offered = 0;
    }

    private void Ensure(int size)
    {
        if (_buffer is null)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(size, 4096));
            _start = _end = 0;
            return;
        }
        if (_buffer.Length - _end >= size) return;
        int length = Length;
        if (_buffer.Length - length >= size && _start > 0)
        {
            _buffer.AsSpan(_start, length).CopyTo(_buffer);
        }
        else
        {
            byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, length + size));
            _buffer.AsSpan(_start, length).CopyTo(bigger);
            ReturnBuffer();
            _buffer = bigger;
        }
        _start = 0;
        _end = length;
        _used = Math.Max(_used, length);
    }

    private void Release()
    {
        ReturnBuffer();
        _buffer = null;
        _start = _end = 0;
    }

    /// <summary>Hands the array back, zeroing what was written to it (a span beyond <see cref="_used"/> was never written);
    /// wire bytes: only an offer not advanced over.</summary>
    private void ReturnBuffer()
    {
        if (_buffer is null) return;
        // GetSpan hands out room past _end that a writer may fill and then not advance over (a seal that threw): zero
        // the larger of what was advanced over and what writers asked for, within the array.
        if (wireBytes) WipeOffer();
        else _buffer.AsSpan(0, Math.Min(_buffer.Length, Math.Max(_used, _offered))).Clear();
        ArrayPool<byte>.Shared.Return(_buffer);
        _used = 0;
        _offered = 0;
    }

    public void Dispose() => Release();
}
