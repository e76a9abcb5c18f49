using System.Text;
using System.Text.Json;

namespace SharpTls.Diagnostics;

/// <summary>
/// One line of a dissection, in the shape of Wireshark's packet details: a text ("Cipher Suite:
/// TLS_AES_128_GCM_SHA256 (0x1301)"), optionally the Wireshark display-filter field it shows
/// ("tls.handshake.ciphersuite") with its raw value (a number or a string), and children.
/// </summary>
public sealed class DissectionNode
{
    private List<DissectionNode>? _children;

    public DissectionNode(string text, string? field = null, object? value = null)
    {
        Text = text;
        Field = field;
        Value = value;
    }

    /// <summary>The line as printed.</summary>
    public string Text { get; set; }

    /// <summary>The Wireshark field name ("tls.handshake.extensions_server_name"), when there is one.</summary>
    public string? Field { get; }

    /// <summary>The raw value: a <see cref="long"/>, a <see cref="string"/> or a <see cref="bool"/>.</summary>
    public object? Value { get; }

    /// <summary>The lines below this one.</summary>
    public IReadOnlyList<DissectionNode> Children => _children ?? (IReadOnlyList<DissectionNode>)[];

    /// <summary>Adds a child line and returns it.</summary>
    public DissectionNode Add(string text, string? field = null, object? value = null) => Add(new DissectionNode(text, field, value));

    /// <summary>Adds a child node and returns it.</summary>
    public DissectionNode Add(DissectionNode child)
    {
        (_children ??= []).Add(child);
        return child;
    }

    /// <summary>This node and every node below it, depth first.</summary>
    public IEnumerable<DissectionNode> DescendantsAndSelf()
    {
        yield return this;
        foreach (var c in Children)
            foreach (var d in c.DescendantsAndSelf())
                yield return d;
    }

    /// <summary>The values of every node below (and including) this one shown for <paramref name="field"/>, in order.</summary>
    public IEnumerable<object> ValuesOf(string field)
        => DescendantsAndSelf().Where(n => n.Field == field && n.Value is not null).Select(n => n.Value!);

    /// <summary>Appends the indented text form (four spaces a level).</summary>
    public void WriteText(StringBuilder sb, int depth)
    {
        sb.Append(' ', depth * 4).Append(Text).Append('\n');
        foreach (var c in Children)
            c.WriteText(sb, depth + 1);
    }

    /// <summary>Writes the node as a JSON object: text, field, value, children.</summary>
    public void WriteJson(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("text", Text);
        if (Field is not null)
            w.WriteString("field", Field);
        switch (Value)
        {
            case null: break;
            case long l: w.WriteNumber("value", l); break;
            case int i: w.WriteNumber("value", i); break;
            case bool b: w.WriteBoolean("value", b); break;
            default: w.WriteString("value", Value.ToString()); break;
        }
        if (_children is { Count: > 0 })
        {
            w.WriteStartArray("children");
            foreach (var c in _children)
                c.WriteJson(w);
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        WriteText(sb, 0);
        return sb.ToString();
    }
}
