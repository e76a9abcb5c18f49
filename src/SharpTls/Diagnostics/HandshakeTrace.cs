using SharpTls.Wire;

namespace SharpTls.Diagnostics;

/// <summary>
/// Sees every handshake message and alert a connection sends or receives, after decryption,
/// so a trace can show what a network capture cannot (EncryptedExtensions, Certificate,
/// CertificateVerify, Finished). The dissector renders these entries.
/// </summary>
public interface IHandshakeTrace
{
    /// <summary>One handshake message (full bytes with the 4-byte header) or alert (2 bytes) or ChangeCipherSpec (1 byte).</summary>
    /// <param name="sent">True for what we sent, false for what we received.</param>
    /// <param name="contentType">Handshake, Alert or ChangeCipherSpec.</param>
    /// <param name="bytes">The message bytes.</param>
    /// <param name="encrypted">True when it travelled inside a protected record.</param>
    /// <param name="version">The negotiated version so far (decoding context), or null.</param>
    void OnMessage(bool sent, ContentType contentType, ReadOnlySpan<byte> bytes, bool encrypted, ProtocolVersion? version);
}

/// <summary>One traced message.</summary>
public sealed record TraceEntry(bool Sent, ContentType ContentType, byte[] Bytes, bool Encrypted, ProtocolVersion? Version);

/// <summary>Collects traced messages in order (for the `connect` probe and tests).</summary>
public sealed class HandshakeTraceCollector : IHandshakeTrace
{
    private readonly List<TraceEntry> _entries = [];

    /// <summary>The messages so far.</summary>
    public IReadOnlyList<TraceEntry> Entries { get { lock (_entries) return _entries.ToArray(); } }

    /// <inheritdoc />
    public void OnMessage(bool sent, ContentType contentType, ReadOnlySpan<byte> bytes, bool encrypted, ProtocolVersion? version)
    {
        lock (_entries) _entries.Add(new TraceEntry(sent, contentType, bytes.ToArray(), encrypted, version));
    }
}
