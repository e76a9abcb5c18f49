using System.Text;

namespace SharpTls.Benchmarks.Servers;

/// <summary>The two fixed responses (www/1k, www/1m) with their HTTP/1.1 heads, shared by the in-bench servers.</summary>
internal sealed class FixedResponses
{
    public FixedResponses(string www)
    {
        foreach (var name in new[] { "1k", "1m" })
        {
            byte[] body = File.ReadAllBytes(Path.Combine(www, name));
            byte[] head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {body.Length}\r\n\r\n");
            Bodies[name] = body;
            Heads[name] = head;
        }
    }

    public Dictionary<string, byte[]> Bodies { get; } = [];
    public Dictionary<string, byte[]> Heads { get; } = [];

    /// <summary>The file name a request line asks for ("GET /1k HTTP/1.1" gives "1k"), or null.</summary>
    public string? Select(ReadOnlySpan<byte> requestHead)
    {
        if (!requestHead.StartsWith("GET /"u8)) return null;
        var rest = requestHead[5..];
        int space = rest.IndexOf((byte)' ');
        if (space < 0) return null;
        string name = Encoding.ASCII.GetString(rest[..space]);
        return Bodies.ContainsKey(name) ? name : null;
    }
}
