using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SharpTls.Crypto;
using SharpTls.Tests.Handshake;
using SharpTls.Wire;

namespace SharpTls.Tests.Tls12;

/// <summary>
/// Bad input on the TLS 1.2 paths: every kind of bad RSA ciphertext ends the same way (the ROBOT/Bleichenbacher
/// countermeasure: no alert, message or state tells them apart), a truncated ClientKeyExchange is decode_error,
/// a corrupted CBC record is bad_record_mac.
/// </summary>
public class Tls12NegativeTests
{
    private static InMemoryPair Pair(CipherSuite suite)
    {
        var s = InMemoryPair.DefaultServer(UnitPki.RsaLeaf);
        s.Versions = TlsVersions.Tls12;
        s.SessionCache = null;
        var c = InMemoryPair.DefaultClient();
        c.Versions = TlsVersions.Tls12;
        c.CipherSuites = [suite];
        return new InMemoryPair(s, c);
    }

    /// <summary>Replaces the EncryptedPreMasterSecret inside the client's (plaintext) ClientKeyExchange record.</summary>
    private static Func<byte[], byte[]> ReplaceEncryptedPreMaster(Func<byte[], byte[]> change) => wire =>
    {
        var records = WireSurgery.Split(wire);
        int i = records.FindIndex(r => r.Type == ContentType.Handshake && r.Fragment[0] == (byte)HandshakeType.ClientKeyExchange);
        if (i < 0) return wire;
        byte[] encrypted = records[i].Fragment.AsSpan(6).ToArray();
        byte[] replaced = change(encrypted);
        var body = new byte[2 + replaced.Length];
        body[0] = (byte)(replaced.Length >> 8);
        body[1] = (byte)replaced.Length;
        replaced.CopyTo(body, 2);
        records[i] = records[i] with { Fragment = WireSurgery.Message(HandshakeType.ClientKeyExchange, body) };
        return WireSurgery.Join(records);
    };

    public static TheoryData<string> RsaFailures => new() { "random block", "wrong version", "all ones", "zero block", "short" };

    [Theory]
    [MemberData(nameof(RsaFailures))]
    public void Every_bad_rsa_ciphertext_fails_alike_at_the_client_finished(string failure)
    {
        using var rsa = UnitPki.RsaLeaf.GetRSAPublicKey()!;
        int k = rsa.KeySize / 8;
        using var pair = Pair(CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA);
        pair.ClientToServer = ReplaceEncryptedPreMaster(original => failure switch
        {
            "random block" => RandomNumberGenerator.GetBytes(k),
            "wrong version" => RsaKeyExchange.Encrypt(rsa, RsaKeyExchange.CreatePreMasterSecret(0x0301, CryptoProviders.Default), CryptoProviders.Default),
            "all ones" => Enumerable.Repeat((byte)0xFF, k).ToArray(),
            "zero block" => new byte[k],
            "short" => original[..^1],
            _ => throw new ArgumentException(failure),
        });
        pair.Pump();
        // The server went on with a random pre-master: the client's Finished record does not open under its keys.
        Assert.Equal(TlsStatus.Failed, pair.Server.Status);
        Assert.Equal((AlertDescription.BadRecordMac, "Server.Tls12.ExpectFinished"), (pair.Server.Failure!.Alert, pair.Server.Failure.InternalState));
        Assert.Equal(Tls13ReasonOfBadRecordMac(), pair.Server.Failure.Reason);
    }

    private static string Tls13ReasonOfBadRecordMac()
    {
        // The reason of a record that does not authenticate, whatever the cause (the same text for every RSA failure).
        using var pair = Pair(CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA);
        pair.ClientToServer = ReplaceEncryptedPreMaster(_ => RandomNumberGenerator.GetBytes(256));
        pair.Pump();
        return pair.Server.Failure!.Reason;
    }

    [Fact]
    public void Truncated_client_key_exchange_is_decode_error()
    {
        using var pair = Pair(CipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256);
        pair.ClientToServer = wire =>
        {
            var records = WireSurgery.Split(wire);
            int i = records.FindIndex(r => r.Type == ContentType.Handshake && r.Fragment[0] == (byte)HandshakeType.ClientKeyExchange);
            if (i < 0) return wire;
            // The vector claims 256 bytes; 100 follow.
            byte[] body = [0x01, 0x00, .. new byte[100]];
            records[i] = records[i] with { Fragment = WireSurgery.Message(HandshakeType.ClientKeyExchange, body) };
            return WireSurgery.Join(records);
        };
        pair.Pump();
        Assert.Equal((AlertDescription.DecodeError, "Server.Tls12.ExpectClientKeyExchange"), (pair.Server.Failure!.Alert, pair.Server.Failure.InternalState));
    }

    [Theory]
    [InlineData(CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA)]
    [InlineData(CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384)]
    public void Corrupted_cbc_record_is_bad_record_mac(CipherSuite suite)
    {
        using var pair = Pair(suite);
        pair.Handshake();
        pair.Client.WriteApplicationData("tampered"u8);
        byte[] wire = pair.Client.PendingOutput.ToArray();
        pair.Client.ConsumeOutput(wire.Length);
        wire[^3] ^= 0x40; // inside the last block: the padding, the MAC or both
        pair.Server.Feed(wire);
        Assert.Equal(TlsStatus.Failed, pair.Server.Status);
        Assert.Equal(AlertDescription.BadRecordMac, pair.Server.Failure!.Alert);
    }
}
