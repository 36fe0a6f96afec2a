using System.Globalization;
using System.Text;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;

namespace ThingLedger.Storage;

/// <summary>
/// A validator's durable memory of the highest block it attested (file <c>signer-state</c> beside
/// <c>node.key</c>): the height and block hash, written and fsynced before the signature leaves
/// the process. The key never signs a different block at or below that height, whatever the
/// ledger beside it says: a ledger restored from an old backup, replaced by an empty file or
/// rebuilt from another source cannot make it certify two blocks at one height (the role
/// CometBFT's priv_validator_state plays). The file is one line,
/// <c>thingledger-signer/1 {height} {block hash}</c>; it is replaced atomically (write, fsync,
/// rename, fsync the folder), so a crash leaves the old record or the new one, never a mix.
/// </summary>
public sealed class SignerState
{
    public const string FileName = "signer-state";
    private const string Magic = "thingledger-signer/1";

    private readonly string _path;
    private readonly object _lock = new();

    private SignerState(string path, ulong? height, Hash hash)
    {
        _path = path;
        Height = height;
        BlockHash = hash;
    }

    /// <summary>The highest height attested, or null when this key has attested nothing on record.</summary>
    public ulong? Height { get; private set; }

    /// <summary>The block attested at <see cref="Height"/>.</summary>
    public Hash BlockHash { get; private set; }

    public static string PathIn(string directory) => Path.Combine(directory, FileName);

    /// <summary>Reads the record in <paramref name="directory"/>; a missing file is an empty record, a damaged one refuses to open.</summary>
    public static SignerState Open(string directory)
    {
        var path = PathIn(directory);
        if (!File.Exists(path))
        {
            return new SignerState(path, null, default);
        }
        var parts = File.ReadAllText(path, Encoding.UTF8).Trim().Split(' ');
        if (parts.Length != 3 || parts[0] != Magic ||
            !ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var height) || !Hash.TryParse(parts[2], out var hash))
        {
            throw new StorageException($"{path} is damaged; it records the highest block this validator signed, so the node will not guess. " +
                "Restore it from a backup of this data directory (never from another validator's)");
        }
        return new SignerState(path, height, hash);
    }

    /// <summary>
    /// Signs <paramref name="header"/> if that can never make a second block at its height final:
    /// it is above the recorded height (recorded first, durably) or it is the very block recorded.
    /// Returns null when the key must not sign it.
    /// </summary>
    public Attestation? TrySign(KeyPair validator, BlockHeader header, AttestationScope scope)
    {
        lock (_lock)
        {
            if (Height is { } recorded)
            {
                if (header.Height < recorded || (header.Height == recorded && header.Hash != BlockHash))
                {
                    return null;
                }
            }
            if (Height != header.Height)
            {
                Write(header.Height, header.Hash);
                Height = header.Height;
                BlockHash = header.Hash;
            }
            return Attestation.Sign(validator, header, scope);
        }
    }

    private void Write(ulong height, Hash hash)
    {
        var temporary = _path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
        {
            file.Write(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Magic} {height} {hash}\n")));
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, _path, overwrite: true);
        SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(_path))!);
    }

    /// <summary>Makes the rename itself durable: on Linux a rename is only on disk once its folder is synced.</summary>
    private static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        var fd = Native.Open(directory, Native.ReadOnlyDirectory);
        if (fd < 0)
        {
            throw new IOException($"cannot open {directory} to sync it (errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()})");
        }
        try
        {
            if (Native.Fsync(fd) != 0)
            {
                throw new IOException($"fsync of {directory} failed (errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Native.Close(fd);
        }
    }

    /// <summary>.NET opens no folder as a file, so the folder's fsync goes to libc directly.</summary>
    private static class Native
    {
        // O_RDONLY: enough to open a folder on Linux (O_DIRECTORY's value differs between architectures).
        public const int ReadOnlyDirectory = 0;

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "open", SetLastError = true, CharSet = System.Runtime.InteropServices.CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        public static extern int Open(string path, int flags);

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        public static extern int Fsync(int fd);

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "close", SetLastError = true)]
        public static extern int Close(int fd);
    }
}
