using System.Net;
using SharpTls.Diagnostics;

namespace SharpTls.Cli.Captures;

/// <summary>
/// A contiguous piece of one direction's byte stream, in the order it first appeared in the capture.
/// Chunks of both directions interleaved in capture order give the flights of a handshake.
/// </summary>
public sealed record StreamChunk(DissectorDirection Direction, long Offset, byte[] Data, DateTimeOffset? Time);

/// <summary>One reassembled TCP connection: both byte streams, and the chunks in capture order.</summary>
public sealed class TcpConversation
{
    internal TcpConversation(int index, IPEndPoint client, IPEndPoint server)
    {
        Index = index;
        Client = client;
        Server = server;
    }

    /// <summary>0 for the first connection of the capture, in order of first packet.</summary>
    public int Index { get; }

    /// <summary>The side that sent the SYN (or, without one, the first to send, the higher port on a tie).</summary>
    public IPEndPoint Client { get; }

    /// <summary>The other side.</summary>
    public IPEndPoint Server { get; }

    /// <summary>The contiguous client-to-server stream (up to the first gap).</summary>
    public byte[] ClientToServer { get; internal set; } = [];

    /// <summary>The contiguous server-to-client stream (up to the first gap).</summary>
    public byte[] ServerToClient { get; internal set; } = [];

    /// <summary>Both streams cut into chunks, in the order their bytes were first captured.</summary>
    public IReadOnlyList<StreamChunk> Chunks { get; internal set; } = [];

    /// <summary>Problems met while reassembling (a gap: bytes never captured).</summary>
    public IReadOnlyList<string> Notes { get; internal set; } = [];

    /// <summary>Time of the first packet.</summary>
    public DateTimeOffset? Start { get; internal set; }
}

/// <summary>
/// Reassembles TCP connections from captured segments: per direction, by sequence number,
/// dropping retransmitted bytes, reordering segments that arrive out of order, and stopping a
/// stream at a gap (a byte that was never captured). Sequence numbers wrap modulo 2^32.
/// </summary>
public sealed class TcpReassembler
{
    private readonly Dictionary<(IPEndPoint, IPEndPoint), Connection> _byKey = new();
    private readonly List<Connection> _connections = [];

    /// <summary>Feeds one captured TCP segment.</summary>
    public void Add(IPEndPoint source, IPEndPoint destination, uint sequence, bool syn, bool ack, bool fin, bool rst,
        ReadOnlySpan<byte> payload, DateTimeOffset? time)
    {
        var key = Canonical(source, destination);
        if (!_byKey.TryGetValue(key, out var c) || (syn && !ack && c.SawFinOrRst))
        {
            // A SYN on a closed 4-tuple starts a new connection (port reuse).
            c = new Connection(_connections.Count, time);
            _byKey[key] = c;
            _connections.Add(c);
        }
        c.Add(source, destination, sequence, syn, ack, fin || rst, payload, time);
    }

    /// <summary>The connections seen so far, reassembled, in order of first packet.</summary>
    public IReadOnlyList<TcpConversation> Conversations()
        => [.. _connections.Where(c => c.HasEndpoints).Select(c => c.Build())];

    private static (IPEndPoint, IPEndPoint) Canonical(IPEndPoint a, IPEndPoint b)
    {
        int cmp = string.CompareOrdinal(a.Address.ToString(), b.Address.ToString());
        return cmp < 0 || (cmp == 0 && a.Port <= b.Port) ? (a, b) : (b, a);
    }

    private sealed class Connection(int index, DateTimeOffset? start)
    {
        private readonly Dictionary<IPEndPoint, (IPEndPoint Peer, Flow Flow)> _flows = new();
        private IPEndPoint? _synSender, _synAckReceiver, _firstDataSender;
        private long _order;

        public bool SawFinOrRst { get; private set; }
        public bool HasEndpoints => _flows.Count > 0;

        public void Add(IPEndPoint src, IPEndPoint dst, uint seq, bool syn, bool ack, bool finOrRst, ReadOnlySpan<byte> payload, DateTimeOffset? time)
        {
            SawFinOrRst |= finOrRst;
            if (syn && !ack)
                _synSender ??= src;
            if (syn && ack)
                _synAckReceiver ??= dst;
            if (payload.Length > 0)
                _firstDataSender ??= src;
            if (!_flows.TryGetValue(src, out var f))
                _flows[src] = f = (dst, new Flow());
            f.Flow.Add(seq, syn, payload, time, _order++);
        }

        public TcpConversation Build()
        {
            // The client sent the SYN; without the handshake, it is the first to send data; else the higher port.
            var ends = _flows.Keys.Concat(_flows.Values.Select(v => v.Peer)).Distinct().ToList();
            var client = _synSender ?? _synAckReceiver ?? _firstDataSender ?? ends.MaxBy(e => e.Port)!;
            var server = _flows.TryGetValue(client, out var cf) ? cf.Peer : _flows.First(kv => kv.Value.Peer.Equals(client)).Key;
            var conv = new TcpConversation(index, client, server) { Start = start };
            var notes = new List<string>();
            var chunks = new List<(long Order, StreamChunk Chunk)>();
            conv.ClientToServer = _flows.TryGetValue(client, out var up) ? up.Flow.Assemble(DissectorDirection.ClientToServer, chunks, notes) : [];
            conv.ServerToClient = _flows.TryGetValue(server, out var down) ? down.Flow.Assemble(DissectorDirection.ServerToClient, chunks, notes) : [];
            conv.Chunks = [.. chunks.OrderBy(c => c.Order).Select(c => c.Chunk)];
            conv.Notes = notes;
            return conv;
        }
    }

    /// <summary>One direction: segments keyed by their offset from the initial sequence number.</summary>
    private sealed class Flow
    {
        private uint? _isn; // sequence number of the first payload byte
        private readonly List<(long Offset, byte[] Data, DateTimeOffset? Time, long Order)> _segments = [];
        private uint _highest; // for unwrapping
        private long _wraps;

        public void Add(uint seq, bool syn, ReadOnlySpan<byte> payload, DateTimeOffset? time, long order)
        {
            if (syn)
            {
                _isn ??= seq + 1;
                seq++;
            }
            if (payload.IsEmpty)
                return;
            _isn ??= seq;
            _segments.Add((Unwrap(seq) - _isn.Value, payload.ToArray(), time, order));
        }

        private long Unwrap(uint seq)
        {
            // Treat a jump of more than 2^31 backwards as a wrap forward.
            if (_segments.Count > 0 && seq < _highest && _highest - seq > 0x8000_0000u)
                _wraps++;
            if (_segments.Count == 0 || (int)(seq - _highest) > 0)
                _highest = seq;
            return seq + (_wraps << 32);
        }

        /// <summary>
        /// Lays the segments on the stream: bytes already placed (retransmits, overlaps) keep their
        /// first capture; a hole ends the stream with a note.
        /// </summary>
        public byte[] Assemble(DissectorDirection direction, List<(long, StreamChunk)> chunks, List<string> notes)
        {
            var output = new MemoryStream();
            long next = 0;
            var ordered = _segments.OrderBy(s => s.Offset).ThenBy(s => s.Order).ToList();
            // For out-of-order segments, each chunk carries the capture order of the segment that filled it.
            foreach (var s in ordered)
            {
                long end = s.Offset + s.Data.Length;
                if (end <= next)
                    continue; // a retransmission of bytes we have
                if (s.Offset > next)
                {
                    string name = direction == DissectorDirection.ClientToServer ? "client -> server" : "server -> client";
                    notes.Add($"{name}: {s.Offset - next} byte(s) missing at stream offset {next}; the rest of this direction is ignored");
                    break;
                }
                int skip = (int)(next - s.Offset);
                var data = s.Data.AsSpan(skip).ToArray();
                output.Write(data);
                chunks.Add((s.Order, new StreamChunk(direction, next, data, s.Time)));
                next = end;
            }
            return output.ToArray();
        }
    }
}
