using System.Buffers;
using SharpTls.Wire;

namespace SharpTls.Records;

/// <summary>
/// The record layer of one connection, as the engine sees it: deframes and opens incoming
/// records and dispatches their contents to the connection (handshake messages whole, alerts,
/// application data); seals outgoing bytes into records. Key changes go through
/// <see cref="ChangeReadProtection"/> / <see cref="ChangeWriteProtection"/>.
/// </summary>
internal sealed class RecordLayer : IDisposable
{
    private readonly RecordDeframer _deframer = new();
    private readonly HandshakeReassembler _reassembler = new();
    private readonly RecordWriter _writer = new();
    private IRecordProtection _read = new NullRecordProtection();
    private bool _allowCompatChangeCipherSpec;
    private int _consecutiveNonApplicationRecords;
    private bool _peerProtected;
    private bool _handshakeEncrypted;

    /// <summary>Caps non-data records in a row (KeyUpdate storms, alerts, CCS); handshake records count per whole message.</summary>
    private const int MaxConsecutiveNonApplicationRecords = 256;

    /// <summary>
    /// The most 0-RTT data a server that never accepts it skips (RFC 8446 §4.2.10 bounds the skipping by the
    /// max_early_data_size we would have allowed: we take one full record's worth, 2^14 bytes). Counted per skipped record
    /// as its fragment less the inner content type and a 16-byte tag; beyond it is unexpected_message.
    /// </summary>
    internal const int MaxSkippedEarlyData = 1 << 14;

    private enum EarlyDataSkip : byte { None, TrialDecrypt, AllProtected }

    private EarlyDataSkip _earlyData;
    private int _earlyDataSkipped;

    /// <summary>
    /// Server, after a ClientHello offering early_data we do not accept (RFC 8446 §4.2.10): with a regular ServerHello,
    /// records that fail to open under the client's handshake key are skipped until one opens (trial decryption); after a
    /// HelloRetryRequest, every protected record before the second ClientHello is. Both within <see cref="MaxSkippedEarlyData"/>.
    /// </summary>
    public void SkipEarlyData(bool afterHelloRetryRequest)
    {
        _earlyData = afterHelloRetryRequest ? EarlyDataSkip.AllProtected : EarlyDataSkip.TrialDecrypt;
        // Early data records are ciphertext (up to 2^14+256), though we still read in the clear after a HelloRetryRequest.
        if (afterHelloRetryRequest) _deframer.MaxFragmentLength = RecordLimits.MaxCiphertextLengthTls13;
    }

    /// <summary>RFC 8446 §5.5 limits on the records one key protects, both directions; null: none but the sequence number's.</summary>
    public KeyUsageLimits? Limits { get; set; }

    /// <summary>Records sealed under the current write key.</summary>
    public ulong WriteSequenceNumber => _writer.Protection.SequenceNumber;

    /// <summary>Records opened under the current read key.</summary>
    public ulong ReadSequenceNumber => _read.SequenceNumber;

    /// <summary>The version the handshake has settled on, for decoding context and traces.</summary>
    public ProtocolVersion? Version { get; set; }

    /// <summary>True after the first protected record has been read (TLS 1.3: the peer's keys are in force).</summary>
    public bool ReadEncrypted => !_read.IsNull;

    /// <summary>True once the write side is protected.</summary>
    public bool WriteEncrypted => !_writer.Protection.IsNull;

    /// <summary>Accepts an SSLv2-compatible ClientHello as the first record (server side).</summary>
    public bool AcceptSslv2ClientHello
    {
        get => _deframer.AcceptSslv2ClientHello;
        set => _deframer.AcceptSslv2ClientHello = value;
    }

    /// <summary>The client's 1/n-1 split of application data under SSL 3.0 / TLS 1.0 CBC (<see cref="RecordWriter.SplitChainedIvRecords"/>).</summary>
    public bool SplitChainedIvRecords
    {
        get => _writer.SplitChainedIvRecords;
        set => _writer.SplitChainedIvRecords = value;
    }

    /// <summary>legacy_record_version for outgoing records.</summary>
    public ushort RecordVersion
    {
        get => _writer.RecordVersion;
        set => _writer.RecordVersion = value;
    }

    /// <summary>TLS 1.3 middlebox compatibility: one plaintext ChangeCipherSpec (0x01) is ignored until the handshake ends.</summary>
    public bool AllowCompatChangeCipherSpec
    {
        get => _allowCompatChangeCipherSpec;
        set => _allowCompatChangeCipherSpec = value;
    }

    /// <summary>
    /// Feeds received bytes and dispatches every record that completes, until the connection stops reading
    /// (it waits for the host, its reader is behind, or it is over). Returns how many bytes were taken: the
    /// deframer holds at most one record, so while the connection is stopped the rest is left to the caller.
    /// </summary>
    public int Feed(ReadOnlySpan<byte> data, TlsConnection connection)
    {
        int taken = 0;
        bool reading = Drain(connection);
        while (!data.IsEmpty)
        {
            int n = _deframer.Feed(data);
            data = data[n..];
            taken += n;
            // Stopped: keep what fits (one record at most) for later. Reading: a full deframer always yields a record.
            if (!reading) break;
            reading = Drain(connection);
        }
        return taken;
    }

    /// <summary>True when received bytes wait in the deframer or handshake messages in the reassembler.</summary>
    /// <summary>The length of the deframer's rented buffer (for tests of the stalled-handshake rule).</summary>
    internal int HeldInputBufferLength => _deframer.HeldBufferLength;

    public bool HasBufferedInput => _deframer.BufferedCount > 0 || _reassembler.HasPartialData;

    /// <summary>Dispatches what is buffered: whole handshake messages held back, then complete records.
    /// False when the connection stopped reading.</summary>
    public bool Drain(TlsConnection connection)
    {
        if (connection.StopReading || !DeliverHandshakeMessages(connection)) return false;
        while (_deframer.TryRead(out var record))
        {
            Dispatch(record, connection);
            if (connection.StopReading) return false;
        }
        return true;
    }

    /// <summary>Hands every complete handshake message to the connection; false when it stopped reading.</summary>
    private bool DeliverHandshakeMessages(TlsConnection connection)
    {
        while (!connection.StopReading && _reassembler.TryGetMessage(out var message))
        {
            CountNonApplication();
            var type = message.Type;
            byte[] bytes = message.Bytes.ToArray();
            connection.Services.Trace?.OnMessage(false, ContentType.Handshake, bytes, _handshakeEncrypted, Version);
            connection.OnHandshakeMessage(type, bytes);
        }
        return !connection.StopReading;
    }

    private void Dispatch(TlsRecord record, TlsConnection connection)
    {
        if (record.IsSslv2ClientHello)
        {
            connection.OnSslv2ClientHello(record.Fragment);
            return;
        }
        bool encrypted = !_read.IsNull;
        Span<byte> plaintext = default;
        ContentType type = default;
        bool opened = false;
        if (_earlyData != EarlyDataSkip.None && record.Type == ContentType.ApplicationData)
        {
            if (_earlyData == EarlyDataSkip.AllProtected || !TryOpenAfterEarlyData(record, out plaintext, out type))
            {
                SkipEarlyDataRecord(record);
                return;
            }
            opened = true;
        }
        else if (_earlyData == EarlyDataSkip.AllProtected && record.Type == ContentType.Handshake)
        {
            // The second ClientHello: no early data may follow it (RFC 8446 §4.2.10).
            _earlyData = EarlyDataSkip.None;
            _deframer.MaxFragmentLength = RecordLimits.MaxPlaintextLength;
        }
        if (opened)
        {
            _peerProtected = true;
        }
        else if (record.Type == ContentType.ChangeCipherSpec && Version == ProtocolVersion.Tls13)
        {
            // TLS 1.3 never protects ChangeCipherSpec (RFC 8446 §5): it is the compatibility record.
            plaintext = record.Fragment;
            type = ContentType.ChangeCipherSpec;
            encrypted = false;
        }
        else
        {
            if (encrypted && Version == ProtocolVersion.Tls13 && record.Type != ContentType.ApplicationData)
            {
                // A peer that fails before it has keys of its own (a bad ServerHello or server flight) can only
                // send its alert in the clear: accept that until its first protected record (OpenSSL does too).
                if (record.Type != ContentType.Alert || _peerProtected)
                    throw new TlsProtocolException(AlertDescription.UnexpectedMessage, $"an unprotected {record.Type} record after the keys changed");
                plaintext = record.Fragment;
                type = ContentType.Alert;
                encrypted = false;
            }
            else
            {
                plaintext = _read.Open(record, out type);
                _peerProtected |= encrypted;
            }
        }
        // TLS 1.3 only: a TLS 1.2 peer has no KeyUpdate to stay within the limit, and its forgeries fail at the first record.
        if (encrypted && Limits is { } limits && Version == ProtocolVersion.Tls13 && _read.SequenceNumber > limits.Refuse)
            throw new TlsProtocolException(AlertDescription.UnexpectedMessage,
                $"the peer sent more than {limits.Refuse} records under one key without a KeyUpdate (RFC 8446 §5.5)");
        // RFC 6066 §4: once max_fragment_length is negotiated, neither side sends a larger fragment; a larger one is record_overflow.
        if (plaintext.Length > _maxInboundPlaintext)
            throw new TlsProtocolException(AlertDescription.RecordOverflow,
                $"a {type} record of {plaintext.Length} plaintext bytes exceeds the negotiated max_fragment_length of {_maxInboundPlaintext}");
        // Handshake records count per completed message (RFC 8446 §5.1 lets a message be cut into 1-byte records; its length is bounded).
        if (type is not (ContentType.ApplicationData or ContentType.Handshake)) CountNonApplication();
        // RFC 8446 §5.1: no record of another type inside a TLS 1.3 handshake message. TLS 1.2 lets application data
        // and alerts interleave (RFC 5246 §6.2.1: renegotiation runs beside data), but not ChangeCipherSpec.
        if (type != ContentType.Handshake && (Version is null or ProtocolVersion.Tls13 || type == ContentType.ChangeCipherSpec))
            _reassembler.CheckInterleaving(type);
        switch (type)
        {
            case ContentType.Handshake:
                if (plaintext.IsEmpty)
                    throw new TlsProtocolException(AlertDescription.UnexpectedMessage, "zero-length handshake fragment");
                _reassembler.Add(plaintext);
                _handshakeEncrypted = encrypted;
                DeliverHandshakeMessages(connection);
                break;
            case ContentType.Alert:
                connection.Services.Trace?.OnMessage(false, ContentType.Alert, plaintext, encrypted, Version);
                connection.OnAlert(plaintext);
                break;
            case ContentType.ChangeCipherSpec:
                connection.Services.Trace?.OnMessage(false, ContentType.ChangeCipherSpec, plaintext, encrypted, Version);
                connection.OnChangeCipherSpec(plaintext, encrypted);
                break;
            case ContentType.ApplicationData:
                _consecutiveNonApplicationRecords = 0;
                connection.OnApplicationData(plaintext);
                break;
            default:
                throw new TlsProtocolException(AlertDescription.UnexpectedMessage, $"record of content type {(byte)type}");
        }
    }

    /// <summary>Trial decryption of a record that may be skipped early data; true (and the plaintext) once one opens.</summary>
    private bool TryOpenAfterEarlyData(TlsRecord record, out Span<byte> plaintext, out ContentType type)
    {
        plaintext = default;
        type = default;
        if (_read.IsNull) return false;
        try
        {
            plaintext = _read.Open(record, out type);
        }
        catch (TlsProtocolException e) when (e.Alert == AlertDescription.BadRecordMac)
        {
            return false;
        }
        // The first record that opens starts the client's second flight: no more skipping.
        _earlyData = EarlyDataSkip.None;
        return true;
    }

    private void SkipEarlyDataRecord(TlsRecord record)
    {
        _earlyDataSkipped += Math.Max(0, record.Fragment.Length - 17);
        if (_earlyDataSkipped > MaxSkippedEarlyData)
            throw new TlsProtocolException(AlertDescription.UnexpectedMessage,
                $"more than {MaxSkippedEarlyData} bytes of early data we did not accept (RFC 8446 §4.2.10)");
    }

    private void CountNonApplication()
    {
        if (++_consecutiveNonApplicationRecords > MaxConsecutiveNonApplicationRecords)
            throw new TlsProtocolException(AlertDescription.UnexpectedMessage, $"more than {MaxConsecutiveNonApplicationRecords} non-application records in a row");
    }

    /// <summary>Queues a whole handshake message (coalesced with the next ones until a flush).</summary>
    public void QueueHandshake(ReadOnlySpan<byte> message, Diagnostics.IHandshakeTrace? trace)
    {
        if (OutgoingHandshakeFilter is { } filter)
        {
            foreach (byte[] altered in filter(message.ToArray()))
                QueueOne(altered, trace);
            return;
        }
        QueueOne(message, trace);
    }

    private void QueueOne(ReadOnlySpan<byte> message, Diagnostics.IHandshakeTrace? trace)
    {
        trace?.OnMessage(true, ContentType.Handshake, message, WriteEncrypted, Version);
        _writer.QueueHandshake(message);
    }

    /// <summary>Tests (message-sequence tables): replaces each outgoing handshake message by what this returns (none,
    /// another, the same twice) before it is protected, so that encrypted flights (a renegotiation) can be altered too.</summary>
    internal Func<byte[], IEnumerable<byte[]>>? OutgoingHandshakeFilter { get; set; }

    /// <summary>Writes records of one content type (queued handshake bytes go first).</summary>
    public void Write(ContentType type, ReadOnlySpan<byte> data, IBufferWriter<byte> output, Diagnostics.IHandshakeTrace? trace)
    {
        if (type != ContentType.ApplicationData)
            trace?.OnMessage(true, type, data, WriteEncrypted, Version);
        _writer.Write(type, data, output);
    }

    /// <summary>Writes the queued handshake messages as records.</summary>
    public void Flush(IBufferWriter<byte> output) => _writer.Flush(output);

    /// <summary>Installs new read keys. A handshake message may not span a key change (RFC 8446 §5.1).</summary>
    public void ChangeReadProtection(IRecordProtection next, HandshakeType lastMessage)
    {
        _reassembler.CheckRecordBoundary(lastMessage);
        var old = _read;
        _read = next;
        old.Dispose();
        // A protected record carries up to 2^14 bytes of plaintext plus its expansion (RFC 8446 §5.2, RFC 5246 §6.2.3).
        _deframer.MaxFragmentLength = next.IsNull ? RecordLimits.MaxPlaintextLength
            : RecordLimits.MaxCiphertextLength((ushort)(Version ?? ProtocolVersion.Tls12));
    }

    /// <summary>Installs new write keys (flush queued handshake bytes first).</summary>
    public void ChangeWriteProtection(IRecordProtection next, IBufferWriter<byte> output)
    {
        _writer.Flush(output);
        _writer.ChangeProtection(next);
    }

    private int _maxInboundPlaintext = RecordLimits.MaxPlaintextLength;

    /// <summary>The largest plaintext accepted per incoming record (2^14; smaller once max_fragment_length is negotiated).</summary>
    public int MaxInboundPlaintext
    {
        get => _maxInboundPlaintext;
        set
        {
            if (value is < 1 or > RecordLimits.MaxPlaintextLength) throw new ArgumentOutOfRangeException(nameof(value));
            _maxInboundPlaintext = value;
        }
    }

    /// <summary>Applies a negotiated max_fragment_length (RFC 6066 §4) to both directions, from the next record on.</summary>
    public void ApplyMaxFragmentLength(int bytes)
    {
        MaxFragmentLength = bytes;
        MaxInboundPlaintext = bytes;
    }

    /// <summary>The largest plaintext per outgoing record (max_fragment_length / record_size_limit).</summary>
    public int MaxFragmentLength
    {
        get => _writer.MaxFragmentLength;
        set => _writer.MaxFragmentLength = value;
    }

    /// <summary>Frees what both directions' protections can rebuild (their native cipher contexts) while the connection waits.</summary>
    public void ReleaseIdle()
    {
        _read.ReleaseIdle();
        _writer.Protection.ReleaseIdle();
    }

    /// <summary>The current protections (for tests).</summary>
    internal (IRecordProtection Read, IRecordProtection Write) ProtectionsForTests => (_read, _writer.Protection);

    public void Dispose()
    {
        _deframer.Dispose();
        _reassembler.Dispose();
        _writer.Dispose();
        _read.Dispose();
    }
}
