using SharpTls.Crypto;
using SharpTls.Wire;

namespace SharpTls.Tests.Crypto;

/// <summary>RFC 7748 on both key-exchange paths: libcrypto's (the default where it loads) and the managed one (BouncyCastle).</summary>
public class X25519Tests
{
    public static TheoryData<bool> Backends => new() { true, false };

    internal static ScriptedCryptoProvider Scripted(bool libCrypto, params byte[][] script) => new("x", script) { UseLibCrypto = libCrypto };

    internal static ICryptoProvider Provider(bool libCrypto) => new DefaultCryptoProvider { UseLibCrypto = libCrypto };

    /// <summary>The share came from the path under test (libcrypto loads on every machine the tests run on).</summary>
    internal static IKeyShare On(bool libCrypto, IKeyShare share)
    {
        Assert.True(OpenSslKeyShares.IsAvailable, "libcrypto (OpenSSL 3) must load for the fast-path tests");
        Assert.Equal(libCrypto, share.GetType().DeclaringType == typeof(OpenSslKeyShares));
        return share;
    }

    // RFC 7748 §6.1
    private const string AlicePrivate = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
    private const string AlicePublic = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
    private const string BobPrivate = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
    private const string BobPublic = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
    private const string Shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

    [Theory]
    [MemberData(nameof(Backends))]
    public void Rfc7748_5_2_first_vector(bool libCrypto)
    {
        var provider = Scripted(libCrypto, Hex.Parse("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"));
        using IKeyShare share = On(libCrypto, provider.GenerateKeyShare(NamedGroup.X25519));
        byte[] output = share.DeriveSecret(Hex.Parse("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"));
        Hex.Equal("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552", output);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Rfc7748_6_1_diffie_hellman_from_injected_randomness(bool libCrypto)
    {
        var provider = Scripted(libCrypto, Hex.Parse(AlicePrivate), Hex.Parse(BobPrivate));
        using IKeyShare alice = On(libCrypto, provider.GenerateKeyShare(NamedGroup.X25519));
        using IKeyShare bob = On(libCrypto, provider.GenerateKeyShare(NamedGroup.X25519));
        Hex.Equal(AlicePublic, alice.PublicKey.Span);
        Hex.Equal(BobPublic, bob.PublicKey.Span);
        Hex.Equal(Shared, alice.DeriveSecret(bob.PublicKey.Span));
        Hex.Equal(Shared, bob.DeriveSecret(alice.PublicKey.Span));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Responder_side_matches_the_initiator(bool libCrypto)
    {
        var provider = Scripted(libCrypto, Hex.Parse(AlicePrivate), Hex.Parse(BobPrivate));
        using IKeyShare alice = On(libCrypto, provider.GenerateKeyShare(NamedGroup.X25519));
        KeyShareResponse bob = provider.RespondKeyShare(NamedGroup.X25519, alice.PublicKey.Span);
        Hex.Equal(BobPublic, bob.Share);
        Hex.Equal(Shared, bob.SharedSecret);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void All_zero_output_is_illegal_parameter(bool libCrypto)
    {
        using IKeyShare share = Provider(libCrypto).GenerateKeyShare(NamedGroup.X25519);
        // u = 0 and u = 1 are small-order points: the result is all zeros (RFC 7748 §6.1).
        var e0 = Assert.Throws<TlsProtocolException>(() => share.DeriveSecret(new byte[32]));
        Assert.Equal(AlertDescription.IllegalParameter, e0.Alert);
        byte[] one = new byte[32];
        one[0] = 1;
        Assert.Equal(AlertDescription.IllegalParameter, Assert.Throws<TlsProtocolException>(() => share.DeriveSecret(one)).Alert);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void Wrong_length_is_illegal_parameter(int length)
    {
        foreach (bool libCrypto in new[] { true, false })
        {
            using IKeyShare share = On(libCrypto, Provider(libCrypto).GenerateKeyShare(NamedGroup.X25519));
            var e = Assert.Throws<TlsProtocolException>(() => share.DeriveSecret(new byte[length]));
            Assert.Equal(AlertDescription.IllegalParameter, e.Alert);
            Assert.Contains("expected 32", e.Reason);
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Rfc7748_5_2_x448_first_vector(bool libCrypto)
    {
        var provider = Scripted(libCrypto, Hex.Parse("3d262fddf9ec8e88495266fea19a34d28882acef045104d0d1aae121700a779c984c24f8cdd78fbff44943eba368f54b29259a4f1c600ad3"));
        using IKeyShare share = On(libCrypto, provider.GenerateKeyShare(NamedGroup.X448));
        byte[] output = share.DeriveSecret(Hex.Parse("06fce640fa3487bfda5f6cf2d5263f8aad88334cbd07437f020f08f9814dc031ddbdc38c19c6da2583fa5429db94ada18aa7a7fb4ef8a086"));
        Hex.Equal("ce3e4ff95a60dc6697da1db1d85e6afbdf79b50a2412d7546d5f239fe14fbaadeb445fc66a01b0779d98223961111e21766282f73dd96b6f", output);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Rfc7748_6_2_x448_diffie_hellman_from_injected_randomness(bool libCrypto)
    {
        const string alicePrivate = "9a8f4925d1519f5775cf46b04b5800d4ee9ee8bae8bc5565d498c28dd9c9baf574a9419744897391006382a6f127ab1d9ac2d8c0a598726b";
        const string bobPrivate = "1c306a7ac2a0e2e0990b294470cba339e6453772b075811d8fad0d1d6927c120bb5ee8972b0d3e21374c9c921b09d1b0366f10b65173992d";
        var provider = Scripted(libCrypto, Hex.Parse(alicePrivate), Hex.Parse(bobPrivate));
        using IKeyShare alice = On(libCrypto, provider.GenerateKeyShare(NamedGroup.X448));
        KeyShareResponse bob = provider.RespondKeyShare(NamedGroup.X448, alice.PublicKey.Span);
        Hex.Equal("9b08f7cc31b7e3e67d22d5aea121074a273bd2b83de09c63faa73d2c22c5d9bbc836647241d953d40c5b12da88120d53177f80e532c41fa0", alice.PublicKey.Span);
        Hex.Equal("3eb7a829b0cd20f5bcfc0b599b6feccf6da4627107bdb0d4f345b43027d8b972fc3e34fb4232a13ca706dcb57aec3dae07bdc1c67bf33609", bob.Share);
        const string shared = "07fff4181ac6cc95ec1c16a94a0f74d12da232ce40a77552281d282bb60c0b56fd2464c335543936521c24403085d59a449a5037514a879d";
        Hex.Equal(shared, bob.SharedSecret);
        Hex.Equal(shared, alice.DeriveSecret(bob.Share));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void X448_round_trip_and_length(bool libCrypto)
    {
        using IKeyShare a = On(libCrypto, Provider(libCrypto).GenerateKeyShare(NamedGroup.X448));
        KeyShareResponse b = Provider(libCrypto).RespondKeyShare(NamedGroup.X448, a.PublicKey.Span);
        Assert.Equal(56, a.PublicKey.Length);
        Assert.Equal(56, b.Share.Length);
        Assert.Equal(b.SharedSecret, a.DeriveSecret(b.Share));
        Assert.Equal(AlertDescription.IllegalParameter,
            Assert.Throws<TlsProtocolException>(() => a.DeriveSecret(new byte[56])).Alert);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Small_order_points_of_rfc7748_are_refused(bool libCrypto)
    {
        // A point of order 8 (from the list of small-order points libsodium and others reject): all-zero result.
        byte[] order8 = Hex.Parse("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800");
        using IKeyShare share = On(libCrypto, Provider(libCrypto).GenerateKeyShare(NamedGroup.X25519));
        Assert.Equal(AlertDescription.IllegalParameter, Assert.Throws<TlsProtocolException>(() => share.DeriveSecret(order8)).Alert);
        Assert.Equal(AlertDescription.IllegalParameter,
            Assert.Throws<TlsProtocolException>(() => Provider(libCrypto).RespondKeyShare(NamedGroup.X25519, order8)).Alert);
    }

    [Theory]
    [InlineData(NamedGroup.X25519)]
    [InlineData(NamedGroup.X448)]
    public void Both_paths_give_the_same_bytes_from_the_same_draws(NamedGroup group)
    {
        var a = Scripted(true);
        var b = Scripted(false);
        using IKeyShare fast = On(true, a.GenerateKeyShare(group)), managed = On(false, b.GenerateKeyShare(group));
        Assert.Equal(managed.PublicKey.ToArray(), fast.PublicKey.ToArray());
        KeyShareResponse fromFast = a.RespondKeyShare(group, managed.PublicKey.Span), fromManaged = b.RespondKeyShare(group, fast.PublicKey.Span);
        Assert.Equal(fromManaged.Share, fromFast.Share);
        Assert.Equal(fromManaged.SharedSecret, fromFast.SharedSecret);
        Assert.Equal(fromFast.SharedSecret, managed.DeriveSecret(fromFast.Share));
    }
}
