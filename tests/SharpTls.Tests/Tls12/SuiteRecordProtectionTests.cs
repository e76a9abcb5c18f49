using System.Buffers;
using SharpTls.Handshake.Tls12;
using SharpTls.Records;
using SharpTls.Wire;

namespace SharpTls.Tests.Tls12;

/// <summary>Record protection built from the suite table, for every suite we negotiate in every version it is allowed in.</summary>
public class SuiteRecordProtectionTests
{
    public static TheoryData<CipherSuite, ProtocolVersion, bool> SuitesVersionsEtm()
    {
        var data = new TheoryData<CipherSuite, ProtocolVersion, bool>();
        foreach (var suite in Tls12Suites.ServerOrder.Concat(Tls12Suites.LegacyOnly))
            foreach (var version in new[] { ProtocolVersion.Ssl3, ProtocolVersion.Tls10, ProtocolVersion.Tls11, ProtocolVersion.Tls12 })
            {
                if (!Tls12Suites.AllowedIn(suite, version)) continue;
                data.Add(suite, version, false);
                if (CipherSuites.Info(suite).Mode == BulkCipherMode.Cbc && version != ProtocolVersion.Ssl3) data.Add(suite, version, true);
            }
        return data;
    }

    [Theory]
    [MemberData(nameof(SuitesVersionsEtm))]
    public void Each_direction_round_trips_and_the_other_direction_does_not_open(CipherSuite suite, ProtocolVersion version, bool etm)
    {
        var info = CipherSuites.Info(suite);
        byte[] master = Enumerable.Range(0, 48).Select(i => (byte)i).ToArray();
        byte[] cr = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray(), sr = Enumerable.Range(200, 32).Select(i => (byte)i).ToArray();
        IRecordProtection Make(bool clientWrite) => SuiteRecordProtection.Create(info, version, master, cr, sr, clientWrite, etm, b => b.Fill(7));
        using var clientSeal = Make(true);
        using var serverOpen = Make(true);
        using var wrongOpen = Make(false);
        byte[] plaintext = "application data, several blocks long......"u8.ToArray();
        var sealed1 = new ArrayBufferWriter<byte>();
        clientSeal.Seal(ContentType.ApplicationData, (ushort)version, plaintext, sealed1);
        byte[] record = sealed1.WrittenSpan.ToArray();
        byte[] copy = (byte[])record.Clone();
        Assert.Equal(plaintext, serverOpen.Open(ContentType.ApplicationData, (ushort)version, record.AsSpan(5), out _).ToArray());
        var e = Assert.Throws<TlsProtocolException>(() => wrongOpen.Open(ContentType.ApplicationData, (ushort)version, copy.AsSpan(5), out _));
        Assert.Equal(AlertDescription.BadRecordMac, e.Alert);
    }

    [Fact]
    public void Key_block_lengths_follow_the_suite_and_version()
    {
        Assert.Equal((20, 16, 16), SuiteRecordProtection.KeyBlockLengths(CipherSuites.Info(CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA), ProtocolVersion.Tls10));
        Assert.Equal((20, 16, 0), SuiteRecordProtection.KeyBlockLengths(CipherSuites.Info(CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA), ProtocolVersion.Tls12));
        Assert.Equal((48, 32, 0), SuiteRecordProtection.KeyBlockLengths(CipherSuites.Info(CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384), ProtocolVersion.Tls12));
        Assert.Equal((20, 24, 8), SuiteRecordProtection.KeyBlockLengths(CipherSuites.Info(CipherSuite.TLS_RSA_WITH_3DES_EDE_CBC_SHA), ProtocolVersion.Ssl3));
        Assert.Equal((0, 16, 4), SuiteRecordProtection.KeyBlockLengths(CipherSuites.Info(CipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256), ProtocolVersion.Tls12));
        Assert.Equal((0, 32, 12), SuiteRecordProtection.KeyBlockLengths(CipherSuites.Info(CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256), ProtocolVersion.Tls12));
    }
}
