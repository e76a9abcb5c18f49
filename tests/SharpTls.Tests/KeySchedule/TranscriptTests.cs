using System.Security.Cryptography;
using SharpTls.Crypto;
using SharpTls.KeySchedule;

namespace SharpTls.Tests.KeySchedule;

public class TranscriptTests
{
    private static readonly byte[] Ch1 = [1, 0, 0, 3, 0xAA, 0xBB, 0xCC];
    private static readonly byte[] Hrr = [2, 0, 0, 2, 0x11, 0x22];
    private static readonly byte[] Ch2 = [1, 0, 0, 1, 0x33];

    [Fact]
    public void Buffered_then_hashed_equals_hashed_from_the_start()
    {
        using var late = new Transcript(keepMessages: true);
        late.Add(Ch1);
        late.Add(Hrr);
        Assert.False(late.HasHash);
        Assert.Throws<InvalidOperationException>(() => late.GetCurrentHash());
        late.SetHash(HashAlgorithmName.SHA384);
        using var early = new Transcript(HashAlgorithmName.SHA384);
        early.Add(Ch1);
        early.Add(Hrr);
        Assert.Equal(early.GetCurrentHash(), late.GetCurrentHash());
        Assert.Equal(SHA384.HashData([.. Ch1, .. Hrr]), late.GetCurrentHash());
        Assert.Equal([.. Ch1, .. Hrr], late.Messages.ToArray());
        late.SetHash(HashAlgorithmName.SHA384);
        Assert.Throws<InvalidOperationException>(() => late.SetHash(HashAlgorithmName.SHA256));
    }

    [Fact]
    public void Forks_do_not_disturb_the_original()
    {
        using var t = new Transcript(HashAlgorithmName.SHA256, keepMessages: true);
        t.Add(Ch1);
        byte[] with = t.GetHashWith(Hrr);
        Assert.Equal(SHA256.HashData([.. Ch1, .. Hrr]), with);
        Assert.Equal(SHA256.HashData(Ch1), t.GetCurrentHash());
        using Transcript copy = t.Clone();
        copy.Add(Hrr);
        Assert.Equal(with, copy.GetCurrentHash());
        Assert.Equal(SHA256.HashData(Ch1), t.GetCurrentHash());
        t.DropMessages();
        Assert.False(t.KeepsMessages);
        t.Add(Hrr);
        Assert.Equal(with, t.GetCurrentHash());
    }

    [Fact]
    public void HelloRetryRequest_replaces_client_hello1_with_message_hash()
    {
        using var t = new Transcript(keepMessages: true);
        t.Add(Ch1);
        t.SetHash(HashAlgorithmName.SHA256);
        t.ReplaceWithMessageHash();
        t.Add(Hrr);
        t.Add(Ch2);
        byte[] synthetic = [254, 0, 0, 32, .. SHA256.HashData(Ch1)];
        Assert.Equal(SHA256.HashData([.. synthetic, .. Hrr, .. Ch2]), t.GetCurrentHash());
        Assert.Equal([.. synthetic, .. Hrr, .. Ch2], t.Messages.ToArray());

        using Transcript stateless = Transcript.FromClientHello1Hash(HashAlgorithmName.SHA256, SHA256.HashData(Ch1));
        stateless.Add(Hrr);
        stateless.Add(Ch2);
        Assert.Equal(t.GetCurrentHash(), stateless.GetCurrentHash());
    }

    [Fact]
    public void By_default_only_the_hash_is_kept_once_it_is_chosen()
    {
        // Buffered until the suite is known, then hashed and dropped (issue 7 item 4).
        using var late = new Transcript();
        late.Add(Ch1);
        Assert.True(late.KeepsMessages);
        late.SetHash(HashAlgorithmName.SHA256);
        Assert.False(late.KeepsMessages);
        Assert.Throws<InvalidOperationException>(() => late.Messages.Length);
        late.Add(Hrr);
        Assert.Equal(SHA256.HashData([.. Ch1, .. Hrr]), late.GetCurrentHash());

        using var early = new Transcript(HashAlgorithmName.SHA256);
        Assert.False(early.KeepsMessages);
        early.Add(Ch1);
        early.ReplaceWithMessageHash();
        Assert.False(early.KeepsMessages);
        early.Add(Hrr);
        Assert.Equal(SHA256.HashData([254, 0, 0, 32, .. SHA256.HashData(Ch1), .. Hrr]), early.GetCurrentHash());
        using Transcript copy = early.Clone();
        Assert.False(copy.KeepsMessages);
        Assert.Equal(early.GetCurrentHash(), copy.GetCurrentHash());
    }

    [Fact]
    public void Md5Sha1_transcript_is_md5_then_sha1()
    {
        using var t = new Transcript(TlsHashes.Md5Sha1);
        t.Add(Ch1);
        Assert.Equal(36, t.HashLength);
        Assert.Equal([.. MD5.HashData(Ch1), .. SHA1.HashData(Ch1)], t.GetCurrentHash());
        Assert.Equal(2, t.CloneHashes().Length);
    }
}
