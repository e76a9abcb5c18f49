namespace SharpTls.Tests.Rfc8448;

/// <summary>
/// RFC 8448 (Example Handshake Traces for TLS 1.3), the values these replay tests need, as the RFC
/// prints them (whitespace is ignored). Messages are handshake messages with their 4-byte header;
/// records are "complete record" values (5-byte header included).
/// </summary>
internal static class Rfc8448Vectors
{
    // ---- §2: the RSA key behind §3's server certificate ("rsa") ----
    public const string RsaModulus =
        "b4bb498f8279303d980836399b36c6988c0c68de55e1bdb826d3901a2461eafd2de49a91d015abbc9a95137ace6c1af1" +
        "9eaa6af98c7ced43120998e187a80ee0ccb0524b1b018c3e0b63264d449a6d38e22a5fda430846748030530ef0461c8c" +
        "a9d9efbfae8ea6d1d03e2bd193eff0ab9a8002c47428a6d35a8d88d79f7f1e3f";
    public const string RsaPrivateExponent =
        "04dea705d43a6ea7209dd8072111a83c81e322a59278b33480641eaf7c0a6985b8e31c44f6de62e1b4c2309f6126e77b" +
        "7c41e923314bbfa3881305dc1217f16c819ce538e922f369828d0e57195d8c8488460207b2faa726bcf708bbd7db7f67" +
        "9f893492fc2a622e08970aac441ce4e0c3088df25ae679233df8a3bda2ff9941";
    public const string RsaPrime1 =
        "e435fb7cc83737756dacea96ab7f59a2cc1069db7deb190e17e33a532b273f30a327aa0aaabc58cd67466af9845fadc6" +
        "75fe094af92c4bd1f2c1bc33dd2e0515";
    public const string RsaPrime2 =
        "cabd3bc0e0438664c8d4cc9f99977a94d9bbfead8e43870abae3f7eb8b4e0eee8af1d9b4719ba6196cf2cbbaeeebf8b3" +
        "490afe9e9ffa74a88aa51fc645629303";
    public const string RsaExponent1 =
        "3f57345c27fe1b687e6e761627b78b1b826433dd760fa0bea6a6acf39490aa1b47cda4869d68f584dd5b5029bd32093b" +
        "8258661fe715025e5d70a45a08d3d319";
    public const string RsaExponent2 =
        "183da01363bd2f2885cacbdc9964bf4764f1517636f86401286f71893c52ccfe40a6c23d0d086b47c6fb10d8fd1041e0" +
        "4def7e9a40ce957c417794e10412d139";
    public const string RsaCoefficient =
        "839ca9a085e4286b2c90e466997a2c681f21339aa3477814e4dec11833050ed50dd13cc038048a43c59b2acc416889c0" +
        "37665fe5afa605969f8c01dfa5ca969d";

    // The signature_algorithms list every RFC 8448 client offers (and §6's server requests).
    public static readonly ushort[] SignatureAlgorithms =
        [0x0403, 0x0503, 0x0603, 0x0203, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0201, 0x0402, 0x0502, 0x0602, 0x0202];

    // The supported_groups list of §3, §4 and §6 (x25519, secp256r1/384r1/521r1, ffdhe2048..8192).
    public static readonly ushort[] Groups = [0x001d, 0x0017, 0x0018, 0x0019, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104];

    // The cipher_suites every RFC 8448 client offers.
    public static readonly ushort[] CipherSuites = [0x1301, 0x1303, 0x1302];

    /// <summary>§3 Simple 1-RTT Handshake.</summary>
    public static class Simple
    {
        public const string ClientPrivateKey = "49af42ba7f7994852d713ef2784bcbcaa7911de26adc5642cb634540e7ea5005";
        public const string ClientRandom = "cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7";
        public const string ServerPrivateKey = "b1580eeadf6dd589b8ef4f2d5652578cc810e9980191ec8d058308cea216a21e";
        public const string ServerRandom = "a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155772ed3e26928";

        public const string ClientHello =
            "010000c00303cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7000006130113031302010000910000" +
            "000b0009000006736572766572ff01000100000a00140012001d0017001800190100010101020103010400230000003300260024" +
            "001d002099381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c002b0003020304000d0020001e040305" +
            "030603020308040805080604010501060102010402050206020202002d00020101001c00024001";
        public const string ServerHello =
            "020000560303a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155772ed3e2692800130100002e00330024001d0020" +
            "c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f002b00020304";
        public const string EncryptedExtensions =
            "080000240022000a00140012001d00170018001901000101010201030104001c0002400100000000";
        public const string Certificate =
            "0b0001b9000001b50001b0308201ac30820115a003020102020102300d06092a864886f70d01010b0500300e310c300a06035504" +
            "031303727361301e170d3136303733303031323335395a170d3236303733303031323335395a300e310c300a0603550403130372" +
            "736130819f300d06092a864886f70d010101050003818d0030818902818100b4bb498f8279303d980836399b36c6988c0c68de55" +
            "e1bdb826d3901a2461eafd2de49a91d015abbc9a95137ace6c1af19eaa6af98c7ced43120998e187a80ee0ccb0524b1b018c3e0b" +
            "63264d449a6d38e22a5fda430846748030530ef0461c8ca9d9efbfae8ea6d1d03e2bd193eff0ab9a8002c47428a6d35a8d88d79f" +
            "7f1e3f0203010001a31a301830090603551d1304023000300b0603551d0f0404030205a0300d06092a864886f70d01010b050003" +
            "81810085aad2a0e5b9276b908c65f73a7267170618a54c5f8a7b337d2df7a594365417f2eae8f8a58c8f8172f9319cf36b7fd6c5" +
            "5b80f21a03015156726096fd335e5e67f2dbf102702e608ccae6bec1fc63a42a99be5c3eb7107c3c54e9b9eb2bd5203b1c3b84e0" +
            "a8b2f759409ba3eac9d91d402dcc0cc8f8961229ac9187b42b4de10000";
        public const string CertificateVerify =
            "0f000084080400805a747c5d88fa9bd2e55ab085a61015b7211f824cd484145ab3ff52f1fda8477b0b7abc90db78e2d33a5c141a" +
            "078653fa6bef780c5ea248eeaaa785c4f394cab6d30bbe8d4859ee511f602957b15411ac027671459e46445c9ea58c181e818e95" +
            "b8c3fb0bf3278409d3be152a3da5043e063dda65cdf5aea20d53dfacd42f74f3";
        public const string ServerFinished = "140000209b9b141d906337fbd2cbdce71df4deda4ab42c309572cb7fffee5454b78f0718";
        public const string ClientFinished = "14000020a8ec436d677634ae525ac1fcebe11a039ec17694fac6e98527b642f2edd5ce61";
        public const string NewSessionTicket =
            "040000c90000001efad6aac502000000b22c035d829359ee5ff7af4ec900000000262a6494dc486d2c8a34cb33fa90bf1b0070ad" +
            "3c498883c9367c09a2be785abc55cd226097a3a982117283f82a03a143efd3ff5dd36d64e861be7fd61d2827db279cce145077d4" +
            "54a3664d4e6da4d29ee03725a6a4dafcd0fc67d2aea70529513e3da2677fa5906c5b3f7d8f92f228bda40dda721470f9fbf297b5" +
            "aea617646fac5c03272e970727c621a79141ef5f7de6505e5bfbc388e93343694093934ae4d3570008002a000400000400";

        // {server} send handshake record: EE, Certificate, CertificateVerify, Finished (679 octets)
        public const string ServerFlightRecord =
            "17030302a2d1ff334a56f5bff6594a07cc87b580233f500f45e489e7f33af35edf7869fcf40aa40aa2b8ea73f848a7ca07612ef9" +
            "f945cb960b4068905123ea78b111b429ba9191cd05d2a389280f526134aadc7fc78c4b729df828b5ecf7b13bd9aefb0e57f27158" +
            "5b8ea9bb355c7c79020716cfb9b1183ef3ab20e37d57a6b9d7477609aee6e122a4cf51427325250c7d0e509289444c9b3a648f1d" +
            "71035d2ed65b0e3cdd0cbae8bf2d0b227812cbb360987255cc744110c453baa4fcd610928d809810e4b7ed1a8fd991f06aa62482" +
            "04797e36a6a73b70a2559c09ead686945ba246ab66e5edd8044b4c6de3fcf2a89441ac66272fd8fb330ef8190579b3684596c960" +
            "bd596eea520a56a8d650f563aad27409960dca63d3e688611ea5e22f4415cf9538d51a200c27034272968a264ed6540c84838d89" +
            "f72c24461aad6d26f59ecaba9acbbb317b66d902f4f292a36ac1b639c637ce343117b659622245317b49eeda0c6258f100d7d961" +
            "ffb138647e92ea330faeea6dfa31c7a84dc3bd7e1b7a6c7178af36879018e3f252107f243d243dc7339d5684c8b0378bf30244da" +
            "8c87c843f5e56eb4c5e8280a2b48052cf93b16499a66db7cca71e4599426f7d461e66f99882bd89fc50800becca62d6c74116dbd" +
            "2972fda1fa80f85df881edbe5a37668936b335583b599186dc5c6918a396fa48a181d6b6fa4f9d62d513afbb992f2b992f67f8af" +
            "e67f76913fa388cb5630c8ca01e0c65d11c66a1e2ac4c85977b7c7a6999bbf10dc35ae69f5515614636c0b9b68c19ed2e31c0b3b" +
            "66763038ebba42f3b38edc0399f3a9f23faa63978c317fc9fa66a73f60f0504de93b5b845e275592c12335ee340bbc4fddd50278" +
            "4016e4b3be7ef04dda49f4b440a30cb5d2af939828fd4ae3794e44f94df5a631ede42c1719bfdabf0253fe5175be898e750edc53" +
            "370d2b";
        public const string ClientFinishedRecord =
            "170303003575ec4dc238cce60b298044a71e219c56cc77b0517fe9b93c7a4bfc44d87f38f80338ac98fc46deb384bd1caeacab68" +
            "67d726c40546";
        public const string NewSessionTicketRecord =
            "17030300de3a6b8f90414a97d6959c3487680de5134a2b240e6cffac116e95d41d6af8f6b580dcf3d11d63c758db289a01594025" +
            "2f55713e061dc13e078891a38efbcf5753ad8ef170ad3c7353d16d9da773b9ca7f2b9fa1b6c0d4a3d03f75e09c30ba1e62972ac4" +
            "6f75f7b981be63439b2999ce13064615139891d5e4c5b406f16e3fc181a77ca475840025db2f0a77f81b5ab05b94c01346755f69" +
            "232c86519d86cbeeac87aac347d143f9605d64f650db4d023e70e952ca49fe5137121c74bc2697687e248746d6df353005f3bce1" +
            "8696129c8153556b3b6c6779b37bf15985684f";
        public const string ClientApplicationDataRecord =
            "1703030043a23f7054b62c94d0affafe8228ba55cbefacea42f914aa66bcab3f2b9819a8a5b46b395bd54a9a20441e2b62974e1f" +
            "5a6292a2977014bd1e3deae63aeebb21694915e4";
        public const string ServerApplicationDataRecord =
            "17030300432e937e11ef4ac740e538ad36005fc4a46932fc3225d05f82aa1b36e30efaf97d90e6dffc602dcb501a59a8fcc49c4b" +
            "f2e5f0a21c0047c2abf332540dd032e167c2955d";
        public const string ClientAlertRecord = "1703030013c9872760655666b74d7ff1153efd6db6d0b0e3";
        public const string ServerAlertRecord = "1703030013b58fd67166ebf599d24720cfbe7efa7a8864a9";

        public const string ClientHandshakeTrafficSecret = "b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21";
        public const string ServerHandshakeTrafficSecret = "b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38";
        public const string ClientApplicationTrafficSecret = "9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5";
        public const string ServerApplicationTrafficSecret = "a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643";
        public const string ExporterMasterSecret = "fe22f881176eda18eb8f44529e6792c50c9a3f89452f68d8ae311b4309d3cf50";
        public const string ServerHandshakeKey = "3fce516009c21727d0f2e4e86ee403bc";
        public const string ServerHandshakeIv = "5d313eb2671276ee13000b30";
        // {server} generate resumption secret "tls13 resumption" (ticket nonce 00 00)
        public const string ResumptionPsk = "4ecd0eb6ec3b4d87f5d6028f922ca4c5851a277fd41311c9e62d2c9492e1c4f3";
    }

    /// <summary>§4 Resumed 0-RTT Handshake.</summary>
    public static class Resumed
    {
        public const string ClientPrivateKey = "bff91188283846dd6a2134ef7180ca2b0b14fb10dce707b5098c0dddc813b2df";
        public const string ClientRandom = "1bc3ceb6bbe39cff938355b5a50adb6db21b7a6af649d7b4bc419d7876487d95";

        // ClientHello (512 octets): padding (0x57 zero octets), then pre_shared_key with the binder.
        public static readonly string ClientHello =
            "010001fc03031bc3ceb6bbe39cff938355b5a50adb6db21b7a6af649d7b4bc419d7876487d95000006130113031302010001cd00" +
            "00000b0009000006736572766572ff01000100000a00140012001d00170018001901000101010201030104003300260024001d00" +
            "20e4ffb68ac05f8d96c99da26698346c6be16482badddafe051a66b4f18d668f0b002a0000002b0003020304000d0020001e0403" +
            "05030603020308040805080604010501060102010402050206020202002d00020101001c00024001" +
            "00150057" + new string('0', 2 * 0x57) +
            "002900dd00b800b22c035d829359ee5ff7af4ec900000000262a6494dc486d2c8a34cb33fa90bf1b0070ad3c498883c9367c09a2" +
            "be785abc55cd226097a3a982117283f82a03a143efd3ff5dd36d64e861be7fd61d2827db279cce145077d454a3664d4e6da4d29e" +
            "e03725a6a4dafcd0fc67d2aea70529513e3da2677fa5906c5b3f7d8f92f228bda40dda721470f9fbf297b5aea617646fac5c0327" +
            "2e970727c621a79141ef5f7de6505e5bfbc388e93343694093934ae4d357fad6aacb" +
            "0021203add4fb2d8fdf822a0ca3cf7678ef5e88dae990141c5924d57bb6fa31b9e5f9d";
        public const string ServerHello =
            "0200005c03033ccfd2dec890222763472ae8136777c9d7358777bb66e91ea5122495f559ea2d00130100003400290002000000330024" +
            "001d0020121761ee42c333e1b9e77b60dd57c2053cd94512ab47f115e86eff50942cea31002b00020304";
        public const string EncryptedExtensions =
            "080000280026000a00140012001d00170018001901000101010201030104001c0002400100000000002a0000";
        public const string ServerFinished = "1400002048d3e0e1b3d907c6acff145e16090388c77b05c050b634ab1a88bbd0dd1a34b2";
        public const string EndOfEarlyData = "05000000";
        public const string ClientFinished = "140000207230a9c952c25cd6138fc5e6628308c41c5335dd81b9f96bcea50fd32bda416d";

        // {client} send application_data record (0-RTT "ABCDEF") and EndOfEarlyData: not produced by this engine.
        public const string EarlyDataRecord = "1703030017ab1df420e75c457a7cc5d2844f76d5aee4b4edbf049be0";
        public const string EndOfEarlyDataRecord = "1703030015aca6fc944841298df99593725f9bf9754429b12f09";
        public const string ServerFlightRecord =
            "1703030061dc48237b4b879f50d0d4d262ea8b4716eb40ddc1eb957e11126e8a7149c2d012d37a7115957e64ce30008b9e0323f2" +
            "c05a9c1c77b4f37849a695ab255060a33fee770ca95cb8486bfd0843b87024865ca35cc41c4e515c64dcb1369f98635bc7a5";
        public const string ClientFinishedRecord =
            "170303003500f8b467d14cf22a4b3f0b6ae0d8e6cc8d08e0db3515ef5c2bdf1922eafbb70009964716d834fb70c3d2a56c5b1f5f" +
            "6bdba6c333cf";
        public const string ClientApplicationDataRecord =
            "1703030043b1cebce242aa201be9ae5e1cb2a9aa4b33d4e866af1edb068919237741aa031d7a74d491c99b9d4e232b74206bc6fb" +
            "aa04fe78be44a9b4f54320a17eb76992afac3103";
        public const string ServerApplicationDataRecord =
            "1703030043275e9f20acff57bc000657d3867df039cccf79047884cf75771746f740b5a83f462a0954c3581393a203a25a7dd141" +
            "41ef1a37900cdb62ff62dee1ba39ab2590cbf194";
        public const string ClientAlertRecord = "17030300130facce3246bdfc6369838d6a82ae6de5d422dc";
        public const string ServerAlertRecord = "17030300135b18af444e8e1eec7158fb62d8f2577d37ba5d";

        public const string ClientHandshakeTrafficSecret = "2faac08f851d35fea3604fcb4de82dc62c9b164a70974d0462e27f1ab278700f";
        public const string ServerHandshakeTrafficSecret = "fe927ae271312e8bf0275b581c54eef020450dc4ecffaa05a1a35d27518e7803";
        public const string ClientApplicationTrafficSecret = "2abbf2b8e381d23dbebe1dd2a7d16a8bf484cb4950d23fb7fb7fa8547062d9a1";
        public const string ServerApplicationTrafficSecret = "cc21f1bf8feb7dd5fa505bd9c4b468a9984d554a993dc49e6d285598fb672691";
        public const string ClientHandshakeKey = "b1530806f4adfeac83f1413032bbfa82";
        public const string ClientHandshakeIv = "eb50c16be7654abf99dd06d9";
    }

    /// <summary>§5 HelloRetryRequest (records, 5-byte header included).</summary>
    public static class Retry
    {
        public const string ClientX25519PrivateKey = "0ed02f8e8117efc75ca7ac32aa7e34eda64cdc0ddad154a5e85289f959f63204";
        public const string ClientP256PrivateKey = "ab5473467e19346ceb0a0414e41da21d4d2445bc3025afe97c4e8dc8d513da39";
        public const string ClientRandom = "b0b1c5a5aa37c5919f2ed1d5c6fff7fcb7849716945a2b8cee9258a346677b6f";

        public const string ClientHello1Record =
            "16030100b4010000b00303b0b1c5a5aa37c5919f2ed1d5c6fff7fcb7849716945a2b8cee9258a346677b6f000006130113031302" +
            "010000810000000b0009000006736572766572ff01000100000a00080006001d00170018003300260024001d0020e8e8e3f3b93a" +
            "25ed97a14a7dcacb8a272c6288e585c6484d05262fcad062ad1f002b0003020304000d0020001e04030503060302030804080508" +
            "0604010501060102010402050206020202002d00020101001c00024001";
        public const string HelloRetryRequestRecord =
            "16030300b0020000ac0303cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c001301000084003300" +
            "020017002c0074007271dcd04bb88bc3189119398a00000000eefafc76c146b823b096f8aacad365dd0030953f4edf625636e5f2" +
            "1bb2e23fcc654b1b5b40318d10d137abcbb87574e36e8a1f025f7dfa5d6e50781b5eda4aa15b0c8be778257d16aa3030e9e7841d" +
            "d9e4c0342267e8ca0caf571fb2b7cff0f934b0002b00020304";
        public static readonly string ClientHello2Record =
            "1603030200010001fc0303b0b1c5a5aa37c5919f2ed1d5c6fff7fcb7849716945a2b8cee9258a346677b6f000006130113031302" +
            "010001cd0000000b0009000006736572766572ff01000100000a00080006001d001700180033004700450017004104a6da7392ec" +
            "591e17abfd535964b99894d13befb221b3def2ebe3830eac8f0151812677c4d6d2237e85cf01d6910cfb83954e76ba7352830534" +
            "159897e8065780002b0003020304000d0020001e040305030603020308040805080604010501060102010402050206020202002c" +
            "0074007271dcd04bb88bc3189119398a00000000eefafc76c146b823b096f8aacad365dd0030953f4edf625636e5f21bb2e23fcc" +
            "654b1b5b40318d10d137abcbb87574e36e8a1f025f7dfa5d6e50781b5eda4aa15b0c8be778257d16aa3030e9e7841dd9e4c03422" +
            "67e8ca0caf571fb2b7cff0f934b0002d00020101001c00024001001500af" + new string('0', 2 * 0xaf);
        public const string ServerHelloRecord =
            "160303007b020000770303bb341d847fd789c47c387172dc0c9bf147fccacb5043d86ca4c598d3ff571b9800130100004f003300" +
            "450017004104583e054b7a66672ae020ad9d2686fcc85b5ad41a134a0f03ee72b893052bd85b4c8de6776f5b04ac07d83540eab3" +
            "e3d9c547bc6528c4317d294686093a6cad7d002b00020304";
        public const string ServerFlightRecord =
            "170303029699bee20baf5b7fc727bfab6223928a381e6d0cf9c4da653f9d2a7b23f7de11cce842d5cf75631763450ffb8b0cc1d2" +
            "38e658af7a12adc86243114ab14a1da2fae42621ce483fb6242eabfaad52566b02b31d2eddedefeb80e66a9900d5f973b40c4fdf" +
            "74719ecf1b68d7f9c3b6ceb903ca13dd1bb8f8187ae33417e1d152522c5822a1a03ad52c838c55953d610222874cce8e1790b229" +
            "a2aa0b53c8d377ee720182951dc6181dc5d90bd1f0105ed1e84aa5f75957c6661897079e5ea5007449e3197bdc7c9beeedddeafd" +
            "d844afa5c315ecfe65e576afe909812880620ec7048b42d7f5c78d76f299d6d82534bdd8f512febc0ed3814aca470cd8000d3e1c" +
            "b9962b052fbb950df683a52c2ba77ed3713b122937a6e5170964e2ab7969dcd980b3db9b458da7603124d6dc005e4d6e04b4d0c4" +
            "baf3275db827dbba0a6db09672171fc057b3851d7e026841e2978fbd2346bbefdd0376bb1108fe9acc92189f5650aa5e85d8e8c7" +
            "b67ac510dba003d3d7e16350bb66d45013efd44c9b607c0d318c4c7d1a1f5cbc57e20611804e3787d7b4a4b5f08ed8fd70bdaead" +
            "e02260b12ab842ef690b4a3ee7911e841b374ecd5ebbbc2a54d047b600336dd7d0c88b4bc10e58ee6cb656de7247fa20d8e91deb" +
            "84628608cf80615b62e96c1491c7ac3755eb6901405d3474fe1ac79d106a0cee56c2577fc88480f96cb6b8c681b7b68b53c14609" +
            "3908f350888175bdfb0b1e31ad61e30ba0adfe6d223aa03c0783b5001a57587c328a9afcfcfb978d1cd4328f7d9d60530e630bef" +
            "d96c0c816ee20b0100768ae2a6df51fc68f172740a79af11398ee3be1252491fa9c693479e877f94ab7c5f8cad480203e6ab7b87" +
            "dd71e8a0729113df17f5eee86ce108d1d72007ec1cd13c85a6c149621e77b7d78d805a30f0be030c315e54";
        public const string ClientFinishedRecord =
            "1703030035d74f1923c662fd34137c6f502f3dd2b93d951d1b3bc97e42afe23c31abea92fe91b474999e85e3b791ce252fe8c3e9" +
            "f939a4120cb2";

        public const string ClientHandshakeTrafficSecret = "158aa7ab8855073582b41d674b4055cabcc534728f659314861b4e08e2011566";
        public const string ServerHandshakeTrafficSecret = "3403e781e2af7b6508da28574f6e95a1abf162de83a97927c37672a4a0cef8a1";
    }

    /// <summary>§6 Client Authentication.</summary>
    public static class ClientAuth
    {
        public const string ClientPrivateKey = "c040b2bb8f3addd20fd4058c547003a3c6f9c1cd915d5e535c87d8d191aaf071";
        public const string ClientRandom = "6a472236328b83af40386d3a3e1f1ce624fa4ed89ab865a4ff0f4144ce3ae233";
        public const string ServerPrivateKey = "7382a5ad1cdd2056ae18cc708bd007d98130dbe2cd4d9ead9b96952becbb0888";
        public const string ServerRandom = "3b50fdf1c3d572e40e68953e7fff4e2758459c59afa0582c0ea032874255fe6e";

        public const string ClientHello =
            "010000bc03036a472236328b83af40386d3a3e1f1ce624fa4ed89ab865a4ff0f4144ce3ae2330000061301130313020100008d00" +
            "00000b0009000006736572766572ff01000100000a00140012001d00170018001901000101010201030104003300260024001d00" +
            "20089cc2671f738d9a671e5b2e464981d05b76e361aa22aea91f1d49ca10a7a362002b0003020304000d0020001e040305030603" +
            "020308040805080604010501060102010402050206020202002d00020101001c00024001";
        public const string ServerHello =
            "0200005603033b50fdf1c3d572e40e68953e7fff4e2758459c59afa0582c0ea032874255fe6e00130100002e00330024001d0020" +
            "6c2e50e865919a6b5a12dfaf918f92b442567b0f89bc54478c6921366658f062002b00020304";
        public const string EncryptedExtensions =
            "080000240022000a00140012001d00170018001901000101010201030104001c0002400100000000";
        public const string CertificateRequest =
            "0d000027000024000d0020001e040305030603020308040805080604010501060102010402050206020202";
        public const string ServerCertificate =
            "0b00013b000001370001323082012e3081d5a003020102020107300a06082a8648ce3d04030230133111300f0603550403130865" +
            "63647361323536301e170d3136303733303031323430305a170d3236303733303031323430305a30133111300f06035504031308" +
            "65636473613235363059301306072a8648ce3d020106082a8648ce3d0301070342000408d530161575f4cfe7f154ee3448180086" +
            "001e88431a79ee62ee6e2f83ef38ba61e9fb37f34e007a7df4d2f5b56d1f04ece45d621f468406f5c3a15158948dd0a31a301830" +
            "090603551d1304023000300b0603551d0f040403020780300a06082a8648ce3d0403020348003045022100df30fd4507f5edd22c" +
            "1a6ff86db479ca693feeca3b71b3f9ef556b2937c0594d022062e2a47250d320fea83c7e2dcb5b76a50e0200c09adbd13fee946e" +
            "513e011d110000";
        public const string ServerCertificateVerify =
            "0f00004b040300473045022100d7a4d34bd54f55fee1a89625678c3dd5e5f60dac73ec940c5c7b9304a02084a90220289f595ed4" +
            "88b9ac689a3d192b1a8bb38f34af7874c059c9806a1f38269353e8";
        public const string ServerFinished = "1400002093b70cdf4781985b96345caac701b4e750d3042df1a689d8faca812251113c11";
        public const string ClientCertificate =
            "0b0001bf000001bb0001b6308201b23082011ba003020102020101300d06092a864886f70d01010b05003011310f300d06035504" +
            "031306636c69656e74301e170d3136303733303031323335395a170d3236303733303031323335395a3011310f300d0603550403" +
            "1306636c69656e7430819f300d06092a864886f70d010101050003818d0030818902818100c38175e004a68d093f823b9c379d20" +
            "1fbc0bb7a1c791905e3fbf76847e44e751ebbcd360bd945c81e5222bcc8846d3a8a0f93e9bf5bebabd92edf1de1ff19021703e7a" +
            "b6c0901513f97e39b111f09c9348971c7b211984a754cd45fe095af0ea4236829bccf7a7fe9b2888e78ab477690a5b9e1ccbe91c" +
            "6a4a0f97a7e02842010203010001a31a301830090603551d1304023000300b0603551d0f040403020780300d06092a864886f70d" +
            "01010b0500038181001a7a5a018532b022af0767d486160cff2d167a1915d23835b54594916dc680be5d2e626076c5d52722ebcc" +
            "775d7d99f980be2fc94d34acf6cc00ba90cbcfb0608aa1e7e3971ef0c07a41d47ad8345d1f81fe418a1cf41054429fd217bd777d" +
            "c1cf08f05df90799c659361e0f1a8ee4ac0f7897420bdbc823da80a2f2ba23081c0000";
        public const string ClientCertificateVerify =
            "0f00008408040080186b2223b503a759c35dba0e9721b4b579138d5f0f5e6ec7feaaf27f3ad7f386c2c7bd7cb2be52fbf5ed8393" +
            "f406ee79369692ec7ac695651d858219e672a8eb7b2a677b640b46ab630edc5f3f2f8272b9c0d906f81f84ddc5b8c7bcf955c78a" +
            "3cf99e5016f73e04eb7dfcb28833f13e8f75ec2ff3581e2f098ad4157fd6d6ad";
        public const string ClientFinished = "140000209afe2ba2f63a09d229d8a429e5b37ffd9fcc73bdb5911b82425972aa2892440f";

        public const string ServerFlightRecord =
            "17 03 03 02 16 6d 0a 7a c0 79 b3 2a 94 aa 68 c4 e2 89 3e 8b d0 d3 c1 85 f5 49 c2 36 fb bc e3 d6 47" +
            "f0 8f 3c 94 a2 bf 42 4d 87 08 88 36 05 ad 89 55 f9 77 18 b0 21 3d ea d1 3d fb 23 eb b8 38 1d a5 82 75 66 12 bc b5 a5 d4 08 47" +
            "71 9f be 9f 17 9b fa e6 56 f3 ec fd 59 a4 c0 d3 51 32 ce 41 8a 7e 46 f6 b6 a6 06 22 f8 a6 c0 6b 28 d8 33 60 16 35 63 be 9c 37" +
            "f9 7e b9 02 32 69 24 a7 2b 3e d8 c8 38 12 77 d1 58 1c ab 9c 37 15 ac 24 01 39 84 67 ad 7e bf ab 3d 0c 34 19 e7 50 10 4f 7d 62" +
            "c5 02 79 01 f2 e4 cd 4c a5 b8 07 1e b0 3d 3c 73 2d 83 21 50 66 df c4 d2 91 d4 c1 ff 3b 8d 7e 42 98 f6 77 d4 d5 1d ea 11 68 d8" +
            "f1 6c b2 7b a4 02 66 31 3a 1f ed f9 e2 3c c7 7f 76 54 50 f9 e9 6f 05 d0 8f 3d a2 45 b1 4d 49 46 f0 7e c8 1e ed 6d 56 f2 6b d5" +
            "74 f0 b7 f7 c7 04 70 37 c1 6f ce 3b 23 75 4e 66 2f ad 73 e2 b7 21 3f 6a f2 96 76 9c 99 a1 d3 8e 62 32 e0 ec 8d c4 f8 4d 6a a6" +
            "f7 de 38 87 be 00 57 86 2f 90 18 e0 ab 39 67 05 aa 40 90 ab 5f 2d ff 63 25 a5 57 e7 32 0d 4e ff d4 6b b4 f9 97 d1 63 20 7c ce" +
            "66 65 29 4a a4 46 55 41 e3 fe 37 ee 73 50 65 9e a5 50 d6 dc b6 af 3c 51 88 52 c7 a1 4c 3c c1 5b c3 2b 32 73 bd f1 75 1d a1 84" +
            "20 31 35 b1 17 d3 00 20 4f b1 2d 58 ca 9a c3 4b 68 ec a2 70 30 83 2f 7a 4b 46 d2 a5 57 57 f6 3f e8 f6 e8 5a c4 74 69 e6 19 8d" +
            "a8 8a 64 58 6b f2 3c 69 59 0d e8 22 26 3b e7 5f d8 36 84 72 40 c4 8f 8c 14 5c d6 bd 69 89 62 e7 ed c2 34 eb e5 92 31 35 1e ef" +
            "8d 76 52 cf 3b 08 ab 3a f6 e5 ec 74 c5 8a 8d a3 4b 39 f9 b0 d6 c4 27 9a 9a 1f 82 07 17 29 e7 05 9d d7 f7 b9 5b 94 33 c4 68 4c" +
            "e1 89 1a 6d 33 43 2d 52 ed db 0b 8c ee 91 81 d4 03 ec cc 12 99 1f 1a d4 aa 62 c3 60 49 71 3a 7b b1 35 fd da 66 61 a0 5a 93 f8" +
            "c1 6f";
        public const string ClientFlightRecord =
            "17 03 03 02 80 b4 6a 63 93 4e 67 38 41 ab af 26 74 03 bc 67 7f 6b 6d 2a 1e 2f 12 bb 5f 62 68 3b fe" +
            "36 a8 26 73 f0 6d 62 87 dd d6 09 bc f2 f5 fd 32 25 92 3d 24 af 3c 76 68 2c 18 0e e5 71 a1 7c a4 bf be 2f 51 0d c9 a0 e1 fc a5" +
            "cf f2 ce e8 7d 11 cb 53 1a 6e f9 0b f5 30 9a 6b 63 bb bc 0b 88 ea 45 10 3a 43 04 09 15 43 85 9f a1 1e c0 32 ed 87 34 44 cd 51" +
            "85 ea d5 f6 a7 64 20 f0 f0 28 6a ce f8 02 c8 e4 78 8c 23 27 5f 1b 06 da 60 0f 4a 7d ec d0 bc 59 d7 be f1 0e 64 9a e3 26 90 39" +
            "7f c3 d4 ed 6f 30 f8 01 d8 cd 56 9b 71 ad 4f a0 5e a7 cf 2a c2 df a1 50 d2 20 50 5d 40 11 b3 4d 09 d5 38 53 eb a6 1a 10 1e 4f" +
            "8d ca 47 d8 17 1a 88 4b 19 25 9a 3d d4 8c 5a c1 41 98 3e dc 77 81 4d 25 e7 f6 6b bb db 90 96 83 92 66 e0 65 61 82 8e cf b2 7e" +
            "af d4 e9 e8 1a 0b 96 e3 bf a4 2d ae 5a d8 03 59 b9 a6 66 14 02 c3 a2 10 41 77 03 01 06 db d8 f6 5b b6 a0 15 9d 51 2e b1 3a f2" +
            "2a 25 9f 31 3b d5 8c 2e 21 fe 05 3d 57 f2 a9 62 b0 a4 ea 68 2c 96 f7 0b 79 b5 60 13 61 92 82 3b 27 be 6a 2f b7 b1 c7 51 cc c0" +
            "e3 30 36 15 54 14 85 b7 b3 07 b4 23 33 2c 11 ef a8 0b 72 f9 b8 0a 53 e5 3f 7b b3 8a 3a f4 c5 9f 80 08 ba d0 54 4e 56 14 e6 88" +
            "ff 57 bc cd 69 35 f8 1f 44 7f 42 0c 1c 1b f4 05 88 18 e9 0b f5 dc 71 6c ca e4 25 24 85 6d f8 25 0b cd bd 7a f6 5f 82 dd 53 06" +
            "1d 02 4f 6d 2f f5 c1 1e 37 92 a9 a7 0e 0e e2 a3 c2 0a 1b 96 8a c3 91 f8 f9 28 31 13 5d 25 24 2a da 2f e2 41 c2 65 3e c9 96 33" +
            "9d fa 12 df ae 7a 33 73 df 88 b0 7c a2 7a ef 6d c2 66 a2 5f 13 f7 5c 76 03 9c 1f 46 fd 7a 53 ae 63 99 c9 99 f4 b2 ae e1 8e 48" +
            "0d 6d 12 bf ae 22 6b bd c9 2a 6a d5 0b 4d 3b ac 7a bc 3b 36 51 eb 5b e5 6f 33 bf 41 12 7b 3c a8 86 dc 71 4a 50 d1 49 03 57 bd" +
            "40 d9 fd 6b e4 22 09 a4 dd b9 eb b2 98 7e 29 f1 20 f0 58 14 61 4d 2c 79 32 00 15 b4 61 fe 73 24 44 76 70 a1 af 5f 65 ca ed 15" +
            "b4 74 ab 7f aa 49 50 16 ad f8 08 e5 3b 94 ef 54 af bb 0e 0a 3a 27 32 ab 59 7f 7d 59 23 c7 73 86 aa 51 24 73 1f 8c c7 3e 70 3b" +
            "34 1c 17 5a 45 49 39 a7 7a b6 43 13 c1 5c f3 fe 03 c4 f3 38 42 56 49 76";
        public const string ClientAlertRecord = "1703030013e4ad7d44c29245339d355962c779b89ef44c58";
        public const string ServerAlertRecord = "17030300131decc5d6e64bba8a6f21b4fd077497da2a90cb";

        public const string ClientHandshakeTrafficSecret = "cec7a30c6872070f22a7eeb065768db67c45e29533db879908ce6dc66f5911de";
        public const string ServerHandshakeTrafficSecret = "8b02d3c00442a2722c4098ebe8675b23e801510f0d7ed778d8eb0b8f42a19a5e";
        public const string ClientApplicationTrafficSecret = "73c2e890fa8d067258d6d50fa92fe456b098cf00d9727eed91e8892ef4e6f860";
        public const string ServerApplicationTrafficSecret = "c49a91faf57f8c545d5048a015bf849ff63942e4a7edcd319f8b438a97c52e21";
        public const string ExporterMasterSecret = "052e39795e5f2be6e4e0974cfdd86c6a7afe3e57e5589810a3cccf642958beb2";
        public const string ServerHandshakeKey = "6cb6e60619d8c7355c5d4c4bc2be90d5";
        public const string ServerHandshakeIv = "64f239530c3b888fde85e0be";
    }
}
