using System.Globalization;
using System.Text;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;

namespace ThingLedger.Storage;

/// <summary>
/// A validator's durable memory of the highest block it attested (file <c>signer-state</c> beside
/// <c>node.key</c>): the height and block hash. The key never signs a different block at or below
/// that height, whatever the ledger beside it says: a ledger restored from an old backup, replaced
/// by an empty file or rebuilt from another source cannot make it certify two blocks at one
/// height (the role CometBFT's priv_validator_state plays).
/// </summary>
/// <remarks>
/// An attestation leaves the node only inside a committed block (served from ledger.db, or
/// published to the ordering log after the commit), so the record is written once the block it
/// signs is committed (<see cref="Persist"/>) and before the node announces it (to waiters,
/// subscribers, peers and the ordering log). A crash between
/// signing and committing therefore leaves no record of a block nobody saw, and the node signs
/// again whatever block it then builds at that height; a record above the ledger always means
/// the ledger lost blocks it had. The file is one line,
/// <c>thingledger-signer/1 {height} {block hash}</c>, replaced atomically (write, fsync, rename,
/// fsync the folder), so a crash leaves the old record or the new one, never a mix.
/// </remarks>
public sealed class SignerState
{
    public const string FileName = "signer-state";
    private const string Magic = "thingledger-signer/1";

    private readonly string _path;
    private readonly object _lock = new();
    private bool _unwritten;
    private ulong? _writtenHeight;
    private Hash _writtenHash;

    private SignerState(string path, ulong? height, Hash hash)
    {
        _path = path;
        Height = _writtenHeight = height;
        BlockHash = _writtenHash = hash;
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
    /// it is above the recorded height or it is the very block recorded. Returns null when the key
    /// must not sign it. The height is taken at once in memory; call <see cref="Persist"/> once the
    /// block is committed and before the attestation is published.
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
                Height = header.Height;
                BlockHash = header.Hash;
                _unwritten = true;
            }
            return Attestation.Sign(validator, header, scope);
        }
    }

    /// <summary>Writes the highest signed block durably, if it is not on disk yet.</summary>
    public void Persist()
    {
        lock (_lock)
        {
            if (_unwritten && Height is { } height)
            {
                Write(height, BlockHash);
                (_writtenHeight, _writtenHash, _unwritten) = (height, BlockHash, false);
            }
        }
    }

    /// <summary>
    /// The block last signed was not committed (the commit failed): nobody can have its
    /// attestation, so the record returns to what is on disk and another block may be signed there.
    /// </summary>
    public void Abandon()
    {
        lock (_lock)
        {
            if (_unwritten)
            {
                (Height, BlockHash, _unwritten) = (_writtenHeight, _writtenHash, false);
            }
        }
    }

    /// <summary>
    /// Raises the record to a block the ledger holds (at start, after a crash between a commit and
    /// its <see cref="Persist"/>, or for blocks a consortium peer committed without signing), so
    /// the key never signs at or below what the ledger already holds.
    /// </summary>
    public void RaiseTo(ulong height, in Hash blockHash)
    {
        lock (_lock)
        {
            if (Height is null || Height < height)
            {
                Write(height, blockHash);
                (Height, BlockHash, _writtenHeight, _writtenHash, _unwritten) = (height, blockHash, height, blockHash, false);
            }
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
