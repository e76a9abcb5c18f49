using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using SharpTls.Hosting.Diagnostics;

namespace SharpTls.Hosting.Tests.Diagnostics;

/// <summary>Issue 8 item 9: docs/events.md lists every event the host and the engine log, each with what to do.</summary>
public sealed class EventsDocumentedTests
{
    [Fact]
    public void Every_host_and_engine_event_id_has_a_row_in_docs_events_md()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SharpTls.slnx"))) dir = dir.Parent;
        Assert.NotNull(dir);
        string doc = File.ReadAllText(Path.Combine(dir.FullName, "docs", "events.md"));
        var rows = Regex.Matches(doc, @"^\| (\d{5}) \|", RegexOptions.Multiline)
            .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();

        var host = typeof(HostEvents).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral && f.FieldType == typeof(int))
            .Select(f => (Id: (int)f.GetRawConstantValue()!, Name: f.Name)).ToList();
        var engine = typeof(SharpTls.Diagnostics.TlsEvents).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.FieldType == typeof(EventId))
            .Select(f => (EventId)f.GetValue(null)!).Select(e => (e.Id, Name: e.Name ?? "")).ToList();
        Assert.True(host.Count > 20 && engine.Count > 10, $"{host.Count} host, {engine.Count} engine events found");
        var missing = host.Concat(engine).Where(e => !rows.Contains(e.Id)).Select(e => $"{e.Id} {e.Name}").ToList();
        Assert.True(missing.Count == 0, "not in docs/events.md: " + string.Join(", ", missing));
    }
}
