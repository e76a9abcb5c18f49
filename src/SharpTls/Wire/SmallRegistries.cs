namespace SharpTls.Wire;

/// <summary>PSK key exchange modes (RFC 8446 §4.2.9).</summary>
internal enum PskKeyExchangeMode : byte
{
    PskKe = 0,
    PskDheKe = 1,
}

/// <summary>Certificate status types (RFC 6066 §8, RFC 6961).</summary>
internal enum CertificateStatusType : byte
{
    Ocsp = 1,
    OcspMulti = 2,
}

/// <summary>KeyUpdate request values (RFC 8446 §4.6.3).</summary>
internal enum KeyUpdateRequest : byte
{
    UpdateNotRequested = 0,
    UpdateRequested = 1,
}

/// <summary>Client certificate types of the TLS 1.0-1.2 CertificateRequest (RFC 5246 §7.4.4, RFC 8422 §5.5).</summary>
internal enum ClientCertificateType : byte
{
    RsaSign = 1,
    DssSign = 2,
    RsaFixedDh = 3,
    DssFixedDh = 4,
    RsaEphemeralDh = 5,
    DssEphemeralDh = 6,
    FortezzaDms = 20,
    EcdsaSign = 64,
    RsaFixedEcdh = 65,
    EcdsaFixedEcdh = 66,
}

/// <summary>max_fragment_length values (RFC 6066 §4): 2^9, 2^10, 2^11, 2^12.</summary>
internal enum MaxFragmentLength : byte
{
    Bytes512 = 1,
    Bytes1024 = 2,
    Bytes2048 = 3,
    Bytes4096 = 4,
}

/// <summary>Heartbeat modes (RFC 6520 §2). Parsed, never honoured.</summary>
internal enum HeartbeatMode : byte
{
    PeerAllowedToSend = 1,
    PeerNotAllowedToSend = 2,
}

/// <summary>Certificate compression algorithms (RFC 8879 §3).</summary>
internal enum CertificateCompressionAlgorithm : ushort
{
    Zlib = 1,
    Brotli = 2,
    Zstd = 3,
}

/// <summary>Names of the small byte-sized registries.</summary>
internal static class SmallRegistryNames
{
    public static string Name(PskKeyExchangeMode m) => RegistryNames.Of((byte)m, m switch
    {
        PskKeyExchangeMode.PskKe => "psk_ke",
        PskKeyExchangeMode.PskDheKe => "psk_dhe_ke",
        _ => null,
    });

    public static string Name(CertificateStatusType t) => RegistryNames.Of((byte)t, t switch
    {
        CertificateStatusType.Ocsp => "ocsp",
        CertificateStatusType.OcspMulti => "ocsp_multi",
        _ => null,
    });

    public static string Name(KeyUpdateRequest r) => RegistryNames.Of((byte)r, r switch
    {
        KeyUpdateRequest.UpdateNotRequested => "update_not_requested",
        KeyUpdateRequest.UpdateRequested => "update_requested",
        _ => null,
    });

    public static string Name(ClientCertificateType t) => RegistryNames.Of((byte)t, t switch
    {
        ClientCertificateType.RsaSign => "rsa_sign",
        ClientCertificateType.DssSign => "dss_sign",
        ClientCertificateType.RsaFixedDh => "rsa_fixed_dh",
        ClientCertificateType.DssFixedDh => "dss_fixed_dh",
        ClientCertificateType.RsaEphemeralDh => "rsa_ephemeral_dh_RESERVED",
        ClientCertificateType.DssEphemeralDh => "dss_ephemeral_dh_RESERVED",
        ClientCertificateType.FortezzaDms => "fortezza_dms_RESERVED",
        ClientCertificateType.EcdsaSign => "ecdsa_sign",
        ClientCertificateType.RsaFixedEcdh => "rsa_fixed_ecdh",
        ClientCertificateType.EcdsaFixedEcdh => "ecdsa_fixed_ecdh",
        _ => null,
    });

    public static string Name(CertificateCompressionAlgorithm a) => RegistryNames.Of((ushort)a, a switch
    {
        CertificateCompressionAlgorithm.Zlib => "zlib",
        CertificateCompressionAlgorithm.Brotli => "brotli",
        CertificateCompressionAlgorithm.Zstd => "zstd",
        _ => null,
    });
}
