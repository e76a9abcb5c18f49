using SharpTls.Diagnostics;
using SharpTls.Wire;

namespace SharpTls.Tests.Handshake;

public class Tls13HandshakeTests
{
    [Fact]
    public void FullHandshakeThenDataBothWays()
    {
        using var pair = new InMemoryPair(InMemoryPair.DefaultServer(), InMemoryPair.DefaultClient());
        pair.Handshake();
        Assert.Equal(ProtocolVersion.Tls13, pair.Client.Info.Version);
        Assert.Equal(CipherSuite.TLS_AES_128_GCM_SHA256, pair.Client.Info.CipherSuite);
        Assert.Equal(NamedGroup.X25519MlKem768, pair.Server.Info.Group); // our client sends a hybrid share by default (issue 10)
        Assert.Equal(SignatureScheme.EcdsaSecp256r1Sha256, pair.Client.Info.SignatureScheme);
        Assert.Equal("www.contoso.test", pair.Server.Info.ServerName);
        Assert.False(pair.Client.Info.Resumed);
        Assert.Equal("hello"u8.ToArray(), pair.Send(pair.Client, pair.Server, "hello"u8.ToArray()));
        Assert.Equal("world"u8.ToArray(), pair.Send(pair.Server, pair.Client, "world"u8.ToArray()));
    }
}
