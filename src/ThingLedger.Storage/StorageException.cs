using Microsoft.Data.Sqlite;

namespace ThingLedger.Storage;

/// <summary>The data directory cannot be used as it is (corrupt, foreign, or from a newer format).</summary>
public class StorageException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>
    /// The exception to throw for a failed write: <see cref="DiskFullException"/> when the disk
    /// (or the file system's quota) is full, <see cref="StorageCorruptException"/> when SQLite found
    /// the file damaged, a plain <see cref="StorageException"/> otherwise, each with SQLite's own message.
    /// </summary>
    public static StorageException ForFailedWrite(string what, Exception failure) => failure switch
    {
        StorageException already => already,
        SqliteException { SqliteErrorCode: SqliteCodes.Full } => new DiskFullException($"{what}: the disk is full ({failure.Message})", failure),
        IOException io when DiskFullException.IsDiskFull(io) => new DiskFullException($"{what}: the disk is full ({failure.Message})", failure),
        SqliteException { SqliteErrorCode: SqliteCodes.Corrupt or SqliteCodes.NotADatabase } =>
            new StorageCorruptException($"{what}: the database file is damaged ({failure.Message})", failure),
        _ => new StorageException($"{what}: {failure.Message}", failure),
    };
}

/// <summary>A write failed for lack of space; nothing of it is on disk, and the same write can be tried again once there is room.</summary>
public sealed class DiskFullException(string message, Exception? inner = null) : StorageException(message, inner)
{
    private const int NoSpace = 28;       // ENOSPC
    private const int QuotaExceeded = 122; // EDQUOT

    /// <summary>An I/O error that means "no space left on device" (or quota exceeded).</summary>
    public static bool IsDiskFull(IOException e) => (e.HResult & 0xFFFF) is NoSpace or QuotaExceeded;
}

/// <summary>SQLite found a database file damaged: writes stop, and the node says so until the file is repaired.</summary>
public sealed class StorageCorruptException(string message, Exception? inner = null) : StorageException(message, inner)
{
    /// <summary>The SQLite error in <paramref name="exception"/>'s chain that says a database file is damaged, or null.</summary>
    public static SqliteException? FindIn(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SqliteException { SqliteErrorCode: SqliteCodes.Corrupt or SqliteCodes.NotADatabase } sqlite)
            {
                return sqlite;
            }
        }
        return null;
    }
}

/// <summary>The SQLite result codes the stores act on (https://sqlite.org/rescode.html).</summary>
internal static class SqliteCodes
{
    public const int Corrupt = 11;
    public const int Full = 13;
    public const int NotADatabase = 26;
}
