using Org.BouncyCastle.Crypto.Agreement;
using SharpTls.Crypto;
using SharpTls.Handshake.Tls12.KeyExchange;
using SharpTls.Messages;
using SharpTls.Wire;
using Xunit;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace SharpTls.Tests.Tls12;

/// <summary>
/// The client's checks of server-chosen DHE parameters (RFC 5246 §7.4.3; RFC 7919 §3 on why a client must check
/// them): a published group is taken as it is, an unpublished prime must be safe, and a small one is refused.
/// </summary>
public sealed class DheParameterTests
{
    private static ServerKeyExchange Params(BigInteger p, BigInteger g)
    {
        // The server's public value: any element of the group will do for the client's checks.
        var y = g.ModPow(BigInteger.ValueOf(65537), p);
        return new ServerKeyExchange
        {
            KeyExchange = KeyExchangeKind.Dhe,
            DhP = p.ToByteArrayUnsigned(),
            DhG = g.ToByteArrayUnsigned(),
            PublicKey = y.ToByteArrayUnsigned(),
        };
    }

    [Theory]
    [InlineData(2048)]
    [InlineData(3072)]
    [InlineData(4096)]
    public void Rfc3526_group_as_openssl_sends_it_is_accepted_and_agrees(int bits)
    {
        // OpenSSL's s_server without a dhparam file sends the RFC 3526 MODP group of the certificate's strength.
        var group = bits switch { 2048 => DHStandardGroups.rfc3526_2048, 3072 => DHStandardGroups.rfc3526_3072, _ => DHStandardGroups.rfc3526_4096 };
        var client = DheKeyExchange.ForClient(CryptoProviders.Default);
        client.ClientParams(Params(group.P, group.G));
        var (message, preMaster) = client.ClientExchange();
        Assert.Equal(0, (int)client.Group); // no RFC 7919 name for it
        Assert.Equal(KeyExchangeKind.Dhe, message.KeyExchange);
        Assert.InRange(preMaster.Length, bits / 8 - 8, bits / 8);
    }

    [Fact]
    public void Unpublished_modulus_that_is_not_a_safe_prime_is_refused_with_insufficient_security()
    {
        // Two past RFC 3526's 2048-bit prime: the same size and shape, not a published group, and composite, so the
        // client's own test must catch it (a server could otherwise pick a modulus with small subgroups).
        var p = DHStandardGroups.rfc3526_2048.P.Add(BigInteger.Two);
        var client = DheKeyExchange.ForClient(CryptoProviders.Default);
        var e = Assert.Throws<TlsProtocolException>(() => client.ClientParams(Params(p, BigInteger.Two)));
        Assert.Equal(AlertDescription.InsufficientSecurity, e.Alert);
        Assert.Contains("not a safe prime", e.Message);
    }

    [Fact]
    public void Published_1024_bit_group_is_still_too_small()
    {
        var group = DHStandardGroups.rfc2409_1024;
        var client = DheKeyExchange.ForClient(CryptoProviders.Default);
        var e = Assert.Throws<TlsProtocolException>(() => client.ClientParams(Params(group.P, group.G)));
        Assert.Equal(AlertDescription.InsufficientSecurity, e.Alert);
        Assert.Contains("1024 bits", e.Message);
    }
}
