using System.Security.Cryptography;
using SharpTls.Handshake.Tls13;
using SharpTls.KeySchedule;
using SharpTls.Messages;
using SharpTls.Sessions;
using SharpTls.Wire;

namespace SharpTls.Benchmarks.Micro;

/// <summary>
/// `parts`: what the pieces of a TLS 1.3 server handshake cost on their own, in process (thread CPU time, least of ten
/// blocks): the HKDF steps, record-protection set-up, a ticket, the ClientHello decode, the transcript hash. For
/// before/after figures of one change (bench/PROFILE.md), beside `inmem`, which times whole handshakes.
/// </summary>
internal static class HandshakeParts
{
    public static int Run(int n)
    {
        var hash = HashAlgorithmName.SHA256;
        byte[] secret = RandomNumberGenerator.GetBytes(32), context = RandomNumberGenerator.GetBytes(32), output = new byte[32];
        byte[] ikm = RandomNumberGenerator.GetBytes(32);
        var suite = CipherSuites.Info(CipherSuite.TLS_AES_128_GCM_SHA256)!;
        var options = new TlsServerOptions { Certificates = [new ServerCertificate(MicroPki.Ecdsa)], KeyLog = null };
        var listener = options.Listener;
        using var client = TlsConnection.CreateClient(new TlsClientOptions { TargetHost = "localhost", TrustedRoots = [MicroPki.Root], KeyLog = null });
        byte[] helloRecord = client.PendingOutput.ToArray();
        byte[] hello = helloRecord[5..];
        byte[] ticketState = RandomNumberGenerator.GetBytes(120);
        using var transcript = new Transcript(hash);
        transcript.Add(hello);
        using var hmac = IncrementalHash.CreateHMAC(hash, secret);
        // RSA signing with a key first used on this thread, and with one first used on another thread (as in a socket
        // server where the first handshake ran elsewhere): OpenSSL keeps RSA blinding per thread.
        using var rsaHere = RSA.Create(2048);
        using var rsaElsewhere = RSA.Create(2048);
        byte[] signed = RandomNumberGenerator.GetBytes(130);
        rsaHere.SignData(signed, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        var other = new Thread(() => rsaElsewhere.SignData(signed, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
        other.Start();
        other.Join();
        var parts = new (string Name, Action Op, int Count)[]
        {
            ("RSA-2048 PSS sign, key first used on this thread", () => rsaHere.SignData(signed, HashAlgorithmName.SHA256, RSASignaturePadding.Pss), 300),
            ("RSA-2048 PSS sign, key first used on another thread", () => rsaElsewhere.SignData(signed, HashAlgorithmName.SHA256, RSASignaturePadding.Pss), 300),
            ("HKDF-Expand-Label (32 B, SHA-256)", () => Tls13Hkdf.ExpandLabel(hash, secret, "c hs traffic", context, output), n),
            ("(BCL HMACSHA256.HashData, 45 B)", () => HMACSHA256.HashData(secret, context.AsSpan(0, 32), output), n),
            ("(BCL HKDF.Expand, 32 B)", () => HKDF.Expand(hash, secret, output, context), n),
            ("(BCL SHA256.HashData empty)", () => SHA256.HashData(ReadOnlySpan<byte>.Empty, output), n),
            ("(IncrementalHash HMAC reused)", () => { hmac.AppendData(context); hmac.GetHashAndReset(output); }, n),
            ("HKDF-Extract (SHA-256)", () => CryptographicOperations.ZeroMemory(Tls13Hkdf.Extract(hash, secret, ikm)), n),
            ("key schedule: early -> handshake -> master, 5 secrets", () =>
            {
                using var schedule = new Tls13KeySchedule(hash);
                schedule.AddSharedSecret(ikm);
                CryptographicOperations.ZeroMemory(schedule.ClientHandshakeTrafficSecret(context));
                CryptographicOperations.ZeroMemory(schedule.ServerHandshakeTrafficSecret(context));
                schedule.DeriveMasterSecret();
                CryptographicOperations.ZeroMemory(schedule.ClientApplicationTrafficSecret(context));
                CryptographicOperations.ZeroMemory(schedule.ServerApplicationTrafficSecret(context));
                CryptographicOperations.ZeroMemory(schedule.ExporterMasterSecret(context));
            }, n),
            ("record protection from a traffic secret (key, iv)", () =>
            {
                using var keys = new Tls13Keys(suite, new Transcript(hash), new byte[32]);
                var protection = keys.Protection(secret, options);
                (protection as IDisposable)?.Dispose();
            }, n),
            ("transcript hash (GetCurrentHash)", () => transcript.GetCurrentHash(), n),
            ("ticket sealed (120 B state)", () => listener.TicketKeys.Seal(ticketState), n),
            ("ClientHello decode (our client's)", () => HandshakeMessage.Decode<ClientHello>(hello, MessageContext.Tls13), n),
        };
        foreach (var (name, op, count) in parts)
            Console.WriteLine($"{name,-60} {InMemoryServers.TimeOp(op, warm: count / 5, n: count) * 1e6,8:0.00} µs");
        return 0;
    }
}
