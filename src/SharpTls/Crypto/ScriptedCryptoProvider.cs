using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SharpTls.Messages;
using SharpTls.Wire;

namespace SharpTls.Crypto;

/// <summary>
/// A deterministic provider for tests. Each <see cref="Fill"/> call first consumes the scripted
/// byte strings in order (a call must ask for exactly the length of the next script entry, so a
/// test notices when the engine draws randomness in a different order); once the script is
/// exhausted it returns a deterministic stream: SHA-256(seed || counter) blocks.
/// <see cref="Signer"/> replaces handshake signatures (randomized RSA-PSS and ECDSA cannot be
/// replayed otherwise) and <see cref="ClientHelloReplay"/> replaces the ClientHello the client builds
/// (see <see cref="IHandshakeReplay"/>).
/// </summary>
internal sealed class ScriptedCryptoProvider : DefaultCryptoProvider, IHandshakeReplay
{
    private readonly Queue<byte[]> _script;
    private readonly byte[] _seed;
    private ulong _counter;
    private readonly object _gate = new();

    /// <summary>A provider that serves <paramref name="script"/> and then the stream of <paramref name="seed"/>.</summary>
    public ScriptedCryptoProvider(string seed, params byte[][] script)
    {
        _seed = System.Text.Encoding.UTF8.GetBytes(seed);
        _script = new Queue<byte[]>(script);
    }

    /// <summary>A provider with no script: only the deterministic stream of <paramref name="seed"/>.</summary>
    public ScriptedCryptoProvider(string seed = "SharpTls") : this(seed, []) { }

    /// <summary>Signs instead of the certificate's key when set: (scheme, certificate, content) to signature.</summary>
    public Func<SignatureScheme, X509Certificate2, byte[], byte[]>? Signer { get; set; }

    /// <summary>Replaces each ClientHello the client builds when set (replay of a recorded client).</summary>
    public Func<ClientHello, ClientHello>? ClientHelloReplay { get; set; }

    /// <inheritdoc />
    public override byte[] Sign(SignatureScheme scheme, X509Certificate2 certificate, ReadOnlySpan<byte> content)
        => Signer is { } signer ? signer(scheme, certificate, content.ToArray()) : base.Sign(scheme, certificate, content);

    ClientHello IHandshakeReplay.ReplaceClientHello(ClientHello built) => ClientHelloReplay is { } replay ? replay(built) : built;

    /// <summary>Queues more scripted answers.</summary>
    public void Enqueue(params byte[][] answers)
    {
        lock (_gate)
        {
            foreach (byte[] a in answers) _script.Enqueue(a);
        }
    }

    /// <summary>How many scripted answers have not been consumed.</summary>
    public int Remaining { get { lock (_gate) return _script.Count; } }

    /// <inheritdoc />
    public override void Fill(Span<byte> destination)
    {
        lock (_gate)
        {
            if (_script.Count > 0)
            {
                byte[] next = _script.Dequeue();
                if (next.Length != destination.Length)
                    throw new InvalidOperationException(
                        $"scripted randomness: next entry has {next.Length} bytes but {destination.Length} were asked for");
                next.CopyTo(destination);
                return;
            }

            Span<byte> block = stackalloc byte[32];
            Span<byte> input = stackalloc byte[_seed.Length + 8];
            _seed.CopyTo(input);
            while (!destination.IsEmpty)
            {
                BinaryPrimitives.WriteUInt64BigEndian(input[_seed.Length..], _counter++);
                SHA256.HashData(input, block);
                int n = Math.Min(block.Length, destination.Length);
                block[..n].CopyTo(destination);
                destination = destination[n..];
            }
        }
    }
}
