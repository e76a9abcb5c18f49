using System.Diagnostics;
using SharpTls.Records;

namespace SharpTls.Benchmarks.Micro;

/// <summary>
/// `wake`: what freeing a record cipher's native context while a connection is idle costs when it wakes up. Seals one
/// record (64 B, 1 KB, 16 KB) with the context kept, and with it freed before every record (so each record pays a new
/// context: the worst case, one record per wake-up), on libcrypto's EVP and on the BCL. The four cases run interleaved
/// in rounds in one process, so a shared machine's load falls on all of them alike; read the differences.
/// </summary>
internal static class WakeCost
{
    public static int Run(int rounds)
    {
        var cases = new List<(string Name, AeadBackend Backend, bool Release)>
        {
            ("libcrypto, context kept", AeadBackend.LibCrypto, false),
            ("libcrypto, context freed before each record", AeadBackend.LibCrypto, true),
            ("BCL AesGcm, context kept", AeadBackend.Bcl, false),
            ("BCL AesGcm, context freed before each record", AeadBackend.Bcl, true),
        };
        foreach (int size in new[] { 64, 1024, 16384 })
        {
            var totals = new double[cases.Count];
            const int perRound = 2000;
            for (int round = 0; round < rounds + 2; round++)
            {
                for (int c = 0; c < cases.Count; c++)
                {
                    using var cipher = new AeadCipher(AeadAlgorithm.Aes128Gcm, new byte[16], cases[c].Backend);
                    byte[] data = new byte[size], tag = new byte[16], nonce = new byte[12], aad = new byte[5];
                    var sw = Stopwatch.StartNew();
                    for (int i = 0; i < perRound; i++)
                    {
                        if (cases[c].Release) cipher.Release();
                        cipher.Seal(nonce, data, tag, aad);
                    }
                    if (round >= 2) totals[c] += sw.Elapsed.TotalMicroseconds / perRound; // two warm-up rounds
                }
            }
            Console.WriteLine($"AES-128-GCM seal, {size} B record, µs per record (mean of {rounds} interleaved rounds):");
            for (int c = 0; c < cases.Count; c++)
                Console.WriteLine($"  {cases[c].Name,-48} {totals[c] / rounds,7:0.00}");
        }
        return 0;
    }
}
