using System.Security.Cryptography;
using SharpTls.Crypto;
using SharpTls.KeySchedule;
using SharpTls.Tests.Crypto;

namespace SharpTls.Tests.KeySchedule;

public class Tls12PrfTests
{
    // The TLS 1.2 PRF vectors posted to the IETF TLS list (secret/seed 16 bytes, label "test label").
    public static TheoryData<string, string, string, string> PrfVectors => new()
    {
        { "SHA256", "9b be 43 6b a9 40 f0 17 b1 76 52 84 9a 71 db 35", "a0 ba 9f 93 6c da 31 18 27 a6 f7 96 ff d5 19 8c",
          "e3 f2 29 ba 72 7b e1 7b 8d 12 26 20 55 7c d4 53 c2 aa b2 1d 07 c3 d4 95 32 9b 52 d4 e6 1e db 5a6b 30 17 91 e9 0d 35 c9 c9 a4 6b 4e 14 ba f9 af 0f a0 22 f7 07 7d ef 17 ab fd 37 97 c0 56 4b ab4f bc 91 66 6e 9d ef 9b 97 fc e3 4f 79 67 89 ba a4 80 82 d1 22 ee 42 c5 a7 2e 5a 51 10 ff f7 0187 34 7b 66" },
        { "SHA384", "b8 0b 73 3d 6c ee fc dc 71 56 6e a4 8e 55 67 df", "cd 66 5c f6 a8 44 7d d6 ff 8b 27 55 5e db 74 65",
          "7b 0c 18 e9 ce d4 10 ed 18 04 f2 cf a3 4a 33 6a 1c 14 df fb 49 00 bb 5f d7 94 21 07 e8 1c 83 cde9 ca 0f aa 60 be 9f e3 4f 82 b1 23 3c 91 46 a0 e5 34 cb 40 0f ed 27 00 88 4f 9d c2 36 f8 0e dd8b fa 96 11 44 c9 e8 d7 92 ec a7 22 a7 b3 2f c3 d4 16 d4 73 eb c2 c5 fd 4a bf da d0 5d 91 84 259b 5b f8 cd 4d 90 fa 0d 31 e2 de c4 79 e4 f1 a2 60 66 f2 ee a9 a6 92 36 a3 e5 26 55 c9 e9 ae e691 c8 f3 a2 68 54 30 8d 5e aa 3b e8 5e 09 90 70 3d 73 e5 6f" },
        { "SHA512", "b0 32 35 23 c1 85 35 99 58 4d 88 56 8b bb 05 eb", "d4 64 0e 12 e4 bc db fb 43 7f 03 e6 ae 41 8e e5",
          "12 61 f5 88 c7 98 c5 c2 01 ff 03 6e 7a 9c b5 ed cd 7f e3 f9 4c 66 9a 12 2a 46 38 d7 d5 08 b2 8304 2d f6 78 98 75 c7 14 7e 90 6d 86 8b c7 5c 45 e2 0e b4 0c 1c f4 a1 71 3b 27 37 1f 68 43 25 92f7 dc 8e a8 ef 22 3e 12 ea 85 07 84 13 11 bf 68 65 3d 0c fc 40 56 d8 11 f0 25 c4 5d df a6 e6 fec7 02 f0 54 b4 09 d6 f2 8d d0 a3 23 3e 49 8d a4 1a 3e 75 c5 63 0e ed be 22 fe 25 4e 33 a1 b0 e9f6 b9 82 66 75 be c7 d0 1a 84 56 58 dc 9c 39 75 45 40 1d 40 b9 f4 6c 7a 40 0e e1 b8 f8 1c a0 a60d 1a 39 7a 10 28 bf f5 d2 ef 50 66 12 68 42 fb 8d a4 19 76 32 bd b5 4f f6 63 3f 86 bb c8 36 e640 d4 d8 98" },
    };

    [Theory]
    [MemberData(nameof(PrfVectors))]
    public void Prf_known_answers(string hash, string secret, string seed, string expected)
    {
        byte[] output = Tls12Prf.Prf(new HashAlgorithmName(hash), Hex.Parse(secret), "test label", Hex.Parse(seed),
            Hex.Parse(expected).Length);
        Hex.Equal(expected, output);
    }

    // Key derivations recorded from GnuTLS (as carried in Go's crypto/tls prf tests): TLS 1.0 with
    // TLS_RSA_WITH_RC4_128_SHA-like parameters (MAC 20, key 16, no IV), and SSL 3.0 with the same inputs.
    public static TheoryData<string, string, string, string, string, string, string, string> Tls10Vectors => new()
    {
        {
            "0302cac83ad4b1db3b9ab49ad05957de2a504a634a386fc600889321e1a971f57479466830ac3e6f468e87f5385fa0c5",
            "4ae66303755184a3917fcb44880605fcc53baa01912b22ed94473fc69cebd558",
            "4ae663020ec16e6bb5130be918cfcafd4d765979a3136a5d50c593446e4e44db",
            "3d851bab6e5556e959a16bc36d66cfae32f672bfa9ecdef6096cbb1b23472df1da63dbbd9827606413221d149ed08ceb",
            "805aaa19b3d2c0a0759a4b6c9959890e08480119", "2d22f9fe519c075c16448305ceee209fc24ad109",
            "d50b5771244f850cd8117a9ccafe2cf1", "e076e33206b30507a85c32855acd0919"
        },
        {
            "03023f7527316bc12cbcd69e4b9e8275d62c028f27e65c745cfcddc7ce01bd3570a111378b63848127f1c36e5f9e4890",
            "4ae66364b5ea56b20ce4e25555aed2d7e67f42788dd03f3fee4adae0459ab106",
            "4ae66363ab815cbf6a248b87d6b556184e945e9b97fbdf247858b0bdafacfa1c",
            "7d64be7c80c59b740200b4b9c26d0baaa1c5ae56705acbcf2307fe62beb4728c19392c83f20483801cce022c77645460",
            "97742ed60a0554ca13f04f97ee193177b971e3b0", "37068751700400e03a8477a5c7eec0813ab9e0dc",
            "207cddbc600d2a200abac6502053ee5c", "df3f94f6e1eacc753b815fe16055cd43"
        },
        {
            "832d515f1d61eebb2be56ba0ef79879efb9b527504abb386fb4310ed5d0e3b1f220d3bb6b455033a2773e6d8bdf951d278a187482b400d45deb88a5d5a6bb7d6a7a1decc04eb9ef0642876cd4a82d374d3b6ff35f0351dc5d411104de431375355addc39bfb1f6329fb163b0bc298d658338930d07d313cd980a7e3d9196cac1",
            "4ae663b2ee389c0de147c509d8f18f5052afc4aaf9699efe8cb05ece883d3a5e",
            "4ae664d503fd4cff50cfc1fb8fc606580f87b0fcdac9554ba0e01d785bdf278e",
            "1aff2e7a2c4279d0126f57a65a77a8d9d0087cf2733366699bec27eb53d5740705a8574bb1acc2abbe90e44f0dd28d6c",
            "3c7647c93c1379a31a609542aa44e7f117a70085", "0d73102994be74a575a3ead8532590ca32a526d4",
            "ac7581b0b6c10d85bbd905ffbf36c65e", "ff07edde49682b45466bd2e39464b306"
        },
    };

    [Theory]
    [MemberData(nameof(Tls10Vectors))]
    public void Tls10_md5_sha1_prf_master_secret_and_key_block(string pms, string clientRandom, string serverRandom,
        string master, string clientMac, string serverMac, string clientKey, string serverKey)
    {
        byte[] ms = Tls12Prf.MasterSecret(TlsHashes.Md5Sha1, Hex.Parse(pms), Hex.Parse(clientRandom), Hex.Parse(serverRandom));
        Hex.Equal(master, ms);
        using KeyBlock kb = Tls12Prf.KeyBlock(TlsHashes.Md5Sha1, ms, Hex.Parse(clientRandom), Hex.Parse(serverRandom), 20, 16, 0);
        Hex.Equal(clientMac, kb.ClientMacKey);
        Hex.Equal(serverMac, kb.ServerMacKey);
        Hex.Equal(clientKey, kb.ClientKey);
        Hex.Equal(serverKey, kb.ServerKey);
        Assert.Empty(kb.ClientIv);
    }

    /// <summary>
    /// The TLS 1.0 PRF vector posted to the IETF TLS list (ietf-tls mail archive msg01589, carried by several stacks'
    /// tests: forge, ell, pytls): secret 48 x 0xAB, label "PRF Testvector", seed 64 x 0xCD, 104 bytes out.
    /// </summary>
    [Fact]
    public void Tls10_prf_ietf_list_vector()
    {
        byte[] output = Tls12Prf.Prf(TlsHashes.Md5Sha1, Enumerable.Repeat((byte)0xAB, 48).ToArray(), "PRF Testvector",
            Enumerable.Repeat((byte)0xCD, 64).ToArray(), 104);
        Hex.Equal("d3d4d1e349b5d515044666d51de32bab258cb521b6b053463e354832fd976754443bcf9a296519bc289abcbc1187e4ebd31e602353776c408aafb74cbc85eff69255f9788faa184cbb957a9819d84a5d7eb006eb459d3ae8de9810454b8b2d8f1afbc655a8c9a013", output);
    }

    /// <summary>
    /// A second implementation, BouncyCastle's TLS code (its ssl_prf_legacy and tls_prf_legacy), derives the same SSL 3.0
    /// and TLS 1.0/1.1 master secrets and key blocks from random inputs (odd secret lengths included, which split S1/S2 with a shared byte).
    /// </summary>
    [Theory]
    [InlineData(48)]
    [InlineData(47)]
    [InlineData(256)]
    public void Ssl3_and_tls10_derivations_agree_with_bouncycastle(int secretLength)
    {
        var crypto = new Org.BouncyCastle.Tls.Crypto.Impl.BC.BcTlsCrypto(new Org.BouncyCastle.Security.SecureRandom());
        for (int round = 0; round < 8; round++)
        {
            byte[] pms = RandomNumberGenerator.GetBytes(secretLength);
            byte[] cr = RandomNumberGenerator.GetBytes(32), sr = RandomNumberGenerator.GetBytes(32);
            byte[] Bc(int prf, byte[] secret, string label, byte[] seed, int length)
                => crypto.CreateSecret(secret).DeriveUsingPrf(prf, label, seed, length).Extract();

            byte[] ssl3Master = Ssl3KeyDerivation.MasterSecret(pms, cr, sr);
            Assert.Equal(Bc(Org.BouncyCastle.Tls.PrfAlgorithm.ssl_prf_legacy, pms, "", [.. cr, .. sr], 48), ssl3Master);
            byte[] ssl3Block = Bc(Org.BouncyCastle.Tls.PrfAlgorithm.ssl_prf_legacy, ssl3Master, "", [.. sr, .. cr], 2 * (20 + 24 + 8));
            using (KeyBlock kb = Ssl3KeyDerivation.KeyBlock(ssl3Master, cr, sr, 20, 24, 8))
                Assert.Equal(ssl3Block, (byte[])[.. kb.ClientMacKey, .. kb.ServerMacKey, .. kb.ClientKey, .. kb.ServerKey, .. kb.ClientIv, .. kb.ServerIv]);

            byte[] tlsMaster = Tls12Prf.MasterSecret(TlsHashes.Md5Sha1, pms, cr, sr);
            Assert.Equal(Bc(Org.BouncyCastle.Tls.PrfAlgorithm.tls_prf_legacy, pms, "master secret", [.. cr, .. sr], 48), tlsMaster);
            byte[] tlsBlock = Bc(Org.BouncyCastle.Tls.PrfAlgorithm.tls_prf_legacy, tlsMaster, "key expansion", [.. sr, .. cr], 2 * (20 + 16 + 16));
            using (KeyBlock kb = Tls12Prf.KeyBlock(TlsHashes.Md5Sha1, tlsMaster, cr, sr, 20, 16, 16))
                Assert.Equal(tlsBlock, (byte[])[.. kb.ClientMacKey, .. kb.ServerMacKey, .. kb.ClientKey, .. kb.ServerKey, .. kb.ClientIv, .. kb.ServerIv]);
            byte[] hash = RandomNumberGenerator.GetBytes(36);
            Assert.Equal(Bc(Org.BouncyCastle.Tls.PrfAlgorithm.tls_prf_legacy, tlsMaster, "client finished", hash, 12),
                Tls12Prf.FinishedVerifyData(TlsHashes.Md5Sha1, tlsMaster, client: true, hash));
        }
    }

    [Fact]
    public void Ssl3_master_secret_and_key_block()
    {
        byte[] pms = Hex.Parse("832d515f1d61eebb2be56ba0ef79879efb9b527504abb386fb4310ed5d0e3b1f220d3bb6b455033a2773e6d8bdf951d278a187482b400d45deb88a5d5a6bb7d6a7a1decc04eb9ef0642876cd4a82d374d3b6ff35f0351dc5d411104de431375355addc39bfb1f6329fb163b0bc298d658338930d07d313cd980a7e3d9196cac1");
        byte[] cr = Hex.Parse("4ae663b2ee389c0de147c509d8f18f5052afc4aaf9699efe8cb05ece883d3a5e");
        byte[] sr = Hex.Parse("4ae664d503fd4cff50cfc1fb8fc606580f87b0fcdac9554ba0e01d785bdf278e");
        byte[] ms = Ssl3KeyDerivation.MasterSecret(pms, cr, sr);
        Hex.Equal("a614863e56299dcffeea2938f22c2ba023768dbe4b3f6877bc9c346c6ae529b51d9cb87ff9695ea4d01f2205584405b2", ms);
        using KeyBlock kb = Ssl3KeyDerivation.KeyBlock(ms, cr, sr, 20, 16, 0);
        Hex.Equal("2c450d5b6f6e2013ac6bea6a0b32200d4e1ffb94", kb.ClientMacKey);
        Hex.Equal("7a7a7438769536f2fb1ae49a61f0703b79b2dc53", kb.ServerMacKey);
        Hex.Equal("f8f6b26c10f12855c9aafb1e0e839ccf", kb.ClientKey);
        Hex.Equal("2b9d4b4a60cb7f396780ebff50650419", kb.ServerKey);
    }

    [Fact]
    public void Ssl3_finished_follows_the_pad_construction()
    {
        byte[] master = Enumerable.Range(1, 48).Select(i => (byte)i).ToArray();
        byte[] messages = "client hello, server hello"u8.ToArray();
        using var t = new Transcript(TlsHashes.Md5Sha1);
        t.Add(messages);
        byte[] client = Ssl3KeyDerivation.FinishedVerifyData(t, master, client: true);
        byte[] server = Ssl3KeyDerivation.FinishedVerifyData(t, master, client: false);
        Assert.Equal(36, client.Length);
        Assert.NotEqual(client, server);

        // md5_hash = MD5(master + pad2(48) + MD5(messages + "CLNT" + master + pad1(48)))
        byte[] innerMd5 = MD5.HashData([.. messages, .. "CLNT"u8, .. master, .. Enumerable.Repeat((byte)0x36, 48)]);
        byte[] md5 = MD5.HashData([.. master, .. Enumerable.Repeat((byte)0x5c, 48), .. innerMd5]);
        byte[] innerSha = SHA1.HashData([.. messages, .. "CLNT"u8, .. master, .. Enumerable.Repeat((byte)0x36, 40)]);
        byte[] sha = SHA1.HashData([.. master, .. Enumerable.Repeat((byte)0x5c, 40), .. innerSha]);
        Assert.Equal([.. md5, .. sha], client);
        // The transcript itself is untouched by the computation.
        Assert.Equal([.. MD5.HashData(messages), .. SHA1.HashData(messages)], t.GetCurrentHash());
        Assert.Equal(36, Ssl3KeyDerivation.CertificateVerifyHash(t, master).Length);
    }

    [Fact]
    public void Finished_and_extended_master_secret_use_their_labels()
    {
        byte[] master = new byte[48];
        byte[] hash = SHA256.HashData("transcript"u8);
        byte[] client = Tls12Prf.FinishedVerifyData(HashAlgorithmName.SHA256, master, client: true, hash);
        Assert.Equal(12, client.Length);
        Assert.Equal(Tls12Prf.Prf(HashAlgorithmName.SHA256, master, "client finished", hash, 12), client);
        Assert.Equal(Tls12Prf.Prf(HashAlgorithmName.SHA256, master, "server finished", hash, 12),
            Tls12Prf.FinishedVerifyData(HashAlgorithmName.SHA256, master, client: false, hash));
        byte[] ems = Tls12Prf.ExtendedMasterSecret(HashAlgorithmName.SHA256, new byte[48], hash);
        Assert.Equal(48, ems.Length);
        Assert.Equal(Tls12Prf.Prf(HashAlgorithmName.SHA256, new byte[48], "extended master secret", hash, 48), ems);
    }

    [Fact]
    public void Key_block_partition_order()
    {
        byte[] master = new byte[48];
        byte[] cr = new byte[32], sr = new byte[32];
        sr[0] = 1;
        byte[] raw = Tls12Prf.Prf(HashAlgorithmName.SHA256, master, "key expansion", [.. sr, .. cr], 2 * (20 + 16 + 4));
        using KeyBlock kb = Tls12Prf.KeyBlock(HashAlgorithmName.SHA256, master, cr, sr, 20, 16, 4);
        Assert.Equal(raw[..20], kb.ClientMacKey);
        Assert.Equal(raw[20..40], kb.ServerMacKey);
        Assert.Equal(raw[40..56], kb.ClientKey);
        Assert.Equal(raw[56..72], kb.ServerKey);
        Assert.Equal(raw[72..76], kb.ClientIv);
        Assert.Equal(raw[76..80], kb.ServerIv);
    }
}
