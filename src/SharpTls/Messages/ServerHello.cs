using SharpTls.Messages.Extensions;
using SharpTls.Wire;

namespace SharpTls.Messages;

/// <summary>
/// ServerHello (RFC 8446 §4.1.3; RFC 5246 §7.4.1.3), and HelloRetryRequest, which is a
/// ServerHello whose random is SHA-256("HelloRetryRequest") (<see cref="IsHelloRetryRequest"/>);
/// its extensions are decoded in the HelloRetryRequest context.
/// <code>
/// struct {
///     ProtocolVersion legacy_version;              /* server_version before TLS 1.3 */
///     Random random;
///     opaque legacy_session_id_echo&lt;0..32&gt;;
///     CipherSuite cipher_suite;
///     uint8 legacy_compression_method;
///     Extension extensions&lt;0..2^16-1&gt;;          /* may be absent before TLS 1.3 */
/// } ServerHello;
/// </code>
/// </summary>
internal sealed class ServerHello : HandshakeMessage
{
    private static readonly byte[] s_hrrRandom = Convert.FromHexString(
        "CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C");

    /// <summary>The random of a HelloRetryRequest (RFC 8446 §4.1.3).</summary>
    public static ReadOnlySpan<byte> HelloRetryRequestRandom => s_hrrRandom;

    public override HandshakeType Type => HandshakeType.ServerHello;

    /// <summary>legacy_version (server_version): the negotiated version before TLS 1.3, 0x0303 with it.</summary>
    public ProtocolVersion LegacyVersion { get; init; } = ProtocolVersion.Tls12;

    /// <summary>The 32-byte server random.</summary>
    public byte[] Random { get; init; } = new byte[32];

    /// <summary>session_id (echo) 0..32 bytes.</summary>
    public byte[] SessionId { get; init; } = [];

    /// <summary>The chosen cipher suite (wire value).</summary>
    public ushort CipherSuite { get; init; }

    public CompressionMethod CompressionMethod { get; init; } = CompressionMethod.Null;

    public ExtensionList Extensions { get; init; } = [];

    /// <summary>True when the extensions field is absent (not merely empty).</summary>
    public bool OmitExtensions { get; init; }

    /// <summary>True when this is a HelloRetryRequest.</summary>
    public bool IsHelloRetryRequest => Random.AsSpan().SequenceEqual(s_hrrRandom);

    /// <summary>supported_versions' selected_version if present, else legacy_version.</summary>
    public ProtocolVersion SelectedVersion => Extensions.Find<SupportedVersionsExtension>()?.Selected ?? LegacyVersion;

    /// <summary>A HelloRetryRequest: legacy_version 0x0303, the special random, the given fields.</summary>
    public static ServerHello HelloRetryRequest(byte[] sessionIdEcho, ushort cipherSuite, ExtensionList extensions) => new()
    {
        Random = s_hrrRandom.ToArray(), SessionId = sessionIdEcho, CipherSuite = cipherSuite, Extensions = extensions,
    };

    protected override void WriteBody(TlsWriter w)
    {
        w.WriteUInt16((ushort)LegacyVersion);
        HelloFields.WriteRandom(w, Random);
        w.WriteVector(1, SessionId, 0, 32);
        w.WriteUInt16(CipherSuite);
        w.WriteUInt8((byte)CompressionMethod);
        if (!OmitExtensions || Extensions.Count > 0) Extensions.Write(w);
    }

    internal static ServerHello ReadBody(ref TlsReader r)
    {
        var version = (ProtocolVersion)r.ReadUInt16("server_version");
        var random = r.ReadBytes(32, "random").ToArray();
        var sessionId = r.ReadVector8("session_id", 0, 32).ToArray();
        ushort suite = r.ReadUInt16("cipher_suite");
        var compression = (CompressionMethod)r.ReadUInt8("compression_method");
        bool omit = r.IsEmpty;
        var context = random.AsSpan().SequenceEqual(s_hrrRandom) ? ExtensionContext.HelloRetryRequest : ExtensionContext.ServerHello;
        var extensions = omit ? [] : ExtensionList.Read(ref r, context);
        return new ServerHello
        {
            LegacyVersion = version, Random = random, SessionId = sessionId, CipherSuite = suite,
            CompressionMethod = compression, Extensions = extensions, OmitExtensions = omit,
        };
    }
}
