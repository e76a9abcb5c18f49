using SharpTls.Records;
using SharpTls.Wire;
using static SharpTls.Tests.Records.RecordTestUtil;

namespace SharpTls.Tests.Records;

/// <summary>
/// Known answers from a real peer: records written by OpenSSL 3.0.19 (`openssl s_client`, client side)
/// through a recording proxy, with the client write keys derived from the key log's master secret
/// (RFC 5246 §6.3 key block, computed once outside these tests; randoms and master secret kept
/// beside each vector). Each vector is the client's Finished (sequence 0), "hello\n" as application
/// data (in TLS 1.0 after OpenSSL's empty record against BEAST) and close_notify.
/// </summary>
public class OpenSslRecordVectorTests
{
    public sealed record Vector(string Name, string Key, string Iv, string MacKey, string[] Records)
    {
        public override string ToString() => Name;
    }

    public static readonly Vector[] Vectors =
    [
        // tls12_aes128gcm: openssl 3.0 s_client, client_random 705338aa558f1287c6f6f7c729f8fa5d0a4f12b6f381df8adf000710cbde09b6,
        // server_random b1790809d84aa209ae2e491f5400c503776d036bad722e7ed676099b9171f813, master_secret 021c3dae123b30237836172b01233a447a885e30ed558ce20dad285375c056ca2813af32edf9589c33551efed16ca536
        new("tls12_aes128gcm", "95c820cdba7351c50ca0af28809c3e1e", "05ebb732", "",
            [
                "16030300288904cb7254075d592dd0d77f0804b3059e132360d9d90026fcb054409ce0995f40548a07ea59d586",
                "170303001e8904cb7254075d5a204bcec862e8e3d1a9e5cccf30478d59478afc4ce481",
                "150303001a8904cb7254075d5b7179caee4e10afa077ec49f5aeea902cd75d"
            ]),
        // tls12_aes256gcm: openssl 3.0 s_client, client_random dced7a90f86d1186939144f03ba5b67c404767c3c897392a5e27e6beaf20efa9,
        // server_random 6725d5c5340abd78aa1374cf1205e036702dde15ac997995171dc6ce7004e029, master_secret fa7097b6994f501bf5551b891dcecd071f3509c4a211a59a83ecab677449346bd6eef6f771dca93033b5b21dbe109e67
        new("tls12_aes256gcm", "e68a9a5c6b1b64da353ed7ee1b68e73ddc364f2d475ea91bfc8f11bc41cafc1f", "09993278", "",
            [
                "1603030028cc6e4ce30ce206018e0feecb84c7ffdb315d8ebd3b69d8f348c1f2df18f7b2a130bf5e57f83ea1eb",
                "170303001ecc6e4ce30ce20602dad79058e55b294aa238662522e81e6f115bd38e59bb",
                "150303001acc6e4ce30ce206031a92f1775708d5b14cf3cb7e6aee2ec0b01b"
            ]),
        // tls12_chacha: openssl 3.0 s_client, client_random ce6190cb932ac359f651fee3709b31f550171e4113cd641e38a2c4560d8251d4,
        // server_random a3e17f189ca4492001eefec1db63e8050fabbed844bcccd7b001a7e2efa507a1, master_secret 5e9833b2e7b11f197b4fd06520fc7c9f02bc8f99b83af15ea74df23c163452920ff7f04d65359d568416f236402ea46c
        new("tls12_chacha", "bac27632ec6930ad10f27206e7059bc2b559590e5d553306ad8fee24806f13a5", "ed97e490395947e1934d36d7", "",
            [
                "160303002089573093d35d9482ee7eddac4c79f4462f3eed9c7d9c0401eb87c9fa6eb66614",
                "17030300163e73c874ab262c2e3c1e9e74d5dcc3e022481fbad753",
                "1503030012f07fe0e72ad4fecf5e87a6c3f665f1052423"
            ]),
        // tls12_aes128ccm8: openssl 3.0 s_client, client_random 0b062011e155fb7ae4f65ef3b4835b4748c7b77ab44018324e228ccaa68f1b59,
        // server_random 5b74deaa52315ca18f8eba6c9ac10437264c4d0227b28541516212b729d7aa9f, master_secret 554c642ff4f6dc79cb4489374591f30819901feb49749d691b31718db2e549a0d8d2cba350d8284cb7220c33b23af579
        new("tls12_aes128ccm8", "eec05f880f22bbfc2fb3b8c4d4b9cece", "b7e8464d", "",
            [
                "160303002000000000000000001c39b955d71fa2a92c87fc0fa39be5c25e8324a858efd317",
                "17030300160000000000000001e8b56c982fec595b98cb0234e163",
                "15030300120000000000000002816929b6867b0edffc32"
            ]),
        // tls12_aes128ccm: openssl 3.0 s_client, client_random 426a832b111e4f89af571c5bd4e476d9897af30918861a697a88a86a6f20e9c2,
        // server_random d72a49e6279417713e93da7ea05f09a5c988ba14d8716764528fa1a5ccec0bda, master_secret 548a8cf6ef1304553253e603df1ea8c16e9504a5c3a936b9837e75f4912a0c69d2725fd0f972a422d68407468d12e078
        new("tls12_aes128ccm", "1fb6e593f582c34e630822a50f13724c", "e224b53f", "",
            [
                "160303002800000000000000003cc9c6369b05edbc4fd33c323f9216c780487e66bcc573192b59ca5151c29be0",
                "170303001e0000000000000001e485f0c7df4e21d86d169adb23638e4c2138f0b0a8ce",
                "150303001a0000000000000002bbcae40a7689efc23b481247904f538ca3de"
            ]),
        // tls12_cbc_sha256_etm: openssl 3.0 s_client, client_random d5eaaea75aef54a35e18ec6f50eb7f0a1fb9adb42bf514ba7a3bec2bef302fa5,
        // server_random 8a73a4a43eaf5a424900078d82609f647c8dbf6ec75e0c97eb82c67f64054c68, master_secret cf03c2c558a0bc9f01f1477bb894b95d35204f3e59c9b6814ea01a8fca249cd766f89860806b3764c2066758409f29e7
        new("tls12_cbc_sha256_etm", "c3b7b0c2beda5527bc290a31e0bb017f", "", "1ba14ac54164a2144cea020cca68c5fd5607ddc614ebb04d884cc19c7c8c52e9",
            [
                "1603030050b9e5ac60b984c95c8395703879fb3f1cf47d0527e5758648d16cdbd3bbed213bfc435eb4e4c214747127feebacfa4f823424393e35a8708f3afc8aeca893091fbe283a796f8dd7acfc31fe92b2b80888",
                "1703030040cf7430611ce0a848d4122d3500635ba0010ad3caaaec37c9578122f932ec43a6756be3c69f177962df49de8272269574227a201822bd65b48a927c4094b46826",
                "150303004058b7c246391b495861b9eec75015fd7689a3ec6ae1718d609fdcea1f1136dd2794c1dba5e5f309b3339ad6a24ef2e6938f42f155c549cc7f5562b1697b4096b6"
            ]),
        // tls12_cbc_sha256_mte: openssl 3.0 s_client, client_random d9bd51302380bd8f3a66326f3784df267801f56406d02003dd615a52ba235cc7,
        // server_random 48c1393a52698c858c5776dcf01476d44ec149c683de96db3ade8ae8755e3e47, master_secret b03db6c5b56e91f83101986e47c825e00355118a91b240461fbb6025650ecd9e52413d6c4de3530c6ad006024840aa61
        new("tls12_cbc_sha256_mte", "0aa570370cc8d9fad6955057e4f2d68a", "", "7eb6f0f0dcb6bc13affc6b5875688c41dffcb7ece94a4208f223ac279dab9703",
            [
                "1603030050f23bfcfeffddcaf8d378fc074d1dfd7f251ae326608133dc6560da478465f3ffff82ea8f8c423593011afc5646edcfa8438da94aa9a5037b106d905534b0aed7a70ad8e8ac542dd95c60f0804456b874",
                "17030300408045fa883cc52b5f948110f5ca3f8c65f51bc4a309ced6be8225d0af91576eb8cf496ea6e4d10c9674e22bd0aa39fdb0b1f13a849721f1cdfd1144d4efff744a",
                "1503030040c0228a3d815c0174ada6ab6dde9a7c8becc05982aaa26645b5543ea27a2f1628d0ed83cb35d3f5ad42931c9e39830dd0123a5141513249b0856b680c84315e51"
            ]),
        // tls10_cbc_sha1_mte: openssl 3.0 s_client, client_random 1696a0102662ee672435503740feaa76d95f0a510b34a93977eb9b2f6c160894,
        // server_random fe14890061c338518ca3a119a058b7d7a800e626559287628b791fbd2a32b51b, master_secret 11b2537d8effc0ad0a95acd55ea2ff380931266f9706819cafef38a48beecf374c5d607e6361ce8cd113a7a8265c49bc
        new("tls10_cbc_sha1_mte", "db7e226341462945ebf97d977a4e2935", "b3cd8fbe2a8444bb0596b49f8e6196c0", "86e19a3c05966960c0845a749612e144c7f2f9af",
            [
                "1603010030e11e89a7e5eaf4763ff3ad7ab6dd176cb0265e176b6434b193046d9ebabef5faf53a4ec9f8edab80cc159e76cd7b93d1",
                "1703010020c3f27b363e4e1a2fccc6be6fd855456ff9748798cdd61c6a810d8a77ba8f1673",
                "1703010020e92fa941a60bc08119c1bbabd5593f5255c429fa6b73d1c32fac2ffca6be626d",
                "1503010020974280a5748b431815749760e2be733b78c7db2ba04e8136652f82442712988a"
            ]),
        // tls10_cbc_sha1_etm: openssl 3.0 s_client, client_random 40e8f02c20e15d00d7ddc4eae75239e33e05111f559fd02994047656b201dc2f,
        // server_random c083135d965ad7c22cb2dfb05ebafdf1c885cc4ea430440767809086da07967b, master_secret cb626ad2f678bc934fc786a518eaf8e2f1ba5c08f00cebbfadf771ac211b8923739413d14466aaea0dba3e73a8560df6
        new("tls10_cbc_sha1_etm", "36fd1478e7db11937011b54fffab5e04", "0f80a56d3424a79c50620d0e4dffd6af", "9108ee3a02ab6d69061695919b2a2218a980ccc9",
            [
                "160301003482227340a3a0bf4290240e213be93d66928cbdeb0096b365792c053b4c21e5e5862335bfa5d1ad3f3b34279ec1dcfb8a9609d5b9",
                "17030100244f02861aa30dce15724f8954dfb3c2f758d303f0fa0149699498c452bb4b07a0f749232a",
                "17030100241c8e4bfa50286ec2da7bd0abedd6a98b60d0a8c69a0e1960d90b55618d05f03c6f11a667",
                "15030100244bbcdac2741a2691623deaa47b14e84d90106aa04778bbc4aa29c21ede665241126dd999"
            ]),
    ];

    public static TheoryData<Vector> All => new(Vectors);

    private static IRecordProtection Make(Vector v, Action<Span<byte>>? random = null) => v.Name switch
    {
        "tls12_aes128gcm" => new Tls12AeadRecordProtection(AeadAlgorithm.Aes128Gcm, Hex(v.Key), Hex(v.Iv)),
        "tls12_aes256gcm" => new Tls12AeadRecordProtection(AeadAlgorithm.Aes256Gcm, Hex(v.Key), Hex(v.Iv)),
        "tls12_chacha" => new Tls12AeadRecordProtection(AeadAlgorithm.ChaCha20Poly1305, Hex(v.Key), Hex(v.Iv)),
        "tls12_aes128ccm8" => new Tls12AeadRecordProtection(AeadAlgorithm.Aes128Ccm8, Hex(v.Key), Hex(v.Iv)),
        "tls12_aes128ccm" => new Tls12AeadRecordProtection(AeadAlgorithm.Aes128Ccm, Hex(v.Key), Hex(v.Iv)),
        "tls12_cbc_sha256_etm" => new CbcRecordProtection(ProtocolVersion.Tls12, CbcCipher.Aes128, MacAlgorithm.Sha256, Hex(v.Key), [], Hex(v.MacKey), true, random),
        "tls12_cbc_sha256_mte" => new CbcRecordProtection(ProtocolVersion.Tls12, CbcCipher.Aes128, MacAlgorithm.Sha256, Hex(v.Key), [], Hex(v.MacKey), false, random),
        "tls10_cbc_sha1_mte" => new CbcRecordProtection(ProtocolVersion.Tls10, CbcCipher.Aes128, MacAlgorithm.Sha1, Hex(v.Key), Hex(v.Iv), Hex(v.MacKey), false),
        "tls10_cbc_sha1_etm" => new CbcRecordProtection(ProtocolVersion.Tls10, CbcCipher.Aes128, MacAlgorithm.Sha1, Hex(v.Key), Hex(v.Iv), Hex(v.MacKey), true),
        _ => throw new ArgumentException(v.Name),
    };

    private static (ContentType Type, byte[] Data)[] Expected(Vector v) => v.Name.StartsWith("tls10")
        ? [(ContentType.Handshake, []), (ContentType.ApplicationData, []), (ContentType.ApplicationData, "hello\n"u8.ToArray()), (ContentType.Alert, [1, 0])]
        : [(ContentType.Handshake, []), (ContentType.ApplicationData, "hello\n"u8.ToArray()), (ContentType.Alert, [1, 0])];

    [Theory]
    [MemberData(nameof(All))]
    public void OpensEveryRecordOpenSslWrote(Vector v)
    {
        using var opener = Make(v);
        var expected = Expected(v);
        Assert.Equal(expected.Length, v.Records.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            var (type, plain) = RecordProtectionMatrixTests.Open(opener, Hex(v.Records[i]));
            Assert.Equal(expected[i].Type, type);
            if (type == ContentType.Handshake)
            {
                // Finished: type 20, length 12 (verify_data).
                Assert.Equal(new byte[] { 20, 0, 0, 12 }, plain[..4]);
                Assert.Equal(16, plain.Length);
            }
            else
            {
                Assert.Equal(expected[i].Data, plain);
            }
        }
    }

    /// <summary>
    /// Where the record carries no random choice (ChaCha20-Poly1305; CCM, whose explicit nonce OpenSSL
    /// sets to the sequence number as we do; TLS 1.0 chained IVs) or the IV can be injected (TLS 1.2 CBC),
    /// sealing the same plaintexts gives OpenSSL's bytes exactly. GCM: below.
    /// </summary>
    [Theory]
    [MemberData(nameof(Determined))]
    public void SealsToOpenSslsBytesWhenTheNonceIsDetermined(Vector v)
    {
        var records = v.Records.Select(Hex).ToArray();
        if (v.Name.Contains("ccm"))
            for (int i = 0; i < records.Length; i++)
                Assert.Equal((ulong)i, System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(records[i].AsSpan(5, 8)));
        using var opener = Make(v);
        var plaintexts = records.Select(r => RecordProtectionMatrixTests.Open(opener, r)).ToArray();
        int index = 0;
        using var sealer = Make(v, iv => records[index].AsSpan(5, iv.Length).CopyTo(iv));
        for (index = 0; index < records.Length; index++)
        {
            var sealedRecord = RecordProtectionMatrixTests.Seal(sealer, plaintexts[index].Item1, plaintexts[index].Item2,
                (ushort)((records[index][1] << 8) | records[index][2]));
            Assert.Equal(Convert.ToHexString(records[index]), Convert.ToHexString(sealedRecord));
        }
    }

    public static TheoryData<Vector> Determined => new(Vectors.Where(v => !v.Name.Contains("gcm")));
    public static TheoryData<Vector> Gcm => new(Vectors.Where(v => v.Name.Contains("gcm")));

    /// <summary>
    /// GCM (RFC 5288 §3): OpenSSL's explicit nonce is its own counter, ours is the sequence number, so the
    /// bytes cannot match OpenSSL's. Instead an independent GCM (BouncyCastle's, not the BCL's OpenSSL that
    /// we use) is first checked against OpenSSL's records (nonce = salt || explicit, additional data =
    /// seq_num || type || version || length), then must produce exactly what we seal, nonce = our explicit.
    /// </summary>
    [Theory]
    [MemberData(nameof(Gcm))]
    public void SealsAsAnIndependentGcmDoesWithTheNonceWeSend(Vector v)
    {
        var records = v.Records.Select(Hex).ToArray();
        byte[] key = Hex(v.Key), salt = Hex(v.Iv);
        using var opener = Make(v);
        using var sealer = Make(v);
        for (int i = 0; i < records.Length; i++)
        {
            var (type, plain) = RecordProtectionMatrixTests.Open(opener, records[i]);
            ushort version = (ushort)((records[i][1] << 8) | records[i][2]);
            // The reference opens OpenSSL's record to the same plaintext.
            Assert.Equal(plain, Reference(false, key, [.. salt, .. records[i].AsSpan(5, 8)], Aad(i, type, version, plain.Length), records[i].AsSpan(13)));

            byte[] ours = RecordProtectionMatrixTests.Seal(sealer, type, plain, version);
            Assert.Equal((ulong)i, System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(ours.AsSpan(5, 8)));
            byte[] expected = Reference(true, key, [.. salt, .. ours.AsSpan(5, 8)], Aad(i, type, version, plain.Length), plain);
            Assert.Equal(Convert.ToHexString(records[i].AsSpan(0, 5)), Convert.ToHexString(ours.AsSpan(0, 5)));
            Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(ours.AsSpan(13)));
        }
    }

    private static byte[] Aad(int seq, ContentType type, ushort version, int length)
    {
        byte[] aad = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(aad, (ulong)seq);
        aad[8] = (byte)type;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(aad.AsSpan(9), version);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(aad.AsSpan(11), (ushort)length);
        return aad;
    }

    private static byte[] Reference(bool encrypt, byte[] key, byte[] nonce, byte[] aad, ReadOnlySpan<byte> input)
    {
        var gcm = new Org.BouncyCastle.Crypto.Modes.GcmBlockCipher(new Org.BouncyCastle.Crypto.Engines.AesEngine());
        gcm.Init(encrypt, new Org.BouncyCastle.Crypto.Parameters.AeadParameters(new Org.BouncyCastle.Crypto.Parameters.KeyParameter(key), 128, nonce, aad));
        byte[] output = new byte[gcm.GetOutputSize(input.Length)];
        int n = gcm.ProcessBytes(input.ToArray(), 0, input.Length, output, 0);
        n += gcm.DoFinal(output, n);
        return output[..n];
    }
}
