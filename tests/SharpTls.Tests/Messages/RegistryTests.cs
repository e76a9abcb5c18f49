using SharpTls.Wire;

namespace SharpTls.Tests.Messages;

public class RegistryTests
{
    [Theory]
    [InlineData(0, "server_name", "server_name")]
    [InlineData(10, "supported_groups", "elliptic_curves")]
    [InlineData(35, "session_ticket", "SessionTicket TLS")]
    [InlineData(65281, "renegotiation_info", "renegotiation_info")]
    [InlineData(0x2A2A, "Reserved (GREASE)", "Reserved (GREASE)")]
    [InlineData(0x1234, "Unknown (0x1234)", "Unknown (0x1234)")]
    public void ExtensionTypeNames(int value, string name, string legacy)
    {
        Assert.Equal(name, ExtensionTypes.Name((ushort)value));
        Assert.Equal(legacy, ExtensionTypes.LegacyName((ushort)value));
    }

    [Theory]
    [InlineData(23, "secp256r1")]
    [InlineData(24, "secp384r1")]
    [InlineData(25, "secp521r1")]
    [InlineData(29, "x25519")]
    [InlineData(30, "x448")]
    [InlineData(256, "ffdhe2048")]
    [InlineData(260, "ffdhe8192")]
    [InlineData(0x11EC, "X25519MLKEM768")]
    [InlineData(0x11EB, "SecP256r1MLKEM768")]
    [InlineData(0xFAFA, "Reserved (GREASE)")]
    [InlineData(0x0042, "Unknown (0x0042)")]
    public void NamedGroupNames(int value, string name) => Assert.Equal(name, NamedGroups.Name((ushort)value));

    [Theory]
    [InlineData(0x0401, "rsa_pkcs1_sha256")]
    [InlineData(0x0403, "ecdsa_secp256r1_sha256")]
    [InlineData(0x0804, "rsa_pss_rsae_sha256")]
    [InlineData(0x080B, "rsa_pss_pss_sha512")]
    [InlineData(0x0807, "ed25519")]
    [InlineData(0x0808, "ed448")]
    [InlineData(0x0201, "rsa_pkcs1_sha1")]
    [InlineData(0x0203, "ecdsa_sha1")]
    [InlineData(0x0202, "dsa_sha1")]
    [InlineData(0x0101, "rsa_pkcs1_md5")]
    [InlineData(0x0402, "dsa_sha256")]
    [InlineData(0x0A0A, "Reserved (GREASE)")]
    [InlineData(0x0704, "Unknown (0x0704)")]
    public void SignatureSchemeNames(int value, string name) => Assert.Equal(name, SignatureSchemes.Name((ushort)value));

    [Fact]
    public void SmallRegistriesHaveNames()
    {
        Assert.Equal("uncompressed", EcPointFormats.Name(EcPointFormat.Uncompressed));
        Assert.Equal("null", CompressionMethods.Name(CompressionMethod.Null));
        Assert.Equal("Unknown (0x07)", CompressionMethods.Name(7));
        Assert.Equal("psk_dhe_ke", SmallRegistryNames.Name(PskKeyExchangeMode.PskDheKe));
        Assert.Equal("ocsp", SmallRegistryNames.Name(CertificateStatusType.Ocsp));
        Assert.Equal("update_requested", SmallRegistryNames.Name(KeyUpdateRequest.UpdateRequested));
        Assert.Equal("ecdsa_sign", SmallRegistryNames.Name(ClientCertificateType.EcdsaSign));
        Assert.Equal(4, SignatureSchemes.LegacyHash(0x0401));
        Assert.Equal(0, SignatureSchemes.LegacyHash(0x0804));
    }
}
