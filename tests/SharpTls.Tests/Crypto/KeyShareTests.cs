using System.Security.Cryptography;
using SharpTls.Crypto;
using SharpTls.Wire;

namespace SharpTls.Tests.Crypto;

public class KeyShareTests
{
    public static TheoryData<NamedGroup> Groups => new()
    {
        NamedGroup.X25519, NamedGroup.X448, NamedGroup.Secp256r1, NamedGroup.Secp384r1,
        NamedGroup.Secp521r1, NamedGroup.Ffdhe2048, NamedGroup.Ffdhe3072, NamedGroup.Ffdhe4096, NamedGroup.Ffdhe6144,
        NamedGroup.Ffdhe8192, NamedGroup.X25519MlKem768, NamedGroup.SecP256r1MlKem768, NamedGroup.SecP384r1MlKem1024,
    };

    [Theory]
    [MemberData(nameof(Groups))]
    public void Initiator_and_responder_agree(NamedGroup group)
    {
        ICryptoProvider provider = CryptoProviders.Default;
        Assert.True(provider.SupportsGroup(group));
        using IKeyShare client = provider.GenerateKeyShare(group);
        Assert.Equal(KeyShares.ClientShareLength(group), client.PublicKey.Length);
        KeyShareResponse server = provider.RespondKeyShare(group, client.PublicKey.Span);
        Assert.Equal(KeyShares.ServerShareLength(group), server.Share.Length);
        byte[] clientSecret = client.DeriveSecret(server.Share);
        Assert.Equal(server.SharedSecret, clientSecret);
        Assert.Contains(clientSecret, b => b != 0);
    }

    [Theory]
    [MemberData(nameof(Groups))]
    public void Same_script_same_bytes(NamedGroup group)
    {
        (byte[] pub, byte[] share, byte[] secret) Run()
        {
            var provider = new ScriptedCryptoProvider("replay-" + group);
            using IKeyShare client = provider.GenerateKeyShare(group);
            KeyShareResponse server = provider.RespondKeyShare(group, client.PublicKey.Span);
            return (client.PublicKey.ToArray(), server.Share, server.SharedSecret);
        }

        var first = Run();
        var second = Run();
        Assert.Equal(first.pub, second.pub);
        Assert.Equal(first.share, second.share);
        Assert.Equal(first.secret, second.secret);
    }

    [Theory]
    [MemberData(nameof(Groups))]
    public void Wrong_length_share_is_illegal_parameter(NamedGroup group)
    {
        using IKeyShare client = CryptoProviders.Default.GenerateKeyShare(group);
        byte[] tooShort = new byte[KeyShares.ServerShareLength(group) - 1];
        Assert.Equal(AlertDescription.IllegalParameter,
            Assert.Throws<TlsProtocolException>(() => client.DeriveSecret(tooShort)).Alert);
        Assert.Equal(AlertDescription.IllegalParameter,
            Assert.Throws<TlsProtocolException>(() => CryptoProviders.Default.RespondKeyShare(group, tooShort)).Alert);
    }

    [Theory]
    [InlineData(NamedGroup.Secp256r1, true)]
    [InlineData(NamedGroup.Secp384r1, true)]
    [InlineData(NamedGroup.Secp521r1, true)]
    [InlineData(NamedGroup.Secp256r1, false)]
    [InlineData(NamedGroup.Secp384r1, false)]
    [InlineData(NamedGroup.Secp521r1, false)]
    public void Off_curve_point_is_illegal_parameter(NamedGroup group, bool libCrypto)
    {
        var provider = X25519Tests.Provider(libCrypto);
        using IKeyShare client = X25519Tests.On(libCrypto, provider.GenerateKeyShare(group));
        byte[] point = client.PublicKey.ToArray();
        point[^1] ^= 0x01; // same X, wrong Y: not on the curve
        var e = Assert.Throws<TlsProtocolException>(() => client.DeriveSecret(point));
        Assert.Equal(AlertDescription.IllegalParameter, e.Alert);
        Assert.Contains("not on the curve", e.Reason);
        Assert.Equal(AlertDescription.IllegalParameter,
            Assert.Throws<TlsProtocolException>(() => provider.RespondKeyShare(group, point)).Alert);
    }

    [Theory]
    [MemberData(nameof(X25519Tests.Backends), MemberType = typeof(X25519Tests))]
    public void Compressed_or_infinity_point_is_illegal_parameter(bool libCrypto)
    {
        using IKeyShare client = X25519Tests.On(libCrypto, X25519Tests.Provider(libCrypto).GenerateKeyShare(NamedGroup.Secp256r1));
        byte[] point = client.PublicKey.ToArray();
        point[0] = 0x02;
        Assert.Contains("uncompressed", Assert.Throws<TlsProtocolException>(() => client.DeriveSecret(point)).Reason);
        byte[] zeros = new byte[65];
        zeros[0] = 0x04;
        Assert.Equal(AlertDescription.IllegalParameter,
            Assert.Throws<TlsProtocolException>(() => client.DeriveSecret(zeros)).Alert);
    }

    [Theory]
    [MemberData(nameof(X25519Tests.Backends), MemberType = typeof(X25519Tests))]
    public void Ecdh_private_key_comes_from_the_provider(bool libCrypto)
    {
        // Scalar 1 gives the generator: the public key is G (SEC 2 P-256 base point).
        byte[] one = new byte[32];
        one[^1] = 1;
        var provider = X25519Tests.Scripted(libCrypto, one);
        using IKeyShare share = X25519Tests.On(libCrypto, provider.GenerateKeyShare(NamedGroup.Secp256r1));
        Hex.Equal("04" + "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
                       + "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5", share.PublicKey.Span);
    }

    /// <summary>
    /// RFC 5903 §8.1 (ECDH on P-256): the initiator's i and the responder's r give g^ir, on both paths and across them.
    /// </summary>
    [Theory]
    [MemberData(nameof(X25519Tests.Backends), MemberType = typeof(X25519Tests))]
    public void Rfc5903_p256_vector(bool libCrypto)
    {
        const string i = "C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433";
        const string gix = "DAD0B65394221CF9B051E1FECA5787D098DFE637FC90B9EF945D0C3772581180";
        const string giy = "5271A0461CDB8252D61F1C456FA3E59AB1F45B33ACCF5F58389E0577B8990BB3";
        const string r = "C6EF9C5D78AE012A011164ACB397CE2088685D8F06BF9BE0B283AB46476BEE53";
        const string grx = "D12DFB5289C8D4F81208B70270398C342296970A0BCCB74C736FC7554494BF63";
        const string gry = "56FBF3CA366CC23E8157854C13C58D6AAC23F046ADA30F8353E74F33039872AB";
        const string girx = "D6840F6B42F6EDAFD13116E0E12565202FEF8E9ECE7DCE03812464D04B9442DE";
        var provider = X25519Tests.Scripted(libCrypto, Hex.Parse(i), Hex.Parse(r));
        using IKeyShare initiator = X25519Tests.On(libCrypto, provider.GenerateKeyShare(NamedGroup.Secp256r1));
        Hex.Equal("04" + gix + giy, initiator.PublicKey.Span);
        KeyShareResponse responder = provider.RespondKeyShare(NamedGroup.Secp256r1, initiator.PublicKey.Span);
        Hex.Equal("04" + grx + gry, responder.Share);
        Hex.Equal(girx, responder.SharedSecret);
        Hex.Equal(girx, initiator.DeriveSecret(responder.Share));
        // Across the paths: the other path derives the same secret from the same scalar.
        using IKeyShare other = X25519Tests.On(!libCrypto, X25519Tests.Scripted(!libCrypto, Hex.Parse(i)).GenerateKeyShare(NamedGroup.Secp256r1));
        Hex.Equal(girx, other.DeriveSecret(responder.Share));
    }

    [Theory]
    [InlineData(NamedGroup.Secp256r1)]
    [InlineData(NamedGroup.Secp384r1)]
    [InlineData(NamedGroup.Secp521r1)]
    public void Both_ecdh_paths_give_the_same_bytes_from_the_same_draws(NamedGroup group)
    {
        var a = X25519Tests.Scripted(true);
        var b = X25519Tests.Scripted(false);
        using IKeyShare fast = X25519Tests.On(true, a.GenerateKeyShare(group)), managed = X25519Tests.On(false, b.GenerateKeyShare(group));
        Assert.Equal(managed.PublicKey.ToArray(), fast.PublicKey.ToArray());
        KeyShareResponse fromFast = a.RespondKeyShare(group, managed.PublicKey.Span), fromManaged = b.RespondKeyShare(group, fast.PublicKey.Span);
        Assert.Equal(fromManaged.Share, fromFast.Share);
        Assert.Equal(fromManaged.SharedSecret, fromFast.SharedSecret);
        Assert.Equal(fromFast.SharedSecret, managed.DeriveSecret(fromFast.Share));
    }

    [Theory]
    [InlineData(NamedGroup.Ffdhe2048)]
    [InlineData(NamedGroup.Ffdhe3072)]
    [InlineData(NamedGroup.Ffdhe4096)]
    [InlineData(NamedGroup.Ffdhe6144)]
    [InlineData(NamedGroup.Ffdhe8192)]
    public void Both_ffdhe_paths_give_the_same_bytes_from_the_same_draws(NamedGroup group)
    {
        // libcrypto's BN_mod_exp_mont_consttime and BouncyCastle's ModPow: the same exponent gives the same public value,
        // and each side's secret from the other's share is the same.
        Assert.True(OpenSslModExp.IsAvailable, "libcrypto (OpenSSL 3) must load for the fast-path tests");
        var a = X25519Tests.Scripted(true);
        var b = X25519Tests.Scripted(false);
        using var fast = (FfdheKeyShare)a.GenerateKeyShare(group);
        using var managed = (FfdheKeyShare)b.GenerateKeyShare(group);
        Assert.Equal((true, false), (fast.UsesLibCrypto, managed.UsesLibCrypto));
        Assert.Equal(managed.PublicKey.ToArray(), fast.PublicKey.ToArray());
        KeyShareResponse fromFast = a.RespondKeyShare(group, managed.PublicKey.Span), fromManaged = b.RespondKeyShare(group, fast.PublicKey.Span);
        Assert.Equal(fromManaged.Share, fromFast.Share);
        Assert.Equal(fromManaged.SharedSecret, fromFast.SharedSecret);
        Assert.Equal(fromFast.SharedSecret, managed.DeriveSecret(fromFast.Share));
        Assert.Equal(fromFast.SharedSecret, fast.DeriveSecret(fromFast.Share));
    }

    [Theory]
    [InlineData("00")]
    [InlineData("01")]
    public void Ffdhe_degenerate_values_are_illegal_parameter(string lastByte)
    {
        using IKeyShare client = CryptoProviders.Default.GenerateKeyShare(NamedGroup.Ffdhe2048);
        byte[] y = new byte[256];
        y[^1] = Convert.FromHexString(lastByte)[0];
        Assert.Equal(AlertDescription.IllegalParameter,
            Assert.Throws<TlsProtocolException>(() => client.DeriveSecret(y)).Alert);
    }

    [Fact]
    public void Ffdhe_p_minus_1_is_illegal_parameter()
    {
        using IKeyShare client = CryptoProviders.Default.GenerateKeyShare(NamedGroup.Ffdhe2048);
        byte[] pMinus1 = Org.BouncyCastle.Crypto.Agreement.DHStandardGroups.rfc7919_ffdhe2048.P
            .Subtract(Org.BouncyCastle.Math.BigInteger.One).ToByteArrayUnsigned();
        Assert.Equal(AlertDescription.IllegalParameter,
            Assert.Throws<TlsProtocolException>(() => client.DeriveSecret(pMinus1)).Alert);
    }

    [Fact]
    public void Explicit_tls12_dh_group_agrees_and_strips_zeros()
    {
        var p = Org.BouncyCastle.Crypto.Agreement.DHStandardGroups.rfc3526_2048;
        byte[] prime = p.P.ToByteArrayUnsigned(), g = p.G.ToByteArrayUnsigned();
        using FfdheKeyShare server = FfdheKeyShare.ForExplicitGroup(prime, g, CryptoProviders.Default);
        using FfdheKeyShare client = FfdheKeyShare.ForExplicitGroup(prime, g, CryptoProviders.Default);
        byte[] a = server.DeriveSecret(client.PublicKey.Span);
        Assert.Equal(a, client.DeriveSecret(server.PublicKey.Span));
        Assert.Equal(256, a.Length);
        Assert.Equal([1, 2], KeyShares.StripLeadingZeros([0, 0, 1, 2]));
        Assert.Throws<TlsProtocolException>(() => FfdheKeyShare.ForExplicitGroup(new byte[64], g, CryptoProviders.Default));
    }

    [Fact]
    public void Hybrid_layout_is_mlkem_first()
    {
        // Client draws the ML-KEM seed (64) then its X25519 key; the server draws the ML-KEM
        // encapsulation randomness (32) then its X25519 key. With RFC 7748 §6.1's keys the X25519
        // parts are known, which pins where each half sits.
        var provider = new ScriptedCryptoProvider("hybrid",
            new byte[64], Hex.Parse("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"),
            new byte[32], Hex.Parse("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
        using IKeyShare client = provider.GenerateKeyShare(NamedGroup.X25519MlKem768);
        Assert.Equal(1184 + 32, client.PublicKey.Length);
        Hex.Equal("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", client.PublicKey.Span[1184..]);

        KeyShareResponse server = provider.RespondKeyShare(NamedGroup.X25519MlKem768, client.PublicKey.Span);
        Assert.Equal(0, provider.Remaining);
        Assert.Equal(1088 + 32, server.Share.Length);
        Hex.Equal("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", server.Share.AsSpan(1088));
        Assert.Equal(64, server.SharedSecret.Length);
        Hex.Equal("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742", server.SharedSecret.AsSpan(32));
        Assert.Equal(server.SharedSecret, client.DeriveSecret(server.Share));
    }

    /// <summary>
    /// draft-ietf-tls-ecdhe-mlkem §4: for SecP256r1MLKEM768 and SecP384r1MLKEM1024 the ECDH half comes first in both
    /// shares and in the secret. The halves are checked apart: the ECDH half against the BCL's own ECDH with the
    /// scripted scalars, the ML-KEM half against BouncyCastle decapsulating with the scripted seed.
    /// </summary>
    [Theory]
    [InlineData(NamedGroup.SecP256r1MlKem768, NamedGroup.Secp256r1, 65, 1184, 1088, 32)]
    [InlineData(NamedGroup.SecP384r1MlKem1024, NamedGroup.Secp384r1, 97, 1568, 1568, 48)]
    public void SecP_hybrid_layout_is_ecdh_first(NamedGroup group, NamedGroup curve, int point, int ekLength, int ctLength, int ecdhSecret)
    {
        var provider = new ScriptedCryptoProvider("secp-hybrid-" + group);
        using IKeyShare client = provider.GenerateKeyShare(group);
        Assert.Equal(point + ekLength, client.PublicKey.Length);
        KeyShareResponse server = provider.RespondKeyShare(group, client.PublicKey.Span);
        Assert.Equal(point + ctLength, server.Share.Length);
        Assert.Equal(ecdhSecret + 32, server.SharedSecret.Length);
        Assert.Equal(server.SharedSecret, client.DeriveSecret(server.Share));

        // The same draws again, half by half: the client's ML-KEM seed, its ECDH key; the server's encapsulation
        // randomness, its ECDH key.
        var again = new ScriptedCryptoProvider("secp-hybrid-" + group);
        byte[] seed = new byte[64];
        again.Fill(seed);
        var kemParameters = ekLength == 1184 ? Org.BouncyCastle.Crypto.Parameters.MLKemParameters.ml_kem_768 : Org.BouncyCastle.Crypto.Parameters.MLKemParameters.ml_kem_1024;
        var kem = Org.BouncyCastle.Crypto.Parameters.MLKemPrivateKeyParameters.FromSeed(kemParameters, seed);
        using IKeyShare clientEcdh = again.GenerateKeyShare(curve);
        Assert.Equal(clientEcdh.PublicKey.ToArray(), client.PublicKey.Span[..point].ToArray());
        Assert.Equal(kem.GetPublicKeyEncoded(), client.PublicKey.Span[point..].ToArray());

        byte[] kemSecret = new byte[32];
        var decapsulator = new Org.BouncyCastle.Crypto.Kems.MLKemDecapsulator(kemParameters);
        decapsulator.Init(kem);
        decapsulator.Decapsulate(server.Share.AsSpan(point), kemSecret);
        Assert.Equal(kemSecret, server.SharedSecret.AsSpan(ecdhSecret).ToArray());
        Assert.Equal(clientEcdh.DeriveSecret(server.Share.AsSpan(0, point)), server.SharedSecret.AsSpan(0, ecdhSecret).ToArray());
    }

    [Theory]
    [InlineData(NamedGroup.SecP256r1MlKem768)]
    [InlineData(NamedGroup.SecP384r1MlKem1024)]
    public void SecP_hybrid_rejects_an_off_curve_ecdh_half(NamedGroup group)
    {
        using IKeyShare client = CryptoProviders.Default.GenerateKeyShare(group);
        byte[] share = client.PublicKey.ToArray();
        share[0] = 0x02; // the point comes first: a compressed point is refused
        var e = Assert.Throws<TlsProtocolException>(() => CryptoProviders.Default.RespondKeyShare(group, share));
        Assert.Equal(AlertDescription.IllegalParameter, e.Alert);
        Assert.Contains("uncompressed", e.Reason);
    }

    [Fact]
    public void Hybrid_rejects_a_noncanonical_encapsulation_key()
    {
        using IKeyShare client = CryptoProviders.Default.GenerateKeyShare(NamedGroup.X25519MlKem768);
        byte[] share = client.PublicKey.ToArray();
        share[0] = 0xFF;
        share[1] |= 0x0F; // first coefficient = 0xFFF >= q
        var e = Assert.Throws<TlsProtocolException>(() => CryptoProviders.Default.RespondKeyShare(NamedGroup.X25519MlKem768, share));
        Assert.Equal(AlertDescription.IllegalParameter, e.Alert);
        Assert.Contains("modulus", e.Reason);
    }

    [Fact]
    public void Hybrid_rejects_a_small_order_x25519_half()
    {
        using IKeyShare client = CryptoProviders.Default.GenerateKeyShare(NamedGroup.X25519MlKem768);
        byte[] share = client.PublicKey.ToArray();
        share.AsSpan(1184).Clear();
        Assert.Equal(AlertDescription.IllegalParameter,
            Assert.Throws<TlsProtocolException>(() => CryptoProviders.Default.RespondKeyShare(NamedGroup.X25519MlKem768, share)).Alert);
    }

    [Fact]
    public void Scripted_provider_serves_script_then_stream()
    {
        var p = new ScriptedCryptoProvider("s", [1, 2, 3]);
        byte[] a = new byte[3];
        p.Fill(a);
        Assert.Equal([1, 2, 3], a);
        Assert.Equal(0, p.Remaining);
        byte[] b = new byte[40], c = new byte[40];
        p.Fill(b);
        new ScriptedCryptoProvider("s").Fill(c);
        Assert.Equal(c, b);
        p.Enqueue([9]);
        Assert.Throws<InvalidOperationException>(() => p.Fill(new byte[2]));
        Assert.Equal(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("s").Concat(new byte[8]).ToArray()), c.AsSpan(0, 32).ToArray());
    }
}
