using System.Buffers;
using BenchmarkDotNet.Attributes;
using SharpTls.Records;
using SharpTls.Wire;

namespace SharpTls.Benchmarks.Micro;

/// <summary>
/// TLS 1.3 record protection (RFC 8446 §5.2): seal one application_data record, and seal + open it
/// (open decrypts in place and advances the sequence number, so a sealed record can be opened once:
/// the open cost is SealOpen minus Seal). BenchmarkDotNet runs GlobalSetup per benchmark case, so
/// each method has its own sealer/opener pair in step. Steady state should allocate 0 bytes.
/// </summary>
[MemoryDiagnoser]
public class RecordBenchmarks
{
    private Tls13RecordProtection _sealer = null!;
    private Tls13RecordProtection _opener = null!;
    private byte[] _plaintext = [];
    private readonly FixedBufferWriter _output = new(20_000);

    /// <summary>The AEAD by name (the engine's algorithm enum is internal).</summary>
    [Params("Aes128Gcm", "Aes256Gcm", "ChaCha20Poly1305")]
    public string Algorithm { get; set; } = "Aes128Gcm";

    private AeadAlgorithm Aead => Enum.Parse<AeadAlgorithm>(Algorithm);

    [Params(64, 1024, 16384)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        byte[] key = new byte[AeadAlgorithm.Aes128Gcm == Aead ? 16 : 32];
        byte[] iv = new byte[12];
        new Random(1).NextBytes(key);
        new Random(2).NextBytes(iv);
        _sealer = new Tls13RecordProtection(Aead, key, iv);
        _opener = new Tls13RecordProtection(Aead, key, iv);
        _plaintext = new byte[Size];
        new Random(3).NextBytes(_plaintext);
    }

    [Benchmark]
    public int Seal()
    {
        _output.Reset();
        _sealer.Seal(ContentType.ApplicationData, 0x0303, _plaintext, _output);
        return _output.Written;
    }

    [Benchmark]
    public int SealOpen()
    {
        _output.Reset();
        _sealer.Seal(ContentType.ApplicationData, 0x0303, _plaintext, _output);
        var fragment = _output.Buffer.AsSpan(5, _output.Written - 5);
        return _opener.Open(ContentType.ApplicationData, 0x0303, fragment, out _).Length;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sealer.Dispose();
        _opener.Dispose();
    }
}

/// <summary>An IBufferWriter over one array, reset between records (no allocation).</summary>
internal sealed class FixedBufferWriter(int capacity) : IBufferWriter<byte>
{
    public byte[] Buffer { get; } = new byte[capacity];
    public int Written { get; private set; }
    public void Reset() => Written = 0;
    public void Advance(int count) => Written += count;
    public Memory<byte> GetMemory(int sizeHint = 0) => Buffer.AsMemory(Written);
    public Span<byte> GetSpan(int sizeHint = 0) => Buffer.AsSpan(Written);
}
