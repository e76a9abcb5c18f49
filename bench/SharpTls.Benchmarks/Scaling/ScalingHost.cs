using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SharpTls.Benchmarks.Servers;
using SharpTls.Hosting;

namespace SharpTls.Benchmarks.Scaling;

/// <summary>
/// The two pieces of bench/scaling/run.py ("how cost grows", issue 11) that need .NET:
/// <c>scaling host PORT CERT KEY WWW</c>, Kestrel with <c>UseSharpTls</c> in the shape of the bench's
/// <c>serve kestrel</c> (Kestrel+SslStream: HTTP/1.1, the fixed /1k and /1m responses, ten-minute keep-alive and
/// header timeouts so 20,000 idle connections stay open while they are counted, "gc" on stdin), and
/// <c>scaling chart JSON DIR</c>, which draws the script's results with ScottPlot as the bench's handshake chart is drawn.
/// </summary>
internal static class ScalingHost
{
    public static int Run(string[] args) => args switch
    {
        ["host", var port, var cert, var key, var www] => ServeAsync(int.Parse(port), cert, key, www).GetAwaiter().GetResult(),
        ["chart", var json, var dir] => Chart(json, dir),
        _ => Usage(),
    };

    private static int Usage()
    {
        Console.Error.WriteLine("usage: SharpTls.Benchmarks scaling host PORT CERT KEY WWW | scaling chart RESULTS.json OUTDIR");
        return 2;
    }

    private static async Task<int> ServeAsync(int port, string certPem, string keyPem, string www)
    {
        var responses = new FixedResponses(www);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSharpTls();
        builder.WebHost.ConfigureKestrel(k =>
        {
            Servers.KestrelServer.ApplyLimits(k);
            k.Listen(IPAddress.Loopback, port, lo =>
            {
                lo.Protocols = HttpProtocols.Http1;
                lo.UseSharpTls(new ServerCertificate(X509Certificate2.CreateFromPemFile(certPem, keyPem)));
            });
        });
        return await Servers.KestrelServer.ServeAsync(builder.Build(), responses);
    }

    /// <summary>Three line charts from run.py's results: CPU per handshake and handshakes/s by concurrent clients, KB by idle connections.</summary>
    private static int Chart(string jsonPath, string dir)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(jsonPath));
        var root = doc.RootElement;
        string date = root.GetProperty("date").GetString() ?? "";
        var levels = root.GetProperty("levels").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var servers = root.GetProperty("servers").EnumerateArray().Select(e => e.GetString()!).ToArray();
        var palette = new ScottPlot.Palettes.Category10();

        void Lines(string file, string yLabel, string title, Func<JsonElement, double?> pick, string section, bool byLevel)
        {
            var plot = new ScottPlot.Plot();
            double top = 0;
            for (int i = 0; i < servers.Length; i++)
            {
                if (!root.GetProperty(section).TryGetProperty(servers[i], out var rows)) continue;
                var points = rows.EnumerateArray()
                    .Select(r => (X: byLevel ? Array.IndexOf(levels, r.GetProperty("clients").GetInt32()) : r.GetProperty("connections").GetDouble(), Y: pick(r)))
                    .Where(p => p.Y is not null).ToArray();
                if (points.Length == 0) continue;
                top = Math.Max(top, points.Max(p => p.Y!.Value));
                var line = plot.Add.Scatter(points.Select(p => (double)p.X).ToArray(), points.Select(p => p.Y!.Value).ToArray(), palette.GetColor(i));
                line.LegendText = servers[i];
                line.LineWidth = 2;
                line.MarkerSize = 8;
            }
            if (byLevel)
            {
                plot.Axes.Bottom.SetTicks(levels.Select((_, i) => (double)i).ToArray(), levels.Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
                plot.XLabel("concurrent clients (openssl s_time processes)");
            }
            else
            {
                plot.XLabel("idle TLS 1.3 connections open");
            }
            plot.YLabel(yLabel);
            plot.Title($"{title} ({date})");
            plot.ShowLegend(ScottPlot.Edge.Right);
            plot.Axes.SetLimitsY(0, top * 1.1); // from zero: the flatness of a curve is what the chart is for
            plot.SavePng(Path.Combine(dir, file), 1100, 550);
        }

        Lines("scaling-cpu.png", "server CPU per handshake (µs)", "TLS 1.3 full handshake + GET 1 KB + close, by concurrency",
            r => r.GetProperty("cpu_us").GetDouble(), "concurrency", byLevel: true);
        Lines("scaling-rate.png", "handshakes per second (wall clock)", "Handshakes per second, by concurrency (2 shared cores)",
            r => r.GetProperty("rate").GetDouble(), "concurrency", byLevel: true);
        Lines("scaling-memory.png", "server resident memory growth (MB)", "Resident memory by idle TLS 1.3 connections",
            r => r.GetProperty("rss_growth_kb").GetDouble() / 1024, "memory", byLevel: false);
        Console.WriteLine($"wrote {dir}/scaling-cpu.png, scaling-rate.png, scaling-memory.png");
        return 0;
    }
}
