using System.Buffers;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Wire;

namespace SharpTls.Handshake.Tls13;

/// <summary>
/// TLS certificate compression (RFC 8879), both sides, TLS 1.3 only: the offer (compress_certificate in ClientHello or
/// CertificateRequest), the sender's choice among the peer's offer, compression of the Certificate body with the BCL's
/// zlib (RFC 1950) and brotli (RFC 7932), zstd (RFC 8878) through ZstdSharp.Port (a managed port of the reference
/// library), and bounded decompression of what arrives.
/// </summary>
internal static class CertificateCompression
{
    /// <summary>
    /// What we offer and accept, in our order of preference: brotli compresses certificates best and browsers send it;
    /// zstd comes last, so a peer that offers zlib (Firefox with brotli off) keeps getting what it got before zstd existed here.
    /// </summary>
    public static readonly CertificateCompressionAlgorithm[] Supported =
        [CertificateCompressionAlgorithm.Brotli, CertificateCompressionAlgorithm.Zlib, CertificateCompressionAlgorithm.Zstd];

    /// <summary>
    /// The largest Certificate body we decompress to: the limit an uncompressed Certificate has in the reassembler
    /// (64 KiB). A larger uncompressed_length, or output beyond the claimed length (a decompression bomb), is bad_certificate.
    /// </summary>
    public const int MaxUncompressedLength = Records.HandshakeReassembler.DefaultMaxMessageLength;

    /// <summary>The compress_certificate extension to offer.</summary>
    public static CompressCertificateExtension Offer() => new(Supported);

    /// <summary>Our first algorithm the peer's compress_certificate lists, or null (no extension, nothing in common, or off).</summary>
    public static CertificateCompressionAlgorithm? Choose(ExtensionList peer, bool enabled)
    {
        if (!enabled || peer.Find<CompressCertificateExtension>() is not { } offer) return null;
        foreach (var algorithm in Supported)
            if (offer.Algorithms.Contains(algorithm)) return algorithm;
        return null;
    }

    /// <summary>
    /// The message to send for <paramref name="certificate"/>: a CompressedCertificate with <paramref name="algorithm"/>, or
    /// the Certificate itself when there is none. <paramref name="cacheOwner"/> (the shared credential) keeps the last
    /// compression of each algorithm, so a server does not compress the same chain for every handshake.
    /// </summary>
    public static HandshakeMessage ForSending(CertificateMessage certificate, CertificateCompressionAlgorithm? algorithm, object? cacheOwner = null)
    {
        if (algorithm is not { } chosen) return certificate;
        // Encoded into the thread's scratch writer: a cache hit (the usual case) allocates nothing for the lookup.
        var w = TlsWriter.RentScratch();
        try
        {
            certificate.WriteMessage(w);
            ReadOnlySpan<byte> body = w.WrittenSpan[4..];
            byte[] compressed = cacheOwner is null ? Compress(chosen, body) : Cached(cacheOwner, chosen, body);
            return new CompressedCertificate { Algorithm = chosen, UncompressedLength = body.Length, CompressedMessage = compressed };
        }
        finally
        {
            TlsWriter.ReturnScratch(w);
        }
    }

    /// <summary>
    /// Reads what arrived where a Certificate belongs: a Certificate, or, when we offered compression, a CompressedCertificate,
    /// decompressed within <see cref="MaxUncompressedLength"/>. Returns the Certificate and the algorithm (null when plain).
    /// </summary>
    public static (CertificateMessage Certificate, CertificateCompressionAlgorithm? Algorithm) Receive(HandshakeType type, ReadOnlyMemory<byte> message, bool offered)
    {
        if (type == HandshakeType.Certificate)
            return (HandshakeMessage.Decode<CertificateMessage>(message, MessageContext.Tls13), null);
        if (type != HandshakeType.CompressedCertificate || !offered)
            throw new TlsProtocolException(AlertDescription.UnexpectedMessage, type == HandshakeType.CompressedCertificate
                ? "CompressedCertificate, but we did not offer compress_certificate (RFC 8879 §3)"
                : $"{type} where a Certificate belongs");
        var compressed = HandshakeMessage.Decode<CompressedCertificate>(message, MessageContext.Tls13);
        if (Array.IndexOf(Supported, compressed.Algorithm) < 0)
            throw TlsProtocolException.Illegal($"CompressedCertificate.algorithm {SmallRegistryNames.Name(compressed.Algorithm)} was not offered (RFC 8879 §4)");
        byte[] body = Decompress(compressed.Algorithm, compressed.CompressedMessage, compressed.UncompressedLength);
        byte[] full = new byte[4 + body.Length];
        full[0] = (byte)HandshakeType.Certificate;
        full[1] = (byte)(body.Length >> 16);
        full[2] = (byte)(body.Length >> 8);
        full[3] = (byte)body.Length;
        body.CopyTo(full, 4);
        return (HandshakeMessage.Decode<CertificateMessage>(full, MessageContext.Tls13), compressed.Algorithm);
    }

    /// <summary>Compresses a Certificate body.</summary>
    internal static byte[] Compress(CertificateCompressionAlgorithm algorithm, ReadOnlySpan<byte> body)
    {
        switch (algorithm)
        {
            case CertificateCompressionAlgorithm.Brotli:
            {
                byte[] buffer = ArrayPool<byte>.Shared.Rent(BrotliEncoder.GetMaxCompressedLength(body.Length));
                try
                {
                    // Quality 11, window 22 (2^22 bytes, more than any chain): the result is cached per credential.
                    if (!BrotliEncoder.TryCompress(body, buffer, out int written, 11, 22))
                        throw new InvalidOperationException("brotli compression of the Certificate failed");
                    return buffer.AsSpan(0, written).ToArray();
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
            case CertificateCompressionAlgorithm.Zlib:
            {
                using var output = new MemoryStream();
                using (var zlib = new ZLibStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
                    zlib.Write(body);
                return output.ToArray();
            }
            case CertificateCompressionAlgorithm.Zstd:
            {
                // Level 19 (of 22), one frame with its content size: the result is cached per credential.
                using var zstd = new ZstdSharp.Compressor(19);
                return zstd.Wrap(body).ToArray();
            }
            default:
                throw new NotSupportedException($"certificate compression algorithm {algorithm}");
        }
    }

    /// <summary>
    /// Decompresses to exactly <paramref name="claimedLength"/> bytes, never more: a claimed length over
    /// <see cref="MaxUncompressedLength"/>, output longer or shorter than claimed, or a corrupt stream are bad_certificate
    /// (RFC 8879 §4); so are a stream that ends early and bytes after the stream's end.
    /// </summary>
    internal static byte[] Decompress(CertificateCompressionAlgorithm algorithm, ReadOnlySpan<byte> compressed, int claimedLength)
    {
        if (claimedLength > MaxUncompressedLength)
            throw Bad($"uncompressed_length {claimedLength} is over our limit of {MaxUncompressedLength} bytes");
        if (claimedLength == 0)
            throw Bad("uncompressed_length is 0");
        byte[] body = new byte[claimedLength];
        switch (algorithm)
        {
            case CertificateCompressionAlgorithm.Brotli:
            {
                using var decoder = new BrotliDecoder();
                var status = decoder.Decompress(compressed, body, out int consumed, out int written);
                if (status == OperationStatus.DestinationTooSmall)
                {
                    // Full: any further output is a bomb; probe one byte more.
                    Span<byte> probe = stackalloc byte[1];
                    var more = decoder.Decompress(compressed[consumed..], probe, out int consumedMore, out int extra);
                    if (extra > 0 || more != OperationStatus.Done)
                        throw Bad($"brotli output exceeds uncompressed_length {claimedLength}");
                    consumed += consumedMore;
                    status = more;
                }
                if (status != OperationStatus.Done)
                    throw Bad(status == OperationStatus.InvalidData ? "the brotli stream is corrupt" : "the brotli stream is truncated");
                if (written != claimedLength)
                    throw Bad($"brotli output is {written} bytes, uncompressed_length says {claimedLength}");
                if (consumed != compressed.Length)
                    throw Bad($"{compressed.Length - consumed} byte(s) after the brotli stream");
                return body;
            }
            case CertificateCompressionAlgorithm.Zlib:
            {
                var input = new EndProbe(compressed.ToArray());
                int read = 0;
                try
                {
                    using var zlib = new ZLibStream(input, CompressionMode.Decompress);
                    while (read < claimedLength)
                    {
                        int n = zlib.Read(body, read, claimedLength - read);
                        if (n == 0) break;
                        read += n;
                    }
                    if (read == claimedLength && zlib.Read(stackalloc byte[1]) > 0)
                        throw Bad($"zlib output exceeds uncompressed_length {claimedLength}");
                }
                catch (InvalidDataException e)
                {
                    throw Bad($"the zlib stream is corrupt: {e.Message}");
                }
                if (read != claimedLength)
                    throw Bad($"zlib output is {read} bytes, uncompressed_length says {claimedLength}");
                // ZLibStream returns 0 both at the stream's end and when its input runs out first; EndProbe tells them apart.
                if (input.AskedPastEnd)
                    throw Bad("the zlib stream is truncated (it ends before its Adler-32 check)");
                if (input.Unread > 0)
                    throw Bad("bytes after the zlib stream");
                return body;
            }
            case CertificateCompressionAlgorithm.Zstd:
            {
                // Single-pass decompression into the claimed length: zstd allocates no window buffer in this mode (its
                // streaming mode would, as large as a frame header asks), so memory is bounded by claimedLength.
                // RFC 8878 §3: the data is a sequence of frames; skippable frames are allowed and carry no output.
                using var zstd = new ZstdSharp.Decompressor();
                int written;
                try
                {
                    written = zstd.Unwrap(compressed, body);
                }
                catch (ZstdSharp.ZstdException e)
                {
                    throw Bad(e.Code switch
                    {
                        ZstdSharp.Unsafe.ZSTD_ErrorCode.ZSTD_error_dstSize_tooSmall => $"zstd output exceeds uncompressed_length {claimedLength}",
                        // The one-pass decoder reports both a frame cut short and bytes after the last frame this way.
                        ZstdSharp.Unsafe.ZSTD_ErrorCode.ZSTD_error_srcSize_wrong => "the zstd data is truncated or has bytes after its last frame",
                        _ => $"the zstd data is corrupt ({e.Message})",
                    });
                }
                if (written != claimedLength)
                    throw Bad($"zstd output is {written} bytes, uncompressed_length says {claimedLength}");
                return body;
            }
            default:
                throw Bad($"algorithm {algorithm}");
        }
    }

    /// <summary>
    /// The input of <see cref="ZLibStream"/>, which reads ahead and never says where its stream ended: all but the last byte
    /// are handed over at once, the last one alone. The decompressor asks for more only when it has used everything it was
    /// given and its stream has not ended, so when it stops: the last byte not asked for means bytes after the stream
    /// (<see cref="Unread"/> &gt; 0), a request past the last byte means the stream was cut short, and neither means the
    /// stream ended exactly at the last byte.
    /// </summary>
    private sealed class EndProbe(byte[] data) : Stream
    {
        private int _handed;

        /// <summary>Bytes never handed to the decompressor (at most one when bytes follow the stream: it does not say how many).</summary>
        public int Unread => data.Length - _handed;

        /// <summary>The decompressor asked for input after the last byte: its stream is incomplete.</summary>
        public bool AskedPastEnd { get; private set; }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (buffer.IsEmpty) return 0;
            if (_handed == data.Length)
            {
                AskedPastEnd = true;
                return 0;
            }
            int n = _handed < data.Length - 1 ? Math.Min(buffer.Length, data.Length - 1 - _handed) : 1;
            data.AsSpan(_handed, n).CopyTo(buffer);
            _handed += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static TlsProtocolException Bad(string what) => new(AlertDescription.BadCertificate, $"CompressedCertificate: {what}");

    /// <summary>The last compression per algorithm of one credential: (uncompressed body, compressed), replaced when the body changes.</summary>
    private sealed class Cache
    {
        public Entry? Brotli;
        public Entry? Zlib;
        public Entry? Zstd;
    }

    /// <summary>Immutable, so a reader on another thread sees a whole entry or the previous one.</summary>
    private sealed record Entry(byte[] Body, byte[] Compressed);

    private static readonly ConditionalWeakTable<object, Cache> s_cache = [];

    private static byte[] Cached(object owner, CertificateCompressionAlgorithm algorithm, ReadOnlySpan<byte> body)
    {
        var cache = s_cache.GetOrCreateValue(owner);
        var entry = algorithm switch
        {
            CertificateCompressionAlgorithm.Brotli => cache.Brotli,
            CertificateCompressionAlgorithm.Zlib => cache.Zlib,
            _ => cache.Zstd,
        };
        // Certificates are public: an ordinary comparison is fine.
        if (entry is { } hit && hit.Body.AsSpan().SequenceEqual(body)) return hit.Compressed;
        byte[] compressed = Compress(algorithm, body);
        var fresh = new Entry(body.ToArray(), compressed);
        switch (algorithm)
        {
            case CertificateCompressionAlgorithm.Brotli: cache.Brotli = fresh; break;
            case CertificateCompressionAlgorithm.Zlib: cache.Zlib = fresh; break;
            default: cache.Zstd = fresh; break;
        }
        return compressed;
    }
}
