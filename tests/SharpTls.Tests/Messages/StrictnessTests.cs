using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Wire;
using static SharpTls.Tests.Messages.MessageTestKit;
using Ctx = SharpTls.Messages.Extensions.ExtensionContext;

namespace SharpTls.Tests.Messages;

/// <summary>Each strictness rule of the codec, one failing input at a time, with the alert and the field named.</summary>
public class StrictnessTests
{
    private const AlertDescription Decode = AlertDescription.DecodeError;
    private const AlertDescription Illegal = AlertDescription.IllegalParameter;
    private const AlertDescription Unexpected = AlertDescription.UnexpectedMessage;

    private static readonly MessageContext Tls12 = new(ProtocolVersion.Tls12);

    /// <summary>A handshake message with the given type and body.</summary>
    private static byte[] Message(HandshakeType type, params byte[] body)
        => [(byte)type, (byte)(body.Length >> 16), (byte)(body.Length >> 8), (byte)body.Length, .. body];

    /// <summary>A ClientHello body from raw parts (each vector given with its length prefix).</summary>
    private static byte[] ClientHelloBody(byte[]? sessionId = null, byte[]? suites = null, byte[]? compression = null, byte[]? extensions = null)
        => [3, 3, .. new byte[32], .. sessionId ?? [0], .. suites ?? [0, 2, 0x13, 0x01], .. compression ?? [1, 0], .. extensions ?? []];

    private static void ClientHelloFails(AlertDescription alert, string field, byte[] body)
        => Fails(alert, () => HandshakeMessage.Decode(Message(HandshakeType.ClientHello, body)), field);

    [Fact]
    public void TheMinimalClientHelloDecodes()
        => Assert.Single(HandshakeMessage.Decode<ClientHello>(Message(HandshakeType.ClientHello, ClientHelloBody()), MessageContext.None).CipherSuites);

    [Fact]
    public void CipherSuitesBounds()
    {
        ClientHelloFails(Decode, "cipher_suites", ClientHelloBody(suites: [0, 0]));
        ClientHelloFails(Decode, "cipher_suites", ClientHelloBody(suites: [0, 3, 0x13, 0x01, 0x13]));
        ClientHelloFails(Decode, "cipher_suites", ClientHelloBody(suites: [0, 1, 0x13]));
    }

    [Fact]
    public void CompressionAndSessionIdBounds()
    {
        ClientHelloFails(Decode, "compression_methods", ClientHelloBody(compression: [0]));
        ClientHelloFails(Decode, "session_id", ClientHelloBody(sessionId: [33, .. new byte[33]]));
    }

    [Fact]
    public void TrailingAndMissingBytes()
    {
        ClientHelloFails(Decode, "trailing", ClientHelloBody(extensions: [0, 0, 0xAA]));
        ClientHelloFails(Decode, "extensions", ClientHelloBody(extensions: [0]));
        ClientHelloFails(Decode, "truncated", ClientHelloBody(extensions: [0, 5, 0, 0]));
        var ok = Message(HandshakeType.ClientHello, ClientHelloBody());
        Fails(Decode, () => HandshakeMessage.Decode(ok[..^1]), "Handshake.body");
        Fails(Decode, () => HandshakeMessage.Decode(ok.Append((byte)0).ToArray()), "Handshake");
        Fails(Decode, () => HandshakeMessage.Decode(new byte[] { 1, 0 }), "Handshake.body");
        Fails(Decode, () => HandshakeMessage.Decode(Array.Empty<byte>()), "msg_type");
        Fails(Decode, () => HandshakeMessage.Decode(Message(HandshakeType.ServerHelloDone, 0)), "ServerHelloDone");
        Fails(Decode, () => HandshakeMessage.Decode(Message(HandshakeType.ClientHello, [3, 3, 1, 2])), "random");
    }

    [Fact]
    public void DuplicateExtensionIsIllegalParameter()
    {
        byte[] twice = [0, 8, 0, 23, 0, 0, 0, 23, 0, 0];
        ClientHelloFails(Illegal, "duplicate extension extended_master_secret", ClientHelloBody(extensions: twice));
        Fails(Illegal, () => ReadExtensions([0, 8, 0x0A, 0x0A, 0, 0, 0x0A, 0x0A, 0, 0], Ctx.EncryptedExtensions), "duplicate");
    }

    [Fact]
    public void PreSharedKeyMustBeLastInClientHello()
    {
        var psk = new PreSharedKeyExtension { Identities = [new PskIdentity([1], 0)], Binders = [new byte[32]] };
        var w = new TlsWriter();
        new ExtensionList { psk, new ExtendedMasterSecretExtension() }.Write(w);
        ClientHelloFails(Illegal, "pre_shared_key", ClientHelloBody(extensions: w.ToArray()));
        // Last is fine; and in ServerHello there is no such rule.
        var ok = new TlsWriter();
        new ExtensionList { new ExtendedMasterSecretExtension(), psk }.Write(ok);
        HandshakeMessage.Decode(Message(HandshakeType.ClientHello, ClientHelloBody(extensions: ok.ToArray())));
    }

    [Fact]
    public void ServerNameBounds()
    {
        Fails(Decode, () => ReadExtensions(Block(ExtensionType.ServerName, 0, 0), Ctx.ClientHello), "server_name_list");
        Fails(Decode, () => ReadExtensions(Block(ExtensionType.ServerName, 0, 3, 0, 0, 0), Ctx.ClientHello), "host_name");
        Fails(Illegal, () => ReadExtensions(Block(ExtensionType.ServerName, 0, 8, 0, 0, 1, 0x61, 0, 0, 1, 0x62), Ctx.ClientHello), "name_type");
        Fails(Decode, () => ReadExtensions(Block(ExtensionType.ServerName, 0, 4, 0, 0, 1, 0x61, 0), Ctx.ClientHello), "server_name");
        Fails(Decode, () => ReadExtensions(Block(ExtensionType.ServerName, 1), Ctx.ServerHello), "server_name");
    }

    [Fact]
    public void Uint16ListsRejectOddAndEmpty()
    {
        Fails(Decode, () => ReadExtensions(Block(ExtensionType.SupportedGroups, 0, 0), Ctx.ClientHello), "named_group_list");
        Fails(Decode, () => ReadExtensions(Block(ExtensionType.SupportedGroups, 0, 3, 0, 29, 0), Ctx.ClientHello), "odd length");
        Fails(Decode, () => ReadExtensions(Block(ExtensionType.SignatureAlgorithms, 0, 1, 4), Ctx.ClientHello), "supported_signature_algorithms");
        Fails(Decode, () => ReadExtensions(Block(ExtensionType.SupportedVersions, 1, 3), Ctx.ClientHello), "versions");
        Fails(Decode, () => ReadExtensions(Block(ExtensionType.SupportedVersions, 3, 3, 4, 3), Ctx.ClientHello), "odd length");
        Fails(Decode, () => ReadExtensions(Block(ExtensionType.CompressCertificate, 0), Ctx.ClientHello), "algorithms");
        Fails(Decode, () => ReadExtensions(Block(ExtensionType.EcPointFormats, 0), Ctx.ClientHello), "ec_point_format_list");
        Fails(Decode, () => ReadExtensions(Block(ExtensionType.PskKeyExchangeModes, 0), Ctx.ClientHello), "ke_modes");
    }

    [Fact]
    public void AlpnBounds()
    {
        Fails(Decode, () => ReadExtensions(Block(ExtensionType.ApplicationLayerProtocolNegotiation, 0, 0), Ctx.ClientHello), "protocol_name_list");
        Fails(Decode, () => ReadExtensions(Block(ExtensionType.ApplicationLayerProtocolNegotiation, 0, 2, 0, 0), Ctx.ClientHello), "ProtocolName");
        var two = new AlpnExtension("h2", "http/1.1").EncodeData();
        ReadExtensions(Block(ExtensionType.ApplicationLayerProtocolNegotiation, two), Ctx.ClientHello);
        Fails(Decode, () => ReadExtensions(Block(ExtensionType.ApplicationLayerProtocolNegotiation, two), Ctx.EncryptedExtensions), "exactly one");
    }

    [Fact]
    public void KeyShareBounds()
    {
        Fails(Decode, () => ReadExtensions(Block(ExtensionType.KeyShare, 0, 4, 0, 29, 0, 0), Ctx.ClientHello), "key_exchange");
        Fails(Illegal, () => ReadExtensions(Block(ExtensionType.KeyShare, 0, 10, 0, 29, 0, 1, 9, 0, 29, 0, 1, 9), Ctx.ClientHello), "two shares");
        Fails(Decode, () => ReadExtensions(Block(ExtensionType.KeyShare, 0, 29, 0), Ctx.HelloRetryRequest), "trailing");
        Fails(Decode, () => ReadExtensions(Block(ExtensionType.KeyShare, 0, 29, 0, 0), Ctx.ServerHello), "key_exchange");
    }

    [Fact]
    public void PreSharedKeyBounds()
    {
        byte[] binder32 = [32, .. new byte[32]];
        byte[] binder31 = [31, .. new byte[31]];
        Fails(Decode, () => ReadExtensions(Block(ExtensionType.PreSharedKey, [0, 7, 0, 1, 9, 0, 0, 0, 0, 0, 33, .. binder32, 0xFF]), Ctx.ClientHello), "trailing");
        Fails(Decode, () => ReadExtensions(Block(ExtensionType.PreSharedKey, [0, 6, 0, 0, 0, 0, 0, 0, 0, 33, .. binder32]), Ctx.ClientHello), "identities");
        Fails(Decode, () => ReadExtensions(Block(ExtensionType.PreSharedKey, [0, 7, 0, 1, 9, 0, 0, 0, 0, 0, 32, .. binder31]), Ctx.ClientHello), "binders");
        Fails(Decode, () => ReadExtensions(Block(ExtensionType.PreSharedKey, [0, 7, 0, 1, 9, 0, 0, 0, 0, 0, 33, .. binder31, 0]), Ctx.ClientHello), "PskBinderEntry");
        Fails(Decode, () => ReadExtensions(Block(ExtensionType.PreSharedKey, [0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 33, .. binder32]), Ctx.ClientHello), "identity");
        Fails(Illegal, () => ReadExtensions(Block(ExtensionType.PreSharedKey, [0, 14, 0, 1, 9, 0, 0, 0, 0, 0, 1, 8, 0, 0, 0, 0, 0, 33, .. binder32]), Ctx.ClientHello), "binders");
    }

    [Fact]
    public void ExtensionBodiesMustBeExact()
    {
        Fails(Decode, () => ReadExtensions(Block(ExtensionType.ExtendedMasterSecret, 0), Ctx.ClientHello), "extended_master_secret");
        Fails(Decode, () => ReadExtensions(Block(ExtensionType.SupportedVersions, 3, 4, 0), Ctx.ServerHello), "supported_versions");
        Fails(Decode, () => ReadExtensions(Block(ExtensionType.RecordSizeLimit, 0x40), Ctx.ClientHello), "record_size_limit");
        Fails(Decode, () => ReadExtensions(Block(ExtensionType.RenegotiationInfo, 2, 1), Ctx.ClientHello), "renegotiated_connection");
        Fails(Decode, () => ReadExtensions(Block(ExtensionType.Cookie, 0, 0), Ctx.HelloRetryRequest), "cookie");
        Fails(Decode, () => ReadExtensions(Block(ExtensionType.EarlyData, 0, 0, 0), Ctx.NewSessionTicket), "max_early_data_size");
        Fails(Decode, () => ReadExtensions(Block(ExtensionType.EarlyData, 0), Ctx.EncryptedExtensions), "early_data");
        Fails(Decode, () => ReadExtensions(Block(ExtensionType.Padding, 0, 1), Ctx.ClientHello), "padding");
        Fails(Decode, () => ReadExtensions(Block(ExtensionType.SessionTicket, 1), Ctx.ServerHello), "session_ticket");
        Fails(Decode, () => ReadExtensions(Block(ExtensionType.CertificateAuthorities, 0, 2, 0, 0), Ctx.ClientHello), "authorities");
        Fails(Decode, () => ReadExtensions(Block(ExtensionType.OidFilters, 0, 3, 0, 0, 0), Ctx.CertificateRequest), "certificate_extension_oid");
        Fails(Decode, () => ReadExtensions(Block(ExtensionType.SignedCertificateTimestamp, 0, 0), Ctx.ServerHello), "sct_list");
        Fails(Decode, () => ReadExtensions(Block(ExtensionType.SignedCertificateTimestamp, 1), Ctx.ClientHello), "signed_certificate_timestamp");
        Fails(Decode, () => ReadExtensions(Block(ExtensionType.StatusRequest, 1, 0, 0), Ctx.ClientHello), "request_extensions");
        Fails(Decode, () => ReadExtensions(Block(ExtensionType.StatusRequest, 1, 0, 0, 0), Ctx.Certificate), "OCSPResponse");
        Fails(Illegal, () => ReadExtensions(Block(ExtensionType.StatusRequest, 2, 0, 0, 1, 0), Ctx.Certificate), "status_type");
    }

    [Fact]
    public void RegistryValuesTheRfcsForbid()
    {
        Fails(Illegal, () => ReadExtensions(Block(ExtensionType.RecordSizeLimit, 0, 63), Ctx.ClientHello), "record_size_limit");
        Fails(Illegal, () => ReadExtensions(Block(ExtensionType.MaxFragmentLength, 5), Ctx.ClientHello), "max_fragment_length");
        Fails(Illegal, () => ReadExtensions(Block(ExtensionType.MaxFragmentLength, 0), Ctx.ClientHello), "max_fragment_length");
        Fails(Illegal, () => ReadExtensions(Block(ExtensionType.Heartbeat, 3), Ctx.ClientHello), "heartbeat.mode");
        Fails(Illegal, () => HandshakeMessage.Decode(Message(HandshakeType.KeyUpdate, 2)), "request_update");
        Fails(Decode, () => HandshakeMessage.Decode(Message(HandshakeType.KeyUpdate)), "request_update");
        Fails(Illegal, () => HandshakeMessage.Decode(Message(HandshakeType.CertificateStatus, 2, 0, 0, 1, 0)), "status_type");
        Fails(Decode, () => HandshakeMessage.Decode(Message(HandshakeType.CertificateStatus, 1, 0, 0, 0)), "OCSPResponse");
    }

    [Fact]
    public void UnknownOrMisplacedMessageTypesAreUnexpected()
    {
        Fails(Unexpected, () => HandshakeMessage.Decode(Message((HandshakeType)99)), "msg_type");
        Fails(Unexpected, () => HandshakeMessage.Decode(Message(HandshakeType.HelloVerifyRequest, 3, 3, 0)), "msg_type");
        Fails(Unexpected, () => HandshakeMessage.Decode<ServerHello>(Message(HandshakeType.ServerHelloDone), MessageContext.None), "expected ServerHello");
        Fails(Unexpected, () => HandshakeMessage.Decode(Message(HandshakeType.Certificate, 0, 0, 0)), "version");
        Fails(Unexpected, () => HandshakeMessage.Decode(Message(HandshakeType.ServerKeyExchange, 3, 0, 29, 1, 4), new MessageContext(ProtocolVersion.Tls12, KeyExchangeKind.Rsa)), "ServerKeyExchange");
        Fails(Unexpected, () => HandshakeMessage.Decode(Message(HandshakeType.ClientKeyExchange, 1, 4), Tls12), "ClientKeyExchange");
    }

    [Fact]
    public void KeyExchangeMessageBounds()
    {
        var ecdhe = new MessageContext(ProtocolVersion.Tls12, KeyExchangeKind.Ecdhe);
        Fails(Illegal, () => HandshakeMessage.Decode(Message(HandshakeType.ServerKeyExchange, 1, 0, 29, 1, 4, 4, 1, 0, 0), ecdhe), "curve_type");
        Fails(Decode, () => HandshakeMessage.Decode(Message(HandshakeType.ServerKeyExchange, 3, 0, 29, 0, 4, 1, 0, 0), ecdhe), "point");
        Fails(Decode, () => HandshakeMessage.Decode(Message(HandshakeType.ServerKeyExchange, 3, 0, 29, 1, 4, 4, 1, 0, 1), ecdhe), "signature");
        Fails(Decode, () => HandshakeMessage.Decode(Message(HandshakeType.ServerKeyExchange, 3, 0, 29, 1, 4), ecdhe), "algorithm");
        var dhe = new MessageContext(ProtocolVersion.Tls10, KeyExchangeKind.Dhe);
        Fails(Decode, () => HandshakeMessage.Decode(Message(HandshakeType.ServerKeyExchange, 0, 0, 0, 1, 2, 0, 1, 5, 0, 0), dhe), "dh_p");
        Fails(Decode, () => HandshakeMessage.Decode(Message(HandshakeType.ClientKeyExchange, 0), ecdhe), "ecdh_Yc");
        Fails(Decode, () => HandshakeMessage.Decode(Message(HandshakeType.ClientKeyExchange, 0, 0), dhe), "dh_Yc");
        Fails(Decode, () => HandshakeMessage.Decode(Message(HandshakeType.ClientKeyExchange, 0, 3, 1, 2), new MessageContext(ProtocolVersion.Tls12, KeyExchangeKind.Rsa)), "EncryptedPreMasterSecret");
    }

    [Fact]
    public void CertificateAndRequestBounds()
    {
        Fails(Decode, () => HandshakeMessage.Decode(Message(HandshakeType.Certificate, 0, 0, 3, 0, 0, 0), Tls12), "ASN.1Cert");
        Fails(Decode, () => HandshakeMessage.Decode(Message(HandshakeType.Certificate, 0, 0, 0, 4, 0, 0, 1, 7), MessageContext.Tls13), "extensions");
        Fails(Decode, () => HandshakeMessage.Decode(Message(HandshakeType.CertificateRequest, 0, 0, 0), Tls12), "certificate_types");
        Fails(Decode, () => HandshakeMessage.Decode(Message(HandshakeType.CertificateRequest, 1, 1, 0, 0, 0, 0), Tls12), "supported_signature_algorithms");
        Fails(Decode, () => HandshakeMessage.Decode(Message(HandshakeType.CertificateRequest, 1, 1, 0, 2, 0, 0), new MessageContext(ProtocolVersion.Tls11)), "DistinguishedName");
        Fails(Decode, () => HandshakeMessage.Decode(Message(HandshakeType.CertificateRequest, 0, 0, 0), MessageContext.Tls13), "extensions");
        Fails(AlertDescription.MissingExtension, () => HandshakeMessage.Decode(Message(HandshakeType.CertificateRequest, 0, 0, 4, 0x77, 0x77, 0, 0), MessageContext.Tls13), "signature_algorithms");
        Fails(Illegal, () => HandshakeMessage.Decode(Message(HandshakeType.CertificateRequest, 0, 0, 4, 0, 49, 0, 0), MessageContext.Tls13), "post_handshake_auth");
        Fails(Illegal, () => HandshakeMessage.Decode(Message(HandshakeType.CertificateRequest, 0, 0, 4, 0, 41, 0, 0), MessageContext.Tls13), "pre_shared_key");
    }

    [Fact]
    public void TicketsFinishedAndVerify()
    {
        Fails(Decode, () => HandshakeMessage.Decode(Message(HandshakeType.NewSessionTicket, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0), MessageContext.Tls13), "ticket");
        Fails(Decode, () => HandshakeMessage.Decode(Message(HandshakeType.NewSessionTicket, 0, 0, 0, 1, 0), Tls12), "ticket");
        Fails(Decode, () => HandshakeMessage.Decode(Message(HandshakeType.NewSessionTicket, 0, 0, 1), Tls12), "ticket_lifetime_hint");
        Fails(Decode, () => HandshakeMessage.Decode(Message(HandshakeType.Finished, new byte[11]), Tls12 with { VerifyDataLength = 12 }), "verify_data");
        Fails(Decode, () => HandshakeMessage.Decode(Message(HandshakeType.Finished)), "verify_data");
        Fails(Decode, () => HandshakeMessage.Decode(Message(HandshakeType.CertificateVerify, 4, 3, 0, 1), Tls12), "signature");
    }

    [Fact]
    public void AlertAndChangeCipherSpecRecords()
    {
        Fails(Decode, () => AlertMessage.Decode([2]), "Alert.description");
        Fails(Decode, () => AlertMessage.Decode([2, 40, 0]), "Alert");
        Fails(Illegal, () => AlertMessage.Decode([3, 40]), "Alert.level");
        Fails(Unexpected, () => ChangeCipherSpecMessage.Decode([2]), "ChangeCipherSpec");
        Fails(Unexpected, () => ChangeCipherSpecMessage.Decode([1, 1]), "ChangeCipherSpec");
        Fails(Unexpected, () => ChangeCipherSpecMessage.Decode([]), "ChangeCipherSpec");
    }
}
