using SharpTls.Wire;

namespace SharpTls.Messages;

/// <summary>How the key is exchanged in TLS 1.0-1.2; decides the ServerKeyExchange and ClientKeyExchange forms.</summary>
internal enum KeyExchangeKind
{
    /// <summary>Not known yet, or TLS 1.3 (where key exchange happens in the hellos).</summary>
    None,
    /// <summary>RSA key transport: no ServerKeyExchange; ClientKeyExchange carries the encrypted pre-master secret.</summary>
    Rsa,
    /// <summary>Ephemeral finite-field Diffie-Hellman, signed.</summary>
    Dhe,
    /// <summary>Ephemeral elliptic-curve Diffie-Hellman, signed.</summary>
    Ecdhe,
    /// <summary>Anonymous finite-field Diffie-Hellman (no signature).</summary>
    DhAnon,
    /// <summary>Anonymous elliptic-curve Diffie-Hellman (no signature).</summary>
    EcdhAnon,
}

/// <summary>
/// What a decoder must know beyond the bytes: the negotiated version (Certificate,
/// CertificateRequest, NewSessionTicket, CertificateVerify, ServerKeyExchange and
/// ClientKeyExchange change shape with it) and the key exchange of the cipher suite.
/// </summary>
internal sealed record MessageContext(ProtocolVersion? Version, KeyExchangeKind KeyExchange = KeyExchangeKind.None)
{
    /// <summary>Nothing negotiated yet (enough for ClientHello, ServerHello and the context-free messages).</summary>
    public static MessageContext None { get; } = new((ProtocolVersion?)null);

    /// <summary>TLS 1.3.</summary>
    public static MessageContext Tls13 { get; } = new(ProtocolVersion.Tls13);

    /// <summary>
    /// The context after a ServerHello that chose <paramref name="version"/> and <paramref name="cipherSuite"/>:
    /// the key exchange comes from the suite (<see cref="CipherSuites.Info(ushort)"/>); TLS 1.3 suites and
    /// unknown ones give <see cref="KeyExchangeKind.None"/>.
    /// </summary>
    public static MessageContext Negotiated(ProtocolVersion version, ushort cipherSuite)
        => new(version, version == ProtocolVersion.Tls13 ? KeyExchangeKind.None : KindOf(CipherSuites.Info(cipherSuite)?.KeyExchange));

    /// <summary>The ServerKeyExchange / ClientKeyExchange form of a suite's key exchange (None for PSK, SRP, static DH, ...).</summary>
    public static KeyExchangeKind KindOf(CipherSuiteKeyExchange? keyExchange) => keyExchange switch
    {
        CipherSuiteKeyExchange.Rsa => KeyExchangeKind.Rsa,
        CipherSuiteKeyExchange.DheRsa or CipherSuiteKeyExchange.DheDss => KeyExchangeKind.Dhe,
        CipherSuiteKeyExchange.EcdheRsa or CipherSuiteKeyExchange.EcdheEcdsa => KeyExchangeKind.Ecdhe,
        CipherSuiteKeyExchange.DhAnon => KeyExchangeKind.DhAnon,
        CipherSuiteKeyExchange.EcdhAnon => KeyExchangeKind.EcdhAnon,
        _ => KeyExchangeKind.None,
    };

    /// <summary>When set, a Finished whose verify_data has another length is a decode_error.</summary>
    public int? VerifyDataLength { get; init; }

    /// <summary>True for TLS 1.3.</summary>
    public bool IsTls13 => Version == ProtocolVersion.Tls13;

    /// <summary>True for TLS 1.2 and 1.3, where signatures name their SignatureScheme.</summary>
    public bool HasSignatureScheme => Version is ProtocolVersion.Tls12 or ProtocolVersion.Tls13;

    /// <summary>The negotiated version, or unexpected_message when a message needs it and none is known.</summary>
    internal ProtocolVersion RequireVersion(HandshakeType type)
        => Version ?? throw new TlsProtocolException(AlertDescription.UnexpectedMessage,
            $"{type}: cannot be decoded before a version is negotiated");
}
