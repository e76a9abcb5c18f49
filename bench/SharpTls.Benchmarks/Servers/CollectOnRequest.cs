namespace SharpTls.Benchmarks.Servers;

/// <summary>
/// The in-bench .NET servers read commands on stdin: "gc" runs an aggressive, compacting full collection
/// (finalizers included) and answers "gc MANAGED_BYTES". The memory figure reads VmRSS after it, before and
/// after opening the idle connections, so uncollected handshake garbage (the gen0 budget, tens of MB) does
/// not count as memory an idle connection holds; nginx has no collector and needs nothing.
/// </summary>
internal static class CollectOnRequest
{
    public static void Start() => _ = Task.Run(async () =>
    {
        while (await Console.In.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (line.Trim() != "gc") continue;
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            Console.Out.WriteLine($"gc {GC.GetTotalMemory(false)}");
            Console.Out.Flush();
        }
    });
}
