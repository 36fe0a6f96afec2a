namespace ThingLedger.Client;

/// <summary>Writes secrets (private keys) to files only their owner can read (0600 on Unix).</summary>
public static class OwnerOnlyFile
{
    /// <summary>
    /// Creates <paramref name="path"/> with owner read/write permissions from the start (never
    /// widened, never an existing file overwritten) and flushes it to disk.
    /// </summary>
    public static void Create(string path, string contents)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(contents);
        writer.Flush();
        stream.Flush(flushToDisk: true);
    }

    /// <summary>
    /// Appends <paramref name="line"/> and a newline to <paramref name="path"/>, creating it owner-only
    /// when it does not exist, and flushes it to disk before returning: a record that must outlive a crash.
    /// </summary>
    public static void AppendLine(string path, string line)
    {
        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.WriteLine(line);
        writer.Flush();
        stream.Flush(flushToDisk: true);
    }
}
