using SharpTls.Hosting.Bindings;

namespace SharpTls.Hosting.Tests.Demo;

/// <summary>
/// <c>sharptls serve</c> with its embedded demo in a fresh data folder on a free port, started and ready (the demo's
/// bindings in force), with what the tests of a running host read: the demo CA, the bindings file, curl's arguments
/// for a name, and the CLI run against the same data folder.
/// </summary>
public sealed class DemoServe : IAsyncDisposable
{
    private DemoServe(string data, int port, ServeProcess serve)
    {
        Data = data;
        Port = port;
        Serve = serve;
    }

    /// <summary>The data folder (<c>$SHARPTLS_HOME</c> of the process).</summary>
    public string Data { get; }

    /// <summary>The port the demo's bindings are on (127.0.0.1).</summary>
    public int Port { get; }

    /// <summary>The process.</summary>
    public ServeProcess Serve { get; private set; }

    /// <summary>Everything the process wrote so far.</summary>
    public string Output => Serve.Output;

    /// <summary>The demo CA's certificate (PEM), for curl's <c>--cacert</c> and openssl's <c>-CAfile</c>.</summary>
    public string Ca => Path.Combine(Data, "demo", "demo-ca.pem");

    /// <summary>The demo CA with its key (PFX), for <c>cert new --ca</c>.</summary>
    public string CaPfx => Path.Combine(Data, "demo", "demo-ca.pfx");

    /// <summary>The bindings file the process watches.</summary>
    public BindingStore Store => new(Path.Combine(Data, BindingStore.FileName));

    /// <summary>The demo's <c>hostnameport</c> key for <paramref name="host"/> on <see cref="Port"/>.</summary>
    public BindingKey Key(string host) => BindingKey.HostnamePort(host, Port);

    /// <summary>curl's arguments that trust the demo CA and send <paramref name="host"/> to 127.0.0.1.</summary>
    public string[] Trust(string host) => ["--cacert", Ca, "--resolve", $"{host}:{Port}:127.0.0.1"];

    /// <summary>The URL of <paramref name="host"/> on <see cref="Port"/>.</summary>
    public string Url(string host, string pathAndQuery = "/") => $"https://{host}:{Port}{pathAndQuery}";

    /// <summary>curl to <paramref name="host"/> (trusting the demo CA), with <paramref name="extra"/> arguments before the URL.</summary>
    public Task<PeerResult> CurlAsync(string host, string pathAndQuery = "/", params string[] extra)
        => Peer.CurlAsync([.. Trust(host), .. extra, Url(host, pathAndQuery)]);

    /// <summary>Starts <c>sharptls serve --port P</c> (plus <paramref name="args"/>) and waits for the demo's curl lines.</summary>
    public static async Task<DemoServe> StartAsync(params string[] args)
    {
        string data = TestHome.NewDataDirectory();
        int port = ServeProcess.FreePort();
        var serve = await ServeProcess.StartAsync(data, port, ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. args]);
        try
        {
            await serve.WaitForOutputAsync("(no SNI: the ipport binding)");
        }
        catch
        {
            await serve.DisposeAsync();
            throw;
        }
        return new DemoServe(data, port, serve);
    }

    /// <summary>Stops the process and starts <c>sharptls serve</c> again on the same data folder and port (what it reads only at start).</summary>
    public async Task RestartAsync()
    {
        await Serve.DisposeAsync();
        Serve = await ServeProcess.StartAsync(Data, Port, ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await Serve.WaitForOutputAsync("(no SNI: the ipport binding)");
    }

    /// <summary>Waits until the output contains <paramref name="text"/>.</summary>
    public Task WaitForOutputAsync(string text, TimeSpan? timeout = null) => Serve.WaitForOutputAsync(text, timeout);

    /// <summary>Where the output ends now: <see cref="WaitForOutputAfterAsync"/> then waits for what a change writes after it.</summary>
    public int Mark => Output.Length;

    /// <summary>Waits until the output written after <paramref name="mark"/> contains <paramref name="text"/> (15 s).</summary>
    public async Task WaitForOutputAfterAsync(int mark, string text)
    {
        var until = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < until)
        {
            if (Output.IndexOf(text, mark, StringComparison.Ordinal) >= 0) return;
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException($"no '{text}' in the output of sharptls serve after position {mark}:\n{Output}");
    }

    /// <summary>Runs <c>sharptls ARGS</c> against the same data folder (the administrator's commands).</summary>
    public async Task<PeerResult> CliAsync(params string[] args)
    {
        var (exit, stdout, stderr) = await Task.Run(() => Cli.Run(Data, args));
        return new PeerResult(exit, stdout, stderr);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Serve.DisposeAsync();
}
