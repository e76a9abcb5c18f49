using System.Net;
using SharpTls.Wire;

namespace SharpTls;

/// <summary>What the server knows after parsing ClientHello, before it has chosen anything: the input of
/// the selection hook (where the HTTP.sys binding table plugs in).</summary>
/// <remarks>The lists read from the ClientHello's extensions are built when first read, not per handshake (allocation
/// per handshake, issue 11: a server without a hook never reads them).</remarks>
public sealed class ClientHelloInfo
{
    private IReadOnlyList<string>? _applicationProtocols;
    private IReadOnlyList<ushort>? _signatureSchemes, _groups;
    private IReadOnlyList<ClientHelloExtension>? _extensions;

    /// <summary>The parsed ClientHello the lazy lists are read from (set by the server).</summary>
    internal Messages.ClientHello? Hello { get; init; }

    /// <summary>The SNI host name (lower case), or null when the client sent none.</summary>
    public string? ServerName { get; init; }

    /// <summary>The local endpoint the connection arrived on, when the adapter knows it.</summary>
    public IPEndPoint? LocalEndPoint { get; init; }

    /// <summary>The remote endpoint, when known.</summary>
    public IPEndPoint? RemoteEndPoint { get; init; }

    /// <summary>ALPN protocols the client offered, in its order.</summary>
    public IReadOnlyList<string> ApplicationProtocols
    {
        get => _applicationProtocols ??= Hello?.Extensions.Find<Messages.Extensions.AlpnExtension>()?.Protocols
            .Select(p => System.Text.Encoding.ASCII.GetString(p)).ToArray() ?? [];
        init => _applicationProtocols = value;
    }

    /// <summary>Versions the client offered (supported_versions without GREASE, or legacy_version).</summary>
    public IReadOnlyList<ProtocolVersion> Versions { get; init; } = [];

    /// <summary>Cipher suites the client offered (wire values, GREASE included, in its order).</summary>
    public IReadOnlyList<ushort> CipherSuites { get; init; } = [];

    /// <summary>Signature schemes the client accepts (wire values).</summary>
    public IReadOnlyList<ushort> SignatureSchemes
    {
        get => _signatureSchemes ??= Hello?.Extensions.Find<Messages.Extensions.SignatureAlgorithmsExtension>()?.Schemes
            .Select(s => (ushort)s).ToArray() ?? [];
        init => _signatureSchemes = value;
    }

    /// <summary>Key-exchange groups the client supports (supported_groups, wire values).</summary>
    public IReadOnlyList<ushort> Groups
    {
        get => _groups ??= Hello?.Extensions.Find<Messages.Extensions.SupportedGroupsExtension>()?.Groups.Select(g => (ushort)g).ToArray() ?? [];
        init => _groups = value;
    }

    /// <summary>The legacy_session_id (a TLS 1.2 session to resume, or TLS 1.3 middlebox compatibility).</summary>
    public ReadOnlyMemory<byte> SessionId { get; init; }

    /// <summary>True when the client offered a pre-shared key (a TLS 1.3 ticket) or a TLS 1.2 session ticket.</summary>
    public bool PskOffered { get; init; }

    /// <summary>Every extension of the ClientHello in wire order, raw.</summary>
    public IReadOnlyList<ClientHelloExtension> Extensions
    {
        get => _extensions ??= Hello is { } hello ? Handshake.Server.ExpectClientHello.RawExtensions(hello) : [];
        init => _extensions = value;
    }
}

/// <summary>One extension of a ClientHello as it was on the wire.</summary>
/// <param name="Type">The extension type (a <see cref="ExtensionType"/> value, or one SharpTls does not know).</param>
/// <param name="Data">The extension_data bytes.</param>
public readonly record struct ClientHelloExtension(ushort Type, ReadOnlyMemory<byte> Data);
