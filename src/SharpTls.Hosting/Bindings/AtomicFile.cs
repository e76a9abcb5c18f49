using System.Runtime.InteropServices;
using System.Text;

namespace SharpTls.Hosting.Bindings;

/// <summary>
/// How the host's configuration files are written (the bindings file, the protocol switches): under an exclusive
/// lock file, so concurrent writers serialise, and atomically (temporary file, fsync, rename, fsync of the folder),
/// so a writer killed at any point leaves the old or the new file.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Takes <c>PATH.lock</c> exclusively (waiting up to 30 s); dispose the stream to release it.</summary>
    /// <exception cref="IOException">Another writer held the lock for 30 seconds.</exception>
    public static FileStream Lock(string path)
    {
        string? dir = Path.GetDirectoryName(path);
        if (dir is not null) Directory.CreateDirectory(dir);
        string lockPath = path + ".lock";
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        for (int delay = 1; ; delay = Math.Min(delay * 2, 50))
        {
            try
            {
                // FileShare.None takes an exclusive flock(2) on Unix: released by the kernel if this process dies.
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(delay);
            }
            catch (IOException e)
            {
                throw new IOException($"{path}: another writer has held {lockPath} for 30 seconds", e);
            }
        }
    }

    /// <summary>Replaces <paramref name="path"/> with <paramref name="text"/> (UTF-8) atomically; call it holding <see cref="Lock"/>.</summary>
    public static void Write(string path, string text)
    {
        string dir = Path.GetDirectoryName(path)!;
        string prefix = "." + Path.GetFileName(path) + ".";
        // Leftovers of writers that died mid-write (the caller holds the lock, so none is being written now).
        foreach (string stale in Directory.EnumerateFiles(dir, prefix + "*.tmp"))
            try { File.Delete(stale); } catch (IOException) { }
        string temp = Path.Combine(dir, $"{prefix}{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(Encoding.UTF8.GetBytes(text));
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { }
            throw;
        }
        SyncDirectory(dir);
    }

    /// <summary>Reads a whole file of at most <paramref name="maxBytes"/>; null when it does not exist.</summary>
    /// <exception cref="FormatException">The file is larger than <paramref name="maxBytes"/>.</exception>
    public static byte[]? ReadAll(string path, int maxBytes, string what)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length > maxBytes)
                throw new FormatException($"{path}: the file is {stream.Length} bytes, more than the {maxBytes} {what} may have");
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
    }

    // fsync(2) of the folder makes the rename itself durable (POSIX); Windows has no such step.
    private static void SyncDirectory(string dir)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        int fd = NativeFile.open(dir, 0 /* O_RDONLY */);
        if (fd < 0) return;
        try { _ = NativeFile.fsync(fd); }
        finally { _ = NativeFile.close(fd); }
    }

    private static class NativeFile
    {
        [DllImport("libc", SetLastError = true)]
        internal static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", SetLastError = true)]
        internal static extern int fsync(int fd);

        [DllImport("libc", SetLastError = true)]
        internal static extern int close(int fd);
    }
}
