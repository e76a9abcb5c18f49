namespace SharpTls.Wire;

// Generated once from the IANA "TLS Cipher Suites" registry
// (https://www.iana.org/assignments/tls-parameters/tls-parameters.xhtml#tls-parameters-4),
// plus a few values that are not assigned but appear in real captures (marked as such).
// Members carry the IANA names verbatim so that ToString() prints what Wireshark prints.

/// <summary>
/// TLS cipher suites (IANA "TLS Cipher Suites" registry, RFC 8447). The member names are the
/// registry's names; <see cref="CipherSuites.Name(ushort)"/> names any 16-bit value, and
/// <see cref="CipherSuites.Info(CipherSuite)"/> gives a suite's algorithms and versions.
/// GREASE values (0x?A?A, RFC 8701) are not members: see <see cref="Grease"/>.
/// </summary>
public enum CipherSuite : ushort
{
    /// <summary>0x0000 (RFC 5246).</summary>
    TLS_NULL_WITH_NULL_NULL = 0x0000,
    /// <summary>0x0001 (RFC 5246).</summary>
    TLS_RSA_WITH_NULL_MD5 = 0x0001,
    /// <summary>0x0002 (RFC 5246).</summary>
    TLS_RSA_WITH_NULL_SHA = 0x0002,
    /// <summary>0x0003 (RFC 4346).</summary>
    TLS_RSA_EXPORT_WITH_RC4_40_MD5 = 0x0003,
    /// <summary>0x0004 (RFC 5246).</summary>
    TLS_RSA_WITH_RC4_128_MD5 = 0x0004,
    /// <summary>0x0005 (RFC 5246).</summary>
    TLS_RSA_WITH_RC4_128_SHA = 0x0005,
    /// <summary>0x0006 (RFC 4346).</summary>
    TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5 = 0x0006,
    /// <summary>0x0007 (RFC 5469).</summary>
    TLS_RSA_WITH_IDEA_CBC_SHA = 0x0007,
    /// <summary>0x0008 (RFC 4346).</summary>
    TLS_RSA_EXPORT_WITH_DES40_CBC_SHA = 0x0008,
    /// <summary>0x0009 (RFC 5469).</summary>
    TLS_RSA_WITH_DES_CBC_SHA = 0x0009,
    /// <summary>0x000A (RFC 5246).</summary>
    TLS_RSA_WITH_3DES_EDE_CBC_SHA = 0x000A,
    /// <summary>0x000B (RFC 4346).</summary>
    TLS_DH_DSS_EXPORT_WITH_DES40_CBC_SHA = 0x000B,
    /// <summary>0x000C (RFC 5469).</summary>
    TLS_DH_DSS_WITH_DES_CBC_SHA = 0x000C,
    /// <summary>0x000D (RFC 5246).</summary>
    TLS_DH_DSS_WITH_3DES_EDE_CBC_SHA = 0x000D,
    /// <summary>0x000E (RFC 4346).</summary>
    TLS_DH_RSA_EXPORT_WITH_DES40_CBC_SHA = 0x000E,
    /// <summary>0x000F (RFC 5469).</summary>
    TLS_DH_RSA_WITH_DES_CBC_SHA = 0x000F,
    /// <summary>0x0010 (RFC 5246).</summary>
    TLS_DH_RSA_WITH_3DES_EDE_CBC_SHA = 0x0010,
    /// <summary>0x0011 (RFC 4346).</summary>
    TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA = 0x0011,
    /// <summary>0x0012 (RFC 5469).</summary>
    TLS_DHE_DSS_WITH_DES_CBC_SHA = 0x0012,
    /// <summary>0x0013 (RFC 5246).</summary>
    TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA = 0x0013,
    /// <summary>0x0014 (RFC 4346).</summary>
    TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA = 0x0014,
    /// <summary>0x0015 (RFC 5469).</summary>
    TLS_DHE_RSA_WITH_DES_CBC_SHA = 0x0015,
    /// <summary>0x0016 (RFC 5246).</summary>
    TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA = 0x0016,
    /// <summary>0x0017 (RFC 4346).</summary>
    TLS_DH_anon_EXPORT_WITH_RC4_40_MD5 = 0x0017,
    /// <summary>0x0018 (RFC 5246).</summary>
    TLS_DH_anon_WITH_RC4_128_MD5 = 0x0018,
    /// <summary>0x0019 (RFC 4346).</summary>
    TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA = 0x0019,
    /// <summary>0x001A (RFC 5469).</summary>
    TLS_DH_anon_WITH_DES_CBC_SHA = 0x001A,
    /// <summary>0x001B (RFC 5246).</summary>
    TLS_DH_anon_WITH_3DES_EDE_CBC_SHA = 0x001B,
    /// <summary>0x001C (SSL 3.0 (draft-freier-ssl-version3, FORTEZZA; IANA reserves 0x001C-1D for it)).</summary>
    SSL_FORTEZZA_KEA_WITH_NULL_SHA = 0x001C,
    /// <summary>0x001D (SSL 3.0 (draft-freier-ssl-version3, FORTEZZA; IANA reserves 0x001C-1D for it)).</summary>
    SSL_FORTEZZA_KEA_WITH_FORTEZZA_CBC_SHA = 0x001D,
    /// <summary>0x001E (RFC 2712).</summary>
    TLS_KRB5_WITH_DES_CBC_SHA = 0x001E,
    /// <summary>0x001F (RFC 2712).</summary>
    TLS_KRB5_WITH_3DES_EDE_CBC_SHA = 0x001F,
    /// <summary>0x0020 (RFC 2712).</summary>
    TLS_KRB5_WITH_RC4_128_SHA = 0x0020,
    /// <summary>0x0021 (RFC 2712).</summary>
    TLS_KRB5_WITH_IDEA_CBC_SHA = 0x0021,
    /// <summary>0x0022 (RFC 2712).</summary>
    TLS_KRB5_WITH_DES_CBC_MD5 = 0x0022,
    /// <summary>0x0023 (RFC 2712).</summary>
    TLS_KRB5_WITH_3DES_EDE_CBC_MD5 = 0x0023,
    /// <summary>0x0024 (RFC 2712).</summary>
    TLS_KRB5_WITH_RC4_128_MD5 = 0x0024,
    /// <summary>0x0025 (RFC 2712).</summary>
    TLS_KRB5_WITH_IDEA_CBC_MD5 = 0x0025,
    /// <summary>0x0026 (RFC 2712).</summary>
    TLS_KRB5_EXPORT_WITH_DES_CBC_40_SHA = 0x0026,
    /// <summary>0x0027 (RFC 2712).</summary>
    TLS_KRB5_EXPORT_WITH_RC2_CBC_40_SHA = 0x0027,
    /// <summary>0x0028 (RFC 2712).</summary>
    TLS_KRB5_EXPORT_WITH_RC4_40_SHA = 0x0028,
    /// <summary>0x0029 (RFC 2712).</summary>
    TLS_KRB5_EXPORT_WITH_DES_CBC_40_MD5 = 0x0029,
    /// <summary>0x002A (RFC 2712).</summary>
    TLS_KRB5_EXPORT_WITH_RC2_CBC_40_MD5 = 0x002A,
    /// <summary>0x002B (RFC 2712).</summary>
    TLS_KRB5_EXPORT_WITH_RC4_40_MD5 = 0x002B,
    /// <summary>0x002C (RFC 4785).</summary>
    TLS_PSK_WITH_NULL_SHA = 0x002C,
    /// <summary>0x002D (RFC 4785).</summary>
    TLS_DHE_PSK_WITH_NULL_SHA = 0x002D,
    /// <summary>0x002E (RFC 4785).</summary>
    TLS_RSA_PSK_WITH_NULL_SHA = 0x002E,
    /// <summary>0x002F (RFC 5246).</summary>
    TLS_RSA_WITH_AES_128_CBC_SHA = 0x002F,
    /// <summary>0x0030 (RFC 5246).</summary>
    TLS_DH_DSS_WITH_AES_128_CBC_SHA = 0x0030,
    /// <summary>0x0031 (RFC 5246).</summary>
    TLS_DH_RSA_WITH_AES_128_CBC_SHA = 0x0031,
    /// <summary>0x0032 (RFC 5246).</summary>
    TLS_DHE_DSS_WITH_AES_128_CBC_SHA = 0x0032,
    /// <summary>0x0033 (RFC 5246).</summary>
    TLS_DHE_RSA_WITH_AES_128_CBC_SHA = 0x0033,
    /// <summary>0x0034 (RFC 5246).</summary>
    TLS_DH_anon_WITH_AES_128_CBC_SHA = 0x0034,
    /// <summary>0x0035 (RFC 5246).</summary>
    TLS_RSA_WITH_AES_256_CBC_SHA = 0x0035,
    /// <summary>0x0036 (RFC 5246).</summary>
    TLS_DH_DSS_WITH_AES_256_CBC_SHA = 0x0036,
    /// <summary>0x0037 (RFC 5246).</summary>
    TLS_DH_RSA_WITH_AES_256_CBC_SHA = 0x0037,
    /// <summary>0x0038 (RFC 5246).</summary>
    TLS_DHE_DSS_WITH_AES_256_CBC_SHA = 0x0038,
    /// <summary>0x0039 (RFC 5246).</summary>
    TLS_DHE_RSA_WITH_AES_256_CBC_SHA = 0x0039,
    /// <summary>0x003A (RFC 5246).</summary>
    TLS_DH_anon_WITH_AES_256_CBC_SHA = 0x003A,
    /// <summary>0x003B (RFC 5246).</summary>
    TLS_RSA_WITH_NULL_SHA256 = 0x003B,
    /// <summary>0x003C (RFC 5246).</summary>
    TLS_RSA_WITH_AES_128_CBC_SHA256 = 0x003C,
    /// <summary>0x003D (RFC 5246).</summary>
    TLS_RSA_WITH_AES_256_CBC_SHA256 = 0x003D,
    /// <summary>0x003E (RFC 5246).</summary>
    TLS_DH_DSS_WITH_AES_128_CBC_SHA256 = 0x003E,
    /// <summary>0x003F (RFC 5246).</summary>
    TLS_DH_RSA_WITH_AES_128_CBC_SHA256 = 0x003F,
    /// <summary>0x0040 (RFC 5246).</summary>
    TLS_DHE_DSS_WITH_AES_128_CBC_SHA256 = 0x0040,
    /// <summary>0x0041 (RFC 5932).</summary>
    TLS_RSA_WITH_CAMELLIA_128_CBC_SHA = 0x0041,
    /// <summary>0x0042 (RFC 5932).</summary>
    TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA = 0x0042,
    /// <summary>0x0043 (RFC 5932).</summary>
    TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA = 0x0043,
    /// <summary>0x0044 (RFC 5932).</summary>
    TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA = 0x0044,
    /// <summary>0x0045 (RFC 5932).</summary>
    TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA = 0x0045,
    /// <summary>0x0046 (RFC 5932).</summary>
    TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA = 0x0046,
    /// <summary>0x0060 (not IANA-assigned: 1024-bit export suites of draft-ietf-tls-56-bit-ciphersuites, seen in old captures).</summary>
    TLS_RSA_EXPORT1024_WITH_RC4_56_MD5 = 0x0060,
    /// <summary>0x0061 (not IANA-assigned: 1024-bit export suites of draft-ietf-tls-56-bit-ciphersuites, seen in old captures).</summary>
    TLS_RSA_EXPORT1024_WITH_RC2_CBC_56_MD5 = 0x0061,
    /// <summary>0x0062 (not IANA-assigned: 1024-bit export suites of draft-ietf-tls-56-bit-ciphersuites, seen in old captures).</summary>
    TLS_RSA_EXPORT1024_WITH_DES_CBC_SHA = 0x0062,
    /// <summary>0x0063 (not IANA-assigned: 1024-bit export suites of draft-ietf-tls-56-bit-ciphersuites, seen in old captures).</summary>
    TLS_DHE_DSS_EXPORT1024_WITH_DES_CBC_SHA = 0x0063,
    /// <summary>0x0064 (not IANA-assigned: 1024-bit export suites of draft-ietf-tls-56-bit-ciphersuites, seen in old captures).</summary>
    TLS_RSA_EXPORT1024_WITH_RC4_56_SHA = 0x0064,
    /// <summary>0x0065 (not IANA-assigned: 1024-bit export suites of draft-ietf-tls-56-bit-ciphersuites, seen in old captures).</summary>
    TLS_DHE_DSS_EXPORT1024_WITH_RC4_56_SHA = 0x0065,
    /// <summary>0x0066 (not IANA-assigned: 1024-bit export suites of draft-ietf-tls-56-bit-ciphersuites, seen in old captures).</summary>
    TLS_DHE_DSS_WITH_RC4_128_SHA = 0x0066,
    /// <summary>0x0067 (RFC 5246).</summary>
    TLS_DHE_RSA_WITH_AES_128_CBC_SHA256 = 0x0067,
    /// <summary>0x0068 (RFC 5246).</summary>
    TLS_DH_DSS_WITH_AES_256_CBC_SHA256 = 0x0068,
    /// <summary>0x0069 (RFC 5246).</summary>
    TLS_DH_RSA_WITH_AES_256_CBC_SHA256 = 0x0069,
    /// <summary>0x006A (RFC 5246).</summary>
    TLS_DHE_DSS_WITH_AES_256_CBC_SHA256 = 0x006A,
    /// <summary>0x006B (RFC 5246).</summary>
    TLS_DHE_RSA_WITH_AES_256_CBC_SHA256 = 0x006B,
    /// <summary>0x006C (RFC 5246).</summary>
    TLS_DH_anon_WITH_AES_128_CBC_SHA256 = 0x006C,
    /// <summary>0x006D (RFC 5246).</summary>
    TLS_DH_anon_WITH_AES_256_CBC_SHA256 = 0x006D,
    /// <summary>0x0084 (RFC 5932).</summary>
    TLS_RSA_WITH_CAMELLIA_256_CBC_SHA = 0x0084,
    /// <summary>0x0085 (RFC 5932).</summary>
    TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA = 0x0085,
    /// <summary>0x0086 (RFC 5932).</summary>
    TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA = 0x0086,
    /// <summary>0x0087 (RFC 5932).</summary>
    TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA = 0x0087,
    /// <summary>0x0088 (RFC 5932).</summary>
    TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA = 0x0088,
    /// <summary>0x0089 (RFC 5932).</summary>
    TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA = 0x0089,
    /// <summary>0x008A (RFC 4279).</summary>
    TLS_PSK_WITH_RC4_128_SHA = 0x008A,
    /// <summary>0x008B (RFC 4279).</summary>
    TLS_PSK_WITH_3DES_EDE_CBC_SHA = 0x008B,
    /// <summary>0x008C (RFC 4279).</summary>
    TLS_PSK_WITH_AES_128_CBC_SHA = 0x008C,
    /// <summary>0x008D (RFC 4279).</summary>
    TLS_PSK_WITH_AES_256_CBC_SHA = 0x008D,
    /// <summary>0x008E (RFC 4279).</summary>
    TLS_DHE_PSK_WITH_RC4_128_SHA = 0x008E,
    /// <summary>0x008F (RFC 4279).</summary>
    TLS_DHE_PSK_WITH_3DES_EDE_CBC_SHA = 0x008F,
    /// <summary>0x0090 (RFC 4279).</summary>
    TLS_DHE_PSK_WITH_AES_128_CBC_SHA = 0x0090,
    /// <summary>0x0091 (RFC 4279).</summary>
    TLS_DHE_PSK_WITH_AES_256_CBC_SHA = 0x0091,
    /// <summary>0x0092 (RFC 4279).</summary>
    TLS_RSA_PSK_WITH_RC4_128_SHA = 0x0092,
    /// <summary>0x0093 (RFC 4279).</summary>
    TLS_RSA_PSK_WITH_3DES_EDE_CBC_SHA = 0x0093,
    /// <summary>0x0094 (RFC 4279).</summary>
    TLS_RSA_PSK_WITH_AES_128_CBC_SHA = 0x0094,
    /// <summary>0x0095 (RFC 4279).</summary>
    TLS_RSA_PSK_WITH_AES_256_CBC_SHA = 0x0095,
    /// <summary>0x0096 (RFC 4162).</summary>
    TLS_RSA_WITH_SEED_CBC_SHA = 0x0096,
    /// <summary>0x0097 (RFC 4162).</summary>
    TLS_DH_DSS_WITH_SEED_CBC_SHA = 0x0097,
    /// <summary>0x0098 (RFC 4162).</summary>
    TLS_DH_RSA_WITH_SEED_CBC_SHA = 0x0098,
    /// <summary>0x0099 (RFC 4162).</summary>
    TLS_DHE_DSS_WITH_SEED_CBC_SHA = 0x0099,
    /// <summary>0x009A (RFC 4162).</summary>
    TLS_DHE_RSA_WITH_SEED_CBC_SHA = 0x009A,
    /// <summary>0x009B (RFC 4162).</summary>
    TLS_DH_anon_WITH_SEED_CBC_SHA = 0x009B,
    /// <summary>0x009C (RFC 5288).</summary>
    TLS_RSA_WITH_AES_128_GCM_SHA256 = 0x009C,
    /// <summary>0x009D (RFC 5288).</summary>
    TLS_RSA_WITH_AES_256_GCM_SHA384 = 0x009D,
    /// <summary>0x009E (RFC 5288).</summary>
    TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 = 0x009E,
    /// <summary>0x009F (RFC 5288).</summary>
    TLS_DHE_RSA_WITH_AES_256_GCM_SHA384 = 0x009F,
    /// <summary>0x00A0 (RFC 5288).</summary>
    TLS_DH_RSA_WITH_AES_128_GCM_SHA256 = 0x00A0,
    /// <summary>0x00A1 (RFC 5288).</summary>
    TLS_DH_RSA_WITH_AES_256_GCM_SHA384 = 0x00A1,
    /// <summary>0x00A2 (RFC 5288).</summary>
    TLS_DHE_DSS_WITH_AES_128_GCM_SHA256 = 0x00A2,
    /// <summary>0x00A3 (RFC 5288).</summary>
    TLS_DHE_DSS_WITH_AES_256_GCM_SHA384 = 0x00A3,
    /// <summary>0x00A4 (RFC 5288).</summary>
    TLS_DH_DSS_WITH_AES_128_GCM_SHA256 = 0x00A4,
    /// <summary>0x00A5 (RFC 5288).</summary>
    TLS_DH_DSS_WITH_AES_256_GCM_SHA384 = 0x00A5,
    /// <summary>0x00A6 (RFC 5288).</summary>
    TLS_DH_anon_WITH_AES_128_GCM_SHA256 = 0x00A6,
    /// <summary>0x00A7 (RFC 5288).</summary>
    TLS_DH_anon_WITH_AES_256_GCM_SHA384 = 0x00A7,
    /// <summary>0x00A8 (RFC 5487).</summary>
    TLS_PSK_WITH_AES_128_GCM_SHA256 = 0x00A8,
    /// <summary>0x00A9 (RFC 5487).</summary>
    TLS_PSK_WITH_AES_256_GCM_SHA384 = 0x00A9,
    /// <summary>0x00AA (RFC 5487).</summary>
    TLS_DHE_PSK_WITH_AES_128_GCM_SHA256 = 0x00AA,
    /// <summary>0x00AB (RFC 5487).</summary>
    TLS_DHE_PSK_WITH_AES_256_GCM_SHA384 = 0x00AB,
    /// <summary>0x00AC (RFC 5487).</summary>
    TLS_RSA_PSK_WITH_AES_128_GCM_SHA256 = 0x00AC,
    /// <summary>0x00AD (RFC 5487).</summary>
    TLS_RSA_PSK_WITH_AES_256_GCM_SHA384 = 0x00AD,
    /// <summary>0x00AE (RFC 5487).</summary>
    TLS_PSK_WITH_AES_128_CBC_SHA256 = 0x00AE,
    /// <summary>0x00AF (RFC 5487).</summary>
    TLS_PSK_WITH_AES_256_CBC_SHA384 = 0x00AF,
    /// <summary>0x00B0 (RFC 5487).</summary>
    TLS_PSK_WITH_NULL_SHA256 = 0x00B0,
    /// <summary>0x00B1 (RFC 5487).</summary>
    TLS_PSK_WITH_NULL_SHA384 = 0x00B1,
    /// <summary>0x00B2 (RFC 5487).</summary>
    TLS_DHE_PSK_WITH_AES_128_CBC_SHA256 = 0x00B2,
    /// <summary>0x00B3 (RFC 5487).</summary>
    TLS_DHE_PSK_WITH_AES_256_CBC_SHA384 = 0x00B3,
    /// <summary>0x00B4 (RFC 5487).</summary>
    TLS_DHE_PSK_WITH_NULL_SHA256 = 0x00B4,
    /// <summary>0x00B5 (RFC 5487).</summary>
    TLS_DHE_PSK_WITH_NULL_SHA384 = 0x00B5,
    /// <summary>0x00B6 (RFC 5487).</summary>
    TLS_RSA_PSK_WITH_AES_128_CBC_SHA256 = 0x00B6,
    /// <summary>0x00B7 (RFC 5487).</summary>
    TLS_RSA_PSK_WITH_AES_256_CBC_SHA384 = 0x00B7,
    /// <summary>0x00B8 (RFC 5487).</summary>
    TLS_RSA_PSK_WITH_NULL_SHA256 = 0x00B8,
    /// <summary>0x00B9 (RFC 5487).</summary>
    TLS_RSA_PSK_WITH_NULL_SHA384 = 0x00B9,
    /// <summary>0x00BA (RFC 5932).</summary>
    TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256 = 0x00BA,
    /// <summary>0x00BB (RFC 5932).</summary>
    TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA256 = 0x00BB,
    /// <summary>0x00BC (RFC 5932).</summary>
    TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA256 = 0x00BC,
    /// <summary>0x00BD (RFC 5932).</summary>
    TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA256 = 0x00BD,
    /// <summary>0x00BE (RFC 5932).</summary>
    TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256 = 0x00BE,
    /// <summary>0x00BF (RFC 5932).</summary>
    TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA256 = 0x00BF,
    /// <summary>0x00C0 (RFC 5932).</summary>
    TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256 = 0x00C0,
    /// <summary>0x00C1 (RFC 5932).</summary>
    TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA256 = 0x00C1,
    /// <summary>0x00C2 (RFC 5932).</summary>
    TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA256 = 0x00C2,
    /// <summary>0x00C3 (RFC 5932).</summary>
    TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA256 = 0x00C3,
    /// <summary>0x00C4 (RFC 5932).</summary>
    TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256 = 0x00C4,
    /// <summary>0x00C5 (RFC 5932).</summary>
    TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA256 = 0x00C5,
    /// <summary>0x00C6 (RFC 8998).</summary>
    TLS_SM4_GCM_SM3 = 0x00C6,
    /// <summary>0x00C7 (RFC 8998).</summary>
    TLS_SM4_CCM_SM3 = 0x00C7,
    /// <summary>0x00FF (RFC 5746).</summary>
    TLS_EMPTY_RENEGOTIATION_INFO_SCSV = 0x00FF,
    /// <summary>0x1301 (RFC 8446).</summary>
    TLS_AES_128_GCM_SHA256 = 0x1301,
    /// <summary>0x1302 (RFC 8446).</summary>
    TLS_AES_256_GCM_SHA384 = 0x1302,
    /// <summary>0x1303 (RFC 8446).</summary>
    TLS_CHACHA20_POLY1305_SHA256 = 0x1303,
    /// <summary>0x1304 (RFC 8446).</summary>
    TLS_AES_128_CCM_SHA256 = 0x1304,
    /// <summary>0x1305 (RFC 8446).</summary>
    TLS_AES_128_CCM_8_SHA256 = 0x1305,
    /// <summary>0x1306 (draft-irtf-cfrg-aegis-aead).</summary>
    TLS_AEGIS_256_SHA384 = 0x1306,
    /// <summary>0x1307 (draft-irtf-cfrg-aegis-aead).</summary>
    TLS_AEGIS_128L_SHA256 = 0x1307,
    /// <summary>0x5600 (RFC 7507).</summary>
    TLS_FALLBACK_SCSV = 0x5600,
    /// <summary>0xC001 (RFC 8422).</summary>
    TLS_ECDH_ECDSA_WITH_NULL_SHA = 0xC001,
    /// <summary>0xC002 (RFC 8422).</summary>
    TLS_ECDH_ECDSA_WITH_RC4_128_SHA = 0xC002,
    /// <summary>0xC003 (RFC 8422).</summary>
    TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA = 0xC003,
    /// <summary>0xC004 (RFC 8422).</summary>
    TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA = 0xC004,
    /// <summary>0xC005 (RFC 8422).</summary>
    TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA = 0xC005,
    /// <summary>0xC006 (RFC 8422).</summary>
    TLS_ECDHE_ECDSA_WITH_NULL_SHA = 0xC006,
    /// <summary>0xC007 (RFC 8422).</summary>
    TLS_ECDHE_ECDSA_WITH_RC4_128_SHA = 0xC007,
    /// <summary>0xC008 (RFC 8422).</summary>
    TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA = 0xC008,
    /// <summary>0xC009 (RFC 8422).</summary>
    TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA = 0xC009,
    /// <summary>0xC00A (RFC 8422).</summary>
    TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA = 0xC00A,
    /// <summary>0xC00B (RFC 8422).</summary>
    TLS_ECDH_RSA_WITH_NULL_SHA = 0xC00B,
    /// <summary>0xC00C (RFC 8422).</summary>
    TLS_ECDH_RSA_WITH_RC4_128_SHA = 0xC00C,
    /// <summary>0xC00D (RFC 8422).</summary>
    TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA = 0xC00D,
    /// <summary>0xC00E (RFC 8422).</summary>
    TLS_ECDH_RSA_WITH_AES_128_CBC_SHA = 0xC00E,
    /// <summary>0xC00F (RFC 8422).</summary>
    TLS_ECDH_RSA_WITH_AES_256_CBC_SHA = 0xC00F,
    /// <summary>0xC010 (RFC 8422).</summary>
    TLS_ECDHE_RSA_WITH_NULL_SHA = 0xC010,
    /// <summary>0xC011 (RFC 8422).</summary>
    TLS_ECDHE_RSA_WITH_RC4_128_SHA = 0xC011,
    /// <summary>0xC012 (RFC 8422).</summary>
    TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA = 0xC012,
    /// <summary>0xC013 (RFC 8422).</summary>
    TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA = 0xC013,
    /// <summary>0xC014 (RFC 8422).</summary>
    TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA = 0xC014,
    /// <summary>0xC015 (RFC 8422).</summary>
    TLS_ECDH_anon_WITH_NULL_SHA = 0xC015,
    /// <summary>0xC016 (RFC 8422).</summary>
    TLS_ECDH_anon_WITH_RC4_128_SHA = 0xC016,
    /// <summary>0xC017 (RFC 8422).</summary>
    TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA = 0xC017,
    /// <summary>0xC018 (RFC 8422).</summary>
    TLS_ECDH_anon_WITH_AES_128_CBC_SHA = 0xC018,
    /// <summary>0xC019 (RFC 8422).</summary>
    TLS_ECDH_anon_WITH_AES_256_CBC_SHA = 0xC019,
    /// <summary>0xC01A (RFC 5054).</summary>
    TLS_SRP_SHA_WITH_3DES_EDE_CBC_SHA = 0xC01A,
    /// <summary>0xC01B (RFC 5054).</summary>
    TLS_SRP_SHA_RSA_WITH_3DES_EDE_CBC_SHA = 0xC01B,
    /// <summary>0xC01C (RFC 5054).</summary>
    TLS_SRP_SHA_DSS_WITH_3DES_EDE_CBC_SHA = 0xC01C,
    /// <summary>0xC01D (RFC 5054).</summary>
    TLS_SRP_SHA_WITH_AES_128_CBC_SHA = 0xC01D,
    /// <summary>0xC01E (RFC 5054).</summary>
    TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA = 0xC01E,
    /// <summary>0xC01F (RFC 5054).</summary>
    TLS_SRP_SHA_DSS_WITH_AES_128_CBC_SHA = 0xC01F,
    /// <summary>0xC020 (RFC 5054).</summary>
    TLS_SRP_SHA_WITH_AES_256_CBC_SHA = 0xC020,
    /// <summary>0xC021 (RFC 5054).</summary>
    TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA = 0xC021,
    /// <summary>0xC022 (RFC 5054).</summary>
    TLS_SRP_SHA_DSS_WITH_AES_256_CBC_SHA = 0xC022,
    /// <summary>0xC023 (RFC 5289).</summary>
    TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256 = 0xC023,
    /// <summary>0xC024 (RFC 5289).</summary>
    TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384 = 0xC024,
    /// <summary>0xC025 (RFC 5289).</summary>
    TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256 = 0xC025,
    /// <summary>0xC026 (RFC 5289).</summary>
    TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384 = 0xC026,
    /// <summary>0xC027 (RFC 5289).</summary>
    TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256 = 0xC027,
    /// <summary>0xC028 (RFC 5289).</summary>
    TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384 = 0xC028,
    /// <summary>0xC029 (RFC 5289).</summary>
    TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256 = 0xC029,
    /// <summary>0xC02A (RFC 5289).</summary>
    TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384 = 0xC02A,
    /// <summary>0xC02B (RFC 5289).</summary>
    TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 = 0xC02B,
    /// <summary>0xC02C (RFC 5289).</summary>
    TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 = 0xC02C,
    /// <summary>0xC02D (RFC 5289).</summary>
    TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256 = 0xC02D,
    /// <summary>0xC02E (RFC 5289).</summary>
    TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384 = 0xC02E,
    /// <summary>0xC02F (RFC 5289).</summary>
    TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 = 0xC02F,
    /// <summary>0xC030 (RFC 5289).</summary>
    TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 = 0xC030,
    /// <summary>0xC031 (RFC 5289).</summary>
    TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256 = 0xC031,
    /// <summary>0xC032 (RFC 5289).</summary>
    TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384 = 0xC032,
    /// <summary>0xC033 (RFC 5489).</summary>
    TLS_ECDHE_PSK_WITH_RC4_128_SHA = 0xC033,
    /// <summary>0xC034 (RFC 5489).</summary>
    TLS_ECDHE_PSK_WITH_3DES_EDE_CBC_SHA = 0xC034,
    /// <summary>0xC035 (RFC 5489).</summary>
    TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA = 0xC035,
    /// <summary>0xC036 (RFC 5489).</summary>
    TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA = 0xC036,
    /// <summary>0xC037 (RFC 5489).</summary>
    TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256 = 0xC037,
    /// <summary>0xC038 (RFC 5489).</summary>
    TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384 = 0xC038,
    /// <summary>0xC039 (RFC 5489).</summary>
    TLS_ECDHE_PSK_WITH_NULL_SHA = 0xC039,
    /// <summary>0xC03A (RFC 5489).</summary>
    TLS_ECDHE_PSK_WITH_NULL_SHA256 = 0xC03A,
    /// <summary>0xC03B (RFC 5489).</summary>
    TLS_ECDHE_PSK_WITH_NULL_SHA384 = 0xC03B,
    /// <summary>0xC03C (RFC 6209).</summary>
    TLS_RSA_WITH_ARIA_128_CBC_SHA256 = 0xC03C,
    /// <summary>0xC03D (RFC 6209).</summary>
    TLS_RSA_WITH_ARIA_256_CBC_SHA384 = 0xC03D,
    /// <summary>0xC03E (RFC 6209).</summary>
    TLS_DH_DSS_WITH_ARIA_128_CBC_SHA256 = 0xC03E,
    /// <summary>0xC03F (RFC 6209).</summary>
    TLS_DH_DSS_WITH_ARIA_256_CBC_SHA384 = 0xC03F,
    /// <summary>0xC040 (RFC 6209).</summary>
    TLS_DH_RSA_WITH_ARIA_128_CBC_SHA256 = 0xC040,
    /// <summary>0xC041 (RFC 6209).</summary>
    TLS_DH_RSA_WITH_ARIA_256_CBC_SHA384 = 0xC041,
    /// <summary>0xC042 (RFC 6209).</summary>
    TLS_DHE_DSS_WITH_ARIA_128_CBC_SHA256 = 0xC042,
    /// <summary>0xC043 (RFC 6209).</summary>
    TLS_DHE_DSS_WITH_ARIA_256_CBC_SHA384 = 0xC043,
    /// <summary>0xC044 (RFC 6209).</summary>
    TLS_DHE_RSA_WITH_ARIA_128_CBC_SHA256 = 0xC044,
    /// <summary>0xC045 (RFC 6209).</summary>
    TLS_DHE_RSA_WITH_ARIA_256_CBC_SHA384 = 0xC045,
    /// <summary>0xC046 (RFC 6209).</summary>
    TLS_DH_anon_WITH_ARIA_128_CBC_SHA256 = 0xC046,
    /// <summary>0xC047 (RFC 6209).</summary>
    TLS_DH_anon_WITH_ARIA_256_CBC_SHA384 = 0xC047,
    /// <summary>0xC048 (RFC 6209).</summary>
    TLS_ECDHE_ECDSA_WITH_ARIA_128_CBC_SHA256 = 0xC048,
    /// <summary>0xC049 (RFC 6209).</summary>
    TLS_ECDHE_ECDSA_WITH_ARIA_256_CBC_SHA384 = 0xC049,
    /// <summary>0xC04A (RFC 6209).</summary>
    TLS_ECDH_ECDSA_WITH_ARIA_128_CBC_SHA256 = 0xC04A,
    /// <summary>0xC04B (RFC 6209).</summary>
    TLS_ECDH_ECDSA_WITH_ARIA_256_CBC_SHA384 = 0xC04B,
    /// <summary>0xC04C (RFC 6209).</summary>
    TLS_ECDHE_RSA_WITH_ARIA_128_CBC_SHA256 = 0xC04C,
    /// <summary>0xC04D (RFC 6209).</summary>
    TLS_ECDHE_RSA_WITH_ARIA_256_CBC_SHA384 = 0xC04D,
    /// <summary>0xC04E (RFC 6209).</summary>
    TLS_ECDH_RSA_WITH_ARIA_128_CBC_SHA256 = 0xC04E,
    /// <summary>0xC04F (RFC 6209).</summary>
    TLS_ECDH_RSA_WITH_ARIA_256_CBC_SHA384 = 0xC04F,
    /// <summary>0xC050 (RFC 6209).</summary>
    TLS_RSA_WITH_ARIA_128_GCM_SHA256 = 0xC050,
    /// <summary>0xC051 (RFC 6209).</summary>
    TLS_RSA_WITH_ARIA_256_GCM_SHA384 = 0xC051,
    /// <summary>0xC052 (RFC 6209).</summary>
    TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256 = 0xC052,
    /// <summary>0xC053 (RFC 6209).</summary>
    TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384 = 0xC053,
    /// <summary>0xC054 (RFC 6209).</summary>
    TLS_DH_RSA_WITH_ARIA_128_GCM_SHA256 = 0xC054,
    /// <summary>0xC055 (RFC 6209).</summary>
    TLS_DH_RSA_WITH_ARIA_256_GCM_SHA384 = 0xC055,
    /// <summary>0xC056 (RFC 6209).</summary>
    TLS_DHE_DSS_WITH_ARIA_128_GCM_SHA256 = 0xC056,
    /// <summary>0xC057 (RFC 6209).</summary>
    TLS_DHE_DSS_WITH_ARIA_256_GCM_SHA384 = 0xC057,
    /// <summary>0xC058 (RFC 6209).</summary>
    TLS_DH_DSS_WITH_ARIA_128_GCM_SHA256 = 0xC058,
    /// <summary>0xC059 (RFC 6209).</summary>
    TLS_DH_DSS_WITH_ARIA_256_GCM_SHA384 = 0xC059,
    /// <summary>0xC05A (RFC 6209).</summary>
    TLS_DH_anon_WITH_ARIA_128_GCM_SHA256 = 0xC05A,
    /// <summary>0xC05B (RFC 6209).</summary>
    TLS_DH_anon_WITH_ARIA_256_GCM_SHA384 = 0xC05B,
    /// <summary>0xC05C (RFC 6209).</summary>
    TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256 = 0xC05C,
    /// <summary>0xC05D (RFC 6209).</summary>
    TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384 = 0xC05D,
    /// <summary>0xC05E (RFC 6209).</summary>
    TLS_ECDH_ECDSA_WITH_ARIA_128_GCM_SHA256 = 0xC05E,
    /// <summary>0xC05F (RFC 6209).</summary>
    TLS_ECDH_ECDSA_WITH_ARIA_256_GCM_SHA384 = 0xC05F,
    /// <summary>0xC060 (RFC 6209).</summary>
    TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256 = 0xC060,
    /// <summary>0xC061 (RFC 6209).</summary>
    TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384 = 0xC061,
    /// <summary>0xC062 (RFC 6209).</summary>
    TLS_ECDH_RSA_WITH_ARIA_128_GCM_SHA256 = 0xC062,
    /// <summary>0xC063 (RFC 6209).</summary>
    TLS_ECDH_RSA_WITH_ARIA_256_GCM_SHA384 = 0xC063,
    /// <summary>0xC064 (RFC 6209).</summary>
    TLS_PSK_WITH_ARIA_128_CBC_SHA256 = 0xC064,
    /// <summary>0xC065 (RFC 6209).</summary>
    TLS_PSK_WITH_ARIA_256_CBC_SHA384 = 0xC065,
    /// <summary>0xC066 (RFC 6209).</summary>
    TLS_DHE_PSK_WITH_ARIA_128_CBC_SHA256 = 0xC066,
    /// <summary>0xC067 (RFC 6209).</summary>
    TLS_DHE_PSK_WITH_ARIA_256_CBC_SHA384 = 0xC067,
    /// <summary>0xC068 (RFC 6209).</summary>
    TLS_RSA_PSK_WITH_ARIA_128_CBC_SHA256 = 0xC068,
    /// <summary>0xC069 (RFC 6209).</summary>
    TLS_RSA_PSK_WITH_ARIA_256_CBC_SHA384 = 0xC069,
    /// <summary>0xC06A (RFC 6209).</summary>
    TLS_PSK_WITH_ARIA_128_GCM_SHA256 = 0xC06A,
    /// <summary>0xC06B (RFC 6209).</summary>
    TLS_PSK_WITH_ARIA_256_GCM_SHA384 = 0xC06B,
    /// <summary>0xC06C (RFC 6209).</summary>
    TLS_DHE_PSK_WITH_ARIA_128_GCM_SHA256 = 0xC06C,
    /// <summary>0xC06D (RFC 6209).</summary>
    TLS_DHE_PSK_WITH_ARIA_256_GCM_SHA384 = 0xC06D,
    /// <summary>0xC06E (RFC 6209).</summary>
    TLS_RSA_PSK_WITH_ARIA_128_GCM_SHA256 = 0xC06E,
    /// <summary>0xC06F (RFC 6209).</summary>
    TLS_RSA_PSK_WITH_ARIA_256_GCM_SHA384 = 0xC06F,
    /// <summary>0xC070 (RFC 6209).</summary>
    TLS_ECDHE_PSK_WITH_ARIA_128_CBC_SHA256 = 0xC070,
    /// <summary>0xC071 (RFC 6209).</summary>
    TLS_ECDHE_PSK_WITH_ARIA_256_CBC_SHA384 = 0xC071,
    /// <summary>0xC072 (RFC 6367).</summary>
    TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256 = 0xC072,
    /// <summary>0xC073 (RFC 6367).</summary>
    TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384 = 0xC073,
    /// <summary>0xC074 (RFC 6367).</summary>
    TLS_ECDH_ECDSA_WITH_CAMELLIA_128_CBC_SHA256 = 0xC074,
    /// <summary>0xC075 (RFC 6367).</summary>
    TLS_ECDH_ECDSA_WITH_CAMELLIA_256_CBC_SHA384 = 0xC075,
    /// <summary>0xC076 (RFC 6367).</summary>
    TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256 = 0xC076,
    /// <summary>0xC077 (RFC 6367).</summary>
    TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384 = 0xC077,
    /// <summary>0xC078 (RFC 6367).</summary>
    TLS_ECDH_RSA_WITH_CAMELLIA_128_CBC_SHA256 = 0xC078,
    /// <summary>0xC079 (RFC 6367).</summary>
    TLS_ECDH_RSA_WITH_CAMELLIA_256_CBC_SHA384 = 0xC079,
    /// <summary>0xC07A (RFC 6367).</summary>
    TLS_RSA_WITH_CAMELLIA_128_GCM_SHA256 = 0xC07A,
    /// <summary>0xC07B (RFC 6367).</summary>
    TLS_RSA_WITH_CAMELLIA_256_GCM_SHA384 = 0xC07B,
    /// <summary>0xC07C (RFC 6367).</summary>
    TLS_DHE_RSA_WITH_CAMELLIA_128_GCM_SHA256 = 0xC07C,
    /// <summary>0xC07D (RFC 6367).</summary>
    TLS_DHE_RSA_WITH_CAMELLIA_256_GCM_SHA384 = 0xC07D,
    /// <summary>0xC07E (RFC 6367).</summary>
    TLS_DH_RSA_WITH_CAMELLIA_128_GCM_SHA256 = 0xC07E,
    /// <summary>0xC07F (RFC 6367).</summary>
    TLS_DH_RSA_WITH_CAMELLIA_256_GCM_SHA384 = 0xC07F,
    /// <summary>0xC080 (RFC 6367).</summary>
    TLS_DHE_DSS_WITH_CAMELLIA_128_GCM_SHA256 = 0xC080,
    /// <summary>0xC081 (RFC 6367).</summary>
    TLS_DHE_DSS_WITH_CAMELLIA_256_GCM_SHA384 = 0xC081,
    /// <summary>0xC082 (RFC 6367).</summary>
    TLS_DH_DSS_WITH_CAMELLIA_128_GCM_SHA256 = 0xC082,
    /// <summary>0xC083 (RFC 6367).</summary>
    TLS_DH_DSS_WITH_CAMELLIA_256_GCM_SHA384 = 0xC083,
    /// <summary>0xC084 (RFC 6367).</summary>
    TLS_DH_anon_WITH_CAMELLIA_128_GCM_SHA256 = 0xC084,
    /// <summary>0xC085 (RFC 6367).</summary>
    TLS_DH_anon_WITH_CAMELLIA_256_GCM_SHA384 = 0xC085,
    /// <summary>0xC086 (RFC 6367).</summary>
    TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_GCM_SHA256 = 0xC086,
    /// <summary>0xC087 (RFC 6367).</summary>
    TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_GCM_SHA384 = 0xC087,
    /// <summary>0xC088 (RFC 6367).</summary>
    TLS_ECDH_ECDSA_WITH_CAMELLIA_128_GCM_SHA256 = 0xC088,
    /// <summary>0xC089 (RFC 6367).</summary>
    TLS_ECDH_ECDSA_WITH_CAMELLIA_256_GCM_SHA384 = 0xC089,
    /// <summary>0xC08A (RFC 6367).</summary>
    TLS_ECDHE_RSA_WITH_CAMELLIA_128_GCM_SHA256 = 0xC08A,
    /// <summary>0xC08B (RFC 6367).</summary>
    TLS_ECDHE_RSA_WITH_CAMELLIA_256_GCM_SHA384 = 0xC08B,
    /// <summary>0xC08C (RFC 6367).</summary>
    TLS_ECDH_RSA_WITH_CAMELLIA_128_GCM_SHA256 = 0xC08C,
    /// <summary>0xC08D (RFC 6367).</summary>
    TLS_ECDH_RSA_WITH_CAMELLIA_256_GCM_SHA384 = 0xC08D,
    /// <summary>0xC08E (RFC 6367).</summary>
    TLS_PSK_WITH_CAMELLIA_128_GCM_SHA256 = 0xC08E,
    /// <summary>0xC08F (RFC 6367).</summary>
    TLS_PSK_WITH_CAMELLIA_256_GCM_SHA384 = 0xC08F,
    /// <summary>0xC090 (RFC 6367).</summary>
    TLS_DHE_PSK_WITH_CAMELLIA_128_GCM_SHA256 = 0xC090,
    /// <summary>0xC091 (RFC 6367).</summary>
    TLS_DHE_PSK_WITH_CAMELLIA_256_GCM_SHA384 = 0xC091,
    /// <summary>0xC092 (RFC 6367).</summary>
    TLS_RSA_PSK_WITH_CAMELLIA_128_GCM_SHA256 = 0xC092,
    /// <summary>0xC093 (RFC 6367).</summary>
    TLS_RSA_PSK_WITH_CAMELLIA_256_GCM_SHA384 = 0xC093,
    /// <summary>0xC094 (RFC 6367).</summary>
    TLS_PSK_WITH_CAMELLIA_128_CBC_SHA256 = 0xC094,
    /// <summary>0xC095 (RFC 6367).</summary>
    TLS_PSK_WITH_CAMELLIA_256_CBC_SHA384 = 0xC095,
    /// <summary>0xC096 (RFC 6367).</summary>
    TLS_DHE_PSK_WITH_CAMELLIA_128_CBC_SHA256 = 0xC096,
    /// <summary>0xC097 (RFC 6367).</summary>
    TLS_DHE_PSK_WITH_CAMELLIA_256_CBC_SHA384 = 0xC097,
    /// <summary>0xC098 (RFC 6367).</summary>
    TLS_RSA_PSK_WITH_CAMELLIA_128_CBC_SHA256 = 0xC098,
    /// <summary>0xC099 (RFC 6367).</summary>
    TLS_RSA_PSK_WITH_CAMELLIA_256_CBC_SHA384 = 0xC099,
    /// <summary>0xC09A (RFC 6367).</summary>
    TLS_ECDHE_PSK_WITH_CAMELLIA_128_CBC_SHA256 = 0xC09A,
    /// <summary>0xC09B (RFC 6367).</summary>
    TLS_ECDHE_PSK_WITH_CAMELLIA_256_CBC_SHA384 = 0xC09B,
    /// <summary>0xC09C (RFC 6655).</summary>
    TLS_RSA_WITH_AES_128_CCM = 0xC09C,
    /// <summary>0xC09D (RFC 6655).</summary>
    TLS_RSA_WITH_AES_256_CCM = 0xC09D,
    /// <summary>0xC09E (RFC 6655).</summary>
    TLS_DHE_RSA_WITH_AES_128_CCM = 0xC09E,
    /// <summary>0xC09F (RFC 6655).</summary>
    TLS_DHE_RSA_WITH_AES_256_CCM = 0xC09F,
    /// <summary>0xC0A0 (RFC 6655).</summary>
    TLS_RSA_WITH_AES_128_CCM_8 = 0xC0A0,
    /// <summary>0xC0A1 (RFC 6655).</summary>
    TLS_RSA_WITH_AES_256_CCM_8 = 0xC0A1,
    /// <summary>0xC0A2 (RFC 6655).</summary>
    TLS_DHE_RSA_WITH_AES_128_CCM_8 = 0xC0A2,
    /// <summary>0xC0A3 (RFC 6655).</summary>
    TLS_DHE_RSA_WITH_AES_256_CCM_8 = 0xC0A3,
    /// <summary>0xC0A4 (RFC 6655).</summary>
    TLS_PSK_WITH_AES_128_CCM = 0xC0A4,
    /// <summary>0xC0A5 (RFC 6655).</summary>
    TLS_PSK_WITH_AES_256_CCM = 0xC0A5,
    /// <summary>0xC0A6 (RFC 6655).</summary>
    TLS_DHE_PSK_WITH_AES_128_CCM = 0xC0A6,
    /// <summary>0xC0A7 (RFC 6655).</summary>
    TLS_DHE_PSK_WITH_AES_256_CCM = 0xC0A7,
    /// <summary>0xC0A8 (RFC 6655).</summary>
    TLS_PSK_WITH_AES_128_CCM_8 = 0xC0A8,
    /// <summary>0xC0A9 (RFC 6655).</summary>
    TLS_PSK_WITH_AES_256_CCM_8 = 0xC0A9,
    /// <summary>0xC0AA (RFC 6655).</summary>
    TLS_PSK_DHE_WITH_AES_128_CCM_8 = 0xC0AA,
    /// <summary>0xC0AB (RFC 6655).</summary>
    TLS_PSK_DHE_WITH_AES_256_CCM_8 = 0xC0AB,
    /// <summary>0xC0AC (RFC 7251).</summary>
    TLS_ECDHE_ECDSA_WITH_AES_128_CCM = 0xC0AC,
    /// <summary>0xC0AD (RFC 7251).</summary>
    TLS_ECDHE_ECDSA_WITH_AES_256_CCM = 0xC0AD,
    /// <summary>0xC0AE (RFC 7251).</summary>
    TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 = 0xC0AE,
    /// <summary>0xC0AF (RFC 7251).</summary>
    TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8 = 0xC0AF,
    /// <summary>0xC0B0 (RFC 8492).</summary>
    TLS_ECCPWD_WITH_AES_128_GCM_SHA256 = 0xC0B0,
    /// <summary>0xC0B1 (RFC 8492).</summary>
    TLS_ECCPWD_WITH_AES_256_GCM_SHA384 = 0xC0B1,
    /// <summary>0xC0B2 (RFC 8492).</summary>
    TLS_ECCPWD_WITH_AES_128_CCM_SHA256 = 0xC0B2,
    /// <summary>0xC0B3 (RFC 8492).</summary>
    TLS_ECCPWD_WITH_AES_256_CCM_SHA384 = 0xC0B3,
    /// <summary>0xC0B4 (RFC 9150).</summary>
    TLS_SHA256_SHA256 = 0xC0B4,
    /// <summary>0xC0B5 (RFC 9150).</summary>
    TLS_SHA384_SHA384 = 0xC0B5,
    /// <summary>0xC100 (RFC 9189).</summary>
    TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC = 0xC100,
    /// <summary>0xC101 (RFC 9189).</summary>
    TLS_GOSTR341112_256_WITH_MAGMA_CTR_OMAC = 0xC101,
    /// <summary>0xC102 (RFC 9189).</summary>
    TLS_GOSTR341112_256_WITH_28147_CNT_IMIT = 0xC102,
    /// <summary>0xC103 (RFC 9367).</summary>
    TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_L = 0xC103,
    /// <summary>0xC104 (RFC 9367).</summary>
    TLS_GOSTR341112_256_WITH_MAGMA_MGM_L = 0xC104,
    /// <summary>0xC105 (RFC 9367).</summary>
    TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_S = 0xC105,
    /// <summary>0xC106 (RFC 9367).</summary>
    TLS_GOSTR341112_256_WITH_MAGMA_MGM_S = 0xC106,
    /// <summary>0xCCA8 (RFC 7905).</summary>
    TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 = 0xCCA8,
    /// <summary>0xCCA9 (RFC 7905).</summary>
    TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 = 0xCCA9,
    /// <summary>0xCCAA (RFC 7905).</summary>
    TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256 = 0xCCAA,
    /// <summary>0xCCAB (RFC 7905).</summary>
    TLS_PSK_WITH_CHACHA20_POLY1305_SHA256 = 0xCCAB,
    /// <summary>0xCCAC (RFC 7905).</summary>
    TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256 = 0xCCAC,
    /// <summary>0xCCAD (RFC 7905).</summary>
    TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256 = 0xCCAD,
    /// <summary>0xCCAE (RFC 7905).</summary>
    TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256 = 0xCCAE,
    /// <summary>0xD001 (RFC 8442).</summary>
    TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256 = 0xD001,
    /// <summary>0xD002 (RFC 8442).</summary>
    TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384 = 0xD002,
    /// <summary>0xD003 (RFC 8442).</summary>
    TLS_ECDHE_PSK_WITH_AES_128_CCM_8_SHA256 = 0xD003,
    /// <summary>0xD005 (RFC 8442).</summary>
    TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256 = 0xD005,
    /// <summary>0xFEFE (not IANA-assigned: Netscape FIPS suites in the reserved 0xFEFE-FEFF range, seen in old captures).</summary>
    SSL_RSA_FIPS_WITH_DES_CBC_SHA = 0xFEFE,
    /// <summary>0xFEFF (not IANA-assigned: Netscape FIPS suites in the reserved 0xFEFE-FEFF range, seen in old captures).</summary>
    SSL_RSA_FIPS_WITH_3DES_EDE_CBC_SHA = 0xFEFF,
}
