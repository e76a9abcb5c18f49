using System.Diagnostics;

namespace SharpTls.TestSupport;

/// <summary>
/// What earlier test runs left in the temporary folder. A run's own folder (<c>PREFIX-PID-...</c>) is deleted by a
/// ProcessExit handler, but the test host is often ended from outside before handlers run, so folders of finished
/// runs (test PKIs with private keys, browser profiles: hundreds of MB a run) piled up. Each run removes the folders
/// whose process no longer exists; a folder of a run still going (another checkout's, on a shared machine) stays.
/// </summary>
internal static class StaleTestDirectories
{
    public static void Sweep(string prefix)
    {
        foreach (string dir in Directory.EnumerateDirectories(Path.GetTempPath(), prefix + "-*"))
        {
            string rest = Path.GetFileName(dir)[(prefix.Length + 1)..];
            int dash = rest.IndexOf('-');
            if (dash <= 0 || !int.TryParse(rest[..dash], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int pid)
                || pid == Environment.ProcessId || IsRunning(pid))
                continue;
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Someone else's, or in use: it is not this run's to remove.
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
