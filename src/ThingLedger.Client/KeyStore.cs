using System.Security.Cryptography;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;

namespace ThingLedger.Client;

/// <summary>
/// Named P-256 private keys as PKCS#8 PEM files ({name}.pem) in one folder. The folder is
/// created owner-only (0700) and every key file owner-read/write only (0600); a key file that
/// others can read is refused, as ssh does.
/// </summary>
public sealed class KeyStore
{
    public KeyStore(string directory)
    {
        Directory = directory;
    }

    public string Directory { get; }

    public string PathOf(string name)
    {
        if (!Identifiers.IsLabel(name))
        {
            throw new ArgumentException($"key name '{name}' must be 1-64 of A-Z a-z 0-9 . _ : -", nameof(name));
        }
        return Path.Combine(Directory, name + ".pem");
    }

    public bool Contains(string name) => File.Exists(PathOf(name));

    /// <summary>Generates and stores a new key; refuses to overwrite an existing one.</summary>
    public KeyPair Create(string name)
    {
        var key = KeyPair.Generate();
        Save(name, key);
        return key;
    }

    public void Save(string name, KeyPair key)
    {
        EnsureDirectory();
        var path = PathOf(name);
        if (File.Exists(path))
        {
            throw new IOException($"a key named '{name}' already exists at {path}");
        }
        OwnerOnlyFile.Create(path, key.ExportPkcs8Pem());
    }

    public KeyPair Load(string name)
    {
        var path = PathOf(name);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"no key named '{name}' in {Directory}", path);
        }
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
        {
            throw new CryptographicException($"{path} is readable by others; run `chmod 600 {path}`");
        }
        return KeyPair.ImportPem(File.ReadAllText(path));
    }

    /// <summary>Names of the stored keys, sorted.</summary>
    public IReadOnlyList<string> Names() =>
        System.IO.Directory.Exists(Directory)
            ? [.. System.IO.Directory.EnumerateFiles(Directory, "*.pem").Select(p => Path.GetFileNameWithoutExtension(p)!).Order(StringComparer.Ordinal)]
            : [];

    private void EnsureDirectory()
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(Directory);
        }
        else
        {
            System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
