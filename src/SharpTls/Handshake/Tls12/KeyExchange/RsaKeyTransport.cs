using System.Security.Cryptography.X509Certificates;
using SharpTls.Crypto;
using SharpTls.Messages;

namespace SharpTls.Handshake.Tls12.KeyExchange;

/// <summary>
/// RSA key transport (RFC 5246 §7.4.7.1): no ServerKeyExchange; the client encrypts client_version (the
/// version it offered in ClientHello) + 46 random bytes to the certificate's key. The server decrypts
/// through <see cref="ICryptoProvider.DecryptRsaPreMasterSecret"/>, which never fails and never tells:
/// a bad ciphertext gives a random pre-master, caught at Finished like any key mismatch.
/// </summary>
internal sealed class RsaKeyTransport(ICryptoProvider crypto, X509Certificate2 certificate, ushort clientHelloVersion, bool ssl3) : ITls12KeyExchange
{
    public KeyExchangeKind Kind => KeyExchangeKind.Rsa;

    public ServerKeyExchange? ServerParams() => null;

    public byte[] ServerPreMaster(ClientKeyExchange exchange)
    {
        byte[] preMaster = new byte[RsaKeyExchange.PreMasterSecretLength];
        crypto.DecryptRsaPreMasterSecret(certificate, exchange.Exchange, clientHelloVersion, preMaster);
        return preMaster;
    }

    public void ClientParams(ServerKeyExchange serverKeyExchange)
        => throw new Wire.TlsProtocolException(Wire.AlertDescription.UnexpectedMessage, "ServerKeyExchange with RSA key exchange");

    public (ClientKeyExchange Message, byte[] PreMaster) ClientExchange()
    {
        using var key = certificate.GetRSAPublicKey()
            ?? throw new Wire.TlsProtocolException(Wire.AlertDescription.UnsupportedCertificate, "the server certificate has no RSA key for the RSA key exchange");
        byte[] preMaster = RsaKeyExchange.CreatePreMasterSecret(clientHelloVersion, crypto);
        byte[] encrypted = RsaKeyExchange.Encrypt(key, preMaster, crypto);
        return (new ClientKeyExchange { KeyExchange = KeyExchangeKind.Rsa, Exchange = encrypted, Ssl3Form = ssl3 }, preMaster);
    }

    public void Dispose() { }
}
