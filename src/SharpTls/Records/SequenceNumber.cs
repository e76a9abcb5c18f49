using SharpTls.Wire;

namespace SharpTls.Records;

/// <summary>A record sequence number that refuses to wrap (RFC 5246 §6.1, RFC 8446 §5.3).</summary>
internal struct SequenceNumber
{
    private ulong _next;
    private bool _exhausted;

    public SequenceNumber(ulong start) => _next = start;

    public readonly ulong Value => _next;

    /// <summary>The number the next record uses, without advancing; refuses once 2^64-1 has been used.</summary>
    public readonly ulong Peek()
    {
        if (_exhausted)
            throw new TlsProtocolException(AlertDescription.InternalError, "record sequence number exhausted: it must not wrap (a new key is required)");
        return _next;
    }

    /// <summary>Returns the number of this record and advances; refuses once 2^64-1 has been used.</summary>
    public ulong Take()
    {
        if (_exhausted)
            throw new TlsProtocolException(AlertDescription.InternalError, "record sequence number exhausted: it must not wrap (a new key is required)");
        ulong n = _next;
        if (n == ulong.MaxValue) _exhausted = true;
        else _next = n + 1;
        return n;
    }
}
