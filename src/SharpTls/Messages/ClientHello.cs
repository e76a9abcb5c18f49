using SharpTls.Messages.Extensions;
using SharpTls.Wire;

namespace SharpTls.Messages;

/// <summary>
/// ClientHello (RFC 8446 §4.1.2; RFC 5246 §7.4.1.2; RFC 3546 §2.1 for the optional extensions).
/// <code>
/// struct {
///     ProtocolVersion legacy_version;              /* client_version before TLS 1.3 */
///     Random random;                               /* 32 bytes */
///     opaque legacy_session_id&lt;0..32&gt;;
///     CipherSuite cipher_suites&lt;2..2^16-2&gt;;
///     opaque legacy_compression_methods&lt;1..2^8-1&gt;;
///     Extension extensions&lt;0..2^16-1&gt;;          /* absent in SSL 3.0 style hellos */
/// } ClientHello;
/// </code>
/// </summary>
internal sealed class ClientHello : HandshakeMessage
{
    public override HandshakeType Type => HandshakeType.ClientHello;

    /// <summary>legacy_version (client_version): the highest version before TLS 1.3, 0x0303 with TLS 1.3.</summary>
    public ProtocolVersion LegacyVersion { get; init; } = ProtocolVersion.Tls12;

    /// <summary>The 32-byte client random.</summary>
    public byte[] Random { get; init; } = new byte[32];

    /// <summary>legacy_session_id (0..32 bytes).</summary>
    public byte[] SessionId { get; init; } = [];

    /// <summary>Cipher suites as wire values, in the client's order.</summary>
    public IReadOnlyList<ushort> CipherSuites { get; init; } = [];

    /// <summary>Compression methods (must contain null).</summary>
    public IReadOnlyList<CompressionMethod> CompressionMethods { get; init; } = [CompressionMethod.Null];

    /// <summary>Extensions, in order.</summary>
    public ExtensionList Extensions { get; init; } = [];

    /// <summary>True when the extensions field is absent (not merely empty); only possible with no extensions.</summary>
    public bool OmitExtensions { get; init; }

    /// <summary>
    /// The bytes the PSK binders are computed over (RFC 8446 §4.2.11.2): <see cref="HandshakeMessage.Raw"/> without
    /// the binders vector, which is the tail of the message since pre_shared_key comes last.
    /// </summary>
    public ReadOnlyMemory<byte> TruncatedForBinders()
    {
        var psk = Extensions.Find<PreSharedKeyExtension>() ?? throw new InvalidOperationException("no pre_shared_key extension");
        if (Raw.IsEmpty) throw new InvalidOperationException("encode or decode the ClientHello first");
        return Raw[..^psk.BindersLength];
    }

    protected override void WriteBody(TlsWriter w)
    {
        w.WriteUInt16((ushort)LegacyVersion);
        HelloFields.WriteRandom(w, Random);
        w.WriteVector(1, SessionId, 0, 32);
        WireLists.WriteUInt16s(w, CipherSuites, 2, 2, 0xFFFE);
        WireLists.WriteUInt8s(w, CompressionMethods, 1, 0xFF);
        if (!OmitExtensions || Extensions.Count > 0) Extensions.Write(w);
    }

    internal static ClientHello ReadBody(ref TlsReader r)
    {
        var version = (ProtocolVersion)r.ReadUInt16("client_version");
        var random = r.ReadBytes(32, "random").ToArray();
        var sessionId = r.ReadVector8("session_id", 0, 32).ToArray();
        var suites = WireLists.ReadUInt16s<ushort>(ref r, "cipher_suites", 2, 2, 0xFFFE);
        var compression = WireLists.ReadUInt8s<CompressionMethod>(ref r, "compression_methods", 1, 0xFF);
        bool omit = r.IsEmpty;
        var extensions = omit ? [] : ExtensionList.Read(ref r, ExtensionContext.ClientHello);
        return new ClientHello
        {
            LegacyVersion = version, Random = random, SessionId = sessionId, CipherSuites = suites,
            CompressionMethods = compression, Extensions = extensions, OmitExtensions = omit,
        };
    }
}

/// <summary>Fields shared by the two hellos.</summary>
internal static class HelloFields
{
    public static void WriteRandom(TlsWriter w, byte[] random)
    {
        if (random.Length != 32) throw new InvalidOperationException($"random must be 32 bytes, not {random.Length}");
        w.WriteBytes(random);
    }
}
